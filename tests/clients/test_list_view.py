"""/clients/: everyone's or your own, filtered with htmx, read-only for support, never a 500."""

from __future__ import annotations

import pytest
import responses
from django.test import Client
from responses.matchers import header_matcher

from chatadmin.accounts.models import User
from tests.fixtures.chat_payloads import (
    CLIENTS,
    LOCAL_URI,
    OTHER_AGENT_ID,
    SERVICE_TOKEN,
    client_json,
    refusal,
)
from tests.fixtures.pages import htmx, is_fragment, text

pytestmark = pytest.mark.django_db


def seeded(mock: responses.RequestsMock, **match: str) -> None:
    matchers = [header_matcher({"Authorization": f"Bearer {match['token']}"})] if match else []
    mock.get(
        CLIENTS,
        json=[
            client_json(1, name="CRM bridge"),
            client_json(2, name="Local tool", redirect_uris=LOCAL_URI, client_type="public"),
            client_json(3, name="Helpdesk sync", agent_id=OTHER_AGENT_ID),
        ],
        match=matchers,
    )


def test_an_admin_sees_every_client_with_its_facts_and_actions(
    as_admin: Client, http_mock: responses.RequestsMock
) -> None:
    seeded(http_mock)
    page = as_admin.get("/clients/")
    assert page.status_code == 200
    html = text(page)
    assert "<h1>API clients</h1>" in html and "Every active Chat OAuth client" in html
    for name in ("CRM bridge", "Local tool", "Helpdesk sync"):
        assert name in html
    # The client ID shortened in one line, the whole of it behind the copy button.
    assert ">identifi…</code>" in html
    assert ">identifier-1-abcdefghijklmnopqrstuvwxyz0123</span>" in html
    assert "badge--confidential" in html and "badge--public" in html
    assert "External integration" in html and "Internal use" in html
    assert "https://app.example.com/oauth/callback" in html and LOCAL_URI in html
    # Creators by name, with their email on hover; never "Agent #4".
    assert 'title="other@example.com">Otto Other</span>' in html and "Agent #" not in html
    assert ">2024-05-01</time>" in html
    assert "<code>read</code> <code>write</code>" in html
    assert 'href="/clients/new/"' in html and 'href="/clients/3/delete/"' in html
    assert html.count('name="client" value=') == 3  # each one can be ticked for Delete Selected


def test_a_user_sees_only_their_own(as_agent: Client, http_mock: responses.RequestsMock) -> None:
    seeded(http_mock)
    html = text(as_agent.get("/clients/"))
    assert "CRM bridge" in html and "Local tool" in html
    assert "Helpdesk sync" not in html and "/clients/3/" not in html
    assert ">You</td>" in html and "Agent #" not in html
    assert "The Chat OAuth clients you created." in html


def test_support_reads_through_the_connection_with_no_actions(
    as_support: Client, http_mock: responses.RequestsMock
) -> None:
    seeded(http_mock, token=SERVICE_TOKEN)
    html = text(as_support.get("/clients/"))
    assert "Helpdesk sync" in html and "read-only access" in html
    for action in ("/clients/new/", "/edit/", "/secret/", "/delete/", "Actions</span></th>"):
        assert action not in html
    assert 'name="client"' not in html and "Delete selected" not in html  # no checkboxes


def test_filters_work_as_a_page_and_as_an_htmx_fragment(
    as_admin: Client, http_mock: responses.RequestsMock
) -> None:
    seeded(http_mock)
    page = as_admin.get("/clients/", {"q": "tool", "type": "public", "use": ""})
    assert "<html" in text(page) and 'value="tool"' in text(page)
    assert "Local tool" in text(page) and "CRM bridge" not in text(page)

    fragment = as_admin.get("/clients/", {"use": "external"}, headers=htmx("clients"))
    assert fragment.status_code == 200 and is_fragment(fragment, "clients")
    assert "CRM bridge" in text(fragment) and "Local tool" not in text(fragment)
    assert 'data-announce="2 API clients"' in text(fragment)


def test_an_htmx_request_for_another_region_gets_the_whole_page(
    as_admin: Client, http_mock: responses.RequestsMock
) -> None:
    seeded(http_mock)
    page = as_admin.get("/clients/", headers={"HX-Request": "true"})  # e.g. a history restore
    assert "<html" in text(page)


def test_empty_states_tell_no_clients_from_no_matches(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, json=[])
    html = text(as_agent.get("/clients/"))
    assert "No API clients yet" in html and "Create your first API client" in html
    html = text(as_agent.get("/clients/", {"q": "zzz"}, headers=htmx("clients")))
    assert "No API clients match these filters." in html


@pytest.mark.parametrize(
    ("status", "body", "said"),
    [
        (503, refusal(503, "Service Unavailable"), "had a problem on its side (HTTP 503)"),
        (403, refusal(403, "Forbidden"), "the token lacks a scope"),
        (200, {"not": "a list"}, "could not read"),
    ],
)
def test_chat_failures_are_explained_in_the_page_never_a_500(
    as_admin: Client, http_mock: responses.RequestsMock, status: int, body: object, said: str
) -> None:
    http_mock.get(CLIENTS, status=status, json=body)
    for headers in ({}, htmx("clients")):
        page = as_admin.get("/clients/", headers=headers)
        assert page.status_code == 200
        assert 'role="alert"' in text(page) and said in text(page)


def test_a_local_admin_without_chat_identity_is_told_what_to_do(
    admin_client: Client, http_mock: responses.RequestsMock
) -> None:
    page = admin_client.get("/clients/")
    assert page.status_code == 200 and "Sign in with Zendesk Chat" in text(page)
    assert len(http_mock.calls) == 0


def test_support_without_a_connection_is_told_so(
    client: Client, support_user: User, http_mock: responses.RequestsMock
) -> None:
    client.force_login(support_user)
    page = client.get("/clients/", headers=htmx("clients"))
    assert page.status_code == 200 and "No account connection" in text(page)
    assert len(http_mock.calls) == 0


def test_a_revoked_chat_sign_in_sends_the_person_to_sign_in_again(
    as_agent: Client, chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, status=401, json=refusal(401, "Unauthorized"))
    page = as_agent.get("/clients/")
    assert page.status_code == 302 and page["Location"] == "/accounts/login/"
    assert "Sign in with Zendesk Chat again" in text(as_agent.get("/accounts/login/"))


def test_a_big_account_is_shown_fifty_clients_a_page_keeping_the_filters(
    as_admin: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, json=[client_json(n, name=f"Bulk client {n:03}") for n in range(1, 121)])
    first = text(as_admin.get("/clients/", {"q": "Bulk"}))
    assert first.count("<tr>") == 1 + 50  # the header row and fifty clients
    assert "Page 1 of 3 (1\u201350 of 120)" in first
    assert "120 API clients" in first
    assert 'href="?q=Bulk&amp;page=2"' in first

    last = as_admin.get("/clients/", {"q": "Bulk", "page": "3"}, headers=htmx("clients"))
    assert is_fragment(last, "clients")
    html = text(last)
    assert html.count("<tr>") == 1 + 20
    assert "Page 3 of 3 (101\u2013120 of 120)" in html
    assert 'href="?q=Bulk&amp;page=2"' in html and "page=4" not in html
