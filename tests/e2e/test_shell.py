"""A real browser signs in and moves around the shell."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from chatadmin.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_signs_in_and_sees_the_shell_without_csp_errors(
    page: Page, live_server: LiveServer, admin_user: User, console_errors: list[str]
) -> None:
    page.goto(f"{live_server.url}/clients/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/clients/")
    page.get_by_label("Email").fill(admin_user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/clients/")
    nav = page.get_by_role("navigation", name="Main")
    for label in ("API clients", "Tokens", "Audit log", "Settings"):
        expect(nav.get_by_role("link", name=label)).to_be_visible()
    expect(nav.get_by_role("link", name="API clients")).to_have_attribute("aria-current", "page")
    expect(page.locator(".whoami")).to_contain_text("Admin")
    # htmx loaded under the CSP (its script carries the nonce).
    assert page.evaluate("typeof window.htmx") == "object"
    assert console_errors == []


def test_keyboard_reaches_the_skip_link_first(
    page: Page, live_server: LiveServer, admin_user: User
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"


def test_role_change_with_htmx_shows_a_toast(
    page: Page,
    live_server: LiveServer,
    admin_user: User,
    plain_user: User,
    console_errors: list[str],
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(admin_user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.goto(f"{live_server.url}/settings/")

    page.get_by_label(f"Role of {plain_user.email}").select_option("support")
    page.get_by_label(f"Role of {plain_user.email}").locator("xpath=..").get_by_role(
        "button", name="Save"
    ).click()

    expect(page.locator("#toasts")).to_contain_text(f"{plain_user.email} is now Support.")
    plain_user.refresh_from_db()
    assert plain_user.role == "support"
    assert console_errors == []
