"""Problem pages offer what can help: never "Try again" for a refusal; a way on when there is."""

from __future__ import annotations

import pytest
import responses
from django.test import Client

from chatadmin.accounts.models import User
from chatadmin.audit.models import AuditEvent
from tests.fixtures.html import parsed
from tests.fixtures.pages import htmx

pytestmark = pytest.mark.django_db


def test_read_only_access_is_refused_without_try_again(
    as_support: Client, http_mock: responses.RequestsMock
) -> None:
    response = as_support.get("/clients/new/")
    assert response.status_code == 403
    page = parsed(response)
    assert page.one("h1").text == "Read-only access"
    links = {a.text for a in page.one(css_class="problem-page").find("a")}
    assert "Try again" not in links and "Back to API clients" in links
    assert page.find("form", action="/clients/new/") == []
    assert len(http_mock.calls) == 0


def test_a_local_admin_is_shown_the_way_to_a_chat_identity_not_a_form(
    admin_client: Client, admin_user: User, http_mock: responses.RequestsMock
) -> None:
    for path in ("/clients/new/", "/tokens/new/"):
        page = parsed(admin_client.get(path))
        assert "no Zendesk Chat identity" in page.one("main").text
        assert page.one("a", href="/settings/#chat-identity").text == "Link your Chat identity"
        assert page.find("form", action="/clients/new/") == []
        assert page.find("a", href="/tokens/new/", css_class="button") == []
    assert len(http_mock.calls) == 0
    assert not AuditEvent.objects.filter(action__startswith="client.").exists()


def test_the_way_on_is_offered_in_an_htmx_region_too(
    admin_client: Client, http_mock: responses.RequestsMock
) -> None:
    page = parsed(admin_client.get("/clients/new/", headers=htmx("client-page")))
    assert page.one("a", href="/settings/#chat-identity").text == "Link your Chat identity"
    assert len(http_mock.calls) == 0
