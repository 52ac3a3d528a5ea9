"""Fixtures for the Chat API client's tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import responses

from chatadmin.chat import BearerCredential, ChatApi, ChatConfig
from tests.chat.payloads import ACCESS_TOKEN

SUBDOMAIN_BASE = "https://acme.zendesk.com"
LEGACY_BASE = "https://www.zopim.com"
TIMEOUT = (2.5, 7.0)


def make_config(host_style: str = "subdomain", **changes: object) -> ChatConfig:
    """A configuration for tests: no backoff, so retries run at once."""
    values: dict[str, object] = {
        "base_url": SUBDOMAIN_BASE if host_style == "subdomain" else LEGACY_BASE,
        "host_style": host_style,
        "subdomain": "acme",
        "account_type": "phase4",
        "timeout": TIMEOUT,
        "backoff_factor": 0,
        **changes,
    }
    return ChatConfig(**values)  # type: ignore[arg-type]


def sent_timeout(call: responses.Call) -> object:
    """The `timeout` the client passed for one recorded call (`responses` keeps the kwargs)."""
    return getattr(call.request, "req_kwargs")["timeout"]  # noqa: B009 (not in the type stubs)


@pytest.fixture
def http(request: pytest.FixtureRequest) -> responses.RequestsMock:
    """The suite's outbound-HTTP mock, to register expected Chat API calls on."""
    mock = request.getfixturevalue("_no_outbound_http")
    assert isinstance(mock, responses.RequestsMock)
    return mock


@pytest.fixture(params=["subdomain", "legacy"])
def host_style(request: pytest.FixtureRequest) -> str:
    """Both host styles: {subdomain}.zendesk.com/api/v2/chat and www.zopim.com/api/v2."""
    return str(request.param)


@pytest.fixture
def config(host_style: str) -> ChatConfig:
    return make_config(host_style)


@pytest.fixture
def api(config: ChatConfig) -> Iterator[ChatApi]:
    with ChatApi(BearerCredential(ACCESS_TOKEN), config=config) as chat:
        yield chat


@pytest.fixture
def subdomain_api() -> Iterator[ChatApi]:
    """A client for https://acme.zendesk.com/api/v2/chat, for tests that need one host style."""
    with ChatApi(BearerCredential(ACCESS_TOKEN), config=make_config("subdomain")) as chat:
        yield chat


class Everything(logging.Handler):
    """Keeps every record, fully formatted, with any exception text."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def all_logs() -> Iterator[Everything]:
    """Root and urllib3 at DEBUG, everything captured."""
    handler = Everything()
    root = logging.getLogger()
    loggers = [root, logging.getLogger("urllib3"), logging.getLogger("chatadmin.chat")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)
