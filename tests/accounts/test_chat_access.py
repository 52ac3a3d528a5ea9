"""Chat access: whose credential a request's calls use, read once, renewed in one place.

An agent's own tokens are renewed when they expire and once after a 401; the person is signed
out only when Chat refuses the renewal. Support staff read through the account connection.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import responses
from django.test import Client
from django.utils import timezone
from responses import matchers

from chatadmin.accounts import policy
from chatadmin.accounts.chat_access import (
    ChatSignInRequired,
    chat_access_scope,
    credential_store,
    person_chat,
    reading_chat,
)
from chatadmin.accounts.models import AccountConnection, ChatCredential, ConnectionKind, User
from chatadmin.accounts.roles import Role
from chatadmin.audit.models import AuditEvent, Outcome
from chatadmin.chat import ChatRefused
from chatadmin.core import crypto
from chatadmin.core.problems import NoChatAccess

pytestmark = pytest.mark.django_db

CHAT = "http://127.0.0.1:8001"
TOKEN_URL = f"{CHAT}/oauth2/chat/token"
ME_URL = f"{CHAT}/api/v2/chat/agents/me"
AGENT = {
    "id": 7,
    "email": "agent@example.com",
    "display_name": "Agent",
    "enabled": 1,
    "roles": {"owner": False, "administrator": False},
}


@pytest.fixture
def chat_user(plain_user: User) -> User:
    plain_user.chat_agent_id = 7
    plain_user.save()
    credential_store(
        plain_user,
        agent_id=7,
        access_token="old-access",
        refresh_token="old-refresh",
        expires_at=timezone.now() + timedelta(hours=1),
        scopes="read write chat",
    )
    return plain_user


def _refresh_answers(mock: responses.RequestsMock, **json: object) -> None:
    mock.post(
        TOKEN_URL,
        json=json
        or {
            "access_token": "new-access",
            "refresh_token": "new-refresh",
            "token_type": "Bearer",
            "scope": "read write chat",
            "expires_in": 3600,
        },
        status=200 if "error" not in json else 400,
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "grant_type": "refresh_token",
                    "refresh_token": "old-refresh",
                    "client_id": "chatadmin-dashboard",
                    "client_secret": "chatadmin-dashboard-demo-secret",
                }
            )
        ],
    )


def _me_with(mock: responses.RequestsMock, token: str, *, status: int = 200) -> None:
    mock.get(
        ME_URL,
        json=AGENT if status == 200 else {"error": "Unauthorized", "description": "x"},
        status=status,
        match=[matchers.header_matcher({"Authorization": f"Bearer {token}"})],
    )


def test_a_valid_token_is_used_as_is(chat_user: User, http_mock: responses.RequestsMock) -> None:
    _me_with(http_mock, "old-access")
    assert person_chat(chat_user).agent_me().id == 7
    assert [call.request.url for call in http_mock.calls] == [ME_URL]


def test_an_expiring_token_is_renewed_before_the_call(
    chat_user: User, http_mock: responses.RequestsMock
) -> None:
    ChatCredential.objects.filter(user=chat_user).update(
        expires_at=timezone.now() + timedelta(seconds=5)
    )
    _refresh_answers(http_mock)
    _me_with(http_mock, "new-access")
    assert person_chat(chat_user).agent_me().email == "agent@example.com"
    credential = ChatCredential.objects.get(user=chat_user)
    assert (credential.access_token, credential.refresh_token) == ("new-access", "new-refresh")
    assert credential.expires_at is not None
    assert credential.expires_at > timezone.now() + timedelta(minutes=59)


def test_a_refused_token_is_renewed_once_and_the_call_repeated(
    chat_user: User, http_mock: responses.RequestsMock
) -> None:
    _me_with(http_mock, "old-access", status=401)
    _refresh_answers(http_mock)
    _me_with(http_mock, "new-access")
    assert person_chat(chat_user).agent_me().id == 7
    assert len(http_mock.calls) == 3


def test_a_revoked_sign_in_is_dropped_and_audited(
    chat_user: User, http_mock: responses.RequestsMock
) -> None:
    _me_with(http_mock, "old-access", status=401)
    _refresh_answers(http_mock, error="invalid_grant", error_description="revoked")
    with pytest.raises(ChatSignInRequired, match="Sign in with Zendesk Chat again"):
        person_chat(chat_user).agent_me()
    assert not ChatCredential.objects.filter(user=chat_user).exists()
    event = AuditEvent.objects.get(action="auth.chat_token_refresh")
    assert (event.actor, event.outcome) == (chat_user, Outcome.FAILURE)
    assert "old-refresh" not in event.message


def test_no_credential_asks_for_chat_sign_in(plain_user: User) -> None:
    plain_user.chat_agent_id = 7
    plain_user.save()
    with pytest.raises(ChatSignInRequired, match="sign in with Zendesk Chat"):
        person_chat(plain_user).agent_me()


def test_a_second_401_after_a_good_renewal_does_not_sign_the_person_out(
    chat_user: User, http_mock: responses.RequestsMock
) -> None:
    _me_with(http_mock, "old-access", status=401)
    _refresh_answers(http_mock)
    _me_with(http_mock, "new-access", status=401)

    with pytest.raises(ChatRefused) as refused:
        person_chat(chat_user).agent_me()

    assert refused.value.status == 401
    # Renewed once, tried once more, and still signed in: the new tokens are kept.
    assert len(http_mock.calls) == 3
    credential = ChatCredential.objects.get(user=chat_user)
    assert (credential.access_token, credential.refresh_token) == ("new-access", "new-refresh")
    assert not AuditEvent.objects.filter(action="auth.chat_token_refresh").exists()


def test_one_request_builds_one_chat_api_and_reads_the_credential_once(
    chat_user: User, http_mock: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    decrypted: list[str] = []
    real = crypto.decrypt

    def counting(text: str) -> str:
        decrypted.append(text)
        return real(text)

    monkeypatch.setattr(crypto, "decrypt", counting)
    _me_with(http_mock, "old-access")
    _me_with(http_mock, "old-access")

    with chat_access_scope():
        reading, acting = reading_chat(chat_user), person_chat(chat_user)
        reading.agent_me()
        acting.agent_me()

    assert reading is acting
    # One row read: its access token and its refresh token, each decrypted once.
    assert len(decrypted) == 2
    assert len(http_mock.calls) == 2


def test_the_check_button_reports_who_the_token_acts_as(
    client: Client, chat_user: User, http_mock: responses.RequestsMock
) -> None:
    client.force_login(chat_user)
    _me_with(http_mock, "old-access")
    response = client.post(
        "/settings/chat/check/", headers={"HX-Request": "true", "HX-Target": "chat-sign-in"}
    )
    assert response.status_code == 200
    assert "you act as agent@example.com (agent #7, an agent)" in response["HX-Trigger"]


@pytest.mark.parametrize("htmx", [False, True])
def test_a_revoked_sign_in_sends_the_person_back_to_sign_in_with_a_message(
    client: Client, chat_user: User, http_mock: responses.RequestsMock, htmx: bool
) -> None:
    client.force_login(chat_user)
    _me_with(http_mock, "old-access", status=401)
    _refresh_answers(http_mock, error="invalid_grant", error_description="revoked")
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post("/settings/chat/check/", headers=headers)
    if htmx:
        assert response["HX-Redirect"] == "/accounts/login/"
    else:
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/")
    assert "no longer accepts your sign-in" in page.content.decode()
    assert client.get("/").status_code == 302  # signed out


@pytest.mark.parametrize(
    ("role", "agent_id", "client_agent_id", "see", "change"),
    [
        (Role.ADMIN, 1, 2, True, True),
        (Role.USER, 1, 1, True, True),
        (Role.USER, 1, 2, False, False),
        (Role.USER, None, None, False, False),
        (Role.SUPPORT, 1, 2, True, False),
        (Role.SUPPORT, 1, 1, True, False),
    ],
)
def test_client_rules(
    make_user: Callable[..., User],
    role: str,
    agent_id: int | None,
    client_agent_id: int | None,
    see: bool,
    change: bool,
) -> None:
    person = make_user(role, chat_agent_id=agent_id)
    assert policy.may_see_client(person, client_agent_id=client_agent_id) is see
    assert policy.may_change_client(person, client_agent_id=client_agent_id) is change


def test_secrets_and_tokens_by_role(make_user: Callable[..., User]) -> None:
    admin, user, support = (make_user(r, chat_agent_id=i) for i, r in enumerate(Role.values, 1))
    assert [policy.may_see_secrets(p) for p in (admin, user, support)] == [True, True, False]
    assert [policy.has_tokens(p) for p in (admin, user, support)] == [True, True, False]
    # Only the creator revokes: an admin cannot revoke someone else's token.
    assert policy.may_revoke_token(admin, token_agent_id=admin.chat_agent_id)
    assert not policy.may_revoke_token(admin, token_agent_id=user.chat_agent_id)
    assert not policy.may_revoke_token(support, token_agent_id=support.chat_agent_id)


def test_support_reads_through_the_connection_and_never_acts(
    make_user: Callable[..., User], http_mock: responses.RequestsMock
) -> None:
    support = make_user(Role.SUPPORT)
    AccountConnection.objects.create(kind=ConnectionKind.OAUTH, access_token="service-token")
    _me_with(http_mock, "service-token")
    assert reading_chat(support).agent_me().id == 7
    with pytest.raises(NoChatAccess, match="read-only"):
        person_chat(support)
    assert len(http_mock.calls) == 1


def test_support_without_a_connection_is_told_so(make_user: Callable[..., User]) -> None:
    with pytest.raises(NoChatAccess, match="No account connection"):
        reading_chat(make_user(Role.SUPPORT)).agent_me()


def test_a_local_account_without_chat_identity_is_told_how_to_get_one(
    admin_user: User, http_mock: responses.RequestsMock
) -> None:
    for access in (reading_chat, person_chat):
        with pytest.raises(NoChatAccess, match="Sign in with Zendesk Chat"):
            access(admin_user)
    assert len(http_mock.calls) == 0
