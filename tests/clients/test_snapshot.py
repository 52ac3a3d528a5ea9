"""One fetch serves many views: the client list's snapshot, and what drops it."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
import responses
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings

from chatadmin.accounts.models import User
from chatadmin.clients.snapshot import agent_directory, clients_changed, clients_snapshot
from tests.fixtures.chat_payloads import CLIENTS, TOKENS, client_json
from tests.fixtures.pages import htmx, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_admin_too(chat_admin: User) -> Client:
    """An admin in another browser, beside the agent."""
    browser = Client()
    browser.force_login(chat_admin)
    return browser


def client_calls(mock: responses.RequestsMock) -> list[str]:
    return [
        f"{call.request.method} {call.request.path_url}"
        for call in mock.calls
        if call.request.path_url.startswith("/api/v2/chat/oauth/clients")
    ]


def many(count: int) -> list[dict[str, object]]:
    return [client_json(number, name=f"Client {number:03d}") for number in range(1, count + 1)]


def test_repeat_views_paging_search_and_the_region_come_from_one_fetch(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, json=many(120))
    http_mock.get(TOKENS, json=[])

    first = as_agent.get("/clients/")
    views = [
        as_agent.get("/clients/"),
        as_agent.get("/clients/", {"page": 2}),
        as_agent.get("/clients/", {"q": "Client 007"}, headers=htmx("clients")),
        as_agent.get("/clients/", {"sort": "name"}),
        as_agent.get("/clients/7/"),
        as_agent.get("/tokens/"),
    ]

    assert client_calls(http_mock) == ["GET /api/v2/chat/oauth/clients"]
    assert all(view.status_code == 200 for view in (first, *views))
    assert "Page 2 of 3" in text(views[1])
    assert "Client 007" in text(views[2]) and "Client 008" not in text(views[2])
    assert "as of" in text(first)


def test_any_change_through_chatadmin_drops_the_snapshot(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, json=many(3))
    http_mock.get(f"{CLIENTS}/2", json=client_json(2, name="Client 002"))
    http_mock.delete(f"{CLIENTS}/2", status=204)

    as_agent.get("/clients/")
    as_agent.post("/clients/2/delete/", {"confirm_name": "Client 002"})
    as_agent.get("/clients/")

    assert client_calls(http_mock) == [
        "GET /api/v2/chat/oauth/clients",
        "GET /api/v2/chat/oauth/clients/2",  # a change reads the client anew, never the snapshot
        "DELETE /api/v2/chat/oauth/clients/2",
        "GET /api/v2/chat/oauth/clients",  # dropped: the list is fetched again
    ]


def test_a_change_elsewhere_drops_it_for_every_point_of_view(
    as_agent: Client, as_admin_too: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, json=many(3))
    as_agent.get("/clients/")
    as_admin_too.get("/clients/")
    clients_changed()  # what every create, edit, regenerate and delete calls
    as_agent.get("/clients/")
    as_admin_too.get("/clients/")

    assert len(client_calls(http_mock)) == 4


def test_refresh_fetches_anew(as_agent: Client, http_mock: responses.RequestsMock) -> None:
    http_mock.get(CLIENTS, json=many(3))
    as_agent.get("/clients/")
    page = as_agent.get("/clients/", {"refresh": "1"}, headers=htmx("clients"))
    assert page.status_code == 200
    assert len(client_calls(http_mock)) == 2


@override_settings(CHATADMIN_CLIENTS_SNAPSHOT_SECONDS=0)
def test_a_snapshot_lives_only_as_long_as_it_is_set_to(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, json=many(3))
    as_agent.get("/clients/")
    as_agent.get("/clients/")
    assert len(client_calls(http_mock)) == 2


def test_each_person_sees_only_what_the_policy_lets_them_from_a_shared_answer(
    as_agent: Client, chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    # Even if Chat answered a user with other people's clients, the policy filters them out.
    http_mock.get(
        CLIENTS, json=[client_json(1, name="Mine"), client_json(2, name="Theirs", agent_id=99)]
    )
    page = text(as_agent.get("/clients/"))
    assert "Mine" in page and "Theirs" not in page
    assert as_agent.get("/clients/2/").status_code == 404


def test_a_list_view_makes_few_database_queries_at_any_size(
    as_agent: Client, http_mock: responses.RequestsMock, django_assert_max_num_queries: Any
) -> None:
    http_mock.get(CLIENTS, json=many(500))
    with django_assert_max_num_queries(4):
        first = as_agent.get("/clients/")
    with django_assert_max_num_queries(4):
        again = as_agent.get("/clients/", {"page": 3})
    assert first.status_code == again.status_code == 200


@pytest.mark.django_db(transaction=True)  # the threads read the person's token themselves
def test_threads_that_find_no_snapshot_wait_for_one_fetch(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    threads_count = 8
    started = threading.Barrier(threads_count)

    def slow_list(request: Any) -> tuple[int, dict[str, str], str]:
        time.sleep(0.3)  # long enough for every other thread to arrive meanwhile
        return 200, {"Content-Type": "application/json"}, json.dumps(many(3))

    http_mock.add_callback(responses.GET, CLIENTS, callback=slow_list)
    seen: list[int] = []
    errors: list[BaseException] = []

    def view() -> None:
        try:
            started.wait()
            seen.append(len(clients_snapshot(chat_agent).rows))
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=view) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert errors == []
    assert seen == [3] * threads_count
    assert client_calls(http_mock) == ["GET /api/v2/chat/oauth/clients"]


def test_the_agents_are_read_from_this_process_within_their_life_then_again(
    chat_admin: User, http_mock: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def agent_calls() -> int:
        return sum(
            call.request.path_url.startswith("/api/v2/chat/agents") for call in http_mock.calls
        )

    first = agent_directory(chat_admin)
    calls = agent_calls()
    assert calls >= 1
    cache.clear()  # the shared copy gone: this process's own copy still serves, within its life
    assert agent_directory(chat_admin) is first
    assert agent_calls() == calls

    later = time.time() + settings.CHATADMIN_AGENTS_SNAPSHOT_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    again = agent_directory(chat_admin)
    assert again is not first
    assert agent_calls() > calls
