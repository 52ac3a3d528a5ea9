"""A sign-out through one gunicorn worker ends the session on the other one too, on Redis.

Sessions are `cached_db`: read from the cache first. With Redis every worker reads the same
copy, so the sign-out's deletion reaches them all. With local memory the other worker would go
on serving its own cached copy of the session (for up to CHATADMIN_SESSION_HOURS).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.procs.middleware import PID_HEADER
from tests.procs.processes import (
    Database,
    Gunicorn,
    dashboard_env,
    redis_url,
    sessions_on_distinct_workers,
    worker,
)

pytestmark = [pytest.mark.live, pytest.mark.usefixtures("redis_needed")]

EMAIL = "sessions@procs.test"


@pytest.fixture
def dashboard(
    sqlite_database: Database, tmp_path: Path, cache_prefix: str
) -> Iterator[tuple[Gunicorn, dict[str, str]]]:
    env = dashboard_env(
        database_url=sqlite_database.url,
        chat_base_url="http://127.0.0.1:9",  # these pages never call Chat
        var_dir=tmp_path,
        cache_url=redis_url(),
        CHATADMIN_TEST_KEY_PREFIX=cache_prefix,
    )
    worker("seed-local", {"email": EMAIL, "password": "right horse battery staple 42"}, env)
    with (tmp_path / "gunicorn.log").open("w") as log, Gunicorn(env, workers=2, log=log) as server:
        yield server, env


def test_a_sign_out_through_one_worker_ends_the_session_on_the_other(
    dashboard: tuple[Gunicorn, dict[str, str]],
) -> None:
    server, env = dashboard
    cookie = worker("session", {"email": EMAIL}, env)
    first, second = sessions_on_distinct_workers(server.url)
    for browser in (first, second):
        browser.cookies.set(cookie["cookie"], cookie["value"])
        page = browser.get(f"{server.url}/settings/", allow_redirects=False, timeout=20)
        assert page.status_code == 200  # each worker has read (and cached) the session

    form = second.get(f"{server.url}/accounts/logout/", timeout=20)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, form.text[:500]
    signed_out = second.post(
        f"{server.url}/accounts/logout/",
        data={"csrfmiddlewaretoken": token.group(1)},
        allow_redirects=False,
        timeout=20,
    )
    assert signed_out.status_code == 302

    first.cookies.set(cookie["cookie"], cookie["value"])  # the old cookie, still sent
    after = first.get(f"{server.url}/settings/", allow_redirects=False, timeout=20)

    assert after.headers[PID_HEADER] != signed_out.headers[PID_HEADER]
    assert after.status_code == 302 and "/accounts/login/" in after.headers["Location"]
