"""Reading the Chat API's JSON at the boundary: tolerant of what it really sends, strict on types.

Tolerated: dates with and without `Z` (naive means UTC), `redirect_uris` as one string
(space-, newline- or comma-separated) or a JSON array, `scopes` space-separated, `enabled`
as 1/0 or true/false, unknown extra fields. A missing required field or a wrong type raises
ChatBadResponse, naming the field but never echoing its value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from chatadmin.chat import explanations
from chatadmin.chat.errors import ChatBadResponse

# Several redirect URIs in one string: split on whitespace, and on a comma that starts the next
# absolute URI (a comma inside a URI, e.g. in its query string, is kept).
URI_SEPARATOR = re.compile(r"\s*,\s*(?=[A-Za-z][A-Za-z0-9+.\-]*://)|\s+")


def bad(what: str) -> ChatBadResponse:
    """The error for a payload that does not have the expected shape."""
    return ChatBadResponse(explanations.bad_response(what))


def parse_date(value: str) -> datetime:
    """An ISO-8601 timestamp, with or without `Z` or an offset; a naive one is taken as UTC."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def split_words(value: str) -> tuple[str, ...]:
    """Space-separated words (scopes), without empties or repeats, in order."""
    return tuple(dict.fromkeys(value.split()))


def split_uris(value: str) -> tuple[str, ...]:
    """Redirect URIs packed into one string, or a JSON array given as a string."""
    text = value.strip()
    if text.startswith("["):
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        if isinstance(items, list) and all(isinstance(item, str) for item in items):
            return tuple(dict.fromkeys(item.strip() for item in items if item.strip()))
    pieces = (piece.strip().rstrip(",") for piece in URI_SEPARATOR.split(text))
    return tuple(dict.fromkeys(piece for piece in pieces if piece))


def uris_of(value: str | list[str] | None) -> tuple[str, ...]:
    """Redirect URIs sent as one string, as a JSON array of strings, or not at all (null)."""
    if value is None:
        return ()
    if isinstance(value, list):
        return split_uris(json.dumps(value))
    return split_uris(value)


class Fields:
    """Typed, checked access to the fields of one JSON object."""

    def __init__(self, data: object, *, what: str) -> None:
        if not isinstance(data, dict):
            raise bad(f"expected {what} to be a JSON object")
        self.data: dict[str, Any] = data
        self.what = what

    def _wrong(self, name: str, expected: str) -> ChatBadResponse:
        return bad(f"{self.what} field {name!r} should be {expected}")

    def _present(self, name: str) -> Any:
        return self.data.get(name)

    def integer(self, name: str) -> int:
        """A required integer."""
        value = self.optional_integer(name)
        if value is None:
            raise self._wrong(name, "an integer and is missing")
        return value

    def optional_integer(self, name: str) -> int | None:
        """An integer, or None when missing or null."""
        value = self._present(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(name, "an integer")
        return value

    def text(self, name: str) -> str:
        """A string; missing or null reads as empty."""
        value = self._present(name)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self._wrong(name, "a string")
        return value

    def required_text(self, name: str) -> str:
        """A string that must be there and not be empty."""
        value = self.text(name)
        if not value:
            raise self._wrong(name, "a non-empty string and is missing")
        return value

    def optional_text(self, name: str) -> str | None:
        """A string, or None when missing or null."""
        return None if self._present(name) is None else self.text(name)

    def flag(self, name: str, *, default: bool = False) -> bool:
        """A yes/no sent as true/false or 1/0."""
        value = self._present(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in {0, 1}:
            return bool(value)
        raise self._wrong(name, "true/false or 1/0")

    def date(self, name: str) -> datetime | None:
        """An ISO-8601 date, or None when missing, null or empty."""
        value = self.text(name)
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError as error:
            raise self._wrong(name, "an ISO-8601 date") from error

    def words(self, name: str) -> tuple[str, ...]:
        """Space-separated words (also accepted as a JSON array of strings)."""
        value = self._present(name)
        if isinstance(value, list):
            return split_words(" ".join(self._strings(name, value)))
        return split_words(self.text(name))

    def uris(self, name: str) -> tuple[str, ...]:
        """Redirect URIs sent as one string or as a JSON array of strings."""
        value = self._present(name)
        if isinstance(value, list):
            return uris_of(self._strings(name, value))
        return uris_of(self.text(name))

    def nested(self, name: str) -> Fields | None:
        """A nested object, or None when missing or null."""
        value = self._present(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self._wrong(name, "an object")
        return Fields(value, what=f"{self.what} {name}")

    def _strings(self, name: str, items: Iterable[object]) -> list[str]:
        strings = list(items)
        if not all(isinstance(item, str) for item in strings):
            raise self._wrong(name, "a list of strings")
        return [str(item) for item in strings]


def object_list(data: object, *, what: str) -> list[object]:
    """A bare JSON array (the Chat API has no envelope around lists)."""
    if not isinstance(data, list):
        raise bad(f"expected a JSON array of {what}")
    return data
