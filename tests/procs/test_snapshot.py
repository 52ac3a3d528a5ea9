"""The client-list snapshot is shared by gunicorn's workers and dropped for all of them at once.

chatadmin/clients/snapshot.py keeps the list in the cache under a generation number; a change
through chatadmin bumps it. With Redis the workers share both, so a client deleted through one
worker is gone from the next list another worker serves, even though the snapshot's own time
(set long here) has not run out. With local memory each worker would keep its own snapshot and
generation, and the other worker would go on listing the deleted client.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from chatadmin.sandbox import demo
from tests.fixtures.sandbox import LiveSandbox
from tests.procs.middleware import PID_HEADER
from tests.procs.processes import (
    Database,
    Gunicorn,
    dashboard_env,
    redis_url,
    sessions_on_distinct_workers,
    worker,
)
from tests.sandbox.helpers import api_get, create_client

pytestmark = [pytest.mark.live, pytest.mark.usefixtures("redis_needed")]


@dataclass
class Dashboard:
    server: Gunicorn
    env: dict[str, str]
    owner_token: str  # the owner's own Chat token, to look at the sandbox directly


@pytest.fixture
def dashboard(
    sandbox: LiveSandbox, sqlite_database: Database, tmp_path: Path, cache_prefix: str
) -> Iterator[Dashboard]:
    """chatadmin under gunicorn, 2 workers, on Redis; the owner signed in with Chat."""
    env = dashboard_env(
        database_url=sqlite_database.url,
        chat_base_url=sandbox.url,
        var_dir=tmp_path,
        cache_url=redis_url(),
        CHATADMIN_TEST_KEY_PREFIX=cache_prefix,
        # Far longer than the test: only an invalidation can drop the snapshot.
        CHATADMIN_CLIENTS_SNAPSHOT_SECONDS="3600",
    )
    minted = sandbox.token_for(demo.OWNER)
    worker(
        "seed",
        {
            "kind": "sign-in",
            "email": demo.OWNER,
            "agent_id": minted["agent_id"],
            "access_token": minted["access_token"],
            "refresh_token": minted["refresh_token"],
            "expired": False,
        },
        env,
    )
    with (tmp_path / "gunicorn.log").open("w") as log, Gunicorn(env, workers=2, log=log) as server:
        yield Dashboard(server, env, sandbox.token_for(demo.OWNER)["access_token"])


def _signed_in_browsers(dashboard: Dashboard) -> list[requests.Session]:
    """Two browsers of the signed-in owner, each held by its own worker."""
    cookie = worker("session", {"email": demo.OWNER}, dashboard.env)
    browsers = sessions_on_distinct_workers(dashboard.server.url)
    for browser in browsers:
        browser.cookies.set(cookie["cookie"], cookie["value"])
    return browsers


def _listed(browser: requests.Session, url: str) -> tuple[str, str]:
    """The client list page's text and which worker served it."""
    page = browser.get(f"{url}/clients/?sort=name", timeout=20, allow_redirects=False)
    assert page.status_code == 200, page.text[:500]
    return page.text, page.headers[PID_HEADER]


def test_a_delete_through_one_worker_drops_the_snapshot_another_worker_serves(
    dashboard: Dashboard, sandbox: LiveSandbox
) -> None:
    url = dashboard.server.url
    first, second = _signed_in_browsers(dashboard)
    doomed = create_client(sandbox, dashboard.owner_token, name="Doomed procs client")

    page, worker_a = _listed(first, url)  # worker A takes the snapshot
    assert "Doomed procs client" in page
    # Added behind chatadmin's back: absent while the snapshot serves, on either worker.
    create_client(sandbox, dashboard.owner_token, name="Outsider procs client")
    page, again_a = _listed(first, url)
    assert again_a == worker_a and "Outsider procs client" not in page
    page, worker_b = _listed(second, url)
    assert worker_b != worker_a and "Outsider procs client" not in page

    form = second.get(f"{url}/clients/{doomed['id']}/delete/", timeout=20)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, form.text[:500]
    deleted = second.post(
        f"{url}/clients/{doomed['id']}/delete/",
        data={"csrfmiddlewaretoken": token.group(1)},
        allow_redirects=False,
        timeout=20,
    )
    assert deleted.status_code == 302 and deleted.headers["Location"] == "/clients/", deleted.text[
        :500
    ]
    assert deleted.headers[PID_HEADER] == worker_b
    gone = api_get(sandbox, f"oauth/clients/{doomed['id']}", dashboard.owner_token)
    assert gone.status_code == 404

    page, after_a = _listed(first, url)

    assert after_a == worker_a
    assert "Doomed procs client" not in page
    assert "Outsider procs client" in page  # a fresh fetch, not an old snapshot
