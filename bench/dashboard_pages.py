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
import time

import requests
from seeded_sandbox import percentiles, seeded_sandbox


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
    return timings, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()

    with seeded_sandbox(options.clients) as sandbox:
        os.environ.update(
            CHATADMIN_DEMO="1",
            CHATADMIN_VAR_DIR=sandbox.folder,
            CHAT_BASE_URL=sandbox.url,
            DJANGO_SETTINGS_MODULE="chatadmin.settings",
            LOG_LEVEL="WARNING",
        )
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from chatadmin.accounts.chat_access import credential_store
        from chatadmin.accounts.models import User
        from chatadmin.accounts.roles import Role
        from chatadmin.sandbox import demo

        call_command("migrate", verbosity=0)
        me = requests.get(
            f"{sandbox.url}/api/v2/chat/agents/me",
            headers={"Authorization": f"Bearer {sandbox.owner_token}"},
            timeout=10,
        ).json()
        owner = User.objects.create_user(email=demo.OWNER, role=Role.ADMIN, chat_agent_id=me["id"])
        credential_store(
            owner,
            agent_id=me["id"],
            access_token=sandbox.owner_token,
            refresh_token=sandbox.owner_refresh_token,
            expires_at=None,
            scopes="read write chat",
        )
        browser = Client(HTTP_HOST="127.0.0.1")
        browser.force_login(owner)

        for path, what in (
            ("/clients/", f"{sandbox.clients} clients"),
            ("/tokens/", "the owner's tokens"),
        ):
            timings, size = _time(browser.get, path, options.runs)
            median, p95 = percentiles(timings)
            print(
                f"GET {path} ({what}), {options.runs} runs: median {median * 1000:.0f} ms, "
                f"p95 {p95 * 1000:.0f} ms, page {size / 1000:.0f} kB"
            )


if __name__ == "__main__":
    main()
