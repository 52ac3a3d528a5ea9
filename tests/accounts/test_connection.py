"""The account connection: saved by admins, encrypted, checkable, never shown."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.db import connection as db
from django.test import Client, override_settings
from responses import matchers

from chatadmin.accounts.chat_access import connection_chat, credential_store
from chatadmin.accounts.models import AccountConnection, ConnectionKind, User
from chatadmin.audit.models import AuditEvent, Outcome
from chatadmin.core.problems import NoChatAccess

pytestmark = pytest.mark.django_db

CHAT = "http://127.0.0.1:8001"
OWNER = {
    "id": 1,
    "email": "owner@sandbox.test",
    "display_name": "Olivia Owner",
    "enabled": 1,
    "roles": {"owner": True, "administrator": False},
}


def _basic(email: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()


@override_settings(CHAT_ACCOUNT_TYPE="legacy_chat_only")
def test_admin_saves_basic_auth_on_a_legacy_account(
    admin_client: Client, admin_user: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(
        f"{CHAT}/api/v2/chat/agents/me",
        json=OWNER,
        match=[matchers.header_matcher({"Authorization": _basic("owner@sandbox.test", "pw-123")})],
    )
    response = admin_client.post(
        "/settings/connection/basic/",
        {"email": "owner@sandbox.test", "password": "pw-123"},
        headers={"HX-Request": "true", "HX-Target": "connection"},
    )
    html = response.content.decode()
    assert "Olivia Owner" in html and "pw-123" not in html
    saved = AccountConnection.objects.get()
    assert (saved.kind, saved.agent_id, saved.basic_password) == (ConnectionKind.BASIC, 1, "pw-123")
    with db.cursor() as cursor:
        cursor.execute("SELECT basic_password FROM accounts_accountconnection")
        (stored,) = cursor.fetchone()
    assert stored.startswith("gAAAAA") and "pw-123" not in stored
    event = AuditEvent.objects.get(action="connection.save")
    assert (event.actor, event.outcome) == (admin_user, Outcome.SUCCESS)


def test_basic_auth_is_refused_on_an_oauth_only_account(
    admin_client: Client, http_mock: responses.RequestsMock
) -> None:
    response = admin_client.post(
        "/settings/connection/basic/",
        {"email": "owner@sandbox.test", "password": "pw-123"},
        headers={"HX-Request": "true", "HX-Target": "connection"},
    )
    assert "Legacy Chat-only" in response.content.decode()
    assert not AccountConnection.objects.exists()
    assert len(http_mock.calls) == 0
    assert AuditEvent.objects.get(action="connection.save").outcome == Outcome.FAILURE


@override_settings(CHAT_ACCOUNT_TYPE="legacy_chat_only")
def test_wrong_basic_credentials_save_nothing(
    admin_client: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(
        f"{CHAT}/api/v2/chat/agents/me",
        status=401,
        json={"error": "Unauthorized", "description": "nope"},
    )
    admin_client.post(
        "/settings/connection/basic/", {"email": "owner@sandbox.test", "password": "bad"}
    )
    assert not AccountConnection.objects.exists()
    assert AuditEvent.objects.get(action="connection.save").outcome == Outcome.FAILURE


@pytest.mark.parametrize("role", ["user", "support"])
def test_only_admins_manage_the_connection(
    client: Client, make_user: object, role: str, http_mock: responses.RequestsMock
) -> None:
    client.force_login(make_user(role))  # type: ignore[operator]
    response = client.post("/settings/connection/connect/")
    assert response["Location"] == "/settings/"
    client.post("/settings/connection/basic/", {"email": "a@b.test", "password": "x"})
    assert not AccountConnection.objects.exists()
    assert len(http_mock.calls) == 0
    assert set(AuditEvent.objects.values_list("outcome", flat=True)) == {Outcome.DENIED}


def as_chat_admin(user: User, mock: responses.RequestsMock, *, agent_id: int) -> None:
    """The admin signed in with Chat: a stored token, which Chat confirms is an admin's."""
    user.chat_agent_id = agent_id
    user.save()
    credential_store(
        user,
        agent_id=agent_id,
        access_token="admin-own-token",
        refresh_token="",
        expires_at=None,
        scopes="read write chat",
    )
    mock.get(
        f"{CHAT}/api/v2/chat/agents/me",
        json={**OWNER, "id": agent_id},
        match=[matchers.header_matcher({"Authorization": "Bearer admin-own-token"})],
    )


def test_admin_connects_with_their_own_chat_account(
    client: Client, admin_user: User, http_mock: responses.RequestsMock
) -> None:
    as_chat_admin(admin_user, http_mock, agent_id=1)
    client.force_login(admin_user)
    start = client.post("/settings/connection/connect/")
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["redirect_uri"] == ["http://testserver/settings/connection/callback/"]
    assert query["scope"] == ["read"]
    http_mock.post(
        f"{CHAT}/oauth2/chat/token",
        json={
            "access_token": "conn-access",
            "refresh_token": "conn-refresh",
            "token_type": "Bearer",
            "scope": "read",
            "expires_in": 3600,
        },
    )
    http_mock.get(
        f"{CHAT}/api/v2/chat/agents/me",
        json=OWNER,
        match=[matchers.header_matcher({"Authorization": "Bearer conn-access"})],
    )
    done = client.get("/settings/connection/callback/", {"code": "c", "state": query["state"][0]})
    assert done["Location"] == "/settings/"
    saved = AccountConnection.objects.get()
    assert (saved.kind, saved.access_token, saved.agent_email) == (
        ConnectionKind.OAUTH,
        "conn-access",
        "owner@sandbox.test",
    )
    page = client.get("/settings/").content.decode()
    assert "Olivia Owner" in page
    assert "conn-access" not in page and "conn-refresh" not in page


