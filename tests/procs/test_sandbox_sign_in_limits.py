"""The sandbox's sign-in limits hold across two sandbox processes that share a Redis.

The Chat sign-in page (the sandbox's, like Zendesk's) pauses an email after 5 wrong passwords
in 300 s. Two sandbox processes on one database and one SANDBOX_CACHE_URL take the attempts in
turn: they must count them together. With each its own local memory they would count 3 and 2,
and pause nobody.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests

from chatadmin.sandbox import demo
from chatadmin.sandbox.launcher import SandboxProcess, free_port
from tests.fixtures.sandbox import LiveSandbox
from tests.procs.processes import redis_url
from tests.sandbox.helpers import Browser, authorize_link

pytestmark = [pytest.mark.live, pytest.mark.usefixtures("redis_needed")]

PAUSED = "Too many failed sign-in attempts"
WRONG = "Please enter a correct email and password"
FAILURES_ALLOWED = 5  # SANDBOX_SIGNIN_FAILURES_PER_EMAIL's default


@pytest.fixture
def two_sandboxes(tmp_path: Path) -> Iterator[list[LiveSandbox]]:
    """Two sandbox processes: one database (SQLite, WAL), one Redis for their counters."""
    key = secrets.token_urlsafe(24)
    env = {
        "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path / 'sandbox.sqlite3'}",
        "SANDBOX_CACHE_URL": redis_url(),
        "SANDBOX_CONTROL_KEY": key,
        "SANDBOX_SECRET_KEY": secrets.token_urlsafe(50),
        "CHATADMIN_VAR_DIR": str(tmp_path),
    }
    started: list[LiveSandbox] = []
    with ExitStack() as stack:
        for name, args in (("a", ("--seed",)), ("b", ("--no-seed",))):
            log_path = tmp_path / f"sandbox-{name}.log"
            log = stack.enter_context(log_path.open("wb"))
            process = SandboxProcess(port=free_port(), env=env, log=log, extra_args=args)
            stack.enter_context(process)  # started now, stopped at the end
            started.append(LiveSandbox(process, key, log_path))
        started[0].control("POST", "reset").raise_for_status()  # no counters left from before
        yield started


def _attempt(browser: Browser, password: str) -> requests.Response:
    link = authorize_link(
        browser.sandbox,
        response_type="code",
        client_id="agent1-local-tool",
        redirect_uri=demo.LOCALHOST,
        state="st",
    )
    page = browser.get(link)
    assert "Sign in as a sandbox agent" in page.text, page.text[:500]
    return browser.submit(page, {"username": demo.AGENT1, "password": password})


def test_failed_sign_ins_on_two_sandbox_processes_are_counted_together(
    two_sandboxes: list[LiveSandbox],
) -> None:
    browsers = [Browser(sandbox) for sandbox in two_sandboxes]

    for attempt in range(FAILURES_ALLOWED - 1):
        failed = _attempt(browsers[attempt % 2], "wrong password")
        assert failed.status_code == 400 and WRONG in failed.text
    paused = _attempt(browsers[(FAILURES_ALLOWED - 1) % 2], "wrong password")
    assert paused.status_code == 429 and PAUSED in paused.text

    for browser in browsers:  # the right password, on each process
        refused = _attempt(browser, demo.PASSWORD)

        assert refused.status_code == 429 and PAUSED in refused.text
        assert "to use your Chat account?" not in refused.text  # no consent, so no code
        assert "sandbox_sessionid" not in browser.session.cookies
