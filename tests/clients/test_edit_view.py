"""/clients/<id>/edit/: prefilled, only changes sent, type and scopes kept."""

from __future__ import annotations

import re

import pytest
import responses
from django.test import Client
from responses.matchers import json_params_matcher

from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from tests.fixtures.chat_payloads import CLIENTS, OTHER_AGENT_ID, client_json, refusal
from tests.fixtures.pages import events, htmx, is_fragment, text, writes

pytestmark = pytest.mark.django_db

CURRENT = client_json(7, scopes="read write chat", client_type="confidential")
SAME = {
    "name": CURRENT["name"],
    "company": CURRENT["company"],
    "redirect_uris": CURRENT["redirect_uris"],
    "scopes": ["read", "write", "chat"],
    "client_type": "confidential",
}


def test_the_form_is_filled_in_with_the_clients_type_and_scopes(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=CURRENT)
    html = text(as_agent.get("/clients/7/edit/"))
    assert 'value="CRM bridge"' in html and CURRENT["redirect_uris"] in html
    for value in ("read", "write", "chat", "confidential"):
        assert re.search(rf'value="{value}"[^>]*checked', html), value
    assert not re.search(r'value="public"[^>]*checked', html)
    assert "the client type and scopes stay as they are" in html


def test_saving_a_new_name_sends_only_the_name(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=CURRENT)
    http_mock.put(
        f"{CLIENTS}/7",
        json={**CURRENT, "name": "CRM bridge v2"},
        match=[json_params_matcher({"name": "CRM bridge v2"}, strict_match=True)],
    )
    page = as_agent.post("/clients/7/edit/", {**SAME, "name": "CRM bridge v2"})
    assert page.status_code == 302 and page["Location"] == "/clients/7/"
    assert writes(http_mock) == ["PUT /api/v2/chat/oauth/clients/7"]
    http_mock.get(f"{CLIENTS}/7", json={**CURRENT, "name": "CRM bridge v2"})
    assert "“CRM bridge v2”: Saved: name." in text(as_agent.get("/clients/7/"))


def test_with_htmx_a_save_is_an_htmx_redirect_to_the_detail(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=CURRENT)
    http_mock.put(
        f"{CLIENTS}/7",
        json={**CURRENT, "client_type": "public"},
        match=[json_params_matcher({"client_type": "public"}, strict_match=True)],
    )
    page = as_agent.post(
        "/clients/7/edit/", {**SAME, "client_type": "public"}, headers=htmx("client-page")
    )
    assert page.status_code == 200 and page["HX-Redirect"] == "/clients/7/"


def test_saving_nothing_new_sends_nothing(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=CURRENT)
    page = as_agent.post("/clients/7/edit/", SAME)
    assert page.status_code == 302 and writes(http_mock) == []


@pytest.mark.parametrize("headers", [{}, htmx("client-page")])
def test_invalid_input_sends_nothing_and_is_audited(
    as_agent: Client, http_mock: responses.RequestsMock, headers: dict[str, str]
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=CURRENT)
    page = as_agent.post("/clients/7/edit/", {**SAME, "name": ""}, headers=headers)
    assert page.status_code == 200 and "Give the client a name." in text(page)
    assert is_fragment(page, "client-page") is bool(headers)
    assert writes(http_mock) == []
    (event,) = events("client.update")
    assert event.outcome == Outcome.FAILURE and event.target_id == "7"


def test_another_agents_client_cannot_be_edited(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/3", json=client_json(3, agent_id=OTHER_AGENT_ID))
    assert as_agent.get("/clients/3/edit/").status_code == 404
    page = as_agent.post("/clients/3/edit/", {**SAME, "name": "Mine now"})
    assert page.status_code == 404 and "not one you can see" in text(page)
    invalid = as_agent.post("/clients/3/edit/", {**SAME, "name": ""})
    assert invalid.status_code == 404
    assert writes(http_mock) == []
    assert [e.outcome for e in events("client.update")] == [Outcome.FAILURE] * 2


def test_support_cannot_edit(as_support: Client, http_mock: responses.RequestsMock) -> None:
    http_mock.get(f"{CLIENTS}/7", json=CURRENT)
    assert as_support.get("/clients/7/edit/").status_code == 403
    page = as_support.post("/clients/7/edit/", {**SAME, "name": "x"}, headers=htmx("client-page"))
    assert page.status_code == 200 and is_fragment(page, "client-page")
    assert "read-only" in text(page)
    assert writes(http_mock) == []
    assert [e.outcome for e in events("client.update")] == [Outcome.DENIED]


def test_csrf_is_enforced(
    csrf_client: Client, chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    csrf_client.force_login(chat_agent)
    assert csrf_client.post("/clients/7/edit/", SAME).status_code == 403
    assert len(http_mock.calls) == 0 and events("client.update") == []


def test_a_refusal_is_explained_above_the_form(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=CURRENT)
    http_mock.put(f"{CLIENTS}/7", status=403, json=refusal(403, "Forbidden"))
    page = as_agent.post("/clients/7/edit/", {**SAME, "company": "New Co"})
    assert page.status_code == 200 and "the token lacks a scope" in text(page)
    assert 'value="New Co"' in text(page)
    assert events("client.update")[0].outcome == Outcome.FAILURE
