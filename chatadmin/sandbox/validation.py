"""What a valid OAuth client is: the rules behind the API's 422 answers.

The patterns are also published in the OpenAPI document, so what the document calls valid
is exactly what the sandbox accepts. No Django models here: unit tests import it directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from chatadmin.sandbox.errors import Unprocessable

CLIENT_TYPES = ("public", "confidential")
SCOPES = ("read", "write", "chat")
DEFAULT_SCOPES = "read write"  # the Chat docs' example value
MAX_TEXT = 255
MAX_REDIRECT_URIS = 2000

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


def validate(data: Mapping[str, Any]) -> dict[str, Any]:
    """The writable fields present in `data`, cleaned; Unprocessable naming every problem."""
    checks = {
        "name": lambda v: _text(v, pattern=_name, blank_ok=False),
        "company": lambda v: _text(v, pattern=_company, blank_ok=True),
        "redirect_uris": _redirect_uri_problems,
        "scopes": _scope_problems,
        "client_type": lambda v: (
            [] if v in CLIENT_TYPES else [f"Must be one of: {', '.join(CLIENT_TYPES)}."]
        ),
    }
    details: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for field, check in checks.items():
        if field not in data:
            continue
        value = data[field]
        problems = ["Must be a string."] if not isinstance(value, str) else check(value)
        if problems:
            details[field] = problems
            continue
        if field == "redirect_uris":
            value = " ".join(words(value))
        elif field == "scopes":
            value = normalize_scopes(value)
        elif field in ("name", "company"):
            value = value.strip(" ")
        cleaned[field] = value
    if details:
        raise Unprocessable(details)
    return cleaned
