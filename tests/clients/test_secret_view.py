"""/clients/<id>/secret/: a confirm step with the impact, then the new secret, once."""

from __future__ import annotations

import pytest
import responses
from django.test import Client

from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from tests.fixtures.chat_payloads import (
    CLIENTS,
    LOCAL_URI,
    NEW_SECRET,
    OTHER_AGENT_ID,
    client_json,
    refusal,
)
from tests.fixtures.pages import events, htmx, is_fragment, text, writes

pytestmark = pytest.mark.django_db

GENERATE = f"{CLIENTS}/7/generate_secret"


def test_the_confirm_step_says_the_old_secret_stops_and_what_depends_on_it(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=client_json(7))
    html = text(as_agent.get("/clients/7/secret/"))
    assert "The old secret stops working at once." in html
    assert "External integration" in html and "https://app.example.com/oauth/callback" in html
    assert "cannot get new tokens until someone puts the new secret into it" in html
    assert 'hx-post="/clients/7/secret/"' in html and 'hx-indicator="#secret-progress"' in html
    assert writes(http_mock) == []

    http_mock.get(f"{CLIENTS}/8", json=client_json(8, redirect_uris=LOCAL_URI))
    assert "Internal use" in text(as_agent.get("/clients/8/secret/"))


@pytest.mark.parametrize("headers", [{}, htmx("client-page")])
def test_regenerating_reveals_the_new_secret_once(
    as_agent: Client, http_mock: responses.RequestsMock, headers: dict[str, str]
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=client_json(7))
    http_mock.post(GENERATE, json=client_json(7, secret=NEW_SECRET))
    page = as_agent.post("/clients/7/secret/", headers=headers)
    assert page.status_code == 200 and is_fragment(page, "client-page") is bool(headers)
    assert text(page).count(NEW_SECRET) == 1
    assert "New secret generated" in text(page) and "stopped working" in text(page)
    assert "no-store" in page["Cache-Control"]
    assert events("client.secret_regenerate")[0].outcome == Outcome.SUCCESS


def test_support_cannot_regenerate(as_support: Client, http_mock: responses.RequestsMock) -> None:
    http_mock.get(f"{CLIENTS}/7", json=client_json(7))
    assert as_support.get("/clients/7/secret/").status_code == 403
    page = as_support.post("/clients/7/secret/")
    assert page.status_code == 403
    assert len(http_mock.calls) == 1  # the confirm page's read; the POST called nothing
    assert [e.outcome for e in events("client.secret_regenerate")] == [Outcome.DENIED]


def test_another_agents_client_is_not_found(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/3", json=client_json(3, agent_id=OTHER_AGENT_ID))
    assert as_agent.get("/clients/3/secret/").status_code == 404
    assert as_agent.post("/clients/3/secret/").status_code == 404
    assert writes(http_mock) == []


def test_csrf_is_enforced(
    csrf_client: Client, chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    csrf_client.force_login(chat_agent)
    assert csrf_client.post("/clients/7/secret/").status_code == 403
    assert len(http_mock.calls) == 0 and events("client.secret_regenerate") == []


@pytest.mark.parametrize(("headers", "status"), [({}, 503), (htmx("client-page"), 200)])
def test_chat_being_down_is_explained_not_a_500(
    as_agent: Client, http_mock: responses.RequestsMock, headers: dict[str, str], status: int
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=client_json(7))
    http_mock.post(GENERATE, status=503, json=refusal(503, "Service Unavailable"))
    page = as_agent.post("/clients/7/secret/", headers=headers)
    assert page.status_code == status and "Try again in a moment." in text(page)
    assert 'href="/clients/7/secret/">Try again' in text(page)
    assert events("client.secret_regenerate")[0].outcome == Outcome.FAILURE
