"""The home page's overview: numbers and findings per role, links to the lists, Chat failures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import responses
from django.test import Client
from django.utils import timezone
from responses.matchers import query_param_matcher

from chatadmin.accounts.chat_access import credential_store
from chatadmin.accounts.chat_identity import chat_identity_checked
from chatadmin.accounts.models import AccountConnection, User
from chatadmin.accounts.roles import Role
from chatadmin.audit.models import AuditEvent, Outcome
from chatadmin.audit.services import audit_record
from chatadmin.clients.snapshot import agent_directory
from chatadmin.core import overview
from tests.chat.payloads import agent
from tests.fixtures.chat_payloads import (
    ADMIN_AGENT_ID,
    AGENT_ID,
    API,
    CLIENTS,
    LOCAL_URI,
    TOKENS,
    client_json,
    token_json,
)
from tests.fixtures.html import Element, parsed

pytestmark = pytest.mark.django_db

AGENTS = f"{API}/agents"
GONE_AGENT_ID = 9
DISABLED_AGENT_ID = 5


def account(mock: responses.RequestsMock) -> None:
    """Four clients: two external (one on plain http), two internal, one public with write."""
    mock.get(
        CLIENTS,
        json=[
            client_json(1, name="CRM bridge"),  # external, confidential, agent 3
            client_json(
                2, name="Local tool", redirect_uris=LOCAL_URI, client_type="public"
            ),  # public + read write
            client_json(
                3,
                name="Old sync",
                redirect_uris="http://partner.example.com/cb",
                agent_id=GONE_AGENT_ID,
            ),
            client_json(
                4,
                name="Dora's script",
                redirect_uris=LOCAL_URI,
                client_type="public",
                scopes="read",
                agent_id=DISABLED_AGENT_ID,
            ),
        ],
    )


def agents(mock: responses.RequestsMock) -> None:
    mock.remove(responses.GET, AGENTS)  # in place of the people fixtures' agents
    mock.get(
        AGENTS,
        json=[
            agent(id=ADMIN_AGENT_ID, email="owner@example.com"),
            agent(id=AGENT_ID, email="agent1@example.com"),
            agent(id=DISABLED_AGENT_ID, email="dora@example.com", enabled=0),
        ],
        match=[query_param_matcher({"limit": "100"})],
    )


def tokens(mock: responses.RequestsMock, agent_id: int) -> None:
    soon = (timezone.now() + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    expiring: dict[str, Any] = token_json(
        12, client_identifier="identifier-1-abcdefghijklmnopqrstuvwxyz0123", agent_id=agent_id
    )
    expiring["expire_date"] = soon
    mock.get(
        TOKENS,
        json=[
            token_json(11, client_identifier="identifier-1-abc", agent_id=agent_id),
            expiring,
            token_json(13, client_identifier="identifier-2-abc", agent_id=agent_id, expired=True),
        ],
    )


def stat(page: Element, href: str) -> str:
    """The number a link to `href` shows."""
    return page.one("a", href=href, css_class="stat").one(css_class="stat__count").text


def finding(page: Element, key: str) -> Element:
    return page.one("li", data_finding=key)


def test_an_admin_sees_clients_by_use_and_type_their_tokens_and_the_findings(
    as_admin: Client, http_mock: responses.RequestsMock
) -> None:
    account(http_mock)
    agents(http_mock)
    tokens(http_mock, ADMIN_AGENT_ID)

    response = as_admin.get("/")

    assert response.status_code == 200
    page = parsed(response)
    assert stat(page, "/clients/?use=external") == "2"
    assert stat(page, "/clients/?use=internal") == "2"
    assert stat(page, "/clients/?type=public") == "2"
    assert stat(page, "/clients/?type=confidential") == "2"
    assert page.one("a", href="/clients/", css_class="panel__more").text.startswith("All 4")
    assert stat(page, "/tokens/?status=active") == "1"
    assert stat(page, "/tokens/?status=expiring") == "1"
    assert stat(page, "/tokens/?status=expired") == "1"
    assert page.one("a", href="/tokens/", css_class="panel__more").text.startswith("All 3")

    orphaned = finding(page, overview.ORPHANED)  # agent 9 is gone, agent 5 disabled
    assert orphaned.one("a", href="/clients/?finding=orphaned").text.startswith("2")
    insecure = finding(page, overview.INSECURE_REDIRECT)
    assert insecure.one("a").attrs["href"] == "/clients/?use=external&finding=insecure-redirect"
    assert insecure.one("a").text.startswith("1")
    public_write = finding(page, overview.PUBLIC_WRITE)
    assert public_write.one("a").attrs["href"] == "/clients/?type=public&finding=public-write"
    assert public_write.one("a").text.startswith("1")
    expired = finding(page, overview.EXPIRED_TOKENS)
    assert expired.one("a", href="/tokens/?status=expired").text.startswith("1")

    actions = {a.attrs["href"] for a in page.one("div", css_class="page-head").find("a")}
    assert actions == {"/clients/new/", "/tokens/new/"}
    assert (
        "You see and manage every API client, and your own tokens."
        in page.one("p", id="standing").text
    )


def test_the_page_is_never_served_from_a_cache(
    as_admin: Client, http_mock: responses.RequestsMock
) -> None:
    account(http_mock)
    agents(http_mock)
    tokens(http_mock, ADMIN_AGENT_ID)
    response = as_admin.get("/")
    assert "no-store" in response["Cache-Control"]
    assert "HX-Request" in response["Vary"]


def test_a_user_counts_their_own_and_chatadmin_asks_nobody_about_agents(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    account(http_mock)  # the policy keeps only agent 3's: CRM bridge and Local tool
    tokens(http_mock, AGENT_ID)

    page = parsed(as_agent.get("/"))

    assert stat(page, "/clients/?use=external") == "1"
    assert stat(page, "/clients/?use=internal") == "1"
    assert page.find("li", data_finding=overview.ORPHANED) == []
    assert finding(page, overview.PUBLIC_WRITE).one("a").text.startswith("1")
    assert not any(str(call.request.url).startswith(AGENTS) for call in http_mock.calls)
    assert page.find(css_class="events-table") == []  # users see no one's recent activity
    assert "the API clients you created" in page.one("p", id="standing").text


def test_support_staff_see_every_client_read_only_and_no_tokens(
    as_support: Client, http_mock: responses.RequestsMock
) -> None:
    account(http_mock)
    agents(http_mock)

    page = parsed(as_support.get("/"))

    assert stat(page, "/clients/?use=external") == "2"
    assert finding(page, overview.ORPHANED).one("a").text.startswith("2")
    assert page.find("section", aria_labelledby="tokens-heading") == []
    assert page.find("li", data_finding=overview.EXPIRED_TOKENS) == []
    assert not any(str(call.request.url).startswith(TOKENS) for call in http_mock.calls)
    assert page.one("div", css_class="page-head").find("a") == []  # nothing to create
    assert "read-only" in page.one("p", id="standing").text


def test_support_staff_without_a_connection_are_told_who_to_ask(
    client: Client, support_user: User, make_user: Callable[..., User], http_mock: Any
) -> None:
    make_user(Role.ADMIN, email="boss@example.com", display_name="Bea Boss")
    client.force_login(support_user)

    page = parsed(client.get("/"))

    (notice,) = page.find(css_class="notice--error")
    assert "Ask Bea Boss (boss@example.com)" in notice.text
    assert "once an admin saves the account connection" in page.one("p", id="standing").text
    assert len(http_mock.calls) == 0


def test_a_local_admin_is_asked_to_link_a_chat_identity_and_nothing_is_asked_of_chat(
    admin_client: Client, admin_user: User, http_mock: responses.RequestsMock
) -> None:
    audit_record("client.delete", outcome=Outcome.SUCCESS, actor=admin_user, target_label="X")

    page = parsed(admin_client.get("/"))

    assert len(http_mock.calls) == 0
    standing = page.one("p", id="standing").text
    assert "has no Zendesk Chat identity, so you cannot see or change API clients" in standing
    links = {call.one("a").attrs["href"] for call in page.find(css_class="callout")}
    assert links == {"/settings/#chat-identity", "/settings/#connection"}
    assert page.one("div", css_class="page-head").find("a") == []  # no button that can only fail
    assert page.find(css_class="stats") == []
    assert "Client deleted" in page.one("table", css_class="events-table").text


def test_an_admin_without_a_connection_is_asked_to_save_one(
    as_admin: Client, http_mock: responses.RequestsMock
) -> None:
    account(http_mock)
    agents(http_mock)
    tokens(http_mock, ADMIN_AGENT_ID)
    page = parsed(as_admin.get("/"))
    (call,) = page.find(css_class="callout")
    assert call.one("a").attrs["href"] == "/settings/#connection"
    AccountConnection.objects.create(kind="oauth", access_token="t")
    assert parsed(as_admin.get("/")).find(css_class="callout") == []


def test_a_chat_failure_shows_a_plain_notice_in_place_of_the_numbers(
    as_admin: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, status=503, json={"error": "Service Unavailable"})
    http_mock.get(TOKENS, status=503, json={"error": "Service Unavailable"})

    response = as_admin.get("/")

    assert response.status_code == 200
    page = parsed(response)
    notices = page.find(css_class="notice--error")
    assert len(notices) == 2
    assert all("The Chat API had a problem" in notice.text for notice in notices)
    assert page.find(css_class="stats") == []
    assert page.find(css_class="findings") == []


def test_agents_that_cannot_be_listed_leave_the_other_findings(
    as_support: Client, http_mock: responses.RequestsMock
) -> None:
    account(http_mock)
    http_mock.replace(  # in place of the agents the people fixtures answer with
        responses.GET, AGENTS, status=403, json={"error": "Forbidden", "description": "No."}
    )
    page = parsed(as_support.get("/"))
    assert (
        "Creators could not be checked"
        in page.one("section", aria_labelledby="findings-heading").text
    )
    assert page.find("li", data_finding=overview.ORPHANED) == []
    assert finding(page, overview.INSECURE_REDIRECT).one("a").text.startswith("1")


def test_agents_are_read_page_by_page(http_mock: responses.RequestsMock, chat_admin: User) -> None:
    first = [agent(id=n, email=f"a{n}@example.com") for n in range(1, 101)]
    http_mock.remove(responses.GET, AGENTS)
    http_mock.get(AGENTS, json=first, match=[query_param_matcher({"limit": "100"})])
    http_mock.get(
        AGENTS,
        json=[agent(id=101, email="last@example.com")],
        match=[query_param_matcher({"limit": "100", "since_id": "101"})],
    )
    found = agent_directory(chat_admin)
    assert sorted(found.by_id) == [*range(1, 102)]


@pytest.mark.parametrize(
    ("role", "linked", "says"),
    [
        (Role.ADMIN, True, "You see and manage every API client, and your own tokens."),
        (Role.ADMIN, False, "You manage the people who use chatadmin and the account connection."),
        (Role.USER, True, "You see and manage the API clients you created, and your own tokens."),
        (Role.USER, False, "Your local account has no Zendesk Chat identity"),
        (Role.SUPPORT, False, "You will see every API client read-only once an admin saves"),
    ],
)
def test_the_sentence_is_true_for_each_role_and_situation(
    client: Client,
    make_user: Callable[..., User],
    http_mock: responses.RequestsMock,
    role: str,
    linked: bool,
    says: str,
) -> None:
    http_mock.get(CLIENTS, status=503, json={"error": "Service Unavailable"})
    http_mock.get(TOKENS, status=503, json={"error": "Service Unavailable"})
    person = make_user(role, chat_agent_id=42 if linked else None)
    if linked:
        credential_store(
            person, agent_id=42, access_token="t", refresh_token="", expires_at=None, scopes=""
        )
        chat_identity_checked(person)
    client.force_login(person)
    assert says in parsed(client.get("/")).one("p", id="standing").text


def test_recent_events_are_in_words_newest_first_and_at_most_eight(
    as_support: Client, http_mock: responses.RequestsMock, admin_user: User
) -> None:
    account(http_mock)
    agents(http_mock)
    for number in range(10):
        audit_record(
            "client.delete", outcome=Outcome.SUCCESS, actor=admin_user, target_label=f"C{number}"
        )
    audit_record("client.update", outcome=Outcome.UNKNOWN, actor=admin_user, target_label="Last")

    table = parsed(as_support.get("/")).one("table", css_class="events-table")

    rows = table.one("tbody").find("tr")
    assert len(rows) == overview.RECENT_EVENTS
    assert "Client updated" in rows[0].text and "Last" in rows[0].text
    assert rows[0].one("span", css_class="badge--unknown").text.endswith("Unknown")
    assert rows[1].one("span", css_class="action").text == "Client deleted"
    assert AuditEvent.objects.count() == 11
