"""/clients/new/: the form, its checks, Chat's refusals, and the one-time secret reveal."""

from __future__ import annotations

import re

import pytest
import responses
from django.test import Client

from chatadmin.accounts.models import ChatCredential, User
from chatadmin.audit.models import Outcome
from tests.fixtures.chat_payloads import CLIENTS, SECRET, client_json, refusal
from tests.fixtures.pages import events, htmx, is_fragment, text, writes

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Reporting",
    "company": "Acme",
    "redirect_uris": "https://app.example.com/cb\nhttp://localhost:8080",
    "scopes": ["read", "write", "chat"],
    "client_type": "confidential",
}


def created(mock: responses.RequestsMock) -> None:
    mock.post(CLIENTS, status=201, json=client_json(12, name="Reporting", secret=SECRET))


def test_the_form_explains_scopes_and_client_types(as_agent: Client) -> None:
    html = text(as_agent.get("/clients/new/"))
    assert '<h1 tabindex="-1">New API client</h1>' in html
    assert "<legend>Scopes" in html and "<code>read write chat</code>" in html
    assert "<legend>Client type" in html and "only with a confidential client" in html
    assert 'hx-post="/clients/new/"' in html and 'hx-disabled-elt="find button"' in html
    assert 'hx-indicator="#client-form-progress"' in html
    assert re.search(r'value="public"[^>]*checked', html)  # public unless chosen otherwise


def test_support_gets_no_form(as_support: Client) -> None:
    page = as_support.get("/clients/new/")
    assert page.status_code == 403 and "read-only access" in text(page)


def test_creating_shows_the_secret_once_in_the_answer_itself(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    created(http_mock)
    page = as_agent.post("/clients/new/", FORM)
    assert page.status_code == 200  # no redirect: the secret is never parked anywhere
    html = text(page)
    assert html.count(SECRET) == 1
    assert "This is the only time this secret is shown." in html
    assert client_json(12)["client_identifier"] in html
    assert 'data-copy="reveal-client-secret"' in html and 'hx-history="false"' in html
    assert "no-store" in page["Cache-Control"]
    assert events("client.create")[0].outcome == Outcome.SUCCESS


def test_creating_with_htmx_swaps_the_reveal_into_the_page(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    created(http_mock)
    page = as_agent.post("/clients/new/", FORM, headers=htmx("client-page"))
    assert page.status_code == 200 and is_fragment(page, "client-page")
    assert SECRET in text(page) and "no-store" in page["Cache-Control"]


@pytest.mark.parametrize("headers", [{}, htmx("client-page")])
def test_invalid_input_is_shown_per_line_sent_nowhere_and_audited(
    as_agent: Client, http_mock: responses.RequestsMock, headers: dict[str, str]
) -> None:
    bad = {**FORM, "redirect_uris": "https://ok.example.com\nhttp://example.com/cb", "scopes": []}
    page = as_agent.post("/clients/new/", bad, headers=headers)
    assert page.status_code == 200
    assert is_fragment(page, "client-page") is bool(headers)
    html = text(page)
    assert "Line 2 (http://example.com/cb) plain http is allowed only for localhost" in html
    assert "Choose at least one scope." in html
    assert 'aria-describedby="id_redirect_uris_helptext id_redirect_uris_error"' in html
    assert len(http_mock.calls) == 0
    (event,) = events("client.create")
    assert event.outcome == Outcome.FAILURE and "redirect_uris" in event.message


def test_csrf_is_enforced(
    csrf_client: Client, chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    created(http_mock)
    csrf_client.force_login(chat_agent)
    refused = csrf_client.post("/clients/new/", FORM)
    assert refused.status_code == 403
    assert len(http_mock.calls) == 0 and events("client.create") == []

    form_page = text(csrf_client.get("/clients/new/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page)
    assert token
    accepted = csrf_client.post("/clients/new/", {**FORM, "csrfmiddlewaretoken": token.group(1)})
    assert accepted.status_code == 200 and SECRET in text(accepted)


def test_support_cannot_create(as_support: Client, http_mock: responses.RequestsMock) -> None:
    page = as_support.post("/clients/new/", FORM)
    assert page.status_code == 403 and "read-only" in text(page)
    assert len(http_mock.calls) == 0
    (event,) = events("client.create")
    assert event.outcome == Outcome.DENIED


def test_chats_field_messages_land_next_to_the_fields(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.post(
        CLIENTS,
        status=422,
        json=refusal(
            422,
            "Unprocessable Entity",
            "The request is not valid.",
            redirect_uris=["https://app.example.com/cb: this host is blocked."],
        ),
    )
    page = as_agent.post("/clients/new/", FORM, headers=htmx("client-page"))
    assert page.status_code == 200 and is_fragment(page, "client-page")
    html = text(page)
    error = re.search(r'id="id_redirect_uris_error"[^>]*>(.*?)</div>', html, re.S)
    assert error and "this host is blocked." in error.group(1)
    assert "Zendesk Chat did not accept some values" in html
    assert events("client.create")[0].outcome == Outcome.FAILURE


def test_chat_being_down_keeps_the_form_filled_in_and_says_try_again(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.post(CLIENTS, status=503, json=refusal(503, "Service Unavailable"))
    page = as_agent.post("/clients/new/", FORM)
    html = text(page)
    assert page.status_code == 200 and "Try again in a moment." in html
    assert 'value="Reporting"' in html and "https://app.example.com/cb" in html
    assert events("client.create")[0].outcome == Outcome.FAILURE


@pytest.mark.parametrize(("headers", "status"), [({}, 302), (htmx("client-page"), 200)])
def test_a_revoked_chat_sign_in_signs_the_person_out_and_is_audited(
    as_agent: Client,
    chat_agent: User,
    http_mock: responses.RequestsMock,
    headers: dict[str, str],
    status: int,
) -> None:
    http_mock.post(CLIENTS, status=401, json=refusal(401, "Unauthorized"))
    page = as_agent.post("/clients/new/", FORM, headers=headers)
    assert page.status_code == status
    assert (page.get("Location") or page.get("HX-Redirect")) == "/accounts/login/"
    assert not ChatCredential.objects.filter(user=chat_agent).exists()
    assert events("client.create")[0].outcome == Outcome.FAILURE
    assert writes(http_mock) == ["POST /api/v2/chat/oauth/clients"]
