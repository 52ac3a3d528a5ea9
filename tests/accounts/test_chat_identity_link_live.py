"""A local admin links a Chat identity against a live sandbox: real OAuth, then real Chat calls."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.test import Client

from chatadmin.accounts import linking
from chatadmin.accounts.models import User
from chatadmin.accounts.roles import Role
from chatadmin.audit.models import AuditEvent, Outcome
from chatadmin.sandbox import demo
from tests.accounts.test_chat_sign_in_live import DASHBOARD, dashboard, sign_in  # noqa: F401
from tests.fixtures.html import parsed
from tests.fixtures.sandbox import LiveSandbox
from tests.sandbox.helpers import Browser

pytestmark = [pytest.mark.live, pytest.mark.django_db]


@pytest.mark.usefixtures("dashboard")
def test_a_local_admin_links_the_owner_and_then_reaches_chat_as_them(
    sandbox: LiveSandbox, make_user: Callable[..., User]
) -> None:
    local = make_user(Role.ADMIN, email="admin@chatadmin.test", display_name="Demo Admin")
    browser = Client(HTTP_HOST=DASHBOARD)
    browser.force_login(local)
    assert (
        "cannot see or change API clients" in parsed(browser.get("/")).one("p", id="standing").text
    )

    start = browser.post("/settings/chat/link/", {"confirm": "yes"})
    assert start["Location"].startswith(sandbox.authorize_url)
    answer = Browser(sandbox).sign_in_and_decide(start["Location"], email=demo.OWNER)
    callback = urlsplit(answer.headers["Location"])
    landed = browser.get(f"{callback.path}?{callback.query}")

    assert landed.status_code == 302 and landed["Location"] == "/settings/"
    local.refresh_from_db()
    assert local.chat_agent_id is not None and local.role == Role.ADMIN
    assert not local.has_usable_password()
    event = AuditEvent.objects.get(action=linking.ACTION)
    assert (event.actor, event.outcome) == (local, Outcome.SUCCESS)
    clients = parsed(browser.get("/clients/")).text
    assert all(client.name in clients for client in demo.CLIENTS)  # Chat, as the owner
    assert parsed(browser.get("/")).find(css_class="callout") != []  # only: save a connection

    # Next time, "Sign in with Zendesk Chat" as the owner lands on the same, linked account.
    again = Client(HTTP_HOST=DASHBOARD)
    assert sign_in(again, sandbox, demo.OWNER)["Location"] == "/"
    assert User.objects.filter(chat_agent_id=local.chat_agent_id).count() == 1
    assert again.get("/settings/").context["user"].pk == local.pk
