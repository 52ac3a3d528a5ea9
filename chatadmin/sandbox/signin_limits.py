"""Failed sign-ins on the sandbox's sign-in page pause sign-in, as Zendesk's page does.

After SANDBOX_SIGNIN_FAILURES_PER_EMAIL wrong passwords for one email, or
SANDBOX_SIGNIN_FAILURES_PER_IP from one client address, within SANDBOX_SIGNIN_WINDOW seconds,
sign-in for that email (or from that address) is refused for the next SANDBOX_SIGNIN_WINDOW
seconds, whatever the password. The counters live in the sandbox's cache, so sandbox
processes that share one (SANDBOX_CACHE_URL) share them; the control API's reset clears them.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.cache import BaseCache, cache

Scope = Literal["email", "ip"]
_PREFIX = "signin-limits"


@dataclass(frozen=True)
class Limits:
    failures_per_email: int
    failures_per_ip: int
    window: int  # seconds: failures are counted over it, and the pause lasts as long

    @classmethod
    def from_settings(cls) -> Limits:
        # getattr: the dashboard's settings, which tests and mypy read, do not define them.
        return cls(
            failures_per_email=getattr(settings, "SANDBOX_SIGNIN_FAILURES_PER_EMAIL", 5),
            failures_per_ip=getattr(settings, "SANDBOX_SIGNIN_FAILURES_PER_IP", 20),
            window=getattr(settings, "SANDBOX_SIGNIN_WINDOW", 300),
        )

    def of(self, scope: Scope) -> int:
        return self.failures_per_email if scope == "email" else self.failures_per_ip


@dataclass(frozen=True)
class Refusal:
    """Sign-in is paused for an email or an address, for `retry_after` more seconds."""

    scope: Scope
    retry_after: int

    @property
    def message(self) -> str:
        who = "this email address" if self.scope == "email" else "your network address"
        return (
            f"Too many failed sign-in attempts for {who}. Sign-in is paused: try again in "
            f"{_duration(self.retry_after)}."
        )


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _scopes(*, email: str, ip: str) -> tuple[tuple[Scope, str], ...]:
    return (("email", email), ("ip", ip))


class SignInLimits:
    """Counts failed sign-ins and decides when to pause; one instance per cache is enough."""

    def __init__(
        self,
        store: BaseCache,
        limits: Callable[[], Limits] = Limits.from_settings,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store, self.limits, self.clock = store, limits, clock

    def refusal(self, *, email: str, ip: str) -> Refusal | None:
        """The pause in force for this email or address, if any."""
        now = self.clock()
        for scope, value in _scopes(email=email, ip=ip):
            until = self.store.get(self._key("paused", scope, value))
            if until is not None and until > now:
                return Refusal(scope, max(1, math.ceil(until - now)))
        return None

    def failed(self, *, email: str, ip: str) -> Refusal | None:
        """Count a wrong password; the refusal if this failure starts a pause."""
        limits = self.limits()
        now = self.clock()
        for scope, value in _scopes(email=email, ip=ip):
            limit = limits.of(scope)
            if not limit or not value:
                continue
            counter = self._key("failures", scope, value)
            self.store.add(counter, 0, timeout=limits.window)
            try:
                failures = self.store.incr(counter)
            except ValueError:  # expired between add and incr
                failures = 1
                self.store.set(counter, failures, timeout=limits.window)
            if failures >= limit:
                # add, not set: concurrent failures must not stretch a pause already running.
                paused = self._key("paused", scope, value)
                self.store.add(paused, now + limits.window, timeout=limits.window)
                self.store.delete(counter)
        return self.refusal(email=email, ip=ip)

    def succeeded(self, *, email: str) -> None:
        """A right password: that email's failures are forgiven (the address's are not)."""
        self.store.delete(self._key("failures", "email", email))

    def clear(self) -> None:
        """Forget every counter and pause, in every process that shares the cache."""
        # No "delete by prefix" in Django's cache API: move to a new generation of keys.
        generation = self._generation_key()
        if not self.store.add(generation, 1, timeout=None):
            self.store.incr(generation)

    def _key(self, kind: str, scope: str, value: str) -> str:
        # Hashed: any email a form can carry makes a safe, short cache key.
        digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
        generation = self.store.get(self._generation_key(), 0)
        return f"{_PREFIX}:{generation}:{kind}:{scope}:{digest}"

    @staticmethod
    def _generation_key() -> str:
        return f"{_PREFIX}:generation"


limits = SignInLimits(cache)
