"""Failures that make the Chat API unavailable, against `responses`: the error raised, the
attempts made and the timeout sent.

`responses` replays urllib3's status retries (429/502/503/504) through the Retry object the
client mounts, so the call counts here are the client's real retry policy. Connection-level
failures are not retried by `responses`; test_retries.py counts those over real sockets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests
import responses

from chatadmin.chat import ChatApi, ChatRefused, ChatUnavailable
from tests.chat import payloads
from tests.chat.conftest import TIMEOUT, sent_timeout
from tests.chat.operations import (
    EVERY_OPERATION,
    IDEMPOTENT,
    NOT_IDEMPOTENT,
    Operation,
    answer,
    assert_timeout_on_every_call,
    call_id,
)


@pytest.fixture
def api(subdomain_api: ChatApi) -> ChatApi:
    return subdomain_api


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
    ("failure", "explained"),
    [
        (requests.exceptions.ConnectTimeout("connect timed out"), "did not answer in time"),
        (requests.exceptions.ReadTimeout("read timed out"), "did not answer in time"),
        (
            requests.exceptions.ConnectionError("refused"),
            "Could not connect to the Chat API at acme.zendesk.com. It may be down for a moment",
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
