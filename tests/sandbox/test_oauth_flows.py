"""The sandbox's OAuth server end to end: a browser signs in and consents, an app exchanges
codes and refreshes tokens, and the tokens work (or stop working) on the API."""

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
    api_get,
    authorize_link,
    create_client,
    redirect_params,
    token_post,
)

pytestmark = pytest.mark.live


class TokenCount:
    """Counts an agent's tokens through the API, with one viewing token minted up front."""

    def __init__(self, sandbox: LiveSandbox, email: str) -> None:
        self.sandbox = sandbox
        self.viewer = sandbox.token_for(email, scopes="read")["access_token"]

    def ids(self) -> list[int]:
        return [t["id"] for t in api_get(self.sandbox, "oauth/tokens", self.viewer).json()]


def _code_flow(sandbox: LiveSandbox, **extra: str) -> tuple[str, str]:
    """Sign in as agent1 and allow the seeded local tool; the code and the state."""
    link = authorize_link(
        sandbox,
        response_type="code",
        client_id=demo.DASHBOARD_CLIENT_ID,
        redirect_uri=demo.DASHBOARD_REDIRECT_URIS[0],
        scope="read write",
        state="xyz-123",
        **extra,
    )
    base, query, _ = redirect_params(Browser(sandbox).sign_in_and_decide(link))
    assert base == demo.DASHBOARD_REDIRECT_URIS[0]
    assert query["state"] == "xyz-123"
    return query["code"], query["state"]


def _exchange(sandbox: LiveSandbox, code: str, **extra: str) -> requests.Response:
    return token_post(
        sandbox,
        {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": demo.DASHBOARD_CLIENT_ID,
            "client_secret": demo.DASHBOARD_CLIENT_SECRET,
            "redirect_uri": demo.DASHBOARD_REDIRECT_URIS[0],
            **extra,
        },
    )


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
    code, _ = _code_flow(sandbox)

    answer = _exchange(sandbox, code)

    assert answer.status_code == 200, answer.text
    token = answer.json()
    assert token["token_type"] == "Bearer"
    assert token["scope"] == "read write"
    assert token["expires_in"] == 36_000
    assert token["refresh_token"]
    assert "no-store" in answer.headers["Cache-Control"]
    me = api_get(sandbox, "agents/me", token["access_token"]).json()
    assert me["email"] == demo.AGENT1

    replay = _exchange(sandbox, code)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert "already been used" in replay.json()["error_description"]
    # A replayed code revokes what it was exchanged for (RFC 6749 4.1.2).
    assert api_get(sandbox, "agents/me", token["access_token"]).status_code == 401


def test_code_exchange_needs_the_same_redirect_uri_and_the_secret(sandbox: LiveSandbox) -> None:
    code, _ = _code_flow(sandbox)
    wrong_uri = _exchange(sandbox, code, redirect_uri=demo.DASHBOARD_REDIRECT_URIS[1])
    assert wrong_uri.status_code == 400
    assert wrong_uri.json()["error"] == "invalid_request"  # mismatching redirect_uri

    code, _ = _code_flow(sandbox)
    wrong_secret = _exchange(sandbox, code, client_secret="not-the-secret")
    assert wrong_secret.status_code == 401
    assert wrong_secret.json()["error"] == "invalid_client"


def test_a_slow_code_exchange_is_refused(sandbox: LiveSandbox) -> None:
    sandbox.set_token_ttl(code=1)
    code, _ = _code_flow(sandbox)
    time.sleep(1.2)

    answer = _exchange(sandbox, code)

    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"
    assert "expired" in answer.json()["error_description"]


def test_pkce_is_checked_when_the_app_uses_it(sandbox: LiveSandbox) -> None:
    verifier = "v" * 50
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    )
    code, _ = _code_flow(sandbox, code_challenge=challenge, code_challenge_method="S256")
    assert _exchange(sandbox, code, code_verifier="w" * 50).json()["error"] == "invalid_grant"

    code, _ = _code_flow(sandbox, code_challenge=challenge, code_challenge_method="S256")
    assert _exchange(sandbox, code, code_verifier=verifier).status_code == 200


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


def test_refresh_tokens_rotate_and_a_reused_one_is_refused(sandbox: LiveSandbox) -> None:
    code, _ = _code_flow(sandbox)
    first = _exchange(sandbox, code).json()
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
