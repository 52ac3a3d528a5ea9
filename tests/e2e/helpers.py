"""What the browser tests share: signing in, and the accessibility check."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from chatadmin.accounts.chat_identity import chat_identity_checked
from chatadmin.accounts.models import User
from chatadmin.sandbox import demo
from tests.conftest import PASSWORD

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.x A/AA violation (contrast included) on the page as it is."""
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sign_in_locally(page: Page, live_server: LiveServer, user: User) -> None:
    """Sign in with a local account (password PASSWORD) and land on the home page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/")


def sign_in_with_chat(page: Page, live_server: LiveServer, email: str) -> None:
    """Sign in with Zendesk Chat on the sandbox's pages and come back signed in."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with Zendesk Chat").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(demo.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Allow").click()
    expect(page).to_have_url(f"{live_server.url}/")


def signed_in_as(page: Page, live_server: LiveServer, user: User) -> None:
    """Start the browser signed in as `user`, as a Chat sign-in a moment ago leaves it.

    A Chat identity cannot sign in with a password, so tests that give one a stored token of
    their own hand the browser a real session instead of going through Chat's pages.
    """
    client = Client()
    client.force_login(user)
    chat_identity_checked(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/")
