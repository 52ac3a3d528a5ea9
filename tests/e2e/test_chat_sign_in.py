"""A real browser signs in with Zendesk Chat: dashboard (live server) → sandbox → dashboard."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings as SettingsWrapper
from pytest_django.live_server_helper import LiveServer

from chatadmin.accounts.models import User
from chatadmin.accounts.roles import Role
from chatadmin.sandbox import demo
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.sandbox.helpers import bearer

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chat_points_at_sandbox(
    settings: SettingsWrapper, sandbox: LiveSandbox, live_server: LiveServer
) -> LiveSandbox:
    """Point the dashboard at the sandbox and register the live server's callback there."""
    settings.CHAT_BASE_URL = sandbox.url
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], sandbox.url],
    }
    owner = sandbox.token_for(demo.OWNER)["access_token"]
    clients = requests.get(
        sandbox.api_url("oauth/clients"), headers=bearer(owner), timeout=TIMEOUT
    ).json()
    (dashboard_client,) = [c for c in clients if c["client_identifier"] == demo.DASHBOARD_CLIENT_ID]
    callback = f"{live_server.url}/accounts/zendeskchat/login/callback/"
    updated = requests.put(
        sandbox.api_url(f"oauth/clients/{dashboard_client['id']}"),
        json={"redirect_uris": f"{dashboard_client['redirect_uris']} {callback}"},
        headers=bearer(owner),
        timeout=TIMEOUT,
    )
    assert updated.status_code == 200, updated.text
    return sandbox


def test_the_owner_signs_in_with_zendesk_chat_and_lands_as_admin(
    page: Page,
    live_server: LiveServer,
    chat_points_at_sandbox: LiveSandbox,
    console_errors: list[str],
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with Zendesk Chat").click()

    expect(page).to_have_url(re.compile("^" + re.escape(chat_points_at_sandbox.url)))
    page.get_by_label("Email").fill(demo.OWNER)
    page.get_by_label("Password").fill(demo.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Allow").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".whoami")).to_contain_text("Admin")
    assert User.objects.get(email=demo.OWNER).role == Role.ADMIN
    assert console_errors == []
