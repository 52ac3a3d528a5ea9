"""The sandbox as integrators meet the Chat API (issue 11): `"company": null` round trips,
422 answers naming every wrong field, and `agents/email/{email}` as zenpy calls it."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from chatadmin.sandbox import demo, validation
from chatadmin.sandbox.errors import Unprocessable
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.sandbox.helpers import api_get, bearer, create_client

NOT_FOUND = {
    "error": "Not Found",
    "description": (
        "The requested URL was not found on the server. If you entered the URL manually please "
        "check your spelling and try again."
    ),
}


def _call(
    sandbox: LiveSandbox, method: str, path: str, token: str, **kwargs: Any
) -> requests.Response:
    return requests.request(
        method, sandbox.api_url(path), headers=bearer(token), timeout=TIMEOUT, **kwargs
    )


# --- company: null -------------------------------------------------------------------------


def test_validation_keeps_a_null_company_and_refuses_other_nulls() -> None:
    assert validation.validate({"company": None}) == {"company": None}
    with pytest.raises(Unprocessable) as raised:
        validation.validate({"company": None, "name": None, "client_type": None})
    assert raised.value.details == {
        "name": ["Must be a string."],
        "client_type": ["Must be a string."],
    }


@pytest.mark.live
def test_a_client_with_a_null_company_is_answered_with_null(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.AGENT1)["access_token"]

    created = create_client(sandbox, token, company=None)
    plain = create_client(sandbox, token, company="")
    listed = {c["id"]: c for c in api_get(sandbox, "oauth/clients", token).json()}
    shown = api_get(sandbox, f"oauth/clients/{created['id']}", token).json()
    legacy = api_get(sandbox, f"oauth/clients/{created['id']}", token, style="legacy").json()

    assert created["company"] is None
    assert listed[created["id"]]["company"] is None
    assert shown["company"] is None and legacy["company"] is None
    assert plain["company"] == "" and listed[plain["id"]]["company"] == ""  # "" stays ""
    assert "company" in shown  # null, never left out


@pytest.mark.live
def test_a_get_modify_put_round_trip_keeps_a_null_company(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.AGENT1)["access_token"]
    created = create_client(sandbox, token, company=None, client_type="confidential")
    path = f"oauth/clients/{created['id']}"
    read = api_get(sandbox, path, token).json()
    writable = {k: read[k] for k in ("name", "company", "redirect_uris", "scopes", "client_type")}

    put = _call(sandbox, "PUT", path, token, json={**writable, "name": "Renamed"})

    assert put.status_code == 200, put.text
    assert put.json()["company"] is None
    assert put.json()["name"] == "Renamed"
    assert put.json()["client_type"] == "confidential"
    assert api_get(sandbox, path, token).json() == put.json()
    # And back: a company can be set, and nulled again.
    named = _call(sandbox, "PUT", path, token, json={"company": "Acme"}).json()
    nulled = _call(sandbox, "PUT", path, token, json={"company": None}).json()
    assert named["company"] == "Acme"
    assert nulled["company"] is None


# --- 422 names every wrong field -----------------------------------------------------------


def test_validation_names_every_wrong_field() -> None:
    with pytest.raises(Unprocessable) as raised:
        validation.validate(
            {"name": "  ", "company": "a\tb", "redirect_uris": "ftp://x", "scopes": "admin"}
        )
    assert list(raised.value.details or {}) == ["name", "company", "redirect_uris", "scopes"]


EVERYTHING_WRONG = [
    # A type error, a missing field and rule breaks: pydantic's and validation.py's together.
    (
        {"name": 42, "redirect_uris": "ftp://x", "scopes": "admin", "client_type": "secret"},
        ["name", "redirect_uris", "scopes", "client_type"],
    ),
    ({"redirect_uris": "http://example.com/cb"}, ["name", "redirect_uris"]),
    ({"name": "x" * 300, "company": 5}, ["name", "company", "redirect_uris"]),
    ({"name": "   ", "company": "a\nb", "redirect_uris": demo.LOCALHOST}, ["name", "company"]),
]


@pytest.mark.live
def test_a_422_names_every_wrong_field_and_creates_nothing(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.AGENT1)["access_token"]
    before = api_get(sandbox, "oauth/clients", token).json()

    for body, fields in EVERYTHING_WRONG:
        answer = _call(sandbox, "POST", "oauth/clients", token, json=body)

        assert answer.status_code == 422, (body, answer.text)
        error = answer.json()
        assert list(error["details"]) == fields, (body, error)
        assert all(error["details"][field] for field in fields)
        for field in fields:
            assert f"{field}: " in error["description"], (field, error["description"])

    assert api_get(sandbox, "oauth/clients", token).json() == before


@pytest.mark.live
def test_an_update_422_names_every_wrong_field_and_changes_nothing(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.AGENT1)["access_token"]
    client = create_client(sandbox, token, client_type="confidential")
    path = f"oauth/clients/{client['id']}"
    body = {
        "name": "Fine",
        "company": 7,
        "redirect_uris": "http://example.com/cb https://ok.example.com/#x",
        "client_type": None,
    }

    answer = _call(sandbox, "PUT", path, token, json=body)

    assert answer.status_code == 422
    details = answer.json()["details"]
    assert list(details) == ["company", "redirect_uris", "client_type"]
    assert len(details["redirect_uris"]) == 2  # one message per bad URL
    shown = api_get(sandbox, path, token).json()
    assert shown["name"] == client["name"] and shown["update_date"] == client["update_date"]


# --- agents/email/{email} ------------------------------------------------------------------


@pytest.mark.live
def test_an_agent_is_found_by_email_in_both_url_styles(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.AGENT2, scopes="read")["access_token"]
    by_id = {a["email"]: a for a in api_get(sandbox, "agents", token).json()}

    for email in (demo.AGENT1, demo.AGENT1.upper(), demo.DISABLED):
        for style in ("chat", "legacy"):
            answer = api_get(sandbox, f"agents/email/{email}", token, style=style)
            assert answer.status_code == 200, (email, style, answer.text)
            assert answer.json() == by_id[email.lower()]
    escaped = api_get(sandbox, "agents/email/agent1%40sandbox.test", token)
    assert escaped.json()["email"] == demo.AGENT1


@pytest.mark.live
def test_an_unknown_email_is_the_usual_404(sandbox: LiveSandbox) -> None:
    token = sandbox.token_for(demo.ADMIN)["access_token"]

    for email in ("nobody@sandbox.test", "not-an-email", "agent1@sandbox.test%00", "%20"):
        answer = api_get(sandbox, f"agents/email/{email}", token)
        assert answer.status_code == 404, email
        assert answer.json() == NOT_FOUND


@pytest.mark.live
def test_agents_by_email_needs_a_token_with_the_read_scope(sandbox: LiveSandbox) -> None:
    url = sandbox.api_url(f"agents/email/{demo.AGENT1}")
    chat_only = sandbox.token_for(demo.ADMIN, scopes="chat")["access_token"]

    anonymous = requests.get(url, timeout=TIMEOUT)
    scoped = requests.get(url, headers=bearer(chat_only), timeout=TIMEOUT)
    basic = requests.get(url, auth=(demo.AGENT1, demo.PASSWORD), timeout=TIMEOUT)

    assert anonymous.status_code == 401 and anonymous.json()["error"] == "Unauthorized"
    assert scoped.status_code == 403 and "read scope" in scoped.json()["description"]
    assert basic.status_code == 401  # phase4: no basic auth, as for agents/{id}
    assert demo.AGENT1 not in anonymous.text + scoped.text + basic.text
    sandbox.set_account(account_type="legacy_chat_only")
    legacy = requests.get(url, auth=(demo.AGENT1, demo.PASSWORD), timeout=TIMEOUT)
    assert legacy.status_code == 200 and legacy.json()["email"] == demo.AGENT1


@pytest.mark.live
def test_the_openapi_documents_list_agents_by_email(sandbox: LiveSandbox) -> None:
    for prefix in ("/api/v2/chat/", "/api/v2/"):
        document = requests.get(f"{sandbox.url}{prefix}openapi.json", timeout=TIMEOUT).json()
        operation = document["paths"][f"{prefix}agents/email/{{email}}"]["get"]
        assert set(operation["responses"]) >= {"200", "401", "403", "404"}
        assert [p["name"] for p in operation["parameters"]] == ["email"]
