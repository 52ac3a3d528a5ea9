"""Honest outcomes over real sockets: what Chat did is what the person is told and what is audited.

A scripted local server stands in for Chat, so retries, timeouts and the page deadline run for
real (urllib3, the pool, the clock) while each answer is chosen by the test.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from typing import Any

import pytest
from django.test import Client, override_settings

from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from chatadmin.clients import services
from tests.chat.scripted_server import HANG, Reply, ScriptedServer
from tests.fixtures.chat_payloads import SECRET, client_json, refusal
from tests.fixtures.pages import events, htmx, text

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Reporting",
    "redirect_uris": "https://app.example.com/cb",
    "scopes": ["read"],
    "client_type": "confidential",
}


@pytest.fixture
def chat(scripted_server: ScriptedServer) -> Iterator[ScriptedServer]:
    """The dashboard pointed at the scripted server, with short timeouts and no backoff."""
    with override_settings(CHAT_BASE_URL=scripted_server.url, CHAT_TIMEOUT=(2.0, 0.5)):
        yield scripted_server


def paths(server: ScriptedServer) -> list[str]:
    return [f"{request.method} {request.path}" for request in server.received]


def test_a_delete_retried_after_a_502_and_answered_404_was_done(
    as_agent: Client, chat: ScriptedServer
) -> None:
    chat.play(
        Reply(200, client_json(8, name="Script", redirect_uris="http://localhost:8080/cb")),
        Reply(502, {"error": "Bad Gateway"}),
        Reply(404, refusal(404, "Not Found")),
    )

    response = as_agent.post("/clients/8/delete/", {"confirm_name": ""})

    assert paths(chat) == [
        "GET /api/v2/chat/oauth/clients/8",
        "DELETE /api/v2/chat/oauth/clients/8",
        "DELETE /api/v2/chat/oauth/clients/8",
    ]
    assert response.status_code == 302 and response["Location"] == "/clients/"
    (event,) = events(services.DELETE)
    assert event.outcome == Outcome.SUCCESS
    assert "already deleted" in event.message and event.target_label == "Script"
    listed = as_agent.get("/audit/")  # the next page shows the message once
    assert "Deleted the API client “Script”" in text(listed)


def test_a_create_whose_answer_never_came_is_unknown_and_not_sent_again(
    as_agent: Client, chat: ScriptedServer
) -> None:
    chat.play(HANG)

    response = as_agent.post("/clients/new/", FORM, headers=htmx("client-page"))

    assert paths(chat) == ["POST /api/v2/chat/oauth/clients"]  # sent once, never again
    page = text(response)
    assert "cannot tell whether the client was created" in page
    assert "Look for it in the list" in page and 'href="/clients/"' in page
    assert "Try again" not in page
    (event,) = events(services.CREATE)
    assert event.outcome == Outcome.UNKNOWN
    assert "cannot tell whether the client was created" in event.message


def test_a_regenerate_whose_answer_never_came_says_to_regenerate_again(
    as_agent: Client, chat: ScriptedServer
) -> None:
    chat.play(Reply(200, client_json(7)), HANG)

    response = as_agent.post("/clients/7/secret/")

    assert paths(chat)[-1] == "POST /api/v2/chat/oauth/clients/7/generate_secret"
    assert len(chat.received) == 2
    assert response.status_code == 503
    assert "regenerate the secret again to see a new one" in text(response)
    (event,) = events(services.REGENERATE)
    assert event.outcome == Outcome.UNKNOWN and event.target_label == "CRM bridge"


def test_a_503_on_create_is_a_failure_and_the_form_comes_back(
    as_agent: Client, chat: ScriptedServer
) -> None:
    chat.play(Reply(503, {"error": "Service Unavailable"}))

    response = as_agent.post("/clients/new/", FORM, headers=htmx("client-page"))

    assert len(chat.received) == 1
    assert "HTTP 503" in text(response) and 'name="name"' in text(response)
    (event,) = events(services.CREATE)
    assert event.outcome == Outcome.FAILURE


def test_a_create_answered_201_that_cannot_be_read_is_unknown_not_failed(
    as_agent: Client, chat: ScriptedServer
) -> None:
    # 201: Chat made the client, but the answer lacks what a client has (here its secret), so
    # the person never saw the secret. Recording "failed" would invite a create that makes a
    # second client; it is unknown, and the page says where to look and what to do.
    chat.play(Reply(201, client_json(9, name="Reporting")))

    response = as_agent.post("/clients/new/", FORM)

    assert paths(chat) == ["POST /api/v2/chat/oauth/clients"]  # sent once, never again
    page = text(response)
    assert "cannot tell whether the client was created" in page
    assert "Look for it in the list" in page and "regenerate the secret" in page
    assert "Try again" not in page
    (event,) = events(services.CREATE)
    assert event.outcome == Outcome.UNKNOWN


def test_a_regenerate_answered_200_without_the_secret_says_to_regenerate_again(
    as_agent: Client, chat: ScriptedServer
) -> None:
    # Chat replaced the secret (200), so the old one is dead; the new one never arrived.
    chat.play(Reply(200, client_json(7)), Reply(200, client_json(7)))

    response = as_agent.post("/clients/7/secret/", headers=htmx("client-page"))

    assert paths(chat)[-1] == "POST /api/v2/chat/oauth/clients/7/generate_secret"
    assert len(chat.received) == 2
    assert "regenerate the secret again to see a new one" in text(response)
    (event,) = events(services.REGENERATE)
    assert event.outcome == Outcome.UNKNOWN and event.target_label == "CRM bridge"


def test_an_edit_answered_200_that_cannot_be_read_is_unknown(
    as_agent: Client, chat: ScriptedServer
) -> None:
    chat.play(Reply(200, client_json(7)), Reply(200, {"id": 7, "name": 12}))

    response = as_agent.post("/clients/7/edit/", {**FORM, "name": "Renamed"})

    assert paths(chat).count("PUT /api/v2/chat/oauth/clients/7") == 1
    assert "cannot tell whether your changes were saved" in text(response)
    (event,) = events(services.UPDATE)
    assert event.outcome == Outcome.UNKNOWN


@override_settings(CHAT_PAGE_DEADLINE=8.0)
def test_a_page_of_two_slow_calls_answers_within_the_deadline(
    as_agent: Client, scripted_server: ScriptedServer
) -> None:
    # Chat answers every call after 5 s; the read timeout alone (10 s) would let the page wait
    # 15 s and more with a retry. The page's deadline stops it at 8 s with the plain message.
    scripted_server.play(
        Reply(200, client_json(7), delay=5.0), Reply(200, client_json(7), delay=5.0)
    )
    form = {**FORM, "name": "Renamed", "redirect_uris": client_json(7)["redirect_uris"]}

    with override_settings(CHAT_BASE_URL=scripted_server.url, CHAT_TIMEOUT=(3.05, 10.0)):
        started = time.monotonic()
        response = as_agent.post("/clients/7/edit/", form)
        took = time.monotonic() - started

    assert 7.5 <= took < 8.6, took
    assert response.status_code == 503
    assert "did not answer in time" in text(response)
    assert len(scripted_server.received) == 2  # no retry past the deadline
    (event,) = events(services.UPDATE)
    assert event.outcome == Outcome.UNKNOWN  # the PUT may have arrived


def _strings_in(value: Any, seen: set[int] | None = None) -> Iterator[str]:
    """Every string reachable from a context value: fields, items, attributes."""
    seen = seen if seen is not None else set()
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_in(item, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings_in(item, seen)
    elif is_dataclass(value) and not isinstance(value, type):
        for item in fields(value):
            yield from _strings_in(getattr(value, item.name), seen)


def test_a_list_answer_carrying_secrets_leaves_none_in_what_the_views_receive(
    as_admin: Client, chat: ScriptedServer, chat_admin: User
) -> None:
    # The public docs' list example carries every client's full client_secret.
    listed = [client_json(7, secret=SECRET), client_json(8, secret=SECRET)]
    chat.play(Reply(200, listed), Reply(200, client_json(7, secret=SECRET)))

    pages = [as_admin.get("/clients/"), as_admin.get("/clients/7/")]

    for page in pages:
        assert page.status_code == 200
        assert SECRET not in text(page)
        values = [value for context in page.context for value in context.flatten().values()]  # type: ignore[union-attr]
        found = [s for value in values for s in _strings_in(value) if SECRET in s]
        assert found == []
    assert "CRM bridge" in text(pages[0])  # the rows were really rendered
