"""OAuth clients on the sandbox's API: isolation, secrets shown once, partial updates,
validation that changes nothing, and both URL styles."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from chatadmin.sandbox import demo
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.sandbox.helpers import api_get, bearer, create_client, token_post

pytestmark = pytest.mark.live


def _clients(sandbox: LiveSandbox, token: str) -> list[dict[str, Any]]:
    response = api_get(sandbox, "oauth/clients", token)
    assert response.status_code == 200
    listed: list[dict[str, Any]] = response.json()
    return listed


def _call(
    sandbox: LiveSandbox, method: str, path: str, token: str, **kwargs: Any
) -> requests.Response:
    headers = {**bearer(token), **kwargs.pop("headers", {})}
    return requests.request(
        method, sandbox.api_url(path), headers=headers, timeout=TIMEOUT, **kwargs
    )


def test_agents_see_their_own_clients_and_admins_see_all(sandbox: LiveSandbox) -> None:
    agent1 = sandbox.token_for(demo.AGENT1)["access_token"]
    admin = sandbox.token_for(demo.ADMIN)["access_token"]

    mine = {c["client_identifier"] for c in _clients(sandbox, agent1)}
    every = {c["client_identifier"] for c in _clients(sandbox, admin)}

    assert mine == {"agent1-local-tool", "agent1-crm-bridge"}
    assert every == {client.client_identifier for client in demo.CLIENTS}


def test_another_agents_client_is_a_404_and_stays_untouched(sandbox: LiveSandbox) -> None:
    agent2 = sandbox.token_for(demo.AGENT2)["access_token"]
    theirs = create_client(sandbox, agent2, client_type="confidential", name="Agent 2 app")
    agent1 = sandbox.token_for(demo.AGENT1)["access_token"]
    path = f"oauth/clients/{theirs['id']}"

    answers = [
        _call(sandbox, "GET", path, agent1),
        _call(sandbox, "PUT", path, agent1, json={"name": "Hijacked"}),
        _call(sandbox, "POST", f"{path}/generate_secret", agent1),
        _call(sandbox, "DELETE", path, agent1),
    ]

    assert [answer.status_code for answer in answers] == [404, 404, 404, 404]
    assert all(answer.json()["error"] == "Not Found" for answer in answers)
    still = _call(sandbox, "GET", path, agent2).json()
    assert still["name"] == "Agent 2 app"
    # The secret was not regenerated: the original one still gets tokens.
    grant = {"grant_type": "client_credentials"}
    auth = (theirs["client_identifier"], theirs["client_secret"])
    assert token_post(sandbox, grant, auth=auth).status_code == 200


def test_admins_act_on_every_client(sandbox: LiveSandbox) -> None:
    admin = sandbox.token_for(demo.ADMIN)["access_token"]
    agent1_client = next(
        c for c in _clients(sandbox, admin) if c["client_identifier"] == "agent1-local-tool"
    )

    renamed = _call(
        sandbox, "PUT", f"oauth/clients/{agent1_client['id']}", admin, json={"name": "Renamed"}
    )

    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Renamed"
    assert renamed.json()["agent_id"] == agent1_client["agent_id"]  # still agent1's


def test_the_secret_is_shown_on_create_and_generate_only(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.AGENT1)["access_token"]
    created = create_client(sandbox, token, company="Acme", client_type="confidential")
    path = f"oauth/clients/{created['id']}"
    assert len(created["client_secret"]) == 64
    assert len(created["client_identifier"]) == 50

    regenerated = _call(sandbox, "POST", f"{path}/generate_secret", token)
    assert regenerated.status_code == 200
    new_secret = regenerated.json()["client_secret"]
    assert new_secret != created["client_secret"]

    later = [
        api_get(sandbox, "oauth/clients", token),
        api_get(sandbox, path, token),
        _call(sandbox, "PUT", path, token, json={"company": "Acme Ltd"}),
        api_get(sandbox, "oauth/clients", token, style="legacy"),
    ]
    for answer in later:
        assert answer.status_code == 200
        assert "client_secret" not in answer.text
        assert created["client_secret"] not in answer.text
        assert new_secret not in answer.text
    auth = (created["client_identifier"], created["client_secret"])
    old = token_post(sandbox, {"grant_type": "client_credentials"}, auth=auth)
    assert old.status_code == 401  # the old secret stopped working
    auth = (created["client_identifier"], new_secret)
    assert token_post(sandbox, {"grant_type": "client_credentials"}, auth=auth).ok


def test_create_answers_201_with_the_real_field_names(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.AGENT1)["access_token"]
    me = api_get(sandbox, "agents/me", token).json()

    created = create_client(
        sandbox,
        token,
        name="  Reporting  ",
        redirect_uris=" http://localhost:8080/cb   https://app.example.com/cb ",
        scopes="chat read",
        unknown_field="ignored",
    )

    assert set(created) == {
        "id",
        "name",
        "company",
        "redirect_uris",
        "scopes",
        "client_type",
        "client_identifier",
        "client_secret",
        "agent_id",
        "create_date",
        "update_date",
    }
    assert created["name"] == "Reporting"
    assert created["company"] == ""
    assert created["redirect_uris"] == "http://localhost:8080/cb https://app.example.com/cb"
    assert created["scopes"] == "read chat"
    assert created["client_type"] == "public"  # the default
    assert created["agent_id"] == me["id"]
    assert created["create_date"].endswith("Z") and len(created["create_date"]) == 20


def test_update_is_partial_and_keeps_the_client_type(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.AGENT1)["access_token"]
    created = create_client(sandbox, token, client_type="confidential", scopes="read")
    path = f"oauth/clients/{created['id']}"

    updated = _call(sandbox, "PUT", path, token, json={"name": "New name"}).json()
    scoped = _call(sandbox, "PUT", path, token, json={"scopes": "read write chat"}).json()

    assert updated["name"] == "New name"
    assert updated["client_type"] == "confidential"
    assert updated["scopes"] == "read"
    assert scoped["scopes"] == "read write chat"
    assert scoped["name"] == "New name"
    assert scoped["client_type"] == "confidential"
    assert scoped["redirect_uris"] == created["redirect_uris"]


BAD_CREATES = [
    ({"redirect_uris": demo.LOCALHOST}, "name"),
    ({"name": "x"}, "redirect_uris"),
    ({"name": "   ", "redirect_uris": demo.LOCALHOST}, "name"),
    ({"name": "x", "redirect_uris": "not a url"}, "redirect_uris"),
    ({"name": "x", "redirect_uris": "/relative/path"}, "redirect_uris"),
    ({"name": "x", "redirect_uris": "http://example.com/cb"}, "redirect_uris"),
    ({"name": "x", "redirect_uris": "ftp://localhost/cb"}, "redirect_uris"),
    ({"name": "x", "redirect_uris": "https://ok.example.com/cb#frag"}, "redirect_uris"),
    ({"name": "x", "redirect_uris": demo.LOCALHOST, "scopes": "read admin"}, "scopes"),
    ({"name": "x", "redirect_uris": demo.LOCALHOST, "scopes": ""}, "scopes"),
    ({"name": "x", "redirect_uris": demo.LOCALHOST, "client_type": "secret"}, "client_type"),
    ({"name": 42, "redirect_uris": demo.LOCALHOST}, "name"),
    ({"name": "x\nline", "redirect_uris": demo.LOCALHOST}, "name"),
    ({"name": "x" * 256, "redirect_uris": demo.LOCALHOST}, "name"),
    ([], "body"),
]


def test_invalid_creates_answer_422_and_change_nothing(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.AGENT1)["access_token"]
    before = _clients(sandbox, token)

    for body, field in BAD_CREATES:
        answer = _call(sandbox, "POST", "oauth/clients", token, json=body)
        assert answer.status_code == 422, (body, answer.text)
        error = answer.json()
        assert error["error"] == "Unprocessable Entity"
        assert field in error["details"], (body, error)
        assert error["description"].startswith("The request is not valid.")

    assert _clients(sandbox, token) == before


def test_invalid_updates_and_malformed_json_change_nothing(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.AGENT1)["access_token"]
    client = create_client(sandbox, token, client_type="confidential")
    path = f"oauth/clients/{client['id']}"
    before = _clients(sandbox, token)

    mixed = _call(sandbox, "PUT", path, token, json={"name": "Fine", "scopes": "everything"})
    nulled = _call(sandbox, "PUT", path, token, json={"client_type": None})
    listed = _call(sandbox, "PUT", path, token, json=["name", "x"])
    broken = _call(
        sandbox,
        "POST",
        "oauth/clients",
        token,
        data=b'{"name": "x", "redirect_uris": ',
        headers={"Content-Type": "application/json"},
    )

    assert mixed.status_code == 422 and list(mixed.json()["details"]) == ["scopes"]
    assert nulled.status_code == 422 and "client_type" in nulled.json()["details"]
    assert listed.status_code == 422 and listed.json()["details"] == {
        "body": ["The body must be a JSON object."]
    }
    assert broken.status_code == 400
    assert broken.json() == {
        "error": "Bad Request",
        "description": "The request body is not valid JSON.",
    }
    assert _clients(sandbox, token) == before


def test_delete_answers_204_and_the_clients_tokens_stop_working(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.AGENT1)["access_token"]
    client = create_client(sandbox, token, scopes="read")
    issued = sandbox.token_for(
        demo.AGENT1, client_identifier=client["client_identifier"], scopes="read"
    )
    assert api_get(sandbox, "agents/me", issued["access_token"]).ok

    deleted = _call(sandbox, "DELETE", f"oauth/clients/{client['id']}", token)

    assert deleted.status_code == 204
    assert deleted.content == b""
    assert api_get(sandbox, f"oauth/clients/{client['id']}", token).status_code == 404
    assert api_get(sandbox, "agents/me", issued["access_token"]).status_code == 401


def test_both_url_styles_serve_the_same_api(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.ADMIN)["access_token"]

    for path in ("oauth/clients", "agents/me", "agents", "roles", "oauth/tokens"):
        chat = api_get(sandbox, path, token)
        legacy = api_get(sandbox, path, token, style="legacy")
        assert chat.status_code == legacy.status_code == 200, path
        assert chat.json() == legacy.json(), path

    created = requests.post(
        sandbox.api_url("oauth/clients", style="legacy"),
        json={"name": "Legacy app", "redirect_uris": demo.LOCALHOST},
        headers=bearer(token),
        timeout=TIMEOUT,
    )
    assert created.status_code == 201
    assert api_get(sandbox, f"oauth/clients/{created.json()['id']}", token).ok
