"""Fault knobs: added latency, a share of 503 answers, and a rate limit answering 429.

They apply to the API and the token endpoint only; pages, health and the control API are
never slowed or failed, so tests can always turn the knobs back off.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from chatadmin.sandbox.errors import error_response, is_api_path, is_token_path
from chatadmin.sandbox.models import Account

OPENAPI_SUFFIX = "/openapi.json"


class FixedWindow:
    """A request counter over fixed windows, shared by the threads of this process.

    The sandbox runs as one process (threads, not workers), so process memory is the right
    place; it counts every faultable request, like an account-wide limit.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[int, int] = (0, 0)
        self._start = 0.0
        self._count = 0

    def hit(self, limit: int, window: int) -> int | None:
        """Count a request; None if allowed, else the seconds until the window ends."""
        with self._lock:
            moment = time.monotonic()
            if self._key != (limit, window) or moment >= self._start + window:
                self._key, self._start, self._count = (limit, window), moment, 0
            if self._count >= limit:
                return max(1, math.ceil(self._start + window - moment))
            self._count += 1
            return None

    def clear(self) -> None:
        with self._lock:
            self._key, self._start, self._count = (0, 0), 0.0, 0


limiter = FixedWindow()


def is_faultable(path: str) -> bool:
    return (is_api_path(path) and not path.endswith(OPENAPI_SUFFIX)) or is_token_path(path)


def _answer(request: HttpRequest, status: int, description: str, **headers: str) -> HttpResponse:
    if is_token_path(request.path):
        # The token endpoint speaks RFC 6749, whose word for "try later" is this.
        body = {"error": "temporarily_unavailable", "error_description": description}
        return JsonResponse(body, status=status, headers=headers)
    return error_response(status, description, headers=headers)


class FaultMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_faultable(request.path):
            return self.get_response(request)
        account = Account.for_request(request)
        if account.rate_limit:
            wait = limiter.hit(account.rate_limit, account.rate_window)
            if wait is not None:
                return _answer(
                    request,
                    429,
                    f"Rate limit reached: {account.rate_limit} requests per "
                    f"{account.rate_window} s (sandbox rate-limit knob). "
                    f"Retry after {wait} s.",
                    **{"Retry-After": str(wait)},
                )
        if account.latency_ms:
            time.sleep(account.latency_ms / 1000)
        # Not a security use: a coin toss for injected failures.
        if account.failure_rate and random.random() < account.failure_rate:  # noqa: S311
            return _answer(
                request,
                503,
                f"Injected failure (sandbox failure-rate knob at {account.failure_rate:.0%}).",
            )
        return self.get_response(request)
