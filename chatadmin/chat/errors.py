"""What can go wrong talking to the Chat API: a small hierarchy, each with a plain explanation.

Views catch only these. `str()` of any of them is safe to log: it never carries a token,
secret, password, code or response body.
"""

from __future__ import annotations

from collections.abc import Mapping


class ChatError(Exception):
    """Something went wrong with the Chat API; `.explanation` is a sentence for a person.

    `maybe_done`: the call may have been carried out although no good answer came back (a read
    timeout, a gateway error, an unreadable 2xx), so a change it asked for is of unknown
    outcome. `attempts`: how many times the call was sent (retries included).
    """

    def __init__(self, explanation: str, *, maybe_done: bool = False, attempts: int = 1) -> None:
        super().__init__(explanation)
        self.explanation = explanation
        self.maybe_done = maybe_done
        self.attempts = attempts

    def __str__(self) -> str:
        return self.explanation


class ChatUnavailable(ChatError):
    """The Chat API could not be reached or is overloaded (timeout, connection, 5xx, 429)."""

    def __init__(
        self,
        explanation: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        maybe_done: bool = False,
        attempts: int = 1,
    ) -> None:
        super().__init__(explanation, maybe_done=maybe_done, attempts=attempts)
        self.status = status
        self.retry_after = retry_after

    def __str__(self) -> str:
        prefix = f"[{self.status}] " if self.status else ""
        return f"{prefix}{self.explanation}"


class ChatRefused(ChatError):
    """The Chat API answered with a 4xx: `.status`, `.error` (upstream code), `.description`."""

    def __init__(
        self,
        explanation: str,
        *,
        status: int,
        error: str = "",
        description: str = "",
        details: Mapping[str, tuple[str, ...]] | None = None,
        maybe_done: bool = False,
        attempts: int = 1,
    ) -> None:
        super().__init__(explanation, maybe_done=maybe_done, attempts=attempts)
        self.status = status
        self.error = error
        self.description = description
        self.details: Mapping[str, tuple[str, ...]] = dict(details or {})

    def __str__(self) -> str:
        code = f" {self.error}" if self.error else ""
        return f"[{self.status}{code}] {self.explanation}"

    @property
    def after_retry(self) -> bool:
        """This answered a second or later attempt: an earlier one failed on the way."""
        return self.attempts > 1


class ChatBadResponse(ChatError):
    """The Chat API answered something chatadmin cannot read (not JSON, unexpected shape)."""

    def __init__(
        self, explanation: str, *, status: int | None = None, maybe_done: bool = False
    ) -> None:
        super().__init__(explanation, maybe_done=maybe_done)
        self.status = status


class ChatConfigurationError(ChatError):
    """chatadmin is set up in a way the Chat API cannot work with (e.g. basic auth on Phase 4)."""
