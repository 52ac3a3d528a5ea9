"""The inventory pages: full page and htmx fragment, filters, timeline, revoke, bulk revoke."""

from __future__ import annotations

import re

import pytest
import responses
from django.test import Client

from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from tests.fixtures.html import parsed
from tests.fixtures.pages import events, htmx, is_fragment, text, writes
from tests.tokens.payloads import (
    AGENT_TOKEN,
    CLIENTS,
    OTHER_AGENT_ID,
    TOKENS,
    client_json,
    token_json,
)

pytestmark = pytest.mark.django_db

LOCAL_TOOL = client_json(7, name="Local tool")
CRM = client_json(8, name="CRM bridge")


def _three_tokens(mock: responses.RequestsMock) -> list[dict[str, object]]:
    tokens = [
        token_json(1, client_identifier=LOCAL_TOOL["client_identifier"], created_hours_ago=1),
        token_json(2, client_identifier=CRM["client_identifier"], expires_in_hours=1),
        token_json(
            3,
            client_identifier=CRM["client_identifier"],
            created_hours_ago=300,
            expires_in_hours=-200,
            scopes="read write chat",
        ),
    ]
    mock.get(TOKENS, json=tokens)
    mock.get(CLIENTS, json=[LOCAL_TOOL, CRM])
    return tokens


