"""axe-core (WCAG 2.x A/AA rules, contrast included) finds no violations on the pages people use."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record
from chatadmin.sandbox import demo
from tests.e2e.helpers import WCAG, assert_accessible, sign_in_locally
from tests.fixtures.sandbox import LiveSandbox
from tests.sandbox.helpers import authorize_link

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_sign_in_page_is_accessible(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in", exact=True).click()  # empty form: errors shown
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/", "/clients/", "/tokens/", "/audit/", "/settings/"])
def test_the_admins_pages_are_accessible(
    page: Page, live_server: LiveServer, admin_user: User, plain_user: User, path: str
) -> None:
    audit_record("example.action", outcome=Outcome.FAILURE, actor=admin_user, message="x")
    sign_in_locally(page, live_server, admin_user)
    page.goto(f"{live_server.url}{path}")
    assert_accessible(page)


def test_the_checker_does_find_violations(page: Page) -> None:
    """Guards the tests above: axe really runs and reports what is wrong."""
    page.set_content(
        '<html lang="en"><title>t</title><main><img src="x.png">'
        '<p style="color:#bbb;background:#fff">faint</p><input type="text"></main></html>'
    )
    results = Axe().run(page, options=WCAG)
    found = {violation["id"] for violation in results.response["violations"]}
    assert {"image-alt", "color-contrast", "label"} <= found


@pytest.mark.live
def test_the_sandbox_sign_in_and_consent_pages_are_accessible(
    page: Page, sandbox: LiveSandbox
) -> None:
    page.goto(
        authorize_link(
            sandbox,
            response_type="code",
            client_id=demo.DASHBOARD_CLIENT_ID,
            redirect_uri=demo.DASHBOARD_REDIRECT_URIS[0],
            state="s",
        )
    )
    assert_accessible(page)
    page.get_by_label("Email").fill(demo.AGENT1)
    page.get_by_label("Password").fill(demo.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Allow").wait_for()
    assert_accessible(page)
