"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
from typing import Any

import pytest
import requests
from playwright.sync_api import ConsoleMessage, Page
from pytest_django.fixtures import Settings as SettingsWrapper
from pytest_django.live_server_helper import LiveServer

from chatadmin.sandbox import demo
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.sandbox.helpers import bearer

# Playwright's sync API runs an event loop in this thread while the ORM is used from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Every console error the page logs (CSP violations show up here)."""
    errors: list[str] = []

    def collect(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", collect)
    return errors


@pytest.fixture
def chat_at_sandbox(
    settings: SettingsWrapper, sandbox: LiveSandbox, live_server: LiveServer
) -> LiveSandbox:
    """Point the dashboard at the sandbox; its origin may receive redirects after form posts."""
    settings.CHAT_BASE_URL = sandbox.url
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], sandbox.url],
    }
    return sandbox


@pytest.fixture
def chat_sign_in_ready(chat_at_sandbox: LiveSandbox, live_server: LiveServer) -> LiveSandbox:
    """chat_at_sandbox, with the live server's sign-in callback on the dashboard's client."""
    sandbox = chat_at_sandbox
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
