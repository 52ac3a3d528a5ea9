"""How fast the dashboard answers its Chat-backed pages: /clients/ and /tokens/.

Starts a throwaway sandbox with N extra clients (`seed_sandbox --bulk-clients N`) on a free port,
signs the sandbox owner in to an in-process dashboard (demo settings, a throwaway SQLite
database) with a token minted through the control API, then times full page loads: the
dashboard's Chat API call over real HTTP, parsing, the policy, and rendering.

    .venv/bin/python bench/dashboard_pages.py [--clients 1000] [--runs 20]
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


def _time(get: object, path: str, runs: int) -> tuple[list[float], int]:
    timings, size = [], 0
    for run in range(runs + 2):
        began = time.perf_counter()
        response = get(path)  # type: ignore[operator]
        elapsed = time.perf_counter() - began
        assert response.status_code == 200, (path, response.status_code)
        if run >= 2:  # warm-up: connections, template caches
            timings.append(elapsed)
            size = len(response.content)
    return sorted(timings), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        key = secrets.token_urlsafe(16)
        env = {
            "SANDBOX_DATABASE_URL": f"sqlite:///{Path(folder) / 'sandbox.sqlite3'}",
            "SANDBOX_CONTROL_KEY": key,
            "SANDBOX_LOG_LEVEL": "WARNING",
        }
        clean = {k: v for k, v in os.environ.items() if k not in DROPPED}
        subprocess.run(  # noqa: S603 - our interpreter, our manage.py
            [
                sys.executable,
                str(MANAGE_PY),
                "seed_sandbox",
                "--bulk-clients",
                str(options.clients),
            ],
            env={**clean, **env},
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

            os.environ.update(
                CHATADMIN_DEMO="1",
                CHATADMIN_VAR_DIR=folder,
                CHAT_BASE_URL=sandbox.url,
                DJANGO_SETTINGS_MODULE="chatadmin.settings",
                LOG_LEVEL="WARNING",
            )
            import django

            django.setup()
            from django.core.management import call_command
            from django.test import Client

            from chatadmin.accounts.credentials import credential_store
            from chatadmin.accounts.models import User
            from chatadmin.accounts.roles import Role

            call_command("migrate", verbosity=0)
            me = requests.get(
                f"{sandbox.url}/api/v2/chat/agents/me",
                headers={"Authorization": f"Bearer {grant['access_token']}"},
                timeout=10,
            ).json()
            owner = User.objects.create_user(
                email=demo.OWNER, role=Role.ADMIN, chat_agent_id=me["id"]
            )
            credential_store(
                owner,
                agent_id=me["id"],
                access_token=grant["access_token"],
                refresh_token=grant.get("refresh_token") or "",
                expires_at=None,
                scopes="read write chat",
            )
            browser = Client(HTTP_HOST="127.0.0.1")
            browser.force_login(owner)

            total = options.clients + len(demo.CLIENTS)
            for path, what in (
                ("/clients/", f"{total} clients"),
                ("/tokens/", "the owner's tokens"),
            ):
                timings, size = _time(browser.get, path, options.runs)
                p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
                print(
                    f"GET {path} ({what}), {options.runs} runs: median "
                    f"{statistics.median(timings) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
                    f"page {size / 1000:.0f} kB"
                )


if __name__ == "__main__":
    main()
