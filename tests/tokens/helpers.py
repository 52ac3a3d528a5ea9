"""Small helpers for the token pages' tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import responses
from responses import matchers

from chatadmin.audit.models import AuditEvent


class Answer(Protocol):
    """What a test client's response offers that these helpers read."""

    content: bytes


def htmx(target: str) -> dict[str, str]:
    """The headers htmx sends for a request that swaps `#target`."""
    return {"HX-Request": "true", "HX-Target": target}


def text(response: Answer) -> str:
    return response.content.decode()


def is_fragment(response: Answer, region: str) -> bool:
    """The answer is the region alone: no page around it."""
    body = text(response).strip()
    return "<html" not in body and body.startswith(f'<div id="{region}"')


def calls(mock: responses.RequestsMock, *, reads: bool = False) -> list[str]:
    """The calls made to the Chat API as "METHOD path" (only changes unless `reads`)."""
    return [
        f"{call.request.method} {call.request.path_url}"
        for call in mock.calls
        if reads or call.request.method != "GET"
    ]


def events(action: str) -> list[AuditEvent]:
    """The audit events recorded for an action, oldest first."""
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def bearer(token: str) -> list[Callable[..., Any]]:
    """A matcher: the call was made with this bearer token (the person's own)."""
    return [matchers.header_matcher({"Authorization": f"Bearer {token}"})]
