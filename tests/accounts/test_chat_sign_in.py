"""Sign in with Zendesk Chat against a mocked Chat API (test_chat_sign_in_live uses the sandbox)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.db import connection
from django.test import Client
from responses import matchers

from chatadmin.accounts.models import ChatCredential, User
from chatadmin.accounts.roles import Role
from chatadmin.audit.models import AuditEvent, Outcome

pytestmark = pytest.mark.django_db

CHAT = "http://127.0.0.1:8001"
TOKEN_URL = f"{CHAT}/oauth2/chat/token"
ME_URL = f"{CHAT}/api/v2/chat/agents/me"
ACCESS = "access-token-value-0123456789abcdef"
REFRESH = "refresh-token-value-0123456789abcdef"


def _agent(agent_id: int = 42, *, owner: bool = False, email: str = "ann@acme.test") -> dict:
    return {
        "id": agent_id,
        "email": email,
        "display_name": "Ann Agent",
        "first_name": "Ann",
        "last_name": "Agent",
        "enabled": 1,
        "role_id": 1 if owner else 3,
        "roles": {"owner": owner, "administrator": False},
        "departments": [],
        "create_date": "2024-05-01T09:00:00Z",
    }


def _start(client: Client) -> dict[str, list[str]]:
    response = client.post("/accounts/zendeskchat/login/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{CHAT}/oauth2/chat/authorizations/new"
    )
    return parse_qs(location.query)


def _mock_chat(mock: responses.RequestsMock, agent: dict, *, code: str = "the-code") -> None:
    mock.post(
        TOKEN_URL,
        json={
            "access_token": ACCESS,
            "token_type": "Bearer",
            "scope": "read write chat",
            "refresh_token": REFRESH,
            "expires_in": 36000,
        },
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "grant_type": "authorization_code",
                    "code": code,
                    "client_id": "chatadmin-dashboard",
                    "client_secret": "chatadmin-dashboard-demo-secret",
                    "redirect_uri": "http://testserver/accounts/zendeskchat/login/callback/",
                }
            )
        ],
    )
    mock.get(
        ME_URL, json=agent, match=[matchers.header_matcher({"Authorization": f"Bearer {ACCESS}"})]
    )


def test_the_sign_in_button_is_on_the_sign_in_page(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in with Zendesk Chat" in html
    assert 'action="/accounts/zendeskchat/login/' in html


def test_sign_in_asks_chat_for_a_code_with_state_and_scopes(client: Client) -> None:
    query = _start(client)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["chatadmin-dashboard"]
    assert query["redirect_uri"] == ["http://testserver/accounts/zendeskchat/login/callback/"]
    assert query["scope"] == ["read write chat"]
    assert len(query["state"][0]) >= 8


def test_an_owner_signs_in_and_lands_as_admin_with_encrypted_tokens(
    client: Client, http_mock: responses.RequestsMock
) -> None:
    state = _start(client)["state"][0]
    _mock_chat(http_mock, _agent(owner=True))
    response = client.get(
        "/accounts/zendeskchat/login/callback/", {"code": "the-code", "state": state}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(chat_agent_id=42)
    assert (user.email, user.role, user.display_name) == ("ann@acme.test", Role.ADMIN, "Ann Agent")
    credential = ChatCredential.objects.get(user=user)
    assert (credential.access_token, credential.refresh_token) == (ACCESS, REFRESH)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_token, refresh_token FROM accounts_chatcredential WHERE user_id = %s",
            [user.pk],
        )
        stored_access, stored_refresh = cursor.fetchone()
    assert stored_access.startswith("gAAAAA") and ACCESS not in stored_access
    assert stored_refresh.startswith("gAAAAA") and REFRESH not in stored_refresh
    # allauth's own token table stays empty: tokens live only in chatadmin's encrypted model.
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM socialaccount_socialtoken")
        assert cursor.fetchone() == (0,)
    event = AuditEvent.objects.get(action="auth.sign_in_chat")
    assert (event.actor, event.outcome) == (user, Outcome.SUCCESS)


def test_an_agent_lands_as_user(client: Client, http_mock: responses.RequestsMock) -> None:
    state = _start(client)["state"][0]
    _mock_chat(http_mock, _agent(owner=False))
    client.get("/accounts/zendeskchat/login/callback/", {"code": "the-code", "state": state})
    assert User.objects.get(chat_agent_id=42).role == Role.USER
    assert client.get("/").status_code == 200


def test_support_granted_locally_survives_sign_in_but_chat_admin_wins(
    client: Client, http_mock: responses.RequestsMock
) -> None:
    state = _start(client)["state"][0]
    _mock_chat(http_mock, _agent(owner=False))
    client.get("/accounts/zendeskchat/login/callback/", {"code": "the-code", "state": state})
    User.objects.filter(chat_agent_id=42).update(role=Role.SUPPORT)
    client.post("/accounts/logout/")

    state = _start(client)["state"][0]
    http_mock.reset()
    _mock_chat(http_mock, _agent(owner=False))
    client.get("/accounts/zendeskchat/login/callback/", {"code": "the-code", "state": state})
    assert User.objects.get(chat_agent_id=42).role == Role.SUPPORT

    client.post("/accounts/logout/")
    state = _start(client)["state"][0]
    http_mock.reset()
    _mock_chat(http_mock, _agent(owner=True))
    client.get("/accounts/zendeskchat/login/callback/", {"code": "the-code", "state": state})
    assert User.objects.get(chat_agent_id=42).role == Role.ADMIN
    assert User.objects.filter(chat_agent_id=42).count() == 1


def test_sign_out_drops_the_tokens(client: Client, http_mock: responses.RequestsMock) -> None:
    state = _start(client)["state"][0]
    _mock_chat(http_mock, _agent())
    client.get("/accounts/zendeskchat/login/callback/", {"code": "the-code", "state": state})
    assert ChatCredential.objects.count() == 1
    client.post("/accounts/logout/")
    assert ChatCredential.objects.count() == 0


def test_a_slow_code_exchange_explains_itself_and_signs_nobody_in(
    client: Client, http_mock: responses.RequestsMock
) -> None:
    state = _start(client)["state"][0]
    http_mock.post(
        TOKEN_URL, status=400, json={"error": "invalid_grant", "error_description": "Code expired"}
    )
    response = client.get(
        "/accounts/zendeskchat/login/callback/", {"code": "old-code", "state": state}
    )
    html = response.content.decode()
    assert "short-lived" in html
    assert not User.objects.exists()
    event = AuditEvent.objects.get(action="auth.sign_in_chat")
    assert event.outcome == Outcome.FAILURE
    assert "short-lived" in event.message
    assert client.get("/").status_code == 302


def test_a_forged_state_is_refused_before_any_call(
    client: Client, http_mock: responses.RequestsMock
) -> None:
    _start(client)
    response = client.get(
        "/accounts/zendeskchat/login/callback/", {"code": "the-code", "state": "forged"}
    )
    assert response.status_code == 401
    assert "Sign-in with Zendesk Chat failed" in response.content.decode()
    assert len(http_mock.calls) == 0
    assert not User.objects.exists()
    assert AuditEvent.objects.get(action="auth.sign_in_chat").outcome == Outcome.FAILURE


def test_a_disabled_agent_cannot_sign_in(client: Client, http_mock: responses.RequestsMock) -> None:
    state = _start(client)["state"][0]
    _mock_chat(http_mock, {**_agent(), "enabled": 0})
    response = client.get(
        "/accounts/zendeskchat/login/callback/", {"code": "the-code", "state": state}
    )
    assert "disabled" in response.content.decode()
    assert not User.objects.exists()


def test_a_chat_identity_never_takes_over_a_local_account_with_the_same_email(
    client: Client, http_mock: responses.RequestsMock, admin_user: User
) -> None:
    state = _start(client)["state"][0]
    _mock_chat(http_mock, _agent(owner=False, email=admin_user.email))
    response = client.get(
        "/accounts/zendeskchat/login/callback/", {"code": "the-code", "state": state}
    )
    assert response.status_code == 403
    assert "already uses" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.chat_agent_id is None
    assert not ChatCredential.objects.exists()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.get(action="auth.sign_in_chat").outcome == Outcome.DENIED


def test_a_known_chat_agent_is_linked_again_by_agent_id(
    client: Client, http_mock: responses.RequestsMock, make_user: object
) -> None:
    known = make_user(Role.SUPPORT, email="old-address@acme.test", chat_agent_id=42)  # type: ignore[operator]
    state = _start(client)["state"][0]
    _mock_chat(http_mock, _agent(owner=False))
    response = client.get(
        "/accounts/zendeskchat/login/callback/", {"code": "the-code", "state": state}
    )
    assert response["Location"] == "/"
    assert User.objects.filter(chat_agent_id=42).count() == 1
    known.refresh_from_db()
    assert known.role == Role.SUPPORT  # the local support grant survives
    assert known.email == "ann@acme.test"  # the Chat account's address is taken when free
