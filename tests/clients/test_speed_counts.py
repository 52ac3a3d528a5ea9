"""The list's speed properties, as counts against a live sandbox (bench/speed.py has the times).

One upstream call for a first view and none while the snapshot lives (repeat views, page 2,
search, the htmx region, a client's page, the tokens page's names), no new connection per
view once warm, and the same few database queries whatever the number of clients.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from chatadmin.accounts.roles import Role
from chatadmin.chat import pools
from chatadmin.clients.snapshot import clients_changed
from chatadmin.sandbox import demo
from tests.fixtures.pages import htmx
from tests.fixtures.sandbox import LiveSandbox
from tests.sandbox.helpers import create_client
from tests.tokens.test_live import signed_in

pytestmark = [pytest.mark.live, pytest.mark.django_db]

QUERIES_AT_MOST = 4


@pytest.fixture
def upstream(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every request the dashboard sends to Chat ("GET /api/v2/chat/..."), in order."""
    sent: list[str] = []
    new_pool = pools._new_pool

    def counted_pool() -> Any:
        session = new_pool()
        send = session.send

        def counted_send(request: Any, **kwargs: Any) -> Any:
            sent.append(f"{request.method} {urlsplit(request.url).path}")
            return send(request, **kwargs)

        session.send = counted_send  # type: ignore[method-assign]
        return session

    pools.pools_close()
    monkeypatch.setattr(pools, "_new_pool", counted_pool)
    return sent


@pytest.fixture
def owner(sandbox: LiveSandbox) -> Iterator[tuple[Client, str]]:
    """The sandbox owner signed in to the dashboard, and their token; one view already made
    (the identity check and the agents list are then behind us, as in steady state)."""
    with override_settings(CHAT_BASE_URL=sandbox.url):
        browser = Client(HTTP_HOST="127.0.0.1:8000")
        token = signed_in(browser, sandbox, demo.OWNER, Role.ADMIN)
        assert browser.get("/clients/").status_code == 200
        yield browser, token


def test_one_upstream_call_per_first_view_and_none_from_the_snapshot(
    owner: tuple[Client, str], upstream: list[str], sandbox: LiveSandbox
) -> None:
    browser, token = owner
    for number in range(55):  # two pages
        create_client(sandbox, token, name=f"Counted client {number:02d}")
    clients_changed()
    upstream.clear()

    first = browser.get("/clients/")
    assert upstream == ["GET /api/v2/chat/oauth/clients"]
    assert first.status_code == 200

    upstream.clear()
    opened = pools.connections_opened()
    views = [
        browser.get("/clients/"),
        browser.get("/clients/", {"page": 2}),
        browser.get("/clients/", {"q": "Counted client 07"}),
        browser.get("/clients/", {"q": "Counted client 0"}, headers=htmx("clients")),
        browser.get("/clients/", {"sort": "name"}),
        browser.get("/clients/", {"sort": "-creator", "type": "public"}),
    ]
    assert all(view.status_code == 200 for view in views)
    assert upstream == []  # all of it from the snapshot
    found = views[2].content.decode()
    assert "1 API client " in found
    link = re.search(r'<a href="(/clients/\d+/)" class="client-name">Counted client 07<', found)
    assert link is not None

    page = browser.get(link.group(1))  # the client itself from the snapshot; the tokens asked
    tokens = browser.get("/tokens/")  # the tokens asked; client names from the snapshot
    assert page.status_code == tokens.status_code == 200
    assert upstream == ["GET /api/v2/chat/oauth/tokens"] * 2
    assert pools.connections_opened() == opened  # the pooled connection served every call


def _queries(browser: Client, *args: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(*args).status_code == 200
    return len(queries)


def test_the_same_few_queries_at_any_size(owner: tuple[Client, str], sandbox: LiveSandbox) -> None:
    browser, token = owner

    def counts() -> tuple[int, int, int]:
        clients_changed()
        first = _queries(browser, "/clients/")
        return first, _queries(browser, "/clients/"), _queries(browser, "/clients/", {"q": "x"})

    few = counts()
    for number in range(120):
        create_client(sandbox, token, name=f"Sized client {number:03d}")
    many = counts()

    assert few == many
    assert max(many) <= QUERIES_AT_MOST
