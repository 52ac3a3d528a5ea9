"""Test-only middleware of the processes tests/procs/ starts (see tests/procs/settings.py)."""

from __future__ import annotations

import os
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PID_HEADER = "X-Test-Worker-Pid"


def worker_pid(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """Say which process answered, so a test can tell gunicorn's workers apart."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response[PID_HEADER] = str(os.getpid())
        return response

    return middleware
