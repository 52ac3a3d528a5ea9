"""Helpers for the token pages' tests beyond the shared ones in tests.fixtures.pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from responses import matchers


def bearer(token: str) -> list[Callable[..., Any]]:
    """A matcher: the call was made with this bearer token (the person's own)."""
    return [matchers.header_matcher({"Authorization": f"Bearer {token}"})]
