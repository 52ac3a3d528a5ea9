"""The sandbox's settings that change at run time: account, token lifetimes and fault knobs;
and the sign-in limits, which are read once at start.

One description of every knob, used both to read the environment at start (SANDBOX_*) and
to validate the control API's bodies, so the two can never disagree. Pure Python: the
settings module imports it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from chatadmin.vocabulary import ACCOUNT_TYPES

# A DNS label, like Zendesk subdomains.
SUBDOMAIN_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
TEN_YEARS = 10 * 365 * 86_400


@dataclass(frozen=True)
class Knob:
    name: str
    kind: type  # int, float or str
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    help: str = ""

    @property
    def env(self) -> str:
        return f"SANDBOX_{self.name.upper()}"

    def clean(self, raw: object) -> Any:
        """The value, or ValueError with a sentence saying what is wrong."""
        if self.kind is str:
            return self._clean_str(raw)
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ValueError(f"Must be a number{self._range()}.")
        if self.kind is int and (isinstance(raw, float) and not raw.is_integer()):
            raise ValueError(f"Must be a whole number{self._range()}.")
        value = self.kind(raw)
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            raise ValueError(f"Must be{self._range()}.")
        return value

    def _clean_str(self, raw: object) -> str:
        if not isinstance(raw, str):
            raise ValueError("Must be a string.")
        value = raw.strip().lower()
        if self.choices is not None and value not in self.choices:
            raise ValueError(f"Must be one of: {', '.join(self.choices)}.")
        if self.name == "subdomain" and not SUBDOMAIN_PATTERN.match(value):
            raise ValueError(
                "Must be a subdomain label: lowercase letters, digits and hyphens, "
                "at most 63 characters."
            )
        return value

    def _range(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f" from {self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f" of at least {self.minimum:g}"
        return ""


ACCOUNT = (
    Knob("account_type", str, "phase4", choices=ACCOUNT_TYPES, help="Chat account type"),
    Knob("subdomain", str, "demo", help="Zendesk subdomain of the account"),
)
TOKEN_TTLS = (
    # The Chat docs' token example expires 10 hours after it was created.
    Knob("access_token_ttl", int, 36_000, 1, TEN_YEARS, help="access token lifetime, seconds"),
    Knob("refresh_token_ttl", int, 30 * 86_400, 1, TEN_YEARS, help="refresh token lifetime"),
    # allauth's IdP and most servers use 60 s for codes; the Chat docs only say "quickly".
    Knob("code_ttl", int, 60, 1, 3_600, help="authorization code lifetime, seconds"),
)
FAULTS = (
    Knob("latency_ms", int, 0, 0, 60_000, help="added latency per request, milliseconds"),
    Knob("failure_rate", float, 0.0, 0, 1, help="share of requests answered 503, 0 to 1"),
    Knob("rate_limit", int, 0, 0, 1_000_000, help="requests per window, 0 for no limit"),
    Knob("rate_window", int, 60, 1, 86_400, help="rate-limit window, seconds"),
)
ALL = ACCOUNT + TOKEN_TTLS + FAULTS  # the Account row's fields
# Start-time only (settings SANDBOX_SIGNIN_*), not in the Account row: failed sign-ins on the
# sign-in page, per email and per client address, before sign-in pauses for the window.
SIGNIN = (
    Knob("signin_failures_per_email", int, 5, 0, 100_000, help="failed sign-ins per email"),
    Knob("signin_failures_per_ip", int, 20, 0, 100_000, help="failed sign-ins per address"),
    Knob("signin_window", int, 300, 1, 86_400, help="counting window and pause, seconds"),
)


def clean(
    data: Mapping[str, object], knobs: tuple[Knob, ...]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The known knobs in `data`, cleaned, and the problems found, per field."""
    values: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for knob in knobs:
        if knob.name not in data:
            continue
        try:
            values[knob.name] = knob.clean(data[knob.name])
        except ValueError as error:
            problems[knob.name] = [str(error)]
    return values, problems


def from_environment(environ: Mapping[str, str], group: tuple[Knob, ...] = ALL) -> dict[str, Any]:
    """Every knob's starting value: SANDBOX_<NAME> when set, else the default."""
    values: dict[str, Any] = {}
    for knob in group:
        raw = environ.get(knob.env, "").strip()
        if not raw:
            values[knob.name] = knob.default
            continue
        parsed: object = raw
        if knob.kind is not str:
            try:
                parsed = float(raw)
            except ValueError:
                parsed = raw
        try:
            values[knob.name] = knob.clean(parsed)
        except ValueError as error:
            raise ImproperlyConfigured(f"{knob.env}={raw!r}: {error}") from error
    return values
