"""Local sign-in with allauth: email + password, TOTP, rate limits, closed sign-up."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core import mail
from django.test import Client

from chatadmin.accounts.models import User
from chatadmin.audit.models import AuditEvent, Outcome
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, email: str, password: str) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password})


def _is_signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_sign_in_with_email_and_password(client: Client, plain_user: User) -> None:
    response = _sign_in(client, plain_user.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _is_signed_in(client)
    event = AuditEvent.objects.get(action="auth.sign_in")
    assert (event.actor, event.outcome) == (plain_user, Outcome.SUCCESS)


def test_wrong_password_does_not_sign_in_and_is_audited(client: Client, plain_user: User) -> None:
    response = _sign_in(client, plain_user.email, "wrong password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert not _is_signed_in(client)
    event = AuditEvent.objects.get(action="auth.sign_in")
    assert event.outcome == Outcome.FAILURE
    assert event.actor is None
    assert event.target_label == plain_user.email
    assert "wrong password" not in event.message


def test_sign_in_is_rate_limited_after_repeated_failures(client: Client, plain_user: User) -> None:
    for _ in range(5):  # ACCOUNT_RATE_LIMITS["login_failed"]: 5 per 300 s per address
        _sign_in(client, plain_user.email, "wrong password")
    response = _sign_in(client, plain_user.email, PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert not _is_signed_in(client)


def test_an_unverified_email_cannot_sign_in(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user("user", email="new@example.com")
    EmailAddress.objects.filter(user=user).update(verified=False)
    mail.outbox.clear()
    response = _sign_in(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not _is_signed_in(client)
    assert len(mail.outbox) == 1  # the verification mail


def test_sign_up_is_closed(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {"email": "stranger@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert "Sign Up Closed" in response.content.decode()
    assert not User.objects.filter(email="stranger@example.com").exists()


def test_password_reset_mails_a_link(client: Client, plain_user: User) -> None:
    response = client.post("/accounts/password/reset/", {"email": plain_user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def _start_totp_enrolment(client: Client) -> str:
    """Open TOTP activation, confirming the password first as allauth asks; return the secret."""
    page = client.get("/accounts/2fa/totp/activate/")
    if page.status_code == 302:
        assert page["Location"].startswith("/accounts/reauthenticate/")
        confirmed = client.post(page["Location"], {"password": PASSWORD})
        assert confirmed.status_code == 302
        page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    return client.session[SECRET_SESSION_KEY]


def _code(secret: str, at: float) -> str:
    return format_hotp_value(hotp_value(secret, int(at) // 30))


def test_totp_enrolment_and_sign_in_with_a_code(client: Client, plain_user: User) -> None:
    with time_machine.travel(1_800_000_000, tick=False) as clock:
        assert _sign_in(client, plain_user.email, PASSWORD).status_code == 302
        secret = _start_totp_enrolment(client)
        wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
        assert wrong.status_code == 200
        assert not Authenticator.objects.filter(user=plain_user).exists()

        response = client.post(
            "/accounts/2fa/totp/activate/", {"code": _code(secret, 1_800_000_000)}
        )
        assert response.status_code == 302
        assert Authenticator.objects.filter(user=plain_user, type="totp").exists()
        # Recovery codes come with the first authenticator.
        assert Authenticator.objects.filter(user=plain_user, type="recovery_codes").exists()

        client.post("/accounts/logout/")
        assert not _is_signed_in(client)
        clock.shift(90)  # a fresh code, not the one used to enrol

        response = _sign_in(client, plain_user.email, PASSWORD)
        assert response["Location"] == "/accounts/2fa/authenticate/"
        assert not _is_signed_in(client)  # the password alone is not enough

        bad = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
        assert bad.status_code == 200
        assert not _is_signed_in(client)

        now = 1_800_000_090
        response = client.post("/accounts/2fa/authenticate/", {"code": _code(secret, now)})
        assert response.status_code == 302
        assert _is_signed_in(client)


def test_recovery_codes_page_renders_after_enrolment(client: Client, plain_user: User) -> None:
    with time_machine.travel(1_800_000_000, tick=False):
        _sign_in(client, plain_user.email, PASSWORD)
        secret = _start_totp_enrolment(client)
        client.post("/accounts/2fa/totp/activate/", {"code": _code(secret, 1_800_000_000)})
        page = client.get("/accounts/2fa/recovery-codes/")
        assert page.status_code == 200
        codes = re.findall(r"\b\d{8}\b", page.content.decode())
        assert len(codes) >= 10
