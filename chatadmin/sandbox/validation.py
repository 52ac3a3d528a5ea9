"""What a valid OAuth client is: the rules behind the API's 422 answers.

The patterns are also published in the OpenAPI document, so what the document calls valid
is exactly what the sandbox accepts. No Django models here: unit tests import it directly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from chatadmin.sandbox.errors import Unprocessable
from chatadmin.vocabulary import CLIENT_TYPES, SCOPES

DEFAULT_SCOPES = "read write"  # the Chat docs' example value
MAX_TEXT = 255
MAX_REDIRECT_URIS = 2000
# Fields that may be null. Integrators meet `"company": null` in list answers (issue 11 cites
# the Chat docs' list example), so a client read from the API must go back in a PUT as it came.
NULLABLE = ("company",)

# Spelled out, never "\s": JSON Schema (ECMA-262), Python and Rust disagree on what \s
# matches (U+0085, U+00A0...), and the published patterns must mean one thing everywhere.
_SPACE = r"[ \t\n\r]"
_SPACES = re.compile(f"{_SPACE}+")
_CONTROL = r"\x00-\x1f\x7f-\x9f"  # C0, DEL and C1 control characters
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"{_LABEL}(?:\.{_LABEL})*"
_PORT = r"(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?"
_REST = rf"(?:[/?][^ #{_CONTROL}\xa0]*)?"
# https anywhere; plain http only on this machine (the Chat UI: "must be https unless localhost").
REDIRECT_URI = rf"(?:https://{_HOST}|http://(?:localhost|127\.0\.0\.1|\[::1\])){_PORT}{_REST}"
REDIRECT_URIS_PATTERN = rf"^{_SPACE}*{REDIRECT_URI}(?:{_SPACE}+{REDIRECT_URI})*{_SPACE}*$"
_SCOPE = "(?:" + "|".join(SCOPES) + ")"
SCOPES_PATTERN = rf"^{_SPACE}*{_SCOPE}(?:{_SPACE}+{_SCOPE})*{_SPACE}*$"
_NAME = rf"[^{_CONTROL}]*[^ {_CONTROL}][^{_CONTROL}]*"
_COMPANY = rf"[^{_CONTROL}]*"
NAME_PATTERN = f"^{_NAME}$"
COMPANY_PATTERN = f"^{_COMPANY}$"

# fullmatch, not match: "$" in a Python pattern also matches before a final line break.
_redirect_uri = re.compile(REDIRECT_URI)
_name = re.compile(_NAME)
_company = re.compile(_COMPANY)


def words(value: str) -> list[str]:
    """The space-separated parts of a redirect_uris or scopes string."""
    return [part for part in _SPACES.split(value) if part]


def _text(value: str, *, pattern: re.Pattern[str], blank_ok: bool) -> list[str]:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return ["Must be valid Unicode text."]
    if len(value) > MAX_TEXT:
        return [f"Must be at most {MAX_TEXT} characters."]
    if not blank_ok and not value.strip(" "):
        return ["Must not be blank."]
    if not pattern.fullmatch(value):
        return ["Must not contain control characters such as line breaks or tabs."]
    return []


def _redirect_uri_problems(value: str) -> list[str]:
    uris = words(value)
    if not uris:
        return ["Give at least one redirect URL."]
    if len(value) > MAX_REDIRECT_URIS:
        return [f"Must be at most {MAX_REDIRECT_URIS} characters in all."]
    problems = []
    for uri in uris:
        if _redirect_uri.fullmatch(uri):
            continue
        lowered = uri.lower()
        if lowered.startswith("http://"):
            problems.append(f"{uri}: plain http is only allowed for localhost; use https.")
        elif not lowered.startswith("https://"):
            problems.append(f"{uri}: must be an absolute http(s) URL.")
        elif "#" in uri:
            problems.append(f"{uri}: must not contain a fragment (#).")
        else:
            problems.append(f"{uri}: is not a valid URL (host name, port or characters).")
    return problems


def _scope_problems(value: str) -> list[str]:
    scopes = words(value)
    if not scopes:
        return [f"Give at least one scope: {', '.join(SCOPES)}."]
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        return [f"Unknown scope {', '.join(unknown)}: use {', '.join(SCOPES)}."]
    return []


def normalize_scopes(value: str) -> str:
    """Known scopes, each once, in the canonical order."""
    given = set(words(value))
    return " ".join(scope for scope in SCOPES if scope in given)


_CHECKS: dict[str, Callable[[str], list[str]]] = {
    "name": lambda v: _text(v, pattern=_name, blank_ok=False),
    "company": lambda v: _text(v, pattern=_company, blank_ok=True),
    "redirect_uris": _redirect_uri_problems,
    "scopes": _scope_problems,
    "client_type": lambda v: (
        [] if v in CLIENT_TYPES else [f"Must be one of: {', '.join(CLIENT_TYPES)}."]
    ),
}


def field_problems(field: str, value: object) -> list[str]:
    """What is wrong with one writable field's value; empty when it is fine."""
    if value is None and field in NULLABLE:
        return []
    if not isinstance(value, str):
        return ["Must be a string."]
    return _CHECKS[field](value)


def _clean(field: str, value: str | None) -> str | None:
    if value is None:
        return None
    if field == "redirect_uris":
        return " ".join(words(value))
    if field == "scopes":
        return normalize_scopes(value)
    if field in ("name", "company"):
        return value.strip(" ")
    return value


def validate(data: Mapping[str, Any]) -> dict[str, Any]:
    """The writable fields present in `data`, cleaned; Unprocessable naming every problem."""
    details: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for field in _CHECKS:
        if field not in data:
            continue
        problems = field_problems(field, data[field])
        if problems:
            details[field] = problems
        else:
            cleaned[field] = _clean(field, data[field])
    if details:
        raise Unprocessable(details)
    return cleaned
