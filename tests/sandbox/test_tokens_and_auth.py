"""Tokens (only their creator sees or revokes them), agents and roles, authentication
(bearer everywhere, basic on Legacy Chat-only only), scopes, and the error shapes."""

from __future__ import annotations

import pytest
import requests

from chatadmin.sandbox import demo
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.sandbox.helpers import api_get, bearer

pytestmark = pytest.mark.live

UNAUTHORIZED = {
    "error": "Unauthorized",
    "description": (
        "The server could not verify that you are authorized to access the requested resource"
    ),
}


def test_tokens_list_only_the_callers_own_masked(sandbox: LiveSandbox) -> None:
    minted = sandbox.token_for(demo.AGENT1)
    admin = sandbox.token_for(demo.ADMIN)["access_token"]

    mine = api_get(sandbox, "oauth/tokens", minted["access_token"])
    theirs = api_get(sandbox, "oauth/tokens", admin)

    listed = mine.json()
    assert {t["agent_id"] for t in listed} == {3}
    # Seeded: the local tool's token and the CRM bridge's expired-but-refreshable one.
    assert {t["client_identifier"] for t in listed} == {
        "agent1-local-tool",
        "agent1-crm-bridge",
        demo.DASHBOARD_CLIENT_ID,
    }
    assert minted["id"] not in {t["id"] for t in theirs.json()}
    ours = next(t for t in listed if t["id"] == minted["id"])
    assert ours["access_token"] == minted["access_token"][:8] + "…"
    assert ours["refresh_token"] == minted["refresh_token"][:8] + "…"
    assert ours["token_type"] == "Bearer"
    assert ours["scopes"] == "read write chat"
    assert minted["access_token"] not in mine.text
    assert minted["refresh_token"] not in mine.text
    implicit = next(t for t in listed if t["client_identifier"] == "agent1-local-tool")
    assert implicit["refresh_token"] is None


def test_an_admin_cannot_see_or_revoke_another_agents_token(sandbox: LiveSandbox) -> None:
    victim = sandbox.token_for(demo.AGENT1)
    admin = sandbox.token_for(demo.OWNER)["access_token"]
    path = sandbox.api_url(f"oauth/tokens/{victim['id']}")

    shown = requests.get(path, headers=bearer(admin), timeout=TIMEOUT)
    revoked = requests.delete(path, headers=bearer(admin), timeout=TIMEOUT)

    assert shown.status_code == revoked.status_code == 404
    assert revoked.json()["error"] == "Not Found"
    assert api_get(sandbox, "agents/me", victim["access_token"]).status_code == 200
    assert victim["id"] in {
        t["id"] for t in api_get(sandbox, "oauth/tokens", victim["access_token"]).json()
    }


def test_the_creator_revokes_a_token(sandbox: LiveSandbox) -> None:
    keeper = sandbox.token_for(demo.AGENT2)["access_token"]
    doomed = sandbox.token_for(demo.AGENT2)
    path = sandbox.api_url(f"oauth/tokens/{doomed['id']}")

    assert requests.get(path, headers=bearer(keeper), timeout=TIMEOUT).json()["id"] == doomed["id"]
    revoked = requests.delete(path, headers=bearer(keeper), timeout=TIMEOUT)

    assert revoked.status_code == 204
    gone = api_get(sandbox, "agents/me", doomed["access_token"])
    assert gone.status_code == 401
    assert gone.json()["description"] == "The access token has been revoked."
    assert doomed["id"] not in {t["id"] for t in api_get(sandbox, "oauth/tokens", keeper).json()}


def test_agents_have_the_chat_field_names(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.ADMIN)["access_token"]

    me = api_get(sandbox, "agents/me", token).json()
    agents = api_get(sandbox, "agents", token).json()
    page = api_get(sandbox, "agents?since_id=3&limit=2", token).json()
    roles = api_get(sandbox, "roles", token).json()

    assert me["email"] == demo.ADMIN
    assert me["roles"] == {"owner": False, "administrator": True}
    assert me["enabled"] == 1
    assert isinstance(me["role_id"], int)
    for field in ("departments", "enabled_departments", "skills"):
        assert me[field] == []
    assert [a["email"] for a in agents] == [agent.email for agent in demo.AGENTS]
    assert [a["enabled"] for a in agents] == [1, 1, 1, 1, 0]
    assert agents[0]["roles"] == {"owner": True, "administrator": True}
    assert [a["id"] for a in page] == [3, 4]
    assert [r["name"] for r in roles] == ["Owner", "Administrator", "Agent"]
    assert [r["members_count"] for r in roles] == [1, 1, 3]
    by_role = {r["id"]: r["name"] for r in roles}
    assert by_role[agents[2]["role_id"]] == "Agent"
    assert api_get(sandbox, f"agents/{agents[1]['id']}", token).json() == agents[1]
    assert api_get(sandbox, "agents/999", token).status_code == 404


