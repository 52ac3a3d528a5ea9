"""Starting the sandbox as a child process and waiting until it answers.

Used by `manage.py rundemo`, the `live_sandbox` test fixture and the bench. Standard library
only: the dashboard's process imports it without installing the sandbox app.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent.parent
MANAGE_PY = ROOT / "manage.py"
# Variables of the dashboard that mean nothing to the sandbox, or would confuse it.
DROPPED = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CACHE_URL")


class SandboxNotReady(RuntimeError):
    pass


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class SandboxProcess:
    """`manage.py runsandbox host:port` in a child process; `url` once started."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 8001,
        env: Mapping[str, str] | None = None,
        log: IO[bytes] | int | None = None,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.host, self.port = host, port
        self.url = f"http://{host}:{port}"
        self._env = {k: v for k, v in os.environ.items() if k not in DROPPED}
        self._env.update(env or {})
        self._log = log
        self._args = extra_args
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *, timeout: float = 30.0) -> SandboxProcess:
        """Start it and return once /health/ answers 200; raise if it exits or stays silent."""
        command = [
            sys.executable,
            str(MANAGE_PY),
            "runsandbox",
            f"{self.host}:{self.port}",
            *self._args,
        ]
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            command, cwd=ROOT, env=self._env, stdout=self._log, stderr=subprocess.STDOUT
        )
        self.wait_ready(timeout=timeout)
        return self

    def wait_ready(self, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise SandboxNotReady(
                    f"the sandbox exited with status {self.process.returncode} before answering"
                )
            if answers(f"{self.url}/health/"):
                return
            time.sleep(0.1)
        self.stop()
        raise SandboxNotReady(f"the sandbox did not answer at {self.url} within {timeout:g} s")

    def stop(self, *, timeout: float = 10.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> SandboxProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def answers(url: str) -> bool:
    """Whether GET url answers 200 within a second."""
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - http(s) only
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False
