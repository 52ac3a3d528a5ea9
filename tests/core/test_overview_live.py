"""The home page's numbers against a live sandbox: signed in through Chat, real HTTP all the way."""

from __future__ import annotations

import pytest
from django.test import Client

from chatadmin.accounts.models import ChatCredential
from chatadmin.sandbox import demo
from tests.clients.test_live import dashboard, signed_in  # noqa: F401 - the fixture
from tests.fixtures.html import Element, parsed
from tests.fixtures.overview import account_with_findings, expected_numbers
from tests.fixtures.sandbox import LiveSandbox

pytestmark = [pytest.mark.live, pytest.mark.django_db]


def shown(page: Element) -> dict[str, int]:
    """Every number the page shows, by the address it links to."""
    numbers = {}
    for link in page.find("a", css_class="stat") + page.find("a", css_class="finding__count"):
        numbers[link.attrs["href"]] = int(link.text.split()[0])
    return numbers


@pytest.mark.usefixtures("dashboard")
@pytest.mark.parametrize(("email", "sees_all"), [(demo.OWNER, True), (demo.AGENT1, False)])
def test_the_home_page_counts_what_the_sandbox_holds(
    sandbox: LiveSandbox, email: str, sees_all: bool
) -> None:
    account_with_findings(sandbox)
    browser: Client = signed_in(sandbox, email)
    own_token = ChatCredential.objects.get(user__email=email).access_token

    # Worked out first: reading the sandbox mints the owner a token, which the page then lists.
    expected = expected_numbers(sandbox, email, sees_all=sees_all, token=own_token)

    page = parsed(browser.get("/"))

    assert shown(page) == {
        **expected,
        "/tokens/?status=expired": expected["/tokens/?status=expired"],
    }
    assert expected["/clients/?type=public&finding=public-write"] >= 1
    if sees_all:
        assert expected["/clients/?finding=orphaned"] == 1  # agent2, disabled, made one
