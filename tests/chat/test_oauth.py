"""The OAuth helpers: authorize URLs, and each grant at the token endpoint."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses
from requests import PreparedRequest
from responses import matchers

from chatadmin.chat import (
    ChatBadResponse,
    ChatConfig,
    ChatConfigurationError,
    ChatRefused,
    ChatUnavailable,
    TokenGrant,
    oauth,
)
from tests.chat import payloads
from tests.chat.conftest import TIMEOUT, make_config, sent_timeout
from tests.chat.payloads import ACCESS_TOKEN, CLIENT_SECRET, REFRESH_TOKEN

TOKEN_ENDPOINTS = {
    "subdomain": "https://acme.zendesk.com/oauth2/chat/token",
    "legacy": "https://www.zopim.com/oauth2/token",
}
AUTHORIZE_ENDPOINTS = {
    "subdomain": "https://acme.zendesk.com/oauth2/chat/authorizations/new",
    "legacy": "https://www.zopim.com/oauth2/authorizations/new",
}
CLIENT = {"client_id": "dashboard", "client_secret": CLIENT_SECRET}


def no_authorization_header(request: PreparedRequest) -> tuple[bool, str]:
    """The client authenticates in the form body, so no Authorization header goes out."""
    return "Authorization" not in request.headers, "unexpected Authorization header"


def expect_token_request(
    http: responses.RequestsMock,
    config: ChatConfig,
    form: dict[str, str],
    *,
    status: int = 200,
    reply: Any = None,
) -> None:
    http.add(
        "POST",
        TOKEN_ENDPOINTS[config.host_style],
        status=status,
        json=payloads.grant() if reply is None else reply,
        match=[
            matchers.urlencoded_params_matcher(form),
            matchers.header_matcher(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/json",
                }
            ),
            no_authorization_header,
        ],
    )


def test_authorize_url_for_the_code_flow(config: ChatConfig) -> None:
    url = oauth.authorize_url(
        config,
        client_id="dashboard",
        redirect_uri="https://app.example.com/cb?x=1",
        response_type="code",
        scopes=["read", "write", "chat"],
        state="s7a7e",
    )

    expected_query = (
        "response_type=code&client_id=dashboard"
        "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fx%3D1"
        "&scope=read%20write%20chat&state=s7a7e"
    )
    if config.host_style == "legacy":
        expected_query += "&subdomain=acme"
    assert url == f"{AUTHORIZE_ENDPOINTS[config.host_style]}?{expected_query}"


def test_authorize_url_for_the_implicit_flow_without_a_subdomain() -> None:
    config = make_config("legacy", subdomain="")

    url = oauth.authorize_url(
        config,
        client_id="dashboard",
        redirect_uri="http://localhost:8080",
        response_type="token",
        scopes="read write",
        state="abc",
    )

    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == AUTHORIZE_ENDPOINTS["legacy"]
    assert dict(parse_qsl(parts.query)) == {
        "response_type": "token",
        "client_id": "dashboard",
        "redirect_uri": "http://localhost:8080",
        "scope": "read write",
        "state": "abc",
    }


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"response_type": "id_token"}, "response_type"),
        ({"state": ""}, "state"),
        ({"client_id": ""}, "client_id"),
        ({"redirect_uri": ""}, "redirect_uri"),
        ({"scopes": ["read write"]}, "scope"),
    ],
)
def test_authorize_url_refuses_incomplete_requests(
    config: ChatConfig, changes: dict[str, Any], complaint: str
) -> None:
    arguments: dict[str, Any] = {
        "client_id": "dashboard",
        "redirect_uri": "http://localhost:8080",
        "response_type": "code",
        "scopes": ["read"],
        "state": "abc",
        **changes,
    }
    with pytest.raises(ValueError, match=complaint):
        oauth.authorize_url(config, **arguments)


def test_exchange_code(http: responses.RequestsMock, config: ChatConfig) -> None:
    form = {
        "grant_type": "authorization_code",
        **CLIENT,
        "code": "c0de",
        "redirect_uri": "https://app.example.com/cb",
    }
    expect_token_request(http, config, form)

    grant = oauth.exchange_code(
        config, code="c0de", redirect_uri="https://app.example.com/cb", **CLIENT
    )

    assert grant == TokenGrant(
        access_token=ACCESS_TOKEN,
        token_type="Bearer",
        scopes=("read", "write"),
        refresh_token=REFRESH_TOKEN,
        expires_in=36000,
    )
    assert ACCESS_TOKEN not in repr(grant) and REFRESH_TOKEN not in repr(grant)
    assert sent_timeout(http.calls[0]) == TIMEOUT


def test_refresh(http: responses.RequestsMock, config: ChatConfig) -> None:
    form = {"grant_type": "refresh_token", **CLIENT, "refresh_token": REFRESH_TOKEN}
    expect_token_request(http, config, form, reply=payloads.grant(refresh_token="n3w"))

    grant = oauth.refresh(config, refresh_token=REFRESH_TOKEN, **CLIENT)

    assert grant.refresh_token == "n3w"


@pytest.mark.parametrize(
    ("scopes", "form"), [((), {}), (["read", "chat"], {"scope": "read chat"})], ids=["none", "some"]
)
def test_client_credentials(
    http: responses.RequestsMock, config: ChatConfig, scopes: list[str], form: dict[str, str]
) -> None:
    reply = payloads.grant(refresh_token=None, expires_in=None, scope="read")
    expect_token_request(
        http, config, {"grant_type": "client_credentials", **CLIENT, **form}, reply=reply
    )

    grant = oauth.client_credentials(config, scopes=scopes, **CLIENT)

    assert (grant.refresh_token, grant.expires_in, grant.scopes) == (None, None, ("read",))


def test_password_grant_on_a_legacy_chat_only_account(http: responses.RequestsMock) -> None:
    config = make_config("legacy", account_type="legacy_chat_only")
    form = {
        "grant_type": "password",
        **CLIENT,
        "username": "jdoe@example.com",
        "password": "pa ss",
        "scope": "read write",
    }
    expect_token_request(http, config, form)

    grant = oauth.password(
        config, username="jdoe@example.com", password="pa ss", scopes=["read", "write"], **CLIENT
    )

    assert grant.access_token == ACCESS_TOKEN


@pytest.mark.parametrize("account_type", ["chat_support", "phase4"])
def test_password_grant_is_refused_before_any_call_elsewhere(
    http: responses.RequestsMock, account_type: str
) -> None:
    config = make_config("subdomain", account_type=account_type)

    with pytest.raises(ChatConfigurationError, match="only on Legacy Chat-only"):
        oauth.password(config, username="jdoe@example.com", password="pa ss", **CLIENT)

    assert len(http.calls) == 0


@pytest.mark.parametrize(
    ("grant_type", "body", "explained"),
    [
        (
            "client_credentials",
            {"error": "invalid_client"},
            "the client is public; make it confidential",
        ),
        ("password", {"error": "invalid_client"}, "the client is public; make it confidential"),
        (
            "authorization_code",
            {"error": "invalid_client"},
            "did not accept the client ID and secret",
        ),
        (
            "authorization_code",
            {"error": "invalid_grant"},
            "codes are short-lived, so exchange it right away",
        ),
        ("refresh_token", {"error": "invalid_grant"}, "each refresh token works once"),
        ("password", {"error": "invalid_grant"}, "did not accept that email and password"),
        ("password", {"error": "unsupported_grant_type"}, "only on Legacy Chat-only accounts"),
        (
            "client_credentials",
            {"error": "invalid_scope", "error_description": "chat"},
            "Chat scopes are read, write and chat",
        ),
        ("authorization_code", {"error": "access_denied"}, "the person declined"),
        ("client_credentials", {}, "did not accept the client ID and secret"),
    ],
)
def test_token_errors_are_explained_for_the_grant(
    http: responses.RequestsMock, grant_type: str, body: dict[str, str], explained: str
) -> None:
    config = make_config("subdomain", account_type="legacy_chat_only")
    http.add(
        "POST",
        TOKEN_ENDPOINTS["subdomain"],
        status=401 if body.get("error") == "invalid_client" or not body else 400,
        json=body,
    )
    calls = {
        "client_credentials": lambda: oauth.client_credentials(config, **CLIENT),
        "password": lambda: oauth.password(config, username="a@b.c", password="pw", **CLIENT),
        "authorization_code": lambda: oauth.exchange_code(
            config, code="c0de", redirect_uri="http://localhost/cb", **CLIENT
        ),
        "refresh_token": lambda: oauth.refresh(config, refresh_token=REFRESH_TOKEN, **CLIENT),
    }

    with pytest.raises(ChatRefused) as caught:
        calls[grant_type]()

    assert explained in caught.value.explanation
    assert caught.value.error == body.get("error", "Unauthorized")
    assert caught.value.description == body.get("error_description", "")
    assert len(http.calls) == 1


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_the_token_endpoint_is_not_retried(http: responses.RequestsMock, status: int) -> None:
    config = make_config("subdomain")
    for _ in range(3):
        http.add("POST", TOKEN_ENDPOINTS["subdomain"], status=status)

    with pytest.raises(ChatUnavailable):
        oauth.client_credentials(config, **CLIENT)

    assert len(http.calls) == 1


@pytest.mark.parametrize(
    "reply",
    [
        payloads.grant(access_token=None),
        payloads.grant(expires_in="soon"),
        [payloads.grant()],
    ],
    ids=["no-access-token", "bad-expires-in", "array"],
)
def test_a_malformed_grant_is_a_bad_response_that_leaks_nothing(
    http: responses.RequestsMock, reply: object
) -> None:
    config = make_config("subdomain")
    http.add("POST", TOKEN_ENDPOINTS["subdomain"], json=reply)

    with pytest.raises(ChatBadResponse) as caught:
        oauth.refresh(config, refresh_token=REFRESH_TOKEN, **CLIENT)

    assert REFRESH_TOKEN not in str(caught.value)
    assert ACCESS_TOKEN not in str(caught.value)
