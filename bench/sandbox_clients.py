"""How fast the sandbox lists OAuth clients: GET /api/v2/chat/oauth/clients, 10,000 clients.

Seeds a throwaway sandbox database (`seed_sandbox --bulk-clients N`), starts `runsandbox` on a
free port, mints the owner a token through the control API, then times the list over real
HTTP (one keep-alive connection, as a client library would use) and reports the median, the
95th percentile and the response size.

    .venv/bin/python bench/sandbox_clients.py [--clients 10000] [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chatadmin.sandbox import demo  # noqa: E402 - needs the path above
from chatadmin.sandbox.launcher import DROPPED, MANAGE_PY, SandboxProcess, free_port  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        key = secrets.token_urlsafe(16)
        env = {
            "SANDBOX_DATABASE_URL": f"sqlite:///{Path(folder) / 'sandbox.sqlite3'}",
            "SANDBOX_CONTROL_KEY": key,
            "SANDBOX_LOG_LEVEL": "WARNING",
        }
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 - our interpreter, our manage.py
            [
                sys.executable,
                str(MANAGE_PY),
                "seed_sandbox",
                "--bulk-clients",
                str(options.clients),
            ],
            env={**{k: v for k, v in os.environ.items() if k not in DROPPED}, **env},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"seeded {options.clients} clients in {time.perf_counter() - started:.1f} s")

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
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {minted.json()['access_token']}"
            url = f"{sandbox.url}/api/v2/chat/oauth/clients"
            expected = options.clients + len(demo.CLIENTS)

            timings, size = [], 0
            for run in range(options.runs + 2):
                began = time.perf_counter()
                response = session.get(url, timeout=30)
                body = response.content
                elapsed = time.perf_counter() - began
                assert response.status_code == 200, response.text[:200]
                if run < 2:
                    continue  # warm-up: connection, caches, first queries
                timings.append(elapsed)
                size = len(body)
            assert len(response.json()) == expected, "the list is incomplete"

    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(f"GET /api/v2/chat/oauth/clients, {expected} clients, {options.runs} runs:")
    print(
        f"  median {statistics.median(timings) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"min {timings[0] * 1000:.0f} ms, max {timings[-1] * 1000:.0f} ms"
    )
    print(f"  response {size / 1_000_000:.2f} MB ({size:,} bytes)")


if __name__ == "__main__":
    main()
