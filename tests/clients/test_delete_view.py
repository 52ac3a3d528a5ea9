"""/clients/<id>/delete/: the impact preview, a typed name for external clients, then 204."""

from __future__ import annotations

import pytest
import responses
from django.test import Client

from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from chatadmin.clients import services
from tests.fixtures.chat_payloads import (
    CLIENTS,
    LOCAL_URI,
    OTHER_AGENT_ID,
    TOKENS,
    client_json,
    refusal,
    token_json,
)
from tests.fixtures.pages import events, htmx, is_fragment, text, writes

pytestmark = pytest.mark.django_db

EXTERNAL = client_json(7, name="CRM bridge")
INTERNAL = client_json(8, name="Local tool", redirect_uris=LOCAL_URI)


@pytest.fixture
def chat(http_mock: responses.RequestsMock) -> responses.RequestsMock:
    http_mock.get(f"{CLIENTS}/7", json=EXTERNAL)
    http_mock.get(f"{CLIENTS}/8", json=INTERNAL)
    http_mock.get(
        TOKENS,
        json=[
            token_json(41, client_identifier=EXTERNAL["client_identifier"]),
            token_json(42, client_identifier=EXTERNAL["client_identifier"], expired=True),
            token_json(43, client_identifier=INTERNAL["client_identifier"]),
        ],
    )
    http_mock.delete(f"{CLIENTS}/7", status=204)
    http_mock.delete(f"{CLIENTS}/8", status=204)
    return http_mock


def test_the_preview_shows_the_impact_and_asks_for_the_name(
    as_agent: Client, chat: responses.RequestsMock
) -> None:
    html = text(as_agent.get("/clients/7/delete/"))
    assert "External integration" in html and "its users must grant access again" in html
    assert "tok41abc…" in html and "tok42" not in html and "tok43" not in html
    assert "other people's tokens from this client stop working too" in html
    assert "Type the client's name, <strong" in html and 'name="confirm_name"' in html
    assert writes(chat) == []


def test_an_internal_clients_preview_needs_no_name(
    as_agent: Client, chat: responses.RequestsMock
) -> None:
    html = text(as_agent.get("/clients/8/delete/"))
    assert "Internal use" in html and 'name="confirm_name"' not in html
    assert "tok43abc…" in html


@pytest.mark.parametrize("headers", [{}, htmx("client-page")])
def test_a_wrong_name_deletes_nothing_and_is_audited(
    as_agent: Client, chat: responses.RequestsMock, headers: dict[str, str]
) -> None:
    page = as_agent.post("/clients/7/delete/", {"confirm_name": "crm"}, headers=headers)
    assert page.status_code == 200 and is_fragment(page, "client-page") is bool(headers)
    assert "Type the client&#x27;s name exactly (“CRM bridge”)" in text(page)
    assert 'aria-invalid="true"' in text(page)
    assert writes(chat) == []
    (event,) = events("client.delete")
    assert event.outcome == Outcome.FAILURE and "did not match" in event.message


def test_the_right_name_deletes_the_client(as_agent: Client, chat: responses.RequestsMock) -> None:
    page = as_agent.post("/clients/7/delete/", {"confirm_name": "CRM bridge"})
    assert page.status_code == 302 and page["Location"] == "/clients/"
    assert writes(chat) == ["DELETE /api/v2/chat/oauth/clients/7"]
    assert events("client.delete")[0].outcome == Outcome.SUCCESS
    chat.get(CLIENTS, json=[INTERNAL])
    assert "Deleted the API client “CRM bridge”." in text(as_agent.get("/clients/"))


def test_with_htmx_an_internal_client_is_deleted_and_the_browser_sent_to_the_list(
    as_agent: Client, chat: responses.RequestsMock
) -> None:
    page = as_agent.post("/clients/8/delete/", {}, headers=htmx("client-page"))
    assert page.status_code == 200 and page["HX-Redirect"] == "/clients/"
    assert writes(chat) == ["DELETE /api/v2/chat/oauth/clients/8"]


def test_support_cannot_delete(as_support: Client, chat: responses.RequestsMock) -> None:
    assert as_support.get("/clients/7/delete/").status_code == 403
    page = as_support.post("/clients/7/delete/", {"confirm_name": "CRM bridge"})
    assert page.status_code == 403 and writes(chat) == []
    assert [e.outcome for e in events("client.delete")] == [Outcome.DENIED]


def test_another_agents_client_is_not_found(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/3", json=client_json(3, agent_id=OTHER_AGENT_ID, name="Theirs"))
    assert as_agent.get("/clients/3/delete/").status_code == 404
    page = as_agent.post("/clients/3/delete/", {"confirm_name": "Theirs"})
    assert page.status_code == 404 and writes(http_mock) == []


def test_csrf_is_enforced(
    csrf_client: Client, chat_agent: User, chat: responses.RequestsMock
) -> None:
    csrf_client.force_login(chat_agent)
    page = csrf_client.post("/clients/8/delete/", {})
    assert page.status_code == 403 and len(chat.calls) == 0


def test_chat_refusing_the_delete_is_explained(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/8", json=INTERNAL)
    http_mock.delete(f"{CLIENTS}/8", status=403, json=refusal(403, "Forbidden"))
    page = as_agent.post("/clients/8/delete/", {})
    assert page.status_code == 502 and "the token lacks a scope" in text(page)
    assert events("client.delete")[0].outcome == Outcome.FAILURE


def test_a_too_long_confirmation_deletes_nothing_and_is_audited(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=client_json(7, name="CRM bridge"))
    http_mock.get(TOKENS, json=[])

    page = as_agent.post("/clients/7/delete/", {"confirm_name": "x" * 300})

    assert page.status_code == 200 and "at most 255 characters" in text(page)
    assert writes(http_mock) == []
    (event,) = events(services.DELETE)
    assert event.outcome == Outcome.FAILURE and "confirm_name" in event.message
