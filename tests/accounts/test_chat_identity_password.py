"""A Chat identity has no local password: the password pages, sign-in and reset all refuse."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import responses
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client

from chatadmin.accounts.chat_access import credential_store
from chatadmin.accounts.models import User
from chatadmin.accounts.passwords import CHAT_ONLY
from chatadmin.accounts.roles import Role
from chatadmin.audit.models import AuditEvent, Outcome
from tests.conftest import PASSWORD
from tests.fixtures.pages import events, text

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another fine passphrase 314"


@pytest.fixture
def agent(make_user: Callable[..., User]) -> User:
    """A Chat agent's account that still carries a usable password hash (older data, the admin)."""
    return make_user(Role.ADMIN, email="owner@example.com", chat_agent_id=11)


@pytest.fixture
def passwordless_agent(make_user: Callable[..., User]) -> User:
    """A Chat agent's account as Chat sign-in makes it: no usable password."""
    user = make_user(Role.USER, email="agent@example.com", chat_agent_id=12)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def _refused(response: object, person: User) -> None:
    """The page said no plainly, recorded it, and stored no password."""
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert CHAT_ONLY in text(response)  # type: ignore[arg-type]
    person.refresh_from_db()
    assert not person.check_password(NEW_PASSWORD)


def _denials() -> list[AuditEvent]:
    return [e for e in events("auth.password_set") if e.outcome == Outcome.DENIED]


def test_the_set_password_page_refuses_a_chat_identity(
    client: Client, passwordless_agent: User
) -> None:
    client.force_login(passwordless_agent)
    _refused(client.get("/accounts/password/set/"), passwordless_agent)
    _refused(
        client.post(
            "/accounts/password/set/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        ),
        passwordless_agent,
    )
    assert not passwordless_agent.has_usable_password()
    [_, denial] = _denials()
    assert (denial.actor, denial.message) == (
        passwordless_agent,
        "Refused setting a password: this person signs in with Zendesk Chat only.",
    )
    assert NEW_PASSWORD not in denial.message


def test_the_change_password_page_refuses_a_chat_identity(client: Client, agent: User) -> None:
    client.force_login(agent)
    _refused(client.get("/accounts/password/change/"), agent)
    _refused(
        client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        ),
        agent,
    )
    assert agent.check_password(PASSWORD)  # unchanged
    assert len(_denials()) == 2


def test_local_accounts_still_change_their_password(client: Client, support_user: User) -> None:
    client.force_login(support_user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    support_user.refresh_from_db()
    assert support_user.check_password(NEW_PASSWORD)
    assert not _denials()


def test_a_chat_identitys_password_does_not_sign_in_even_when_right(
    client: Client, agent: User
) -> None:
    response = client.post("/accounts/login/", {"login": agent.email, "password": PASSWORD})
    assert response.status_code == 200
    assert CHAT_ONLY in text(response)
    assert "_auth_user_id" not in client.session
    [event] = events("auth.sign_in")
    assert (event.actor, event.outcome) == (agent, Outcome.DENIED)
    assert "Zendesk Chat only" in event.message


def test_a_wrong_password_for_a_chat_identity_gets_the_usual_answer(
    client: Client, agent: User
) -> None:
    response = client.post("/accounts/login/", {"login": agent.email, "password": "wrong 123"})
    assert response.status_code == 200
    assert CHAT_ONLY not in text(response)  # nothing said about what kind of account it is
    assert "not correct" in text(response)
    assert "_auth_user_id" not in client.session
    [event] = events("auth.sign_in")
    assert event.outcome == Outcome.FAILURE


def test_no_backend_accepts_a_chat_identitys_password(agent: User, plain_user: User) -> None:
    assert authenticate(email=agent.email, password=PASSWORD) is None
    assert authenticate(username=agent.email, password=PASSWORD) is None
    assert authenticate(email=plain_user.email, password=PASSWORD) == plain_user


def test_a_chat_identity_stays_signed_in_through_chat(
    client: Client, agent: User, http_mock: responses.RequestsMock
) -> None:
    # As "Sign in with Zendesk Chat" leaves it: a stored token, which Chat still accepts.
    credential_store(
        agent, agent_id=11, access_token="own", refresh_token="", expires_at=None, scopes="read"
    )
    http_mock.get(
        "http://127.0.0.1:8001/api/v2/chat/agents/me",
        json={"id": 11, "email": agent.email, "enabled": 1, "roles": {"owner": True}},
    )
    client.force_login(agent)
    assert client.get("/").status_code == 200


def test_reauthentication_refuses_a_chat_identitys_password(client: Client, agent: User) -> None:
    client.force_login(agent)
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 200
    assert CHAT_ONLY in text(response)
    [event] = events("auth.sign_in")
    assert (event.actor, event.outcome) == (agent, Outcome.DENIED)


def test_a_password_reset_for_a_chat_identity_mails_no_link(
    client: Client, agent: User, plain_user: User
) -> None:
    for_agent = client.post("/accounts/password/reset/", {"email": agent.email})
    for_local = client.post("/accounts/password/reset/", {"email": plain_user.email})
    # The same answer for both, so the page tells nobody which kind of account it is.
    assert (for_agent.status_code, for_agent["Location"]) == (
        for_local.status_code,
        for_local["Location"],
    )
    agent_mail, local_mail = mail.outbox
    assert agent_mail.to == [agent.email]
    assert "/accounts/password/reset/key/" not in str(agent_mail.body)
    assert "Sign in with Zendesk Chat" in str(agent_mail.body)
    assert "/accounts/password/reset/key/" in str(local_mail.body)
    [denial] = _denials()
    assert (denial.actor, denial.message) == (
        agent,
        "Refused a password reset: this person signs in with Zendesk Chat only.",
    )


def test_a_valid_reset_link_for_a_chat_identity_is_refused(client: Client, agent: User) -> None:
    key = f"{user_pk_to_url_str(agent)}-{default_token_generator.make_token(agent)}"
    first = client.get(f"/accounts/password/reset/key/{key}/")
    assert first.status_code == 302  # allauth moves the key out of the address first
    _refused(client.get(first["Location"]), agent)
    _refused(
        client.post(first["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}),
        agent,
    )
    assert agent.check_password(PASSWORD)
    assert len(_denials()) == 2


def test_a_forged_reset_link_for_a_chat_identity_says_only_that_it_is_invalid(
    client: Client, agent: User
) -> None:
    response = client.get(f"/accounts/password/reset/key/{user_pk_to_url_str(agent)}-forged/")
    assert response.status_code == 200
    assert CHAT_ONLY not in text(response)
    assert re.search(r"invalid", text(response), re.IGNORECASE)
    assert not _denials()
