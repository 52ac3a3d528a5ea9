"""Sign-in rate limits hold across gunicorn's workers when the cache is Redis.

allauth counts failed sign-ins in the cache (ACCOUNT_RATE_LIMITS["login_failed"]: 5 per email
in 300 s). Two gunicorn workers each hold one keep-alive connection of the test, so every
attempt goes to the worker the test chose: failures alternate between them and must be counted
together. With local memory each worker would count only its own and the right password would
get through after 3 + 2 failures.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

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

EMAIL = "limits@procs.test"
PASSWORD = "right horse battery staple 42"
WRONG = "The email address and/or password you specified are not correct."
LIMITED = "Too many failed login attempts"
FAILURES_ALLOWED = 5  # ACCOUNT_RATE_LIMITS["login_failed"]: 5/300s/key


@pytest.fixture
def dashboard(sqlite_database: Database, tmp_path: Path, cache_prefix: str) -> Iterator[Gunicorn]:
    """chatadmin under gunicorn, 2 workers, on Redis; one local account."""
    env = dashboard_env(
        database_url=sqlite_database.url,
        chat_base_url="http://127.0.0.1:9",  # these pages never call Chat
        var_dir=tmp_path,
        cache_url=redis_url(),
        CHATADMIN_TEST_KEY_PREFIX=cache_prefix,
    )
    worker("seed-local", {"email": EMAIL, "password": PASSWORD}, env)
    with (tmp_path / "gunicorn.log").open("w") as log, Gunicorn(env, workers=2, log=log) as server:
        yield server


def _sign_in(browser: requests.Session, url: str, password: str) -> requests.Response:
    form = browser.get(f"{url}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, form.text[:500]
    return browser.post(
        f"{url}/accounts/login/",
        data={"login": EMAIL, "password": password, "csrfmiddlewaretoken": token.group(1)},
        allow_redirects=False,
        timeout=10,
    )


def _signed_in(browser: requests.Session, url: str) -> bool:
    home = browser.get(f"{url}/", allow_redirects=False, timeout=10)
    return home.status_code == 200


def test_failed_sign_ins_on_two_workers_are_counted_together(dashboard: Gunicorn) -> None:
    browsers = sessions_on_distinct_workers(dashboard.url)
    served_by: list[str] = []

    for attempt in range(FAILURES_ALLOWED):
        failed = _sign_in(browsers[attempt % 2], dashboard.url, "wrong password")
        assert failed.status_code == 200 and WRONG in failed.text, failed.text[:500]
        served_by.append(failed.headers[PID_HEADER])

    assert len(set(served_by)) == 2  # the failures really were spread over both workers
    refused_by = set()
    for browser in browsers:  # the right password, on each worker
        refused = _sign_in(browser, dashboard.url, PASSWORD)

        assert LIMITED in refused.text, refused.text[:500]
        assert refused.status_code != 302  # not signed in, not sent anywhere
        assert not _signed_in(browser, dashboard.url)
        refused_by.add(refused.headers[PID_HEADER])
    assert refused_by == set(served_by)
