"""A real browser signs in with Zendesk Chat: dashboard (live server) → sandbox → dashboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from chatadmin.accounts.models import User
from chatadmin.accounts.roles import Role
from chatadmin.sandbox import demo
from tests.fixtures.sandbox import LiveSandbox

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_the_owner_signs_in_with_zendesk_chat_and_lands_as_admin(
    page: Page,
    live_server: LiveServer,
    chat_sign_in_ready: LiveSandbox,
    console_errors: list[str],
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with Zendesk Chat").click()

    expect(page).to_have_url(re.compile("^" + re.escape(chat_sign_in_ready.url)))
    page.get_by_label("Email").fill(demo.OWNER)
    page.get_by_label("Password").fill(demo.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Allow").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".whoami")).to_contain_text("Admin")
    assert User.objects.get(email=demo.OWNER).role == Role.ADMIN
    assert console_errors == []
