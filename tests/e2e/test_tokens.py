"""The token pages in a real browser: the testing wizard end to end, bulk revoke, and axe.

The dashboard is pytest-django's live server, pointed at a live sandbox; the person signs in
to chatadmin locally and holds a Chat token the sandbox minted for agent1, as "Sign in with
Zendesk Chat" would leave them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import requests
from playwright.sync_api import Dialog, Page, expect
from pytest_django.live_server_helper import LiveServer

from chatadmin.accounts.chat_access import credential_store
from chatadmin.accounts.models import User
from chatadmin.accounts.roles import Role
from chatadmin.sandbox import demo
from tests.e2e.helpers import assert_accessible, signed_in_as
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.sandbox.helpers import api_get, bearer

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

ADD_URL = "Add chatadmin's wizard URL to this client's redirect URLs"


@pytest.fixture
def agent1(chat_at_sandbox: LiveSandbox, make_user: Callable[..., User]) -> tuple[User, str]:
    """agent1 as a chatadmin user with their own Chat token; (user, token)."""
    granted = chat_at_sandbox.token_for(demo.AGENT1)
    user = make_user(Role.USER, email=demo.AGENT1, chat_agent_id=3)
    credential_store(
        user,
        agent_id=3,
        access_token=granted["access_token"],
        refresh_token=granted["refresh_token"],
        expires_at=None,
        scopes=granted["scope"],
    )
    return user, str(granted["access_token"])


def test_the_testing_wizard_shows_the_token_once_from_the_fragment(
    page: Page,
    live_server: LiveServer,
    chat_at_sandbox: LiveSandbox,
    agent1: tuple[User, str],
    console_errors: list[str],
) -> None:
    user, _ = agent1
    signed_in_as(page, live_server, user)
    page.goto(f"{live_server.url}/tokens/new/")
    assert_accessible(page)

    page.get_by_label("Client", exact=True).select_option(label="Local tool")
    expect(page).to_have_url(re.compile(r"/tokens/new/\?client=\d+$"))
    expect(page.get_by_role("button", name=ADD_URL)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=ADD_URL).click()
    expect(page.get_by_text("It is one of the redirect URLs of Local tool")).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("^Testing"))).to_be_checked()
    page.get_by_role("button", name="Continue to Zendesk Chat").click()

    # On the sandbox: sign in as agent1 and allow.
    expect(page).to_have_url(re.compile("^" + re.escape(chat_at_sandbox.url)))
    page.get_by_label("Email").fill(demo.AGENT1)
    page.get_by_label("Password").fill(demo.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Allow").click()

    # Back on chatadmin: the token is shown, and gone from the address bar.
    expect(page).to_have_url(f"{live_server.url}/tokens/new/landing/")
    token_field = page.get_by_label("Access token")
    expect(token_field).to_be_visible()
    token = token_field.input_value()
    assert len(token) == 64
    assert page.evaluate("window.location.hash") == ""
    assert token not in page.evaluate("window.location.href")
    expect(page.locator('[data-landing-field="scope"]')).to_have_text("read write chat")
    assert_accessible(page)
    me = requests.get(chat_at_sandbox.api_url("agents/me"), headers=bearer(token), timeout=TIMEOUT)
    assert me.json()["email"] == demo.AGENT1

    # Shown once: coming back to the page shows nothing.
    page.reload()
    expect(page.get_by_text("No token request from this browser was waiting")).to_be_visible()
    expect(page.get_by_label("Access token")).to_be_hidden()
    assert console_errors == []


def test_a_fragment_with_a_forged_state_is_not_shown(
    page: Page, live_server: LiveServer, chat_at_sandbox: LiveSandbox, agent1: tuple[User, str]
) -> None:
    user, own = agent1
    clients = api_get(chat_at_sandbox, "oauth/clients", own).json()
    (tool,) = [c for c in clients if c["client_identifier"] == "agent1-local-tool"]
    landing = f"{live_server.url}/tokens/new/landing/"
    requests.put(
        chat_at_sandbox.api_url(f"oauth/clients/{tool['id']}"),
        json={"redirect_uris": f"{tool['redirect_uris']} {landing}"},
        headers=bearer(own),
        timeout=TIMEOUT,
    ).raise_for_status()
    signed_in_as(page, live_server, user)
    page.goto(f"{live_server.url}/tokens/new/?client={tool['id']}")
    page.get_by_role("button", name="Continue to Zendesk Chat").click()
    expect(page).to_have_url(re.compile("^" + re.escape(chat_at_sandbox.url)))

    # A request is waiting, but this answer carries someone else's state (and token).
    page.goto(f"{landing}#access_token={own}&token_type=Bearer&state=made-up")

    expect(page.get_by_text("does not match the token request you started")).to_be_visible()
    assert page.get_by_label("Access token").input_value() == ""
    assert page.evaluate("window.location.hash") == ""


def test_bulk_revoke_in_the_browser(
    page: Page,
    live_server: LiveServer,
    chat_at_sandbox: LiveSandbox,
    agent1: tuple[User, str],
    console_errors: list[str],
) -> None:
    user, own = agent1
    listed = api_get(chat_at_sandbox, "oauth/tokens", own).json()
    seeded = {
        t["client_identifier"]: t["id"]
        for t in listed
        if t["client_identifier"] != demo.DASHBOARD_CLIENT_ID
    }
    assert set(seeded) == {"agent1-local-tool", "agent1-crm-bridge"}
    signed_in_as(page, live_server, user)
    page.goto(f"{live_server.url}/tokens/")
    expect(page.locator(".tokens-warning")).to_contain_text("expired already")
    expect(page.locator(".timeline__mark")).to_have_count(len(listed) + 3)  # + the legend's 3
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Select .*\(Local tool\)$")).check()
    page.get_by_label(re.compile(r"^Select .*\(CRM bridge\)$")).check()
    revoke = page.get_by_role("button", name="Revoke selected (2)")
    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    revoke.click()

    expect(page.locator("#toasts")).to_contain_text("Revoked 2 tokens.")
    assert asked == ["Revoke 2 selected tokens? Apps that use them stop working at once."]
    for token_id in seeded.values():
        expect(page.locator(f"#token-{token_id}")).to_have_count(0)
    remaining = {t["id"] for t in api_get(chat_at_sandbox, "oauth/tokens", own).json()}
    assert remaining.isdisjoint(seeded.values()) and remaining
    assert console_errors == []
