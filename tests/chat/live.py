"""Helpers for the Chat client's tests against a live sandbox."""

from __future__ import annotations

import logging

import pytest

from chatadmin.chat import BearerCredential, ChatApi, ChatConfig
from chatadmin.sandbox import demo
from tests.fixtures.sandbox import LiveSandbox


def live_config(
    sandbox: LiveSandbox,
    host_style: str,
    *,
    account_type: str = demo.ACCOUNT_TYPE,
    **changes: object,
) -> ChatConfig:
    """The client's configuration for the live sandbox, in one host style."""
    values: dict[str, object] = {
        "base_url": sandbox.url,
        "host_style": host_style,
        "subdomain": demo.SUBDOMAIN,
        "account_type": account_type,
        "timeout": (3.0, 10.0),
        "backoff_factor": 0,
        **changes,
    }
    return ChatConfig(**values)  # type: ignore[arg-type]


def api_as(
    sandbox: LiveSandbox, host_style: str, email: str, *, scopes: str = "read write chat"
) -> ChatApi:
    """A ChatApi acting as a seeded agent, with a token minted by the sandbox."""
    token = sandbox.token_for(email, scopes=scopes)["access_token"]
    return ChatApi(BearerCredential(token), config=live_config(sandbox, host_style))


def attempts(caplog: pytest.LogCaptureFixture, method: str, path: str) -> int:
    """HTTP requests urllib3 really sent for `method path` (it logs one line per answer)."""
    return sum(
        f'"{method} {path}' in record.getMessage()
        for record in caplog.records
        if record.name.startswith("urllib3.connectionpool")
    )


def count_requests(caplog: pytest.LogCaptureFixture) -> None:
    """Let `attempts` see urllib3's per-request debug lines."""
    caplog.set_level(logging.DEBUG, logger="urllib3")
