"""The console in a real browser: Back shows changes, every page fits the window and passes axe
for every role, the overview counts what the sandbox holds, a local admin links a Chat identity.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from chatadmin.accounts.chat_access import credential_store
from chatadmin.accounts.models import AccountConnection, ConnectionKind, User
from chatadmin.accounts.roles import Role
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record
from chatadmin.sandbox import demo
from tests.e2e.helpers import assert_accessible, sign_in_locally, signed_in_as
from tests.fixtures.overview import account_with_findings, expected_numbers
from tests.fixtures.sandbox import LiveSandbox

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

AGENT_IDS = {agent.email: agent.id for agent in demo.AGENTS}
WIDTHS = (1280, 390)  # where axe runs too
# Between them tables stack into cards: nothing may push the page sideways there either.
MIDDLE_WIDTHS = (1024, 800)
PAGES = ("/", "/tokens/", "/tokens/new/", "/audit/", "/settings/")


def chat_person(
    sandbox: LiveSandbox, make_user: Callable[..., User], email: str, role: str
) -> User:
    """A chatadmin user who is this sandbox agent, with a token the sandbox minted for them."""
    agent_id = AGENT_IDS[email]
    user = make_user(role, email=email, chat_agent_id=agent_id)
    grant = sandbox.token_for(email)
    credential_store(
        user,
        agent_id=agent_id,
        access_token=grant["access_token"],
        refresh_token=grant["refresh_token"],
        expires_at=None,
        scopes=grant["scope"],
    )
    return user


def fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    window = page.evaluate("window.innerWidth")
    assert width <= window, f"{page.url} is {width}px wide in a {window}px window"


def test_back_after_creating_a_client_shows_it_and_not_the_secret(
    page: Page,
    live_server: LiveServer,
    chat_at_sandbox: LiveSandbox,
    make_user: Callable[..., User],
    console_errors: list[str],
) -> None:
    owner = chat_person(chat_at_sandbox, make_user, demo.OWNER, Role.ADMIN)
    signed_in_as(page, live_server, owner)
    page.goto(f"{live_server.url}/clients/")
    expect(page.get_by_role("link", name="Helpdesk sync", exact=True)).to_be_visible()
    page.get_by_role("link", name="New API client").click()
    page.get_by_label("Client name").fill("Back button check")
    page.get_by_label("Redirect URLs").fill("http://localhost:9090/callback")
    page.get_by_role("checkbox", name=re.compile("^read")).check()
    page.get_by_role("button", name="Create API client").click()
    secret = page.locator("#reveal-client-secret").inner_text()
    assert len(secret) >= 32

    page.go_back()

    expect(page).to_have_url(f"{live_server.url}/clients/")
    expect(page.get_by_role("link", name="Back button check", exact=True)).to_be_visible()
    assert secret not in page.content()
    page.go_forward()  # the reveal page does not come back with its secret either
    assert secret not in page.content()
    assert console_errors == []


def test_back_after_filtering_reloads_the_page_as_it_was(
    page: Page, live_server: LiveServer, admin_user: User, plain_user: User
) -> None:
    audit_record("client.delete", outcome=Outcome.SUCCESS, actor=admin_user, target_label="Gone")
    audit_record("token.revoke", outcome=Outcome.FAILURE, actor=admin_user, target_label="Tok")
    sign_in_locally(page, live_server, admin_user)
    page.goto(f"{live_server.url}/audit/")
    page.get_by_label("Action").select_option(label="Client deleted")
    expect(page).to_have_url(re.compile(r"/audit/\?.*action=client\.delete"))
    expect(page.locator("#events tbody tr")).to_have_count(1)

    page.go_back()

    expect(page).to_have_url(f"{live_server.url}/audit/")
    expect(page.get_by_label("Action")).to_have_value("")  # the form and the rows agree
    expect(page.locator("#events tbody tr")).to_have_count(3)  # with the admin's sign-in


@pytest.fixture
def everyone(chat_at_sandbox: LiveSandbox, make_user: Callable[..., User]) -> dict[str, User]:
    """One person per role and situation, each as the pages meet them."""
    sandbox = chat_at_sandbox
    people = {
        "admin": chat_person(sandbox, make_user, demo.OWNER, Role.ADMIN),
        "user": chat_person(sandbox, make_user, demo.AGENT1, Role.USER),
        "support": make_user(Role.SUPPORT, email="support@chatadmin.test"),
        "local admin": make_user(Role.ADMIN, email="admin@chatadmin.test"),
    }
    AccountConnection.objects.create(
        kind=ConnectionKind.OAUTH,
        access_token=sandbox.token_for(demo.OWNER, scopes="read")["access_token"],
    )
    audit_record(
        "client.update",
        outcome=Outcome.UNKNOWN,
        actor=people["admin"],
        target_type="client",
        target_id="2",
        target_label="Helpdesk sync",
        message="Chat did not answer: https://integrations.example.com/a/very/long/path/that/must/wrap",
    )
    return people


@pytest.mark.parametrize("who", ["admin", "user", "support", "local admin"])
def test_every_page_fits_the_window_and_passes_axe(
    page: Page, live_server: LiveServer, everyone: dict[str, User], who: str
) -> None:
    person = everyone[who]
    if person.chat_agent_id is None:
        sign_in_locally(page, live_server, person)
    else:
        signed_in_as(page, live_server, person)
    for path in PAGES:
        for width in (*WIDTHS, *MIDDLE_WIDTHS):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            fits(page)
            if width in WIDTHS:
                assert_accessible(page)


def test_the_sign_in_page_fits_and_says_forgot_once(page: Page, live_server: LiveServer) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/accounts/login/")
        fits(page)
        assert_accessible(page)
    expect(page.get_by_role("link", name="Forgot your password?")).to_have_count(1)
    expect(page.get_by_label("Remember me")).to_be_visible()


def test_the_overview_counts_what_the_sandbox_holds(
    page: Page,
    live_server: LiveServer,
    chat_at_sandbox: LiveSandbox,
    make_user: Callable[..., User],
) -> None:
    account_with_findings(chat_at_sandbox)
    owner = chat_person(chat_at_sandbox, make_user, demo.OWNER, Role.ADMIN)
    own_token = owner.chat_credential.access_token
    expected = expected_numbers(chat_at_sandbox, demo.OWNER, sees_all=True, token=own_token)
    signed_in_as(page, live_server, owner)

    for href, count in expected.items():
        link = page.locator(f'a.stat[href="{href}"], a.finding__count[href="{href}"]').first
        expect(link).to_contain_text(str(count))
    assert expected["/clients/?finding=orphaned"] == 1
    page.locator('a.stat[href="/clients/?use=external"]').click()
    expect(page).to_have_url(f"{live_server.url}/clients/?use=external")
    rows = page.locator("#clients tbody tr")
    expect(rows).to_have_count(expected["/clients/?use=external"])


@pytest.mark.usefixtures("chat_sign_in_ready")
def test_a_local_admin_links_their_chat_identity_in_the_browser(
    page: Page, live_server: LiveServer, admin_user: User, console_errors: list[str]
) -> None:
    sign_in_locally(page, live_server, admin_user)
    expect(page.get_by_role("link", name="New API client")).to_have_count(0)
    page.get_by_role("link", name="Link your Chat identity").click()
    expect(page.locator("#chat-identity")).to_contain_text("Your chatadmin password is removed")
    page.get_by_role("button", name="Link my Zendesk Chat identity").click()
    expect(page.get_by_label("I understand")).to_be_focused()  # required: nothing was sent
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Link my Zendesk Chat identity").click()

    page.get_by_label("Email").fill(demo.OWNER)
    page.get_by_label("Password").fill(demo.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Allow").click()

    expect(page).to_have_url(f"{live_server.url}/settings/")
    expect(page.get_by_text("Your Zendesk Chat identity is linked")).to_be_visible()
    expect(page.get_by_role("link", name="Change password")).to_have_count(0)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name="New API client")).to_be_visible()
    admin_user.refresh_from_db()
    assert admin_user.chat_agent_id == AGENT_IDS[demo.OWNER]
    assert not admin_user.has_usable_password()
    assert console_errors == []


def test_a_failed_production_exchange_leaves_the_address_bar_clean(
    page: Page,
    live_server: LiveServer,
    chat_at_sandbox: LiveSandbox,
    make_user: Callable[..., User],
) -> None:
    agent1 = chat_person(chat_at_sandbox, make_user, demo.AGENT1, Role.USER)
    signed_in_as(page, live_server, agent1)
    page.goto(f"{live_server.url}/tokens/new/landing/?code=spent-code&state=made-up")
    expect(page.get_by_role("heading", name="No token this time")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/tokens/new/landing/")
    assert "spent-code" not in page.evaluate("window.location.href")
