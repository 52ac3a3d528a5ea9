"""The OAuth server through its pages: a browser signs in and consents, the app gets a
token (implicit) or a code it exchanges, and bad links or answers are refused."""

from __future__ import annotations

import base64
import hashlib
import time

import pytest
import requests

from chatadmin.sandbox import demo
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.sandbox.helpers import (
    Browser,
    TokenCount,
    api_get,
    authorize_link,
    code_flow,
    exchange,
    redirect_params,
)

pytestmark = pytest.mark.live


def test_implicit_flow_puts_a_working_token_in_the_fragment(sandbox: LiveSandbox) -> None:
    link = authorize_link(
        sandbox,
        response_type="token",
        client_id="agent1-local-tool",
        redirect_uri=demo.LOCALHOST,
        scope="read write chat",
        state="s-42",
        subdomain=demo.SUBDOMAIN,
    )
    browser = Browser(sandbox)
    page = browser.get(link)
    assert page.status_code == 200 and "Sign in as a sandbox agent" in page.text
    assert "sandbox_csrftoken" in browser.session.cookies  # never the dashboard's csrftoken
    consent = browser.submit(page, {"username": demo.AGENT1, "password": demo.PASSWORD})
    assert "sandbox_sessionid" in browser.session.cookies
    assert "Local tool" in consent.text and "Demo Co" in consent.text  # name and company
    assert "form-action 'self' http://localhost:8080" in consent.headers["Content-Security-Policy"]

    base, query, fragment = redirect_params(browser.submit(consent, {"decision": "allow"}))

    assert base == demo.LOCALHOST
    assert query == {}
    assert fragment["token_type"] == "Bearer"
    assert fragment["scope"] == "read write chat"
    assert fragment["state"] == "s-42"
    assert "refresh_token" not in fragment
    me = api_get(sandbox, "agents/me", fragment["access_token"])
    assert me.status_code == 200
    assert me.json()["email"] == demo.AGENT1


def test_authorization_code_flow_and_single_use_codes(sandbox: LiveSandbox) -> None:
    code, _ = code_flow(sandbox)

    answer = exchange(sandbox, code)

    assert answer.status_code == 200, answer.text
    token = answer.json()
    assert token["token_type"] == "Bearer"
    assert token["scope"] == "read write"
    assert token["expires_in"] == 36_000
    assert token["refresh_token"]
    assert "no-store" in answer.headers["Cache-Control"]
    me = api_get(sandbox, "agents/me", token["access_token"]).json()
    assert me["email"] == demo.AGENT1

    replay = exchange(sandbox, code)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert "already been used" in replay.json()["error_description"]
    # A replayed code revokes what it was exchanged for (RFC 6749 4.1.2).
    assert api_get(sandbox, "agents/me", token["access_token"]).status_code == 401


def test_code_exchange_needs_the_same_redirect_uri_and_the_secret(sandbox: LiveSandbox) -> None:
    code, _ = code_flow(sandbox)
    wrong_uri = exchange(sandbox, code, redirect_uri=demo.DASHBOARD_REDIRECT_URIS[1])
    assert wrong_uri.status_code == 400
    assert wrong_uri.json()["error"] == "invalid_request"  # mismatching redirect_uri

    code, _ = code_flow(sandbox)
    wrong_secret = exchange(sandbox, code, client_secret="not-the-secret")
    assert wrong_secret.status_code == 401
    assert wrong_secret.json()["error"] == "invalid_client"


def test_a_slow_code_exchange_is_refused(sandbox: LiveSandbox) -> None:
    sandbox.set_token_ttl(code=1)
    code, _ = code_flow(sandbox)
    time.sleep(1.2)

    answer = exchange(sandbox, code)

    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"
    assert "expired" in answer.json()["error_description"]


def test_pkce_is_checked_when_the_app_uses_it(sandbox: LiveSandbox) -> None:
    verifier = "v" * 50
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    )
    code, _ = code_flow(sandbox, code_challenge=challenge, code_challenge_method="S256")
    assert exchange(sandbox, code, code_verifier="w" * 50).json()["error"] == "invalid_grant"

    code, _ = code_flow(sandbox, code_challenge=challenge, code_challenge_method="S256")
    assert exchange(sandbox, code, code_verifier=verifier).status_code == 200


def test_deny_redirects_with_access_denied_and_issues_nothing(sandbox: LiveSandbox) -> None:
    tokens = TokenCount(sandbox, demo.AGENT1)
    before = tokens.ids()
    link = authorize_link(
        sandbox,
        response_type="code",
        client_id="agent1-local-tool",
        redirect_uri=demo.LOCALHOST,
        state="st",
    )

    response = Browser(sandbox).sign_in_and_decide(link, decision="deny")

    _, query, _ = redirect_params(response)
    assert query["error"] == "access_denied"
    assert query["state"] == "st"
    assert "code" not in query
    assert tokens.ids() == before


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"client_id": "agent1-local-tool", "redirect_uri": "http://localhost:9999/elsewhere"},
            "redirect",
        ),
        ({"client_id": "no-such-client", "redirect_uri": demo.LOCALHOST}, "client"),
        ({"client_id": "agent1-local-tool", "subdomain": "acme"}, "acme"),
    ],
)
def test_bad_authorize_links_get_an_error_page_never_a_redirect(
    sandbox: LiveSandbox, params: dict[str, str], message: str
) -> None:
    response = requests.get(
        authorize_link(sandbox, response_type="code", **params),
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert response.headers["Content-Type"].startswith("text/html")
    assert message in response.text.lower()
    assert "Chat API sandbox" in response.text


def test_a_scope_the_client_lacks_is_refused_by_redirect(sandbox: LiveSandbox) -> None:
    link = authorize_link(
        sandbox,
        response_type="code",
        client_id="agent2-test-client",  # scopes: read
        redirect_uri=demo.LOCALHOST,
        scope="read write",
        state="q",
    )
    response = requests.get(link, allow_redirects=False, timeout=TIMEOUT)
    _, query, _ = redirect_params(response)
    assert query["error"] == "invalid_scope"
    assert query["state"] == "q"
