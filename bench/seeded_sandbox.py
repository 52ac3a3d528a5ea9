"""A throwaway sandbox for the benches: N extra clients, its own port, and the owner's token."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chatadmin.sandbox import demo  # noqa: E402 - needs the path above
from chatadmin.sandbox.launcher import DROPPED, MANAGE_PY, SandboxProcess, free_port  # noqa: E402


@dataclass(frozen=True)
class SeededSandbox:
    url: str
    folder: str  # a scratch folder that lives as long as the sandbox
    owner_token: str
    owner_refresh_token: str
    clients: int  # every client in the account: the demo's and the bulk ones


@contextmanager
def seeded_sandbox(extra_clients: int) -> Iterator[SeededSandbox]:
    """Seed a scratch database with more clients, serve it, and mint the owner a token."""
    with tempfile.TemporaryDirectory() as folder:
        key = secrets.token_urlsafe(16)
        env = {
            "SANDBOX_DATABASE_URL": f"sqlite:///{Path(folder) / 'sandbox.sqlite3'}",
            "SANDBOX_CONTROL_KEY": key,
            "SANDBOX_LOG_LEVEL": "WARNING",
        }
        subprocess.run(  # noqa: S603 - our interpreter, our manage.py
            [sys.executable, str(MANAGE_PY), "seed_sandbox", "--bulk-clients", str(extra_clients)],
            env={**{k: v for k, v in os.environ.items() if k not in DROPPED}, **env},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with (
            (Path(folder) / "sandbox.log").open("wb") as log,
            SandboxProcess(port=free_port(), env=env, log=log) as sandbox,
        ):
            minted = requests.post(
                f"{sandbox.url}/_sandbox/control/tokens",
                json={"email": demo.OWNER, "client_identifier": demo.DASHBOARD_CLIENT_ID},
                headers={"X-Sandbox-Control-Key": key},
                timeout=10,
            )
            minted.raise_for_status()
            grant = minted.json()
            yield SeededSandbox(
                url=sandbox.url,
                folder=folder,
                owner_token=grant["access_token"],
                owner_refresh_token=grant.get("refresh_token") or "",
                clients=extra_clients + len(demo.CLIENTS),
            )


def percentiles(timings: list[float]) -> tuple[float, float]:
    """(median, p95) of timings in seconds."""
    ordered = sorted(timings)
    return ordered[len(ordered) // 2], ordered[max(0, round(0.95 * len(ordered)) - 1)]
