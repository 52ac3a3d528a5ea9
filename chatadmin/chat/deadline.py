"""One deadline per page view across every Chat call, retry and `Retry-After` wait.

A view may make several calls, each with a (connect, read) timeout and retries; without a
shared budget a page could wait many times the read timeout. The request middleware opens
a deadline; the transport caps every attempt's timeouts, and every wait between attempts,
by what is left of it, and gives up as soon as nothing is left. Outside a deadline (a
management command, a test calling the client directly) only the timeouts apply.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

# Below this many seconds left, another attempt could not get an answer anyway.
SMALLEST_ATTEMPT = 0.05


@dataclass(frozen=True)
class Deadline:
    """The moment (time.monotonic) by which a page view stops waiting on Chat."""

    at: float
    seconds: float

    def remaining(self) -> float:
        return self.at - time.monotonic()


_current: ContextVar[Deadline | None] = ContextVar("chat_deadline", default=None)


@contextmanager
def chat_deadline(seconds: float) -> Iterator[Deadline]:
    """Give the calls made inside this block `seconds` in all (an inner block cannot extend it)."""
    outer = _current.get()
    deadline = Deadline(time.monotonic() + seconds, seconds)
    if outer is not None and outer.at < deadline.at:
        deadline = outer
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)


def current_deadline() -> Deadline | None:
    """The deadline of the page view in progress, if any."""
    return _current.get()


def remaining() -> float | None:
    """Seconds left for Chat calls in this page view (None: no deadline)."""
    deadline = _current.get()
    return None if deadline is None else deadline.remaining()


def capped(timeout: tuple[float, float]) -> tuple[float, float] | None:
    """The (connect, read) timeouts cut to what is left; None when too little is left to try."""
    left = remaining()
    if left is None:
        return timeout
    if left < SMALLEST_ATTEMPT:
        return None
    connect, read = timeout
    return (min(connect, left), min(read, left))


def may_wait(seconds: float) -> bool:
    """Whether waiting this long before another attempt still leaves time for that attempt."""
    left = remaining()
    return left is None or seconds + SMALLEST_ATTEMPT <= left