def test_someone_elses_chat_grant_is_refused(
    client: Client, admin_user: User, http_mock: responses.RequestsMock
) -> None:
    as_chat_admin(admin_user, http_mock, agent_id=99)
    client.force_login(admin_user)
    state = parse_qs(urlsplit(client.post("/settings/connection/connect/")["Location"]).query)[
        "state"
    ][0]
    http_mock.post(
        f"{CHAT}/oauth2/chat/token",
        json={
            "access_token": "conn-access",
            "token_type": "Bearer",
            "scope": "read",
        },
    )
    http_mock.get(
        f"{CHAT}/api/v2/chat/agents/me",
        json=OWNER,
        match=[matchers.header_matcher({"Authorization": "Bearer conn-access"})],
    )
    client.get("/settings/connection/callback/", {"code": "c", "state": state})
    assert not AccountConnection.objects.exists()
    assert "must be your own" in AuditEvent.objects.get(action="connection.save").message


def test_a_forged_callback_state_calls_nothing(
    admin_client: Client, http_mock: responses.RequestsMock
) -> None:
    admin_client.post("/settings/connection/connect/")
    admin_client.get("/settings/connection/callback/", {"code": "c", "state": "forged"})
    assert len(http_mock.calls) == 0
    assert not AccountConnection.objects.exists()


def test_check_reports_who_it_acts_as_and_records_failures(
    admin_client: Client, admin_user: User, http_mock: responses.RequestsMock
) -> None:
    AccountConnection.objects.create(
        kind=ConnectionKind.OAUTH,
        access_token="conn-access",
        refresh_token="conn-refresh",
        agent_id=1,
        saved_by=admin_user,
    )
    http_mock.get(
        f"{CHAT}/api/v2/chat/agents/me",
        json=OWNER,
        match=[matchers.header_matcher({"Authorization": "Bearer conn-access"})],
    )
    response = admin_client.post("/settings/connection/check/", headers={"HX-Request": "true"})
    assert "Acts as Olivia Owner (owner@sandbox.test)." in response["HX-Trigger"]
    http_mock.reset()
    http_mock.get(
        f"{CHAT}/api/v2/chat/agents/me",
        status=401,
        json={"error": "Unauthorized", "description": "x"},
    )
    http_mock.post(f"{CHAT}/oauth2/chat/token", status=400, json={"error": "invalid_grant"})
    admin_client.post("/settings/connection/check/")
    saved = AccountConnection.objects.get()
    assert not saved.check_ok
    assert "reconnect" in saved.check_message
    outcomes = list(
        AuditEvent.objects.filter(action="connection.check").values_list("outcome", flat=True)
    )
    assert sorted(outcomes) == sorted([Outcome.SUCCESS, Outcome.FAILURE])


def test_connection_call_renews_an_expired_token(
    admin_user: User, http_mock: responses.RequestsMock
) -> None:
    AccountConnection.objects.create(
        kind=ConnectionKind.OAUTH,
        access_token="conn-access",
        refresh_token="conn-refresh",
        agent_id=1,
        saved_by=admin_user,
    )
    http_mock.get(
        f"{CHAT}/api/v2/chat/agents/me",
        status=401,
        json={"error": "Unauthorized", "description": "x"},
        match=[matchers.header_matcher({"Authorization": "Bearer conn-access"})],
    )
    http_mock.post(
        f"{CHAT}/oauth2/chat/token",
        json={
            "access_token": "conn-access-2",
            "refresh_token": "conn-refresh-2",
            "token_type": "Bearer",
            "scope": "read",
            "expires_in": 3600,
        },
    )
    http_mock.get(
        f"{CHAT}/api/v2/chat/agents/me",
        json=OWNER,
        match=[matchers.header_matcher({"Authorization": "Bearer conn-access-2"})],
    )
    assert connection_chat().agent_me().id == 1
    saved = AccountConnection.objects.get()
    assert (saved.access_token, saved.refresh_token) == ("conn-access-2", "conn-refresh-2")


def test_no_connection_is_a_clear_problem() -> None:
    with pytest.raises(NoChatAccess, match="No account connection"):
        connection_chat().agent_me()


def test_remove(admin_client: Client, admin_user: User) -> None:
    AccountConnection.objects.create(
        kind=ConnectionKind.OAUTH, access_token="a", saved_by=admin_user
    )
    admin_client.post("/settings/connection/delete/")
    assert not AccountConnection.objects.exists()
    assert AuditEvent.objects.get(action="connection.delete").outcome == Outcome.SUCCESS
