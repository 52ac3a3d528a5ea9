"""The token endpoint's grants: rotating refresh tokens, client credentials (confidential
clients only), the password grant (Legacy Chat-only accounts only), expiry, RFC 6749 errors."""

from __future__ import annotations

import time

import pytest
import requests

from chatadmin.sandbox import demo
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.sandbox.helpers import (
    TokenCount,
    api_get,
    code_flow,
    create_client,
    exchange,
    token_post,
)

pytestmark = pytest.mark.live


def test_refresh_tokens_rotate_and_a_reused_one_is_refused(sandbox: LiveSandbox) -> None:
    code, _ = code_flow(sandbox)
    first = exchange(sandbox, code).json()
    refresh = {
        "grant_type": "refresh_token",
        "client_id": demo.DASHBOARD_CLIENT_ID,
        "client_secret": demo.DASHBOARD_CLIENT_SECRET,
    }

    second = token_post(sandbox, {**refresh, "refresh_token": first["refresh_token"]})

    assert second.status_code == 200, second.text
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert rotated["scope"] == "read write"
    assert api_get(sandbox, "agents/me", rotated["access_token"]).status_code == 200
    assert api_get(sandbox, "agents/me", first["access_token"]).status_code == 401

    reused = token_post(sandbox, {**refresh, "refresh_token": first["refresh_token"]})

    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    # Reuse means the token leaked: the whole rotation chain is revoked (RFC 9700 4.14.2).
    assert api_get(sandbox, "agents/me", rotated["access_token"]).status_code == 401
    again = token_post(sandbox, {**refresh, "refresh_token": rotated["refresh_token"]})
    assert again.json()["error"] == "invalid_grant"


def test_the_control_api_counts_a_chain_s_refreshes_and_live_tokens(sandbox: LiveSandbox) -> None:
    minted = sandbox.token_for(demo.AGENT1)
    assert sandbox.token_chain(minted["id"]) == {"refreshes": 0, "tokens": 1, "live": 1}
    refresh = {
        "grant_type": "refresh_token",
        "client_id": demo.DASHBOARD_CLIENT_ID,
        "client_secret": demo.DASHBOARD_CLIENT_SECRET,
    }
    rotated = token_post(sandbox, {**refresh, "refresh_token": minted["refresh_token"]})
    assert rotated.status_code == 200

    assert sandbox.token_chain(minted["id"]) == {"refreshes": 1, "tokens": 2, "live": 1}

    reused = token_post(sandbox, {**refresh, "refresh_token": minted["refresh_token"]})
    assert reused.status_code == 400
    assert sandbox.token_chain(minted["id"]) == {"refreshes": 1, "tokens": 2, "live": 0}
    assert (
        minted["access_token"]
        not in sandbox.control("GET", f"token_chain?token_id={minted['id']}").text
    )
    assert sandbox.control("GET", "token_chain?token_id=999999").status_code == 404
    assert sandbox.control("GET", "token_chain?token_id=x").status_code == 422


def test_client_credentials_refused_for_a_public_client(sandbox: LiveSandbox) -> None:
    owner = sandbox.token_for(demo.AGENT1)["access_token"]
    public = create_client(sandbox, owner, client_type="public")
    tokens = TokenCount(sandbox, demo.AGENT1)
    before = tokens.ids()

    answer = token_post(
        sandbox,
        {
            "grant_type": "client_credentials",
            "client_id": public["client_identifier"],
            "client_secret": public["client_secret"],
        },
    )

    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    assert "public" in answer.json()["error_description"]
    assert "access_token" not in answer.json()
    assert tokens.ids() == before


def test_client_credentials_acts_as_the_clients_creator(sandbox: LiveSandbox) -> None:
    owner = sandbox.token_for(demo.AGENT1)["access_token"]
    client = create_client(sandbox, owner, client_type="confidential", scopes="read")
    basic = (client["client_identifier"], client["client_secret"])

    answer = token_post(sandbox, {"grant_type": "client_credentials"}, auth=basic)

    assert answer.status_code == 200, answer.text
    token = answer.json()
    assert token["scope"] == "read"
    assert "refresh_token" not in token  # RFC 6749 4.4.3
    assert api_get(sandbox, "agents/me", token["access_token"]).json()["email"] == demo.AGENT1
    wrong = token_post(sandbox, {"grant_type": "client_credentials"}, auth=(basic[0], "nope"))
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"


def test_password_grant_only_on_legacy_chat_only_accounts(sandbox: LiveSandbox) -> None:
    owner = sandbox.token_for(demo.AGENT1)["access_token"]
    client = create_client(sandbox, owner, client_type="confidential")
    grant = {
        "grant_type": "password",
        "username": demo.AGENT2,
        "password": demo.PASSWORD,
        "client_id": client["client_identifier"],
        "client_secret": client["client_secret"],
    }
    tokens = TokenCount(sandbox, demo.AGENT2)
    before = tokens.ids()

    refused = token_post(sandbox, grant)

    assert refused.status_code == 400
    assert refused.json()["error"] == "unsupported_grant_type"
    assert "Legacy Chat-only" in refused.json()["error_description"]
    assert tokens.ids() == before

    sandbox.set_account(account_type="legacy_chat_only")
    accepted = token_post(sandbox, grant)
    assert accepted.status_code == 200, accepted.text
    me = api_get(sandbox, "agents/me", accepted.json()["access_token"]).json()
    assert me["email"] == demo.AGENT2
    assert me["login_count"] == 1
    bad_password = token_post(sandbox, {**grant, "password": "wrong"})
    assert bad_password.json()["error"] == "invalid_grant"


def test_access_tokens_expire(sandbox: LiveSandbox) -> None:
    sandbox.set_token_ttl(access=2)
    token = sandbox.token_for(demo.ADMIN)
    assert token["expires_in"] == 2
    assert api_get(sandbox, "agents/me", token["access_token"]).status_code == 200
    time.sleep(2.1)

    expired = api_get(sandbox, "agents/me", token["access_token"])

    assert expired.status_code == 401
    assert "expired" in expired.json()["description"]
    assert 'error="invalid_token"' in expired.headers["WWW-Authenticate"]


def test_token_endpoint_speaks_rfc6749(sandbox: LiveSandbox) -> None:
    get = requests.get(sandbox.token_url, timeout=TIMEOUT)
    assert get.status_code == 405
    assert get.headers["Allow"] == "POST"
    assert get.json()["error"] == "invalid_request"
    in_query = requests.post(sandbox.token_url + "?grant_type=client_credentials", timeout=TIMEOUT)
    assert in_query.status_code == 400
    assert in_query.json()["error"] == "invalid_request"
    unknown = token_post(sandbox, {"grant_type": "device_code"})
    assert unknown.json()["error"] == "unsupported_grant_type"
    legacy_path = requests.post(
        f"{sandbox.url}/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=(demo.DASHBOARD_CLIENT_ID, demo.DASHBOARD_CLIENT_SECRET),
        timeout=TIMEOUT,
    )
    assert legacy_path.status_code == 200
    assert set(legacy_path.json()) == {"access_token", "expires_in", "token_type", "scope"}
    assert api_get(sandbox, "agents/me", legacy_path.json()["access_token"]).ok
