"""axe-core finds no WCAG A/AA violations on the API clients pages, in every state people meet."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from chatadmin.accounts.chat_access import credential_store
from chatadmin.accounts.models import User
from chatadmin.sandbox import demo
from tests.e2e.helpers import assert_accessible, signed_in_as
from tests.fixtures.sandbox import LiveSandbox

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

OWNER_AGENT_ID = next(agent.id for agent in demo.AGENTS if agent.email == demo.OWNER)


@pytest.fixture
def owner_page(
    page: Page,
    live_server: LiveServer,
    chat_at_sandbox: LiveSandbox,
    admin_user: User,
) -> Page:
    """The browser signed in as an admin who acts as the sandbox's owner (a real Chat token)."""
    sandbox = chat_at_sandbox
    admin_user.chat_agent_id = OWNER_AGENT_ID
    admin_user.save(update_fields=["chat_agent_id"])
    grant = sandbox.token_for(demo.OWNER)
    credential_store(
        admin_user,
        agent_id=OWNER_AGENT_ID,
        access_token=grant["access_token"],
        refresh_token="",
        expires_at=None,
        scopes=grant["scope"],
    )
    signed_in_as(page, live_server, admin_user)
    return page


def test_the_clients_pages_are_accessible(owner_page: Page, live_server: LiveServer) -> None:
    page = owner_page
    page.goto(f"{live_server.url}/clients/")
    expect(page.get_by_role("table")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Search").fill("no such client")
    expect(page.get_by_text("No API clients match these filters.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/clients/")
    page.get_by_role("link", name="Helpdesk sync", exact=True).click()
    expect(page.get_by_role("heading", name="Helpdesk sync")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Delete", exact=True).click()
    page.get_by_role("button", name="Delete this client").click()  # no name typed
    expect(page.locator("#id_confirm_name_error")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/clients/new/")
    assert_accessible(page)
    page.get_by_label("Redirect URLs").fill("http://example.com/callback")
    page.get_by_role("button", name="Create API client").click()
    expect(page.locator("#id_redirect_uris_error")).to_contain_text("use https")
    expect(page.locator("#id_scopes_error")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Client name").fill("Accessible app")
    page.get_by_label("Redirect URLs").fill("http://localhost:8080/callback")
    page.get_by_role("checkbox", name=re.compile("^read")).check()
    page.get_by_role("button", name="Create API client").click()
    expect(page.get_by_role("button", name="Copy secret")).to_be_visible()
    assert_accessible(page)
