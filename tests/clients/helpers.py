"""Small helpers for the clients pages' tests."""

from __future__ import annotations

from typing import Protocol

import responses

from chatadmin.audit.models import AuditEvent


class Answer(Protocol):
    """What the test client returns, as far as these helpers look at it."""

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


def writes(mock: responses.RequestsMock) -> list[str]:
    """The changing calls made to the Chat API (anything but GET), as "METHOD path"."""
    return [
        f"{call.request.method} {call.request.path_url}"
        for call in mock.calls
        if call.request.method != "GET"
    ]


def events(action: str) -> list[AuditEvent]:
    """The audit events recorded for an action, oldest first."""
    return list(AuditEvent.objects.filter(action=action).order_by("id"))
