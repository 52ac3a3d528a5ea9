"""A tiny real HTTP server that plays a script of answers, to exercise urllib3's real retries.

`responses` replaces the HTTP adapter, so it cannot show connection-level retries or the sleeps
urllib3 takes for Retry-After; this server can. Each request takes the next action from the
script (a Reply, DROP: close without answering, or HANG: never answer).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

DROP: Literal["drop"] = "drop"
HANG: Literal["hang"] = "hang"


@dataclass(frozen=True)
class Reply:
    """One HTTP answer."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    # Seconds to wait before answering (a slow Chat API).
    delay: float = 0.0

    def encoded(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return b"" if self.body is None else json.dumps(self.body).encode()


Action = Reply | Literal["drop", "hang"]


@dataclass(frozen=True)
class Received:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


class ScriptedServer:
    """Serves scripted answers on 127.0.0.1 from a background thread."""

    def __init__(self) -> None:
        self.script: deque[Action] = deque()
        self.received: list[Received] = []
        self.released = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def play(self, *actions: Action) -> None:
        """Queue answers for the next requests; when the script runs out, answer 599."""
        self.script.extend(actions)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.released.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next(self, received: Received) -> Action:
        with self._lock:
            self.received.append(received)
            return self.script.popleft() if self.script else Reply(599, {"error": "unscripted"})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def handle_any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                action = server._next(
                    Received(self.command, self.path, dict(self.headers), body, time.monotonic())
                )
                if action == DROP:
                    self.close_connection = True
                    return
                if action == HANG:
                    server.released.wait(timeout=10)
                    self.close_connection = True
                    return
                assert isinstance(action, Reply)
                if action.delay and server.released.wait(timeout=action.delay):
                    self.close_connection = True
                    return
                payload = action.encoded()
                self.send_response(action.status)
                headers = {"Content-Type": "application/json", **action.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = handle_any

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the tests read `received` instead."""

        return Handler
