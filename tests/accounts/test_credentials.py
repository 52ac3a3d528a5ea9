"""An agent's tokens: renewed when they expire, dropped (and sign-in asked) when refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
import responses
from django.test import Client
from django.utils import timezone
from responses import matchers

from chatadmin.accounts.chat_access import ChatSignInRequired, chat_call, credential_store
from chatadmin.accounts.models import ChatCredential, User
from chatadmin.audit.models import AuditEvent, Outcome

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
    assert chat_call(chat_user, lambda api: api.agent_me()).id == 7
    assert [call.request.url for call in http_mock.calls] == [ME_URL]


def test_an_expiring_token_is_renewed_before_the_call(
    chat_user: User, http_mock: responses.RequestsMock
) -> None:
    ChatCredential.objects.filter(user=chat_user).update(
        expires_at=timezone.now() + timedelta(seconds=5)
    )
    _refresh_answers(http_mock)
    _me_with(http_mock, "new-access")
    assert chat_call(chat_user, lambda api: api.agent_me()).email == "agent@example.com"
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
    assert chat_call(chat_user, lambda api: api.agent_me()).id == 7
    assert len(http_mock.calls) == 3


def test_a_revoked_sign_in_is_dropped_and_audited(
    chat_user: User, http_mock: responses.RequestsMock
) -> None:
    _me_with(http_mock, "old-access", status=401)
    _refresh_answers(http_mock, error="invalid_grant", error_description="revoked")
    with pytest.raises(ChatSignInRequired, match="Sign in with Zendesk Chat again"):
        chat_call(chat_user, lambda api: api.agent_me())
    assert not ChatCredential.objects.filter(user=chat_user).exists()
    event = AuditEvent.objects.get(action="auth.chat_token_refresh")
    assert (event.actor, event.outcome) == (chat_user, Outcome.FAILURE)
    assert "old-refresh" not in event.message


def test_no_credential_asks_for_chat_sign_in(plain_user: User) -> None:
    with pytest.raises(ChatSignInRequired, match="sign in with Zendesk Chat"):
        chat_call(plain_user, lambda api: api.agent_me())


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
    assert "Your Chat sign-in was revoked or has expired" in page.content.decode()
    assert client.get("/").status_code == 302  # signed out
