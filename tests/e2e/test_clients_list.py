"""The clients list in a real browser: Delete Selected, sorting, Back, and pages that fit."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from chatadmin.accounts.models import AccountConnection, ConnectionKind, User
from chatadmin.sandbox import demo
from tests.e2e.helpers import assert_accessible, sign_in_locally, sign_in_with_chat
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.sandbox.helpers import bearer

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

# A wide screen, a laptop, a tablet, a phone: the table must never push the page sideways.
WIDTHS = (1280, 1024, 800, 390)


def made(sandbox: LiveSandbox, email: str, name: str, redirect: str) -> dict[str, object]:
    token = sandbox.token_for(email)["access_token"]
    answer = requests.post(
        sandbox.api_url("oauth/clients"),
        json={"name": name, "redirect_uris": redirect, "scopes": "read"},
        headers=bearer(token),
        timeout=TIMEOUT,
    )
    assert answer.status_code == 201, answer.text
    created: dict[str, object] = answer.json()
    return created


def names_in_table(page: Page) -> list[str]:
    return page.locator("#clients tbody a.client-name").all_inner_texts()


def fits(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    wider = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wider <= 0, f"{page.url} is {wider} px wider than a {width} px window"


@pytest.mark.usefixtures("chat_sign_in_ready")
def test_delete_selected_deletes_three_clients_with_a_result_each(
    page: Page, live_server: LiveServer, sandbox: LiveSandbox, console_errors: list[str]
) -> None:
    ones = [
        made(sandbox, demo.AGENT1, "Nightly one", "http://localhost:8080/cb"),
        made(sandbox, demo.AGENT1, "Nightly two", "http://127.0.0.1:9000/cb"),
        made(sandbox, demo.AGENT1, "Nightly partner", "https://partner.example.com/cb"),
    ]
    sign_in_with_chat(page, live_server, demo.AGENT1)
    page.goto(f"{live_server.url}/clients/?q=Nightly")
    for client in ones:
        page.get_by_label(f"Select {client['name']}").check()
    page.get_by_role("button", name="Delete selected").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Delete 3 API clients?")
    assert_accessible(page)
    page.get_by_label("Type its name, Nightly partner, to delete it").fill("Nightly partner")
    page.get_by_role("button", name="Delete these clients").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Delete Selected: what happened")
    rows = page.locator(".results-table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator(".result--deleted")).to_have_count(3)
    assert_accessible(page)
    token = sandbox.token_for(demo.AGENT1)["access_token"]
    for client in ones:
        gone = requests.get(
            sandbox.api_url(f"oauth/clients/{client['id']}"), headers=bearer(token), timeout=TIMEOUT
        )
        assert gone.status_code == 404
    page.get_by_role("link", name="Back to API clients").click()
    expect(page.get_by_role("link", name=re.compile("^Nightly"))).to_have_count(0)
    assert console_errors == []


@pytest.mark.usefixtures("chat_sign_in_ready")
def test_sorting_by_each_column_changes_the_order_and_survives_a_reload(
    page: Page, live_server: LiveServer, console_errors: list[str]
) -> None:
    sign_in_with_chat(page, live_server, demo.OWNER)
    page.goto(f"{live_server.url}/clients/")
    default = names_in_table(page)
    seen = {}
    for column in ("Name", "Type", "Created by", "Created"):
        page.locator("#clients thead").get_by_role("link", name=column, exact=True).click()
        header = page.locator(
            "#clients thead th", has=page.get_by_role("link", name=column, exact=True)
        )
        expect(header).to_have_attribute("aria-sort", re.compile("^(ascending|descending)$"))
        order = names_in_table(page)
        page.reload()
        assert names_in_table(page) == order  # bookmarkable: the URL carries the order
        seen[column] = order
    assert seen["Name"] == sorted(default, key=str.casefold)
    assert seen["Name"] != default
    assert len({tuple(order) for order in seen.values()}) >= 3
    name_header = page.locator("#clients thead").get_by_role("link", name="Name", exact=True)
    name_header.click()
    expect(page).to_have_url(re.compile(r"sort=name(&|$)"))
    name_header.click()  # again: the other way
    expect(page).to_have_url(re.compile(r"sort=-name"))
    expect(page.locator("#clients thead th[aria-sort=descending]")).to_have_count(1)
    assert names_in_table(page) == sorted(default, key=str.casefold, reverse=True)
    page.go_back()  # Back restores the order the URL says
    expect(page).to_have_url(re.compile(r"sort=name(&|$)"))
    expect(page.locator("#clients thead th[aria-sort=ascending]")).to_have_count(1)
    assert names_in_table(page) == seen["Name"]
    assert console_errors == []


@pytest.mark.usefixtures("chat_sign_in_ready")
def test_back_after_create_shows_the_new_client(page: Page, live_server: LiveServer) -> None:
    sign_in_with_chat(page, live_server, demo.AGENT1)
    page.goto(f"{live_server.url}/clients/")
    page.get_by_role("link", name="New API client").click()
    page.get_by_label("Client name").fill("Freshly made")
    page.get_by_label("Redirect URLs").fill("http://localhost:8080/cb")
    page.get_by_role("checkbox", name=re.compile("^read")).check()
    page.get_by_role("button", name="Create API client").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("save the secret now")
    secret = page.locator("#reveal-client-secret").inner_text()

    page.go_back()  # from the reveal (which took the form's place) to the list

    expect(page).to_have_url(f"{live_server.url}/clients/")
    expect(page.get_by_role("link", name="Freshly made", exact=True)).to_be_visible()
    assert secret not in page.content()


@pytest.mark.usefixtures("chat_sign_in_ready")
@pytest.mark.parametrize("email", [demo.OWNER, demo.AGENT1])
def test_every_clients_page_fits_the_window_for_chat_people(
    page: Page, live_server: LiveServer, sandbox: LiveSandbox, email: str
) -> None:
    made(
        sandbox,
        email,
        "A client with a rather long name to see how it wraps",
        "https://x.example.com/a/long/callback/path?with=query&and=more",
    )
    sign_in_with_chat(page, live_server, email)
    page.goto(f"{live_server.url}/clients/")
    first = page.locator("#clients tbody a.client-name").first.get_attribute("href")
    paths = [
        "/clients/",
        first,
        f"{first}edit/",
        f"{first}secret/",
        f"{first}delete/",
        "/clients/new/",
    ]
    for path in paths:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}{path}")
            fits(page, width)
    page.goto(f"{live_server.url}/clients/")
    page.locator("#clients details.menu summary").first.click()
    assert_accessible(page)


def test_every_clients_page_fits_the_window_for_support(
    page: Page, live_server: LiveServer, chat_at_sandbox: LiveSandbox, support_user: User
) -> None:
    AccountConnection.objects.create(
        kind=ConnectionKind.OAUTH,
        access_token=chat_at_sandbox.token_for(demo.OWNER, scopes="read")["access_token"],
    )
    sign_in_locally(page, live_server, support_user)
    page.goto(f"{live_server.url}/clients/")
    expect(page.get_by_role("checkbox")).to_have_count(0)  # support sees no checkboxes
    first = page.locator("#clients tbody a.client-name").first.get_attribute("href")
    for path in ("/clients/", first):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}{path}")
            fits(page, width)
    assert_accessible(page)
