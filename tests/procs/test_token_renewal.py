"""Two OS processes renewing one expired Chat credential at the same moment, against a live sandbox.

The sandbox's refresh tokens rotate, and a refresh token used twice revokes its whole chain: had
both processes spent it, the person would be signed out (the sign-in) or support staff cut off
(the account connection). The renewal locks the credential's row (SELECT ... FOR UPDATE on
PostgreSQL, a transaction that begins IMMEDIATE on SQLite), so the second process waits and uses
what the first renewed. The sandbox adds latency to the token endpoint, so that without the lock
both processes would certainly be inside their renewal at once.

First with two worker processes released together by a barrier file (the sign-in and the
connection), then end to end: two page views of the person at once, on two gunicorn workers.
"""

from __future__ import annotations

import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from chatadmin.sandbox import demo
from tests.fixtures.sandbox import LiveSandbox
from tests.procs.middleware import PID_HEADER
from tests.procs.processes import (
    PROCESS_SECONDS,
    Database,
    Gunicorn,
    dashboard_env,
    sessions_on_distinct_workers,
    worker,
    worker_result,
    worker_start,
)

pytestmark = pytest.mark.live

# Long enough that two unlocked renewals would overlap however loaded the machine is.
TOKEN_LATENCY_MS = 400


def _go_when_ready(barrier: Path, names: list[str], processes: list[subprocess.Popen[str]]) -> None:
    """Release every worker at once, when each has said it is ready."""
    deadline = time.monotonic() + PROCESS_SECONDS
    while not all((barrier / f"ready-{name}").exists() for name in names):
        assert time.monotonic() < deadline, "the workers never got ready"
        for process in processes:
            assert process.poll() is None, "a worker exited before the barrier"
        time.sleep(0.01)
    (barrier / "go").touch()


@pytest.mark.parametrize("kind", ["sign-in", "connection"])
def test_two_processes_renewing_one_expired_token_spend_one_refresh_and_keep_it_working(
    sandbox: LiveSandbox, database: Database, kind: str, tmp_path: Path
) -> None:
    minted = sandbox.token_for(demo.OWNER)
    env = dashboard_env(database_url=database.url, chat_base_url=sandbox.url, var_dir=tmp_path)
    person = {"kind": kind, "email": demo.OWNER}
    worker(
        "seed",
        {
            **person,
            "agent_id": minted["agent_id"],
            "access_token": minted["access_token"],
            "refresh_token": minted["refresh_token"],
        },
        env,
    )
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    sandbox.set_faults(latency_ms=TOKEN_LATENCY_MS)
    names = ["a", "b"]
    processes = [
        worker_start("renew", {**person, "barrier": str(barrier), "name": name}, env)
        for name in names
    ]

    _go_when_ready(barrier, names, processes)
    first, second = (worker_result(process) for process in processes)
    sandbox.set_faults(latency_ms=0)

    assert first["pid"] != second["pid"]
    assert first["ok"], first
    assert second["ok"], second
    assert first["agent"] == second["agent"] == demo.OWNER
    # Both ended with the one renewed token: the second used what the first renewed.
    assert first["token"] == second["token"]
    assert sandbox.token_chain(minted["id"]) == {"refreshes": 1, "tokens": 2, "live": 1}

    later = worker("check", person, env)  # a later request, in yet another process

    assert later["ok"], later
    assert later["agent"] == demo.OWNER
    assert later["stored"] == later["token"] == first["token"]
    assert later["stored_expired"] is False
    assert later["refresh_failures"] == 0  # nobody was signed out, nothing was cut off
    assert sandbox.token_chain(minted["id"]) == {"refreshes": 1, "tokens": 2, "live": 1}


def test_two_gunicorn_workers_serving_one_person_at_once_renew_once_and_keep_them_signed_in(
    sandbox: LiveSandbox, database: Database, tmp_path: Path
) -> None:
    """The same through real HTTP: two page views of one person, at once, on two workers.

    The cache is local memory (the embedded default): the renewal needs only the database.
    """
    minted = sandbox.token_for(demo.OWNER)
    env = dashboard_env(database_url=database.url, chat_base_url=sandbox.url, var_dir=tmp_path)
    person = {"kind": "sign-in", "email": demo.OWNER}
    worker(
        "seed",
        {
            **person,
            "agent_id": minted["agent_id"],
            "access_token": minted["access_token"],
            "refresh_token": minted["refresh_token"],
        },
        env,
    )
    cookie = worker("session", {"email": demo.OWNER}, env)
    with (tmp_path / "gunicorn.log").open("w") as log, Gunicorn(env, workers=2, log=log) as server:
        browsers = sessions_on_distinct_workers(server.url)
        for browser in browsers:
            browser.cookies.set(cookie["cookie"], cookie["value"])
        sandbox.set_faults(latency_ms=TOKEN_LATENCY_MS)
        together = threading.Barrier(len(browsers))

        def tokens_page(browser: requests.Session) -> requests.Response:
            together.wait(timeout=PROCESS_SECONDS)
            return browser.get(f"{server.url}/tokens/", allow_redirects=False, timeout=30)

        with ThreadPoolExecutor(len(browsers)) as pool:
            pages = list(pool.map(tokens_page, browsers))
        sandbox.set_faults(latency_ms=0)

        assert pages[0].headers[PID_HEADER] != pages[1].headers[PID_HEADER]
        for page in pages:
            assert page.status_code == 200, (page.status_code, page.headers.get("Location"))
        assert sandbox.token_chain(minted["id"]) == {"refreshes": 1, "tokens": 2, "live": 1}
        for browser in browsers:  # still signed in, on both workers
            again = browser.get(f"{server.url}/tokens/", allow_redirects=False, timeout=30)
            assert again.status_code == 200

    later = worker("check", person, env)
    assert later["ok"] and later["stored"] == later["token"], later
    assert later["refresh_failures"] == 0
    assert sandbox.token_chain(minted["id"]) == {"refreshes": 1, "tokens": 2, "live": 1}