def test_basic_auth_only_on_legacy_chat_only_accounts(sandbox: LiveSandbox) -> None:
    url = sandbox.api_url("agents/me", style="legacy")
    credentials = (demo.AGENT1, demo.PASSWORD)

    refused = requests.get(url, auth=credentials, timeout=TIMEOUT)

    assert refused.status_code == 401
    assert refused.json()["error"] == "Unauthorized"
    assert "Basic authentication is not available" in refused.json()["description"]
    assert "Bearer" in refused.headers["WWW-Authenticate"]

    sandbox.set_account(account_type="legacy_chat_only")
    accepted = requests.get(url, auth=credentials, timeout=TIMEOUT)
    wrong = requests.get(url, auth=(demo.AGENT1, "wrong"), timeout=TIMEOUT)
    disabled = requests.get(url, auth=(demo.DISABLED, demo.PASSWORD), timeout=TIMEOUT)

    assert accepted.status_code == 200
    assert accepted.json()["email"] == demo.AGENT1
    assert wrong.status_code == disabled.status_code == 401
    assert wrong.json() == UNAUTHORIZED
    assert "Basic" in wrong.headers["WWW-Authenticate"]


def test_missing_or_unknown_credentials_are_401_in_the_real_shape(sandbox: LiveSandbox) -> None:
    url = sandbox.api_url("oauth/clients")

    for headers in ({}, bearer("not-a-token"), {"Authorization": "Token abc"}):
        answer = requests.get(url, headers=headers, timeout=TIMEOUT)
        assert answer.status_code == 401, headers
        assert answer.json() == UNAUTHORIZED
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_writes_need_the_write_scope(sandbox: LiveSandbox) -> None:
    reader = sandbox.token_for(demo.ADMIN, scopes="read")["access_token"]
    before = api_get(sandbox, "oauth/clients", reader).json()

    answer = requests.post(
        sandbox.api_url("oauth/clients"),
        json={"name": "x", "redirect_uris": demo.LOCALHOST},
        headers=bearer(reader),
        timeout=TIMEOUT,
    )

    assert answer.status_code == 403
    assert answer.json()["error"] == "Forbidden"
    assert "write scope" in answer.json()["description"]
    assert api_get(sandbox, "oauth/clients", reader).json() == before
    chat_only = sandbox.token_for(demo.ADMIN, scopes="chat")["access_token"]
    assert api_get(sandbox, "agents/me", chat_only).status_code == 403


def test_disabled_agents_get_no_tokens(sandbox: LiveSandbox) -> None:
    answer = sandbox.control(
        "POST", "tokens", {"email": demo.DISABLED, "client_identifier": demo.DASHBOARD_CLIENT_ID}
    )
    assert answer.status_code == 422
    assert "disabled" in answer.json()["description"]


def test_errors_are_json_with_the_right_status(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.ADMIN)["access_token"]

    unknown = requests.get(sandbox.api_url("no/such/thing"), timeout=TIMEOUT)
    wrong_method = requests.patch(
        sandbox.api_url("oauth/clients"), headers=bearer(token), timeout=TIMEOUT
    )
    huge_id = api_get(sandbox, f"oauth/clients/{2**70}", token)
    bad_query = api_get(sandbox, "agents?limit=0", token)

    assert unknown.status_code == 404 and unknown.json()["error"] == "Not Found"
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"] == "Method Not Allowed"
    assert set(wrong_method.headers["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert huge_id.status_code == 404
    assert bad_query.status_code == 422
    assert bad_query.json()["details"] == {"limit": ["Must be at least 1."]}
    page = requests.get(f"{sandbox.url}/no-such-page/", timeout=TIMEOUT)
    assert page.status_code == 404
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Chat API sandbox" in page.text
