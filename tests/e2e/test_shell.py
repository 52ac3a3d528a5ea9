"""A real browser signs in and moves around the shell."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record
from tests.conftest import PASSWORD
from tests.e2e.helpers import sign_in_locally

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


def test_support_staff_see_settings_read_only(
    page: Page, live_server: LiveServer, support_user: User, admin_user: User
) -> None:
    sign_in_locally(page, live_server, support_user)
    expect(page.locator(".whoami")).to_contain_text("Support")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Chat API connection")).to_be_visible()
    expect(page.get_by_role("button", name="Connect with my Chat account")).to_have_count(0)
    expect(page.get_by_role("heading", name="People")).to_have_count(0)
    expect(page.get_by_role("table")).to_have_count(0)  # nobody's list of people
    # With no connection saved, support staff are told which admins to ask for one.
    expect(page.get_by_text(admin_user.email)).to_have_count(1)
    expect(page.locator("#connection")).to_contain_text(f"({admin_user.email}) to save one")


def test_a_user_sees_only_their_own_audit_events(
    page: Page, live_server: LiveServer, plain_user: User, admin_user: User
) -> None:
    audit_record("people.invite", outcome=Outcome.SUCCESS, actor=admin_user)
    sign_in_locally(page, live_server, plain_user)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Signed in with a password")  # actions in words
    expect(table).to_contain_text(plain_user.email)
    expect(table).not_to_contain_text(admin_user.email)
    page.get_by_label("Outcome").select_option("failure")  # htmx swaps the table, URL follows
    expect(page).to_have_url(re.compile(r"/audit/\?.*outcome=failure"))
    expect(page.get_by_text("No events match.")).to_be_visible()
