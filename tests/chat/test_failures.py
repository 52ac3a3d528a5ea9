"""Each failure kind, against `responses`: the error raised, the attempts made, the timeout sent.

`responses` replays urllib3's status retries (429/502/503/504) through the Retry object the
client mounts, so the call counts here are the client's real retry policy. Connection-level
failures are not retried by `responses`; test_retries.py shows those over real sockets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
import requests
import responses

from chatadmin.chat import (
    BearerCredential,
    ChatApi,
    ChatBadResponse,
    ChatConfig,
    ChatRefused,
    ChatUnavailable,
    ClientInput,
)
from tests.chat import payloads
from tests.chat.conftest import TIMEOUT, make_config, sent_timeout
from tests.chat.payloads import ACCESS_TOKEN

ROOT = "https://acme.zendesk.com/api/v2/chat"

Operation = Callable[[ChatApi], object]
IDEMPOTENT: list[tuple[str, str, Operation]] = [
    ("GET", "/agents/me", lambda api: api.agent_me()),
    ("PUT", "/oauth/clients/7", lambda api: api.client_update(7, client_type="confidential")),
    ("DELETE", "/oauth/tokens/14", lambda api: api.token_revoke(14)),
]
NOT_IDEMPOTENT: list[tuple[str, str, Operation]] = [
    (
        "POST",
        "/oauth/clients",
        lambda api: api.client_create(
            ClientInput(name="x", redirect_uris=["http://localhost/cb"], scopes=["read"])
        ),
    ),
    ("POST", "/oauth/clients/7/generate_secret", lambda api: api.client_secret_generate(7)),
]
EVERY_OPERATION: list[tuple[str, str, Operation]] = [
    *IDEMPOTENT,
    *NOT_IDEMPOTENT,
    ("GET", "/agents", lambda api: api.agent_list()),
    ("GET", "/agents/5", lambda api: api.agent_get(5)),
    ("GET", "/oauth/clients", lambda api: api.client_list()),
    ("GET", "/oauth/clients/7", lambda api: api.client_get(7)),
    ("DELETE", "/oauth/clients/7", lambda api: api.client_delete(7)),
    ("GET", "/oauth/tokens", lambda api: api.token_list()),
    ("GET", "/oauth/tokens/14", lambda api: api.token_get(14)),
]


def call_id(case: tuple[str, str, Operation]) -> str:
    return f"{case[0]} {case[1]}"


@pytest.fixture
def config() -> ChatConfig:
    return make_config("subdomain")


@pytest.fixture
def api(config: ChatConfig) -> Iterator[ChatApi]:
    with ChatApi(BearerCredential(ACCESS_TOKEN), config=config) as chat:
        yield chat


def answer(
    http: responses.RequestsMock,
    method: str,
    path: str,
    *,
    status: int,
    times: int = 1,
    **reply: Any,
) -> None:
    for _ in range(times):
        http.add(method, ROOT + path, status=status, **reply)


def assert_timeout_on_every_call(http: responses.RequestsMock) -> None:
    assert [sent_timeout(call) for call in http.calls] == [TIMEOUT] * len(http.calls)


@pytest.mark.parametrize("case", EVERY_OPERATION, ids=call_id)
def test_every_operation_sends_the_configured_timeout(
    http: responses.RequestsMock, api: ChatApi, case: tuple[str, str, Operation]
) -> None:
    method, path, operation = case
    answer(http, method, path, status=404, json={"error": "Not Found"})

    with pytest.raises(ChatRefused):
        operation(api)

    assert len(http.calls) == 1
    assert sent_timeout(http.calls[0]) == (2.5, 7.0)


@pytest.mark.parametrize("status", [429, 502, 503, 504])
@pytest.mark.parametrize("case", IDEMPOTENT, ids=call_id)
def test_idempotent_calls_retry_then_report_unavailable(
    http: responses.RequestsMock, api: ChatApi, case: tuple[str, str, Operation], status: int
) -> None:
    method, path, operation = case
    answer(http, method, path, status=status, times=3, json={"error": "busy"})

    with pytest.raises(ChatUnavailable, match="Try again") as caught:
        operation(api)

    assert caught.value.status == status
    assert len(http.calls) == 3
    assert_timeout_on_every_call(http)


@pytest.mark.parametrize("status", [429, 502, 503, 504])
@pytest.mark.parametrize("case", NOT_IDEMPOTENT, ids=call_id)
def test_posts_are_never_retried(
    http: responses.RequestsMock, api: ChatApi, case: tuple[str, str, Operation], status: int
) -> None:
    method, path, operation = case
    answer(http, method, path, status=status, times=3, json={"error": "busy"})

    with pytest.raises(ChatUnavailable) as caught:
        operation(api)

    assert caught.value.status == status
    assert len(http.calls) == 1


def test_a_retry_that_succeeds_returns_the_answer(
    http: responses.RequestsMock, api: ChatApi
) -> None:
    answer(http, "GET", "/agents/me", status=503)
    answer(http, "GET", "/agents/me", status=200, json=payloads.agent())

    assert api.agent_me().id == 361234
    assert len(http.calls) == 2


def test_a_500_is_not_retried(http: responses.RequestsMock, api: ChatApi) -> None:
    answer(http, "GET", "/agents/me", status=500, times=3, body="<html>oops</html>")

    with pytest.raises(ChatUnavailable, match=r"problem on its side \(HTTP 500\)"):
        api.agent_me()

    assert len(http.calls) == 1


def test_429_with_a_short_retry_after_is_retried_and_reported(
    http: responses.RequestsMock, api: ChatApi
) -> None:
    answer(http, "GET", "/oauth/clients", status=429, times=3, headers={"Retry-After": "2"})

    with pytest.raises(ChatUnavailable, match="Try again in 2 seconds") as caught:
        api.client_list()

    assert caught.value.retry_after == 2.0
    assert len(http.calls) == 3


def test_429_without_retry_after_is_retried_and_reported(
    http: responses.RequestsMock, api: ChatApi
) -> None:
    answer(http, "GET", "/oauth/clients", status=429, times=3)

    with pytest.raises(ChatUnavailable, match="Try again in a minute") as caught:
        api.client_list()

    assert caught.value.retry_after is None
    assert len(http.calls) == 3


@pytest.mark.parametrize(
    "retry_after",
    [
        "120",
        format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True),
    ],
)
def test_429_asking_to_wait_past_the_limit_stops_at_once(
    http: responses.RequestsMock, api: ChatApi, retry_after: str
) -> None:
    answer(http, "GET", "/oauth/clients", status=429, times=3, headers={"Retry-After": retry_after})

    with pytest.raises(ChatUnavailable) as caught:
        api.client_list()

    assert caught.value.retry_after is not None and caught.value.retry_after > 100
    assert len(http.calls) == 1


@pytest.mark.parametrize(
    ("status", "body", "error", "explained"),
    [
        (
            400,
            {"error": "Bad Request", "description": "The browser sent a bad request."},
            "Bad Request",
            "The browser sent a bad request",
        ),
        (
            401,
            {
                "error": "Unauthorized",
                "description": "The server could not verify that you are authorized to access "
                "the requested resource",
            },
            "Unauthorized",
            "Support API tokens and Support OAuth tokens do not work",
        ),
        (403, {"error": "insufficient_scope"}, "insufficient_scope", "lacks a scope"),
        (403, {"error": "Forbidden"}, "Forbidden", "read write chat"),
        (404, {"error": "Not Found"}, "Not Found", "belongs to another agent"),
        (
            405,
            {
                "description": "The method is not allowed for the requested URL.",
                "error": "Method Not Allowed",
            },
            "Method Not Allowed",
            "host style is probably wrong",
        ),
        (409, {"error": "Conflict", "description": "already exists"}, "Conflict", "already exists"),
    ],
)
def test_4xx_is_refused_with_a_plain_explanation_and_no_retry(
    http: responses.RequestsMock,
    api: ChatApi,
    status: int,
    body: dict[str, str],
    error: str,
    explained: str,
) -> None:
    answer(http, "GET", "/oauth/clients/7", status=status, times=3, json=body)

    with pytest.raises(ChatRefused) as caught:
        api.client_get(7)

    refused = caught.value
    assert (refused.status, refused.error) == (status, error)
    assert refused.description == body.get("description", "")
    assert explained in refused.explanation
    assert str(refused).startswith(f"[{status} {error}]")
    assert len(http.calls) == 1


def test_422_lists_the_upstream_field_messages(http: responses.RequestsMock, api: ChatApi) -> None:
    answer(
        http,
        "POST",
        "/oauth/clients",
        status=422,
        json={
            "error": "invalid",
            "description": "The client is not valid.",
            "details": {
                "redirect_uris": ["must be https unless localhost"],
                "name": ["is required", "is too short"],
            },
        },
    )

    with pytest.raises(ChatRefused) as caught:
        api.client_create(
            ClientInput(name="x", redirect_uris=["http://example.com/cb"], scopes=["read"])
        )

    refused = caught.value
    assert refused.status == 422
    assert refused.details == {
        "redirect_uris": ("must be https unless localhost",),
        "name": ("is required", "is too short"),
    }
    assert "redirect_uris: must be https unless localhost" in refused.explanation
    assert "name: is required, is too short" in refused.explanation
    assert len(http.calls) == 1


def test_422_without_details_uses_the_description(
    http: responses.RequestsMock, api: ChatApi
) -> None:
    answer(http, "PUT", "/oauth/clients/7", status=422, json={"description": "scopes: bad"})

    with pytest.raises(ChatRefused, match="rejected the values: scopes: bad"):
        api.client_update(7, scopes=["read"])


def test_a_4xx_without_a_json_body_still_reads(http: responses.RequestsMock, api: ChatApi) -> None:
    answer(http, "GET", "/oauth/clients/7", status=404, body="<h1>Not Found</h1>")

    with pytest.raises(ChatRefused) as caught:
        api.client_get(7)

    assert (caught.value.error, caught.value.description) == ("Not Found", "")


@pytest.mark.parametrize(
    "body", ['{"id": 7, "name": ', "<html>maintenance</html>", ""], ids=["cut", "html", "empty"]
)
def test_malformed_json_is_a_bad_response(
    http: responses.RequestsMock, api: ChatApi, body: str
) -> None:
    answer(http, "GET", "/oauth/clients/7", status=200, times=3, body=body)

    with pytest.raises(ChatBadResponse, match="not JSON"):
        api.client_get(7)

    assert len(http.calls) == 1


@pytest.mark.parametrize(
    ("path", "reply", "operation", "complaint"),
    [
        # The Support API's envelope, not the Chat API's bare array.
        ("/oauth/clients", {"clients": []}, lambda api: api.client_list(), "JSON array"),
        ("/oauth/clients", [1, 2], lambda api: api.client_list(), "client to be a JSON object"),
        ("/oauth/clients/7", payloads.client(id="7"), lambda api: api.client_get(7), "'id'"),
        (
            "/oauth/clients/7",
            payloads.client(client_identifier=None),
            lambda api: api.client_get(7),
            "'client_identifier'",
        ),
        ("/agents/me", payloads.agent(email=None), lambda api: api.agent_me(), "'email'"),
        ("/agents/me", payloads.agent(enabled="yes"), lambda api: api.agent_me(), "'enabled'"),
        ("/agents/me", payloads.agent(roles=["owner"]), lambda api: api.agent_me(), "'roles'"),
        (
            "/oauth/tokens/14",
            payloads.token(create_date="yesterday"),
            lambda api: api.token_get(14),
            "'create_date'",
        ),
        ("/oauth/tokens/14", payloads.token(scopes=7), lambda api: api.token_get(14), "'scopes'"),
    ],
)
def test_an_unexpected_shape_is_a_bad_response(
    http: responses.RequestsMock,
    api: ChatApi,
    path: str,
    reply: object,
    operation: Operation,
    complaint: str,
) -> None:
    answer(http, "GET", path, status=200, json=reply)

    with pytest.raises(ChatBadResponse, match=complaint) as caught:
        operation(api)

    assert payloads.ACCESS_TOKEN not in str(caught.value)
    assert len(http.calls) == 1


def test_a_created_client_without_its_secret_is_a_bad_response(
    http: responses.RequestsMock, api: ChatApi
) -> None:
    answer(http, "POST", "/oauth/clients/7/generate_secret", status=200, json=payloads.client())

    with pytest.raises(ChatBadResponse, match="without its secret"):
        api.client_secret_generate(7)


def test_a_redirect_is_not_followed(http: responses.RequestsMock, api: ChatApi) -> None:
    answer(
        http,
        "GET",
        "/agents/me",
        status=302,
        headers={"Location": "https://elsewhere.example/login"},
    )

    with pytest.raises(ChatBadResponse, match="redirect"):
        api.agent_me()

    assert len(http.calls) == 1


@pytest.mark.parametrize(
    ("failure", "explained"),
    [
        (requests.exceptions.ConnectTimeout("connect timed out"), "did not answer in time"),
        (requests.exceptions.ReadTimeout("read timed out"), "did not answer in time"),
        (
            requests.exceptions.ConnectionError("refused"),
            "Could not connect to the Chat API at acme.zendesk.com",
        ),
    ],
    ids=["connect-timeout", "read-timeout", "connection-refused"],
)
@pytest.mark.parametrize("case", [IDEMPOTENT[0], NOT_IDEMPOTENT[0]], ids=call_id)
def test_transport_failures_are_unavailable(
    http: responses.RequestsMock,
    api: ChatApi,
    case: tuple[str, str, Operation],
    failure: Exception,
    explained: str,
) -> None:
    method, path, operation = case
    answer(http, method, path, status=200, body=failure)

    with pytest.raises(ChatUnavailable, match=explained) as caught:
        operation(api)

    assert caught.value.__cause__ is failure
    assert caught.value.status is None
    assert sent_timeout(http.calls[0]) == TIMEOUT