def test_full_page_lists_masked_tokens_with_timeline_and_warnings(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    tokens = _three_tokens(http_mock)
    response = as_agent.get("/tokens/")
    page = text(response)
    assert response.status_code == 200
    assert "<html" in page and 'id="token-filters"' in page
    for token in tokens:
        value = str(token["access_token"])
        assert value not in page and value[:8] + "…" in page
    assert "Local tool" in page and "CRM bridge" in page
    assert "1 of your tokens expires within 2 hours" in page
    assert "1 expired already" in page
    # The timeline: server-rendered SVG, described in words, no inline style.
    svg = re.search(r"<svg class=\"timeline__svg\".*?</svg>", page, re.S)
    assert svg and 'role="img"' in svg.group(0)
    assert "3 tokens by creation date" in svg.group(0)
    assert svg.group(0).count('<g class="timeline__mark') == 3
    assert "style=" not in page and "<script>" not in page
    assert 'src="/static/js/tokens.js"' in page


def test_htmx_filters_return_the_inventory_fragment_only(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    _three_tokens(http_mock)
    response = as_agent.get("/tokens/?status=expired&scope=chat", headers=htmx("inventory"))
    assert is_fragment(response, "inventory")
    body = text(response)
    assert 'id="token-3"' in body and 'id="token-1"' not in body and 'id="token-2"' not in body


def test_the_filter_form_pushes_the_url_and_keeps_its_choices(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    _three_tokens(http_mock)
    page = text(as_agent.get(f"/tokens/?client={CRM['client_identifier']}"))
    assert 'hx-push-url="true"' in page
    assert f'<option value="{CRM["client_identifier"]}" selected>CRM bridge</option>' in page
    assert 'id="token-1"' not in page and 'id="token-2"' in page


def test_an_unknown_filter_value_is_said_and_dropped(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    _three_tokens(http_mock)
    page = text(as_agent.get("/tokens/?status=bogus"))
    assert "Select a valid choice" in page
    assert all(f'id="token-{n}"' in page for n in (1, 2, 3))


def test_empty_state_offers_the_wizard(as_agent: Client, http_mock: responses.RequestsMock) -> None:
    http_mock.get(TOKENS, json=[])
    http_mock.get(CLIENTS, json=[])
    page = text(as_agent.get("/tokens/"))
    assert "You have no tokens" in page and 'href="/tokens/new/"' in page
    assert '<svg class="timeline__svg"' not in page


def test_nothing_matches_the_filters(as_agent: Client, http_mock: responses.RequestsMock) -> None:
    _three_tokens(http_mock)
    page = text(as_agent.get("/tokens/?client=no-such-client"))
    assert "None of your 3 tokens match these filters" in page


def test_support_gets_a_plain_page_and_no_call(
    as_support: Client, http_mock: responses.RequestsMock
) -> None:
    for headers in ({}, htmx("inventory")):
        response = as_support.get("/tokens/", headers=headers)
        assert response.status_code == 200
        assert "Support staff have no tokens" in text(response)
    assert len(http_mock.calls) == 0


def test_a_chat_failure_is_explained_not_a_500(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(TOKENS, status=503)
    response = as_agent.get("/tokens/")
    assert response.status_code == 200
    assert "The Chat API had a problem on its side (HTTP 503)" in text(response)


def test_a_local_account_is_told_to_sign_in_with_chat(
    admin_client: Client, http_mock: responses.RequestsMock
) -> None:
    response = admin_client.get("/tokens/")
    assert "Sign in with Zendesk Chat" in text(response)
    assert len(http_mock.calls) == 0


def test_htmx_revoke_returns_the_fresh_inventory_and_a_toast(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    _three_tokens(http_mock)
    http_mock.get(f"{TOKENS}/2", json=token_json(2, client_identifier=CRM["client_identifier"]))
    http_mock.delete(f"{TOKENS}/2", status=204)
    response = as_agent.post(
        "/tokens/2/revoke/", {"confirm": "yes", "status": "expiring"}, headers=htmx("inventory")
    )
    assert is_fragment(response, "inventory")
    assert "Token tok002xx… was revoked." in response["HX-Trigger"].encode().decode(
        "unicode_escape"
    )
    assert writes(http_mock) == ["DELETE /api/v2/chat/oauth/tokens/2"]
    assert events("token.revoke")[0].outcome == Outcome.SUCCESS


def test_without_javascript_revoke_asks_on_a_page_first_then_redirects(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    _three_tokens(http_mock)
    confirm = as_agent.post("/tokens/2/revoke/", {"scope": "read"})
    page = text(confirm)
    assert "Revoke 1 token?" in page and 'name="confirm" value="yes"' in page
    assert 'name="scope" value="read"' in page
    assert "(CRM bridge)" in page  # named as the table names it
    assert writes(http_mock) == []

    http_mock.get(f"{TOKENS}/2", json=token_json(2))
    http_mock.delete(f"{TOKENS}/2", status=204)
    done = as_agent.post("/tokens/2/revoke/", {"confirm": "yes", "scope": "read"})
    assert done.status_code == 302 and done["Location"] == "/tokens/?scope=read"
    assert writes(http_mock) == ["DELETE /api/v2/chat/oauth/tokens/2"]


def test_an_admin_revoking_another_agents_token_changes_nothing(
    as_admin: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{TOKENS}/3", status=404, json={"error": "Not Found"})
    http_mock.get(TOKENS, json=[])
    http_mock.get(CLIENTS, json=[])
    response = as_admin.post("/tokens/3/revoke/", {"confirm": "yes"}, headers=htmx("inventory"))
    assert "There is no such token of yours" in response["HX-Trigger"]
    assert writes(http_mock) == []
    assert events("token.revoke")[0].outcome == Outcome.DENIED


def test_htmx_bulk_revoke_reports_the_foreign_id(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    _three_tokens(http_mock)
    http_mock.get(TOKENS, json=[token_json(1), token_json(5, agent_id=OTHER_AGENT_ID)])
    http_mock.delete(f"{TOKENS}/1", status=204)
    response = as_agent.post(
        "/tokens/revoke/", {"token_ids": ["1", "5"], "confirm": "yes"}, headers=htmx("inventory")
    )
    assert is_fragment(response, "inventory")
    trigger = response["HX-Trigger"]
    assert "Revoked 1 token." in trigger
    assert "A selected token: There is no such token of yours" in trigger
    assert '"warning"' in trigger
    assert writes(http_mock) == ["DELETE /api/v2/chat/oauth/tokens/1"]


def test_bulk_revoke_without_javascript_confirms_the_count_first(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    _three_tokens(http_mock)
    page = parsed(as_agent.post("/tokens/revoke/", {"token_ids": ["1", "9"]}))
    assert page.one("h1").text == "Revoke 2 tokens?"
    named = [item.text for item in page.one("ul", css_class="confirm-list").find("li")]
    assert named[0].endswith("(Local tool)") and named[1] == "a selected token"  # by name, never #1
    assert writes(http_mock) == []


@pytest.mark.parametrize("token_ids", [[], ["abc"], ["-4"]])
def test_bulk_revoke_with_bad_input_changes_nothing_and_is_audited(
    as_agent: Client, http_mock: responses.RequestsMock, token_ids: list[str]
) -> None:
    http_mock.get(TOKENS, json=[])
    http_mock.get(CLIENTS, json=[])
    response = as_agent.post(
        "/tokens/revoke/", {"token_ids": token_ids, "confirm": "yes"}, headers=htmx("inventory")
    )
    assert is_fragment(response, "inventory")
    assert (
        "Select at least one" in response["HX-Trigger"] or "whole numbers" in response["HX-Trigger"]
    )
    assert writes(http_mock) == []
    assert events("token.revoke")[0].outcome == Outcome.FAILURE


def test_htmx_revoke_without_the_confirmation_revokes_nothing(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(TOKENS, json=[])
    http_mock.get(CLIENTS, json=[])
    response = as_agent.post("/tokens/2/revoke/", headers=htmx("inventory"))
    assert "confirm first" in response["HX-Trigger"]
    assert writes(http_mock) == []


def test_revoke_and_bulk_revoke_enforce_csrf(
    csrf_client: Client, chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    csrf_client.force_login(chat_agent)
    assert csrf_client.post("/tokens/2/revoke/", {"confirm": "yes"}).status_code == 403
    bulk = csrf_client.post("/tokens/revoke/", {"token_ids": ["2"], "confirm": "yes"})
    assert bulk.status_code == 403
    assert len(http_mock.calls) == 0
    # With the token from the page, the same POST goes through.
    http_mock.get(TOKENS, json=[token_json(2)])
    http_mock.get(CLIENTS, json=[])
    page = text(csrf_client.get("/tokens/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    http_mock.get(f"{TOKENS}/2", json=token_json(2))
    http_mock.delete(f"{TOKENS}/2", status=204)
    ok = csrf_client.post(
        "/tokens/2/revoke/", {"confirm": "yes", "csrfmiddlewaretoken": token.group(1)}
    )
    assert ok.status_code == 302


def test_the_sign_in_token_is_marked_and_its_revoke_warns(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(
        TOKENS,
        json=[token_json(1, client_identifier="chatadmin-dashboard", access_token=AGENT_TOKEN)],
    )
    http_mock.get(CLIENTS, json=[])
    page = text(as_agent.get("/tokens/"))
    assert "chatadmin sign-in" in page and "you will be signed out" in page
    assert AGENT_TOKEN not in page


@pytest.mark.parametrize(
    ("query", "says", "not_said"),
    [
        ({}, ["1 of your tokens expires within 2 hours", "1 expired already"], []),
        ({"status": "active"}, [], ["expires within", "expired already"]),
        ({"client": CRM["client_identifier"]}, ["1 of these tokens expires", "1 expired"], []),
        ({"client": LOCAL_TOOL["client_identifier"]}, [], ["expires within", "expired already"]),
        ({"status": "expired"}, ["1 expired already"], ["expires within"]),
    ],
)
def test_the_expiry_warning_counts_the_tokens_the_filters_show(
    as_agent: Client,
    http_mock: responses.RequestsMock,
    query: dict[str, str],
    says: list[str],
    not_said: list[str],
) -> None:
    _three_tokens(http_mock)
    warning = parsed(as_agent.get("/tokens/", query, headers=htmx("inventory"))).find(
        css_class="tokens-warning"
    )
    shown = warning[0].text if warning else ""
    assert all(words in shown for words in says), shown
    assert not any(words in shown for words in not_said), shown


def test_the_page_is_never_served_from_a_cache_and_varies_on_htmx(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    _three_tokens(http_mock)
    for headers in ({}, htmx("inventory")):
        response = as_agent.get("/tokens/", headers=headers)
        assert "no-store" in response["Cache-Control"] and "HX-Request" in response["Vary"]


def test_a_local_account_gets_no_mint_button_and_a_way_to_link(
    admin_client: Client, http_mock: responses.RequestsMock
) -> None:
    page = parsed(admin_client.get("/tokens/"))
    assert page.find("a", href="/tokens/new/") == []
    assert page.one("a", href="/settings/#chat-identity").text == "Link your Chat identity"
    assert len(http_mock.calls) == 0
