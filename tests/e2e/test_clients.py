"""Each role's main path on the API clients pages, in a real browser against the sandbox."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from chatadmin.accounts.models import AccountConnection, ConnectionKind, User
from chatadmin.sandbox import demo
from tests.e2e.helpers import sign_in_locally, sign_in_with_chat
from tests.fixtures.sandbox import LiveSandbox

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

EXTERNAL_URL = "https://partner.example.com/oauth/callback"


@pytest.mark.usefixtures("chat_sign_in_ready")
def test_an_admin_creates_a_client_copies_its_secret_and_deletes_it(
    page: Page, context: BrowserContext, live_server: LiveServer, console_errors: list[str]
) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in_with_chat(page, live_server, demo.OWNER)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="API clients").click()
    expect(page.get_by_role("link", name="Helpdesk sync", exact=True)).to_be_visible()  # everyone's
    page.get_by_role("link", name="New API client").click()

    page.get_by_label("Client name").fill("Partner portal")
    page.get_by_label("Company").fill("Partner Inc")
    page.get_by_label("Redirect URLs").fill(EXTERNAL_URL)
    page.get_by_role("checkbox", name=re.compile("^read")).check()
    page.get_by_role("checkbox", name=re.compile("^write")).check()
    page.get_by_role("radio", name=re.compile("^Confidential")).check()
    page.get_by_role("button", name="Create API client").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("API client created: save the secret now")
    expect(heading).to_be_focused()  # focus follows the htmx swap
    secret = page.locator("#reveal-client-secret").inner_text()
    assert len(secret) >= 32
    page.get_by_role("button", name="Copy secret").click()
    expect(page.get_by_text("Secret copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret

    page.get_by_role("link", name="I saved it: show the client").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partner portal")
    assert secret not in page.content()
    page.go_back()  # neither the back/forward cache nor htmx's history brings it back
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Partner portal")
    assert secret not in page.content()
    page.go_forward()

    page.get_by_role("link", name="Delete", exact=True).click()
    expect(page.get_by_text("External integration").first).to_be_visible()
    confirm = page.get_by_label("Type the client's name, Partner portal, to confirm")
    confirm.fill("Partner")
    page.get_by_role("button", name="Delete this client").click()
    expect(page.get_by_text("Type the client's name exactly (“Partner portal”)")).to_be_visible()
    page.get_by_label(re.compile("Type the client's name")).fill("Partner portal")
    page.get_by_role("button", name="Delete this client").click()

    expect(page).to_have_url(f"{live_server.url}/clients/")
    expect(page.get_by_text("Deleted the API client “Partner portal”.")).to_be_visible()
    expect(page.get_by_role("link", name="Partner portal", exact=True)).to_have_count(0)
    assert console_errors == []


@pytest.mark.usefixtures("chat_sign_in_ready")
def test_a_user_sees_only_their_own_clients_and_filters_them(
    page: Page, live_server: LiveServer, sandbox: LiveSandbox, console_errors: list[str]
) -> None:
    sign_in_with_chat(page, live_server, demo.AGENT1)
    page.goto(f"{live_server.url}/clients/")
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Local tool", exact=True)).to_be_visible()
    expect(table.get_by_role("link", name="CRM bridge", exact=True)).to_be_visible()
    for theirs in ("Helpdesk sync", "Test client", "Reporting script"):
        expect(page.get_by_text(theirs)).to_have_count(0)

    sandbox.set_faults(latency_ms=700)  # Chat is slow now, but searching asks it nothing
    page.get_by_label("Search").fill("bridge")
    expect(table.get_by_role("link", name="Local tool", exact=True)).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/clients/\?q=bridge"))
    expect(page.get_by_role("link", name="CRM bridge", exact=True)).to_be_visible()
    expect(page.locator("#clients-announce")).to_have_text("1 API client")
    expect(page.get_by_label("Search")).to_be_focused()  # typing goes on after the swap
    page.get_by_role("link", name="Refresh").click()  # this one asks Chat again: progress shows
    expect(page.get_by_text("Asking Zendesk Chat…")).to_be_visible()
    expect(page.get_by_text("Asking Zendesk Chat…")).to_be_hidden()
    expect(page.get_by_role("link", name="CRM bridge", exact=True)).to_be_visible()
    assert console_errors == []


def test_support_sees_every_client_read_only_and_no_secret(
    page: Page,
    live_server: LiveServer,
    chat_at_sandbox: LiveSandbox,
    support_user: User,
) -> None:
    sandbox = chat_at_sandbox
    AccountConnection.objects.create(
        kind=ConnectionKind.OAUTH,
        access_token=sandbox.token_for(demo.OWNER, scopes="read")["access_token"],
    )
    sign_in_locally(page, live_server, support_user)
    page.goto(f"{live_server.url}/clients/")

    expect(page.get_by_text("You have read-only access")).to_be_visible()
    for client in demo.CLIENTS:  # shortened in the table, whole on hover and behind Copy
        expect(page.locator(f'code[title="{client.client_identifier}"]')).to_be_visible()
    expect(page.get_by_role("link", name="New API client")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^(Edit|Delete|Regenerate)"))).to_have_count(0)

    page.get_by_role("link", name="Helpdesk sync", exact=True).click()
    expect(page.get_by_text("Never shown here.")).to_be_visible()
    expect(page.locator(".actions")).to_have_count(0)
    page.goto(f"{live_server.url}/clients/new/")
    expect(page.get_by_role("heading", name="Read-only access")).to_be_visible()
