"""PKCE (RFC 7636) as the sandbox's OAuth server (oauthlib 4) does it, pinned as the README
("The sandbox", PKCE) describes it: the public Chat docs never mention PKCE, and Zendesk's PKCE
article says Chat does not support it, so this is the sandbox's behaviour, not Zendesk's.

Also pinned elsewhere: test_oauth_browser.py::test_pkce_is_checked_when_the_app_uses_it
(S256 with the right verifier works, a wrong one is invalid_grant).
"""

from __future__ import annotations

import base64
import hashlib

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
    token_post,
)

pytestmark = pytest.mark.live

VERIFIER = "a-verifier-of-forty-three-or-more-characters-0123456789"


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


def _public_code(sandbox: LiveSandbox, **extra: str) -> str:
    """A code for agent1's public client (no secret), after signing in and allowing."""
    link = authorize_link(
        sandbox,
        response_type="code",
        client_id="agent1-local-tool",
        redirect_uri=demo.LOCALHOST,
        **extra,
    )
    _, query, _ = redirect_params(Browser(sandbox).sign_in_and_decide(link))
    return query["code"]


def _public_exchange(sandbox: LiveSandbox, code: str, **extra: str) -> requests.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": "agent1-local-tool",
        "redirect_uri": demo.LOCALHOST,
        **extra,
    }
    return token_post(sandbox, data)


def test_public_clients_need_no_pkce(sandbox: LiveSandbox) -> None:
    code = _public_code(sandbox)

    answer = _public_exchange(sandbox, code)  # no secret, no challenge, no verifier

    assert answer.status_code == 200, answer.text
    assert api_get(sandbox, "agents/me", answer.json()["access_token"]).ok


def test_a_public_client_using_s256_must_send_the_right_verifier(sandbox: LiveSandbox) -> None:
    tokens = TokenCount(sandbox, demo.AGENT1)
    before = tokens.ids()
    code = _public_code(sandbox, code_challenge=s256(VERIFIER), code_challenge_method="S256")

    wrong = _public_exchange(sandbox, code, code_verifier=VERIFIER + "x")

    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    assert tokens.ids() == before
    code = _public_code(sandbox, code_challenge=s256(VERIFIER), code_challenge_method="S256")
    assert _public_exchange(sandbox, code, code_verifier=VERIFIER).status_code == 200


def test_a_code_with_a_challenge_needs_a_verifier(sandbox: LiveSandbox) -> None:
    tokens = TokenCount(sandbox, demo.AGENT1)
    before = tokens.ids()
    code, _ = code_flow(sandbox, code_challenge=s256(VERIFIER), code_challenge_method="S256")

    answer = exchange(sandbox, code)  # the confidential client's secret is not enough

    assert answer.status_code == 400
    assert answer.json() == {
        "error": "invalid_request",
        "error_description": "Code verifier required.",
    }
    assert tokens.ids() == before


def test_a_failed_pkce_check_uses_the_code_up(sandbox: LiveSandbox) -> None:
    code, _ = code_flow(sandbox, code_challenge=s256(VERIFIER), code_challenge_method="S256")
    assert exchange(sandbox, code, code_verifier="wrong" * 10).json()["error"] == "invalid_grant"

    retried = exchange(sandbox, code, code_verifier=VERIFIER)

    assert retried.status_code == 400
    assert retried.json()["error"] == "invalid_grant"
    assert "already been used" in retried.json()["error_description"]

    code, _ = code_flow(sandbox, code_challenge=s256(VERIFIER), code_challenge_method="S256")
    assert exchange(sandbox, code).json()["error"] == "invalid_request"  # no verifier
    assert "already been used" in exchange(sandbox, code, code_verifier=VERIFIER).text


def test_plain_is_accepted_and_is_the_default_method(sandbox: LiveSandbox) -> None:
    code, _ = code_flow(sandbox, code_challenge=VERIFIER, code_challenge_method="plain")
    assert exchange(sandbox, code, code_verifier=VERIFIER).status_code == 200

    # No method: the challenge is compared as plain text (RFC 7636 4.3), so an S256 challenge
    # sent without code_challenge_method=S256 never matches its verifier.
    code, _ = code_flow(sandbox, code_challenge=VERIFIER)
    assert exchange(sandbox, code, code_verifier=VERIFIER).status_code == 200
    code, _ = code_flow(sandbox, code_challenge=s256(VERIFIER))
    assert exchange(sandbox, code, code_verifier=VERIFIER).json()["error"] == "invalid_grant"


def test_the_verifier_format_is_not_checked(sandbox: LiveSandbox) -> None:
    # RFC 7636 4.1 wants 43 to 128 unreserved characters; the sandbox compares whatever it gets.
    code, _ = code_flow(sandbox, code_challenge="x", code_challenge_method="plain")
    assert exchange(sandbox, code, code_verifier="x").status_code == 200


def test_an_unknown_method_is_refused_before_sign_in(sandbox: LiveSandbox) -> None:
    link = authorize_link(
        sandbox,
        response_type="code",
        client_id="agent1-local-tool",
        redirect_uri=demo.LOCALHOST,
        code_challenge=s256(VERIFIER),
        code_challenge_method="S512",
        state="m",
    )

    response = requests.get(link, allow_redirects=False, timeout=TIMEOUT)

    base, query, _ = redirect_params(response)
    assert base == demo.LOCALHOST
    assert query["error"] == "invalid_request"
    assert query["state"] == "m"
    assert "code" not in query


def test_a_verifier_without_a_challenge_is_ignored(sandbox: LiveSandbox) -> None:
    # Pinned as it is, not as it should be: RFC 9700 2.1.1 asks servers to refuse a
    # code_verifier for a code issued without a challenge (PKCE downgrade). See the README.
    code, _ = code_flow(sandbox)

    answer = exchange(sandbox, code, code_verifier=VERIFIER)

    assert answer.status_code == 200, answer.text
