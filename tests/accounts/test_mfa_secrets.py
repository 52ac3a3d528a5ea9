"""Two-factor secrets at rest: ciphertext in the database, codes that still work, rotation."""

from __future__ import annotations

import importlib
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, generate_totp_secret
from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, override_settings

from chatadmin.accounts.models import User
from chatadmin.core import crypto
from tests.conftest import PASSWORD
from tests.fixtures.totp import totp_code

MIGRATION = importlib.import_module("chatadmin.accounts.migrations.0003_mfa_secrets_encrypted")
MOMENT = 1_800_000_000


def _stored(kind: str) -> str:
    """The authenticator's data exactly as the database holds it (as text)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE type = %s", [kind])
        [(value,)] = cursor.fetchall()
    return value if isinstance(value, str) else json.dumps(value)


def _data(kind: str) -> dict[str, Any]:
    return dict(Authenticator.objects.get(type=kind).data)


def _sign_in(client: Client, user: User) -> Any:
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _enrol_in_the_browser(client: Client, user: User) -> str:
    """Enrol TOTP the way a person does, through allauth's pages; return the secret."""
    assert _sign_in(client, user).status_code == 302
    page = client.get("/accounts/2fa/totp/activate/")
    if page.status_code == 302:  # allauth asks for the password again first
        client.post(page["Location"], {"password": PASSWORD})
        page = client.get("/accounts/2fa/totp/activate/")
    secret = str(client.session[SECRET_SESSION_KEY])
    assert (
        client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)}).status_code == 302
    )
    client.post("/accounts/logout/")
    return secret


@pytest.mark.django_db
def test_enrolled_secrets_are_ciphertext_and_a_totp_code_still_signs_in(
    client: Client, plain_user: User
) -> None:
    with time_machine.travel(MOMENT, tick=False) as clock:
        secret = _enrol_in_the_browser(client, plain_user)
        assert secret not in _stored("totp")
        assert _data("totp")["secret"].startswith("gAAAAA")
        assert crypto.decrypt(_data("totp")["secret"]) == secret
        seed = _data("recovery_codes")["seed"]
        assert seed.startswith("gAAAAA")
        assert crypto.decrypt(seed) not in _stored("recovery_codes")

        clock.shift(90)
        assert _sign_in(client, plain_user)["Location"] == "/accounts/2fa/authenticate/"
        assert not _signed_in(client)
        answer = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
        assert answer.status_code == 302
        assert _signed_in(client)


@pytest.mark.django_db
def test_recovery_codes_still_sign_in(client: Client, plain_user: User) -> None:
    with time_machine.travel(MOMENT, tick=False):
        _enrol_in_the_browser(client, plain_user)
    codes = RecoveryCodes(Authenticator.objects.get(type="recovery_codes")).get_unused_codes()
    assert _sign_in(client, plain_user)["Location"] == "/accounts/2fa/authenticate/"
    answer = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert answer.status_code == 302
    assert _signed_in(client)
    assert (
        codes[0]
        not in RecoveryCodes(Authenticator.objects.get(type="recovery_codes")).get_unused_codes()
    )


def _plaintext_enrolment(user: User) -> tuple[str, str]:
    """TOTP and recovery codes stored as allauth did before chatadmin's adapter: in clear."""
    secret, seed = generate_totp_secret(), RecoveryCodes.generate_seed()
    Authenticator.objects.create(user=user, type="totp", data={"secret": secret})
    Authenticator.objects.create(
        user=user,
        type="recovery_codes",
        data={"seed": seed, "used_mask": 0, "migrated_codes": ["12345678"]},
    )
    return secret, seed


@pytest.mark.django_db
def test_the_migration_encrypts_plaintext_rows_once_and_their_codes_still_verify(
    client: Client, plain_user: User
) -> None:
    secret, seed = _plaintext_enrolment(plain_user)

    MIGRATION.encrypt_secrets(apps, None)
    encrypted = (_data("totp"), _data("recovery_codes"))
    assert secret not in _stored("totp")
    assert seed not in _stored("recovery_codes")
    assert "12345678" not in _stored("recovery_codes")
    assert crypto.decrypt(encrypted[0]["secret"]) == secret
    assert crypto.decrypt(encrypted[1]["seed"]) == seed
    assert encrypted[1]["used_mask"] == 0

    MIGRATION.encrypt_secrets(apps, None)  # a second run leaves encrypted values alone
    assert (_data("totp"), _data("recovery_codes")) == encrypted

    with time_machine.travel(MOMENT, tick=False):
        assert _sign_in(client, plain_user)["Location"] == "/accounts/2fa/authenticate/"
        answer = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
        assert answer.status_code == 302
        assert _signed_in(client)
    assert RecoveryCodes(Authenticator.objects.get(type="recovery_codes")).validate_code("12345678")


@pytest.mark.django_db
def test_the_migration_reverse_decrypts(plain_user: User) -> None:
    secret, seed = _plaintext_enrolment(plain_user)
    MIGRATION.encrypt_secrets(apps, None)
    MIGRATION.decrypt_secrets(apps, None)
    assert _data("totp") == {"secret": secret}
    assert _data("recovery_codes")["seed"] == seed
    MIGRATION.decrypt_secrets(apps, None)  # plaintext stays as it is
    assert _data("totp") == {"secret": secret}


@pytest.mark.django_db
def test_the_migration_stops_on_ciphertext_that_no_key_opens(plain_user: User) -> None:
    foreign = Fernet(Fernet.generate_key()).encrypt(b"JBSWY3DPEHPK3PXP").decode()
    Authenticator.objects.create(user=plain_user, type="totp", data={"secret": foreign})
    with pytest.raises(crypto.UndecryptableSecret):
        MIGRATION.encrypt_secrets(apps, None)
    assert _data("totp") == {"secret": foreign}  # not encrypted twice


@pytest.mark.django_db(transaction=True)
def test_migrating_forward_encrypts_an_enrolment_made_before(
    make_user: Callable[..., User],
) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0002_chatcredential_accountconnection")])
    user = make_user("user", email="before@example.com")
    secret, _ = _plaintext_enrolment(user)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert secret not in _stored("totp")
    with time_machine.travel(MOMENT, tick=False):
        totp = TOTP(Authenticator.objects.get(type="totp"))
        assert totp.validate_code(totp_code(secret))


@pytest.mark.django_db
def test_rotate_secrets_re_encrypts_two_factor_secrets_with_the_new_key(
    plain_user: User,
) -> None:
    secret = generate_totp_secret()
    TOTP.activate(plain_user, secret)
    codes = RecoveryCodes.activate(plain_user).generate_codes()
    old_keys = list(settings.FERNET_KEYS)
    new_key = Fernet.generate_key().decode()

    with override_settings(FERNET_KEYS=[new_key, *old_keys]):
        out = io.StringIO()
        call_command("rotate_secrets", stdout=out)
    assert "Re-encrypted the secrets of 2 rows." in out.getvalue()
    for kind, key in (("totp", "secret"), ("recovery_codes", "seed")):
        Fernet(new_key).decrypt(_data(kind)[key].encode())  # the new key opens it

    with override_settings(FERNET_KEYS=[new_key]), time_machine.travel(MOMENT, tick=False):
        assert TOTP(Authenticator.objects.get(type="totp")).validate_code(totp_code(secret))
        recovery = RecoveryCodes(Authenticator.objects.get(type="recovery_codes"))
        assert recovery.validate_code(codes[0])
