"""Retries through real urllib3 over real sockets: counted attempts, and the waits taken.

Idempotent calls (GET, PUT, DELETE) get three attempts in all; a POST gets exactly one, also
when the connection fails before anything was sent.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
import responses
import urllib3.util.connection

from chatadmin.chat import (
    BearerCredential,
    ChatApi,
    ChatUnavailable,
    ClientInput,
    oauth,
)
from tests.chat import payloads
from tests.chat.conftest import make_config
from tests.chat.operations import client_update
from tests.chat.scripted_server import DROP, HANG, Reply, ScriptedServer

Operation = Callable[[ChatApi], object]
GET: Operation = lambda api: api.agent_me()  # noqa: E731
PUT: Operation = lambda api: client_update(api, 7, name="Renamed")  # noqa: E731
DELETE: Operation = lambda api: api.token_revoke(14)  # noqa: E731
POST: Operation = lambda api: api.client_create(  # noqa: E731
    ClientInput(name="x", redirect_uris=["http://localhost/cb"], scopes=["read"])
)
IDEMPOTENT = pytest.mark.parametrize("operation", [GET, PUT, DELETE], ids=["GET", "PUT", "DELETE"])
EVERY_METHOD = pytest.mark.parametrize(
    ("operation", "attempts"),
    [(GET, 3), (PUT, 3), (DELETE, 3), (POST, 1)],
    ids=["GET", "PUT", "DELETE", "POST"],
)


def chat_api(base_url: str, **changes: Any) -> ChatApi:
    config = make_config("legacy", **{"base_url": base_url, "timeout": (2.0, 2.0), **changes})
    return ChatApi(BearerCredential(payloads.ACCESS_TOKEN), config=config)


@pytest.fixture
def connection_attempts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every TCP connection urllib3 opens, recorded on the way through."""
    attempts: list[tuple[str, int]] = []
    real = urllib3.util.connection.create_connection

    def counting(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        attempts.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", counting)
    return attempts


@pytest.fixture
def closed_port_url(http: responses.RequestsMock) -> str:
    """An address on this machine where nothing listens: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    http.add_passthru(url)
    return url


@IDEMPOTENT
def test_connection_refused_is_tried_three_times(
    closed_port_url: str, connection_attempts: list[tuple[str, int]], operation: Operation
) -> None:
    with (
        chat_api(closed_port_url) as api,
        pytest.raises(ChatUnavailable, match="Could not connect"),
    ):
        operation(api)

    assert len(connection_attempts) == 3


def test_connection_refused_on_a_post_is_tried_once(
    closed_port_url: str, connection_attempts: list[tuple[str, int]]
) -> None:
    with (
        chat_api(closed_port_url) as api,
        pytest.raises(ChatUnavailable, match="Could not connect"),
    ):
        POST(api)

    assert len(connection_attempts) == 1


def test_connection_refused_on_the_token_endpoint_is_tried_once(
    closed_port_url: str, connection_attempts: list[tuple[str, int]]
) -> None:
    config = make_config("legacy", base_url=closed_port_url)

    with pytest.raises(ChatUnavailable, match="Could not connect"):
        oauth.client_credentials(config, client_id="id", client_secret="secret")

    assert len(connection_attempts) == 1


@pytest.fixture
def connect_timeouts(
    http: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, int]]:
    """Every connection attempt times out (as if SYNs vanished), and is counted."""
    attempts: list[tuple[str, int]] = []

    def timing_out(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        attempts.append(address)
        raise TimeoutError("timed out")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", timing_out)
    http.add_passthru("http://192.0.2.10")
    return attempts


@EVERY_METHOD
def test_connect_timeouts(
    connect_timeouts: list[tuple[str, int]], operation: Operation, attempts: int
) -> None:
    with chat_api("http://192.0.2.10") as api, pytest.raises(ChatUnavailable, match="in time"):
        operation(api)

    assert connect_timeouts == [("192.0.2.10", 80)] * attempts


@EVERY_METHOD
def test_read_timeouts(
    scripted_server: ScriptedServer, operation: Operation, attempts: int
) -> None:
    scripted_server.play(HANG, HANG, HANG)

    with (
        chat_api(scripted_server.url, timeout=(2.0, 0.2)) as api,
        pytest.raises(ChatUnavailable, match="in time"),
    ):
        operation(api)

    assert len(scripted_server.received) == attempts


@EVERY_METHOD
def test_dropped_connections(
    scripted_server: ScriptedServer, operation: Operation, attempts: int
) -> None:
    scripted_server.play(DROP, DROP, DROP)

    with chat_api(scripted_server.url) as api, pytest.raises(ChatUnavailable, match="broke off"):
        operation(api)

    assert len(scripted_server.received) == attempts


def test_a_dropped_connection_then_an_answer_succeeds(scripted_server: ScriptedServer) -> None:
    scripted_server.play(DROP, Reply(200, payloads.agent()))

    with chat_api(scripted_server.url) as api:
        assert api.agent_me().id == 361234

    assert [request.path for request in scripted_server.received] == ["/api/v2/agents/me"] * 2


def test_503_then_200_over_the_wire(scripted_server: ScriptedServer) -> None:
    scripted_server.play(Reply(503), Reply(200, [payloads.client()]))

    with chat_api(scripted_server.url) as api:
        assert [client.id for client in api.client_list()] == [7]

    assert len(scripted_server.received) == 2


def test_retry_after_is_waited_for(scripted_server: ScriptedServer) -> None:
    scripted_server.play(Reply(429, headers={"Retry-After": "1"}), Reply(200, payloads.agent()))

    with chat_api(scripted_server.url) as api:
        assert api.agent_me().id == 361234

    first, second = scripted_server.received
    assert second.at - first.at >= 0.95


def test_retry_after_past_the_limit_is_not_waited_for(scripted_server: ScriptedServer) -> None:
    scripted_server.play(Reply(429, headers={"Retry-After": "30"}), Reply(200, payloads.agent()))

    with chat_api(scripted_server.url) as api, pytest.raises(ChatUnavailable) as caught:
        api.agent_me()

    assert caught.value.retry_after == 30
    assert len(scripted_server.received) == 1


def test_retry_after_the_limit_is_configurable(scripted_server: ScriptedServer) -> None:
    scripted_server.play(Reply(429, headers={"Retry-After": "1"}), Reply(200, payloads.agent()))

    with chat_api(scripted_server.url, retry_after_limit=0) as api, pytest.raises(ChatUnavailable):
        api.agent_me()

    assert len(scripted_server.received) == 1


def test_backoff_grows_between_attempts(scripted_server: ScriptedServer) -> None:
    scripted_server.play(Reply(503), Reply(503), Reply(503))

    with chat_api(scripted_server.url, backoff_factor=0.2) as api, pytest.raises(ChatUnavailable):
        api.agent_me()

    first, second, third = (request.at for request in scripted_server.received)
    # urllib3: no wait before the first retry, then backoff_factor * 2 ** (retries - 1).
    assert third - second >= 0.38
    assert third - second > second - first


def test_max_attempts_is_configurable(scripted_server: ScriptedServer) -> None:
    scripted_server.play(Reply(503), Reply(503), Reply(503))

    with chat_api(scripted_server.url, max_attempts=1) as api, pytest.raises(ChatUnavailable):
        api.agent_me()

    assert len(scripted_server.received) == 1


def test_the_token_endpoint_is_never_retried(scripted_server: ScriptedServer) -> None:
    scripted_server.play(Reply(503), Reply(200, payloads.grant()))
    config = make_config("legacy", base_url=scripted_server.url)

    with pytest.raises(ChatUnavailable, match="HTTP 503"):
        oauth.refresh(config, client_id="id", client_secret="secret", refresh_token="refresh")

    assert [request.path for request in scripted_server.received] == ["/oauth2/token"]
