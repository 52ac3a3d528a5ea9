"""/clients/<id>/: every field but the secret, and only the actions the policy allows."""

from __future__ import annotations

import pytest
import responses
from django.test import Client

from tests.fixtures.chat_payloads import (
    CLIENTS,
    OTHER_AGENT_ID,
    SECRET,
    TOKENS,
    client_json,
    refusal,
    token_json,
)
from tests.fixtures.pages import text

pytestmark = pytest.mark.django_db

# Older Chat docs show a full secret in list and show answers: it must never reach a page.
LEAKY = client_json(7, secret=SECRET)


def test_the_detail_shows_every_field_but_the_secret(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=LEAKY)
    http_mock.get(TOKENS, json=[token_json(21, client_identifier=LEAKY["client_identifier"])])
    page = as_agent.get("/clients/7/")
    html = text(page)
    assert page.status_code == 200
    for shown in (
        '<h1 tabindex="-1">CRM bridge</h1>',
        "Example Ltd",
        LEAKY["client_identifier"],
        "badge--confidential",
        "client_credentials",
        "<code>read</code> <code>write</code>",
        "https://app.example.com/oauth/callback",
        "External integration",
        'title="agent1@example.com">You</span>',
        ">2024-05-01</time>",
        'title="2024-05-02 10:30:00 UTC">2024-05-02</time>',
        "Never shown again",
        'data-copy="client-identifier"',
        "<code>tok21abc…</code>",  # your token from it, by its prefix, with revoke
        'action="/tokens/21/revoke/"',
    ):
        assert shown in html, shown
    assert SECRET not in html and "Agent #" not in html
    for action in (
        "/clients/7/edit/",
        "/clients/7/secret/",
        "/clients/7/delete/",
        "/tokens/new/?client=7",
    ):
        assert f'href="{action}"' in html


def test_support_sees_the_detail_without_actions(
    as_support: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=LEAKY)
    html = text(as_support.get("/clients/7/"))
    assert "CRM bridge" in html and "Never shown here." in html and SECRET not in html
    assert "/edit/" not in html and "/secret/" not in html and "/delete/" not in html


def test_the_list_never_shows_a_secret_either(
    as_admin: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, json=[LEAKY])
    assert SECRET not in text(as_admin.get("/clients/"))


@pytest.mark.parametrize("client_id", [3, 9, 0])
def test_another_agents_client_a_missing_one_and_id_zero_are_all_not_found(
    as_agent: Client, http_mock: responses.RequestsMock, client_id: int
) -> None:
    http_mock.get(f"{CLIENTS}/3", json=client_json(3, agent_id=OTHER_AGENT_ID, name="Theirs"))
    http_mock.get(f"{CLIENTS}/9", status=404, json=refusal(404, "Not Found"))
    page = as_agent.get(f"/clients/{client_id}/")
    assert page.status_code == 404
    assert "This API client does not exist, or it is not one you can see." in text(page)
    assert "Theirs" not in text(page)


def test_chat_being_down_is_a_page_that_says_so(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", status=502, json=refusal(502, "Bad Gateway"))
    page = as_agent.get("/clients/7/")
    assert page.status_code == 503
    assert "had a problem on its side (HTTP 502)" in text(page)
    assert 'href="/clients/7/">Try again' in text(page)
