"""The demo server's request log leaves out query strings, where OAuth codes travel."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIRequestHandler

from chatadmin.core.request_log import without_query

ROOT = Path(__file__).resolve().parent.parent.parent
CODE = "SECRET-CODE-0f9e8d"


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def server_log() -> Iterator[list[str]]:
    """What the development server's request logger writes, line by line."""
    lines = _Lines()
    logger = logging.getLogger("django.server")
    logger.addHandler(lines)
    yield lines.lines
    logger.removeHandler(lines)


def _log_request(request_line: str, status: str = "302") -> None:
    """Log a request the way runserver's request handler does."""
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None  # type: ignore[assignment]
    handler.log_date_time_string = lambda: "29/Nov/2026 10:00:00"  # type: ignore[method-assign]
    handler.log_message('"%s" %s %s', request_line, status, "0")


def test_the_request_line_is_logged_without_its_query(server_log: list[str]) -> None:
    _log_request(f"GET /accounts/zendeskchat/login/callback/?code={CODE}&state=abc HTTP/1.1")
    assert server_log == ['"GET /accounts/zendeskchat/login/callback/ HTTP/1.1" 302 0']


def test_an_error_quoting_the_request_keeps_its_query_out_too(server_log: list[str]) -> None:
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None  # type: ignore[assignment]
    handler.log_date_time_string = lambda: "29/Nov/2026 10:00:00"  # type: ignore[method-assign]
    handler.log_message("code %d, message %s", 400, f"Bad request version ('GET /x?code={CODE}')")
    assert CODE not in " ".join(server_log)


def test_without_query_leaves_paths_alone() -> None:
    assert without_query("GET /tokens/ HTTP/1.1") == "GET /tokens/ HTTP/1.1"
    assert without_query(f"GET /a/?code={CODE}#x HTTP/1.1") == "GET /a/ HTTP/1.1"


def test_the_demo_servers_log_line_for_a_code_has_no_query(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"))
    }
    env.update(CHATADMIN_DEMO="1", CHATADMIN_VAR_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "rundemo", "--no-sandbox", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "chatadmin.settings"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                url = f"http://127.0.0.1:{port}/health/?code={CODE}&state=xyz"
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.status == 200
                break
            except OSError:
                assert server.poll() is None, "the demo server stopped"
                assert time.monotonic() < deadline, "the demo server did not start"
                time.sleep(0.3)
        time.sleep(0.3)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert '"GET /health/ HTTP/1.1" 200' in output, output
    assert CODE not in output
    assert "state=xyz" not in output
