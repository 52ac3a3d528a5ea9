"""The fault knobs (429 with Retry-After, injected 503s, latency) and the control API."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import pytest
import requests

from chatadmin.sandbox import demo
from chatadmin.sandbox.launcher import SandboxProcess, free_port
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.sandbox.helpers import api_get, bearer, token_post

pytestmark = pytest.mark.live


def test_the_rate_limit_answers_429_with_retry_after(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.ADMIN)["access_token"]
    sandbox.set_faults(rate_limit=3, rate_window=30)

    answers = [api_get(sandbox, "agents/me", token) for _ in range(5)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    limited = answers[3]
    assert limited.json()["error"] == "Too Many Requests"
    assert 1 <= int(limited.headers["Retry-After"]) <= 30
    token_answer = token_post(sandbox, {"grant_type": "client_credentials"})
    assert token_answer.status_code == 429
    assert token_answer.json()["error"] == "temporarily_unavailable"
    # The control API is never limited, so tests can always turn the knob off.
    assert sandbox.set_faults(rate_limit=0)["rate_limit"] == 0
    assert api_get(sandbox, "agents/me", token).status_code == 200


def test_a_short_window_lets_requests_through_again(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.ADMIN)["access_token"]
    sandbox.set_faults(rate_limit=1, rate_window=1)
    assert api_get(sandbox, "agents/me", token).status_code == 200
    assert api_get(sandbox, "agents/me", token).status_code == 429
    time.sleep(1.1)
    assert api_get(sandbox, "agents/me", token).status_code == 200


def test_failure_rate_one_fails_every_api_call_but_not_the_pages(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.ADMIN)["access_token"]
    sandbox.set_faults(failure_rate=1)

    api = api_get(sandbox, "oauth/clients", token)
    oauth = token_post(sandbox, {"grant_type": "client_credentials"})
    page = requests.get(f"{sandbox.url}/signin/", timeout=TIMEOUT)

    assert api.status_code == 503 and api.json()["error"] == "Service Unavailable"
    assert oauth.status_code == 503 and oauth.json()["error"] == "temporarily_unavailable"
    assert page.status_code == 200
    sandbox.set_faults(failure_rate=0)
    assert api_get(sandbox, "oauth/clients", token).status_code == 200


def test_latency_is_added_to_api_calls(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.ADMIN)["access_token"]
    sandbox.set_faults(latency_ms=300)
    started = time.monotonic()
    assert api_get(sandbox, "agents/me", token).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_control_needs_its_key_and_valid_values(sandbox: LiveSandbox) -> None:
    url = f"{sandbox.url}/_sandbox/control/faults"

    no_key = requests.put(url, json={"failure_rate": 1}, timeout=TIMEOUT)
    wrong_key = requests.put(
        url, json={"failure_rate": 1}, headers={"X-Sandbox-Control-Key": "x"}, timeout=TIMEOUT
    )
    invalid = sandbox.control("PUT", "faults", {"failure_rate": 2, "latency_ms": -1})
    bad_type = sandbox.control("PUT", "account", {"account_type": "enterprise"})

    assert no_key.status_code == wrong_key.status_code == 403
    assert invalid.status_code == 422
    assert set(invalid.json()["details"]) == {"failure_rate", "latency_ms"}
    assert bad_type.status_code == 422
    assert sandbox.control("GET", "faults").json() == {
        "latency_ms": 0,
        "failure_rate": 0.0,
        "rate_limit": 0,
        "rate_window": 60,
    }
    assert sandbox.control("GET", "account").json() == {
        "account_type": "phase4",
        "subdomain": "demo",
    }


def test_reset_restores_the_demo_account(sandbox: LiveSandbox) -> None:
    sandbox.set_account(account_type="chat_support", subdomain="acme")
    token = sandbox.token_for(demo.OWNER)["access_token"]
    first = api_get(sandbox, "oauth/clients", token).json()[0]
    deleted = requests.delete(
        sandbox.api_url(f"oauth/clients/{first['id']}"), headers=bearer(token), timeout=TIMEOUT
    )
    assert deleted.status_code == 204

    sandbox.reset()

    assert sandbox.control("GET", "account").json()["subdomain"] == "demo"
    assert api_get(sandbox, "agents/me", token).status_code == 401  # tokens wiped too
    fresh = sandbox.token_for(demo.OWNER)["access_token"]
    listed = api_get(sandbox, "oauth/clients", fresh).json()
    assert len(listed) == len(demo.CLIENTS)


def test_without_a_control_key_the_control_api_does_not_exist(tmp_path: Path) -> None:
    env = {
        "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.sqlite3'}",
        "SANDBOX_CONTROL_KEY": "",
        "SANDBOX_RATE_LIMIT": "2",  # knobs can be set from the environment at start
    }
    with (
        (tmp_path / "log").open("wb") as log,
        SandboxProcess(port=free_port(), env=env, log=log) as process,
    ):
        control = requests.post(
            f"{process.url}/_sandbox/control/reset",
            headers={"X-Sandbox-Control-Key": secrets.token_hex(4)},
            timeout=TIMEOUT,
        )
        assert control.status_code == 404
        assert control.json()["error"] == "Not Found"
        home = requests.get(process.url, timeout=TIMEOUT)
        assert "Chat API sandbox" in home.text and demo.OWNER in home.text
        statuses = [
            requests.get(f"{process.url}/api/v2/agents/me", timeout=TIMEOUT).status_code
            for _ in range(3)
        ]
        assert statuses == [401, 401, 429]


@pytest.mark.live
def test_the_control_api_changes_and_adds_agents(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.ADMIN)["access_token"]

    demoted = sandbox.set_agent(demo.ADMIN, role="agent")
    me = requests.get(
        sandbox.api_url("agents/me"), headers={"Authorization": f"Bearer {token}"}, timeout=5
    ).json()
    disabled = sandbox.set_agent(demo.AGENT2, enabled=False)
    added = sandbox.add_agents("load01@sandbox.test", "load02@sandbox.test")
    again = sandbox.add_agents("load01@sandbox.test")
    refused = sandbox.control("PUT", "agent", {"email": demo.AGENT1, "role": "emperor"})

    assert demoted["roles"] == {"owner": False, "administrator": False}
    assert me["roles"]["administrator"] is False  # Chat says so at once
    assert disabled["enabled"] == 0
    assert [agent["email"] for agent in added] == ["load01@sandbox.test", "load02@sandbox.test"]
    assert again[0]["id"] == added[0]["id"]  # an agent that exists is left as it is
    assert sandbox.token_for("load02@sandbox.test")["access_token"]
    assert refused.status_code == 422 and "role" in refused.json()["details"]
