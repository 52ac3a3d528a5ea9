"""Chat's word on roles over real HTTP: an admin demoted or disabled in the sandbox, live."""

from __future__ import annotations

import time

import pytest
from django.test import Client, override_settings

from chatadmin.accounts.models import ChatCredential, User
from chatadmin.accounts.roles import Role
from chatadmin.audit.models import AuditEvent
from chatadmin.sandbox import demo
from tests.accounts.test_chat_sign_in_live import DASHBOARD, sign_in
from tests.fixtures.pages import text
from tests.fixtures.sandbox import LiveSandbox
from tests.sandbox.helpers import api_get

pytestmark = [pytest.mark.live, pytest.mark.django_db]


def signed_in_admin(sandbox: LiveSandbox) -> Client:
    browser = Client(HTTP_HOST=DASHBOARD)
    assert sign_in(browser, sandbox, demo.ADMIN).status_code == 302
    assert User.objects.get(email=demo.ADMIN).role == Role.ADMIN
    return browser


def agent1_client_id(sandbox: LiveSandbox) -> int:
    owner = sandbox.token_for(demo.OWNER)["access_token"]
    clients = api_get(sandbox, "oauth/clients", owner).json()
    return int(next(c["id"] for c in clients if c["client_identifier"] == "agent1-local-tool"))


def test_a_demoted_admin_loses_admin_on_the_next_privileged_action(sandbox: LiveSandbox) -> None:
    with override_settings(CHAT_BASE_URL=sandbox.url):
        browser = signed_in_admin(sandbox)
        theirs = agent1_client_id(sandbox)
        sandbox.set_agent(demo.ADMIN, role="agent")  # demoted in Chat's own dashboard

        refused = browser.post(f"/clients/{theirs}/secret/")

    assert refused.status_code == 404  # not theirs to see any more
    assert User.objects.get(email=demo.ADMIN).role == Role.USER
    owner = sandbox.token_for(demo.OWNER)["access_token"]
    still = [c for c in api_get(sandbox, "oauth/clients", owner).json() if c["id"] == theirs]
    assert still  # nothing was done to it
    demotion = AuditEvent.objects.get(action="people.role_set", target_label=demo.ADMIN)
    assert "checked again" in demotion.message


@override_settings(CHATADMIN_CHAT_RECHECK_SECONDS=1)
def test_pages_follow_chat_within_the_recheck_time(sandbox: LiveSandbox) -> None:
    with override_settings(CHAT_BASE_URL=sandbox.url):
        browser = signed_in_admin(sandbox)
        sandbox.set_agent(demo.ADMIN, role="agent")
        at_once = browser.get("/audit/")
        time.sleep(1.2)
        later = browser.get("/audit/")

    assert at_once.status_code == later.status_code == 200
    assert User.objects.get(email=demo.ADMIN).role == Role.USER
    assert "Settings" in text(later)


@override_settings(CHATADMIN_CHAT_RECHECK_SECONDS=1)
def test_a_disabled_agent_is_signed_out(sandbox: LiveSandbox) -> None:
    with override_settings(CHAT_BASE_URL=sandbox.url):
        browser = signed_in_admin(sandbox)
        sandbox.set_agent(demo.ADMIN, enabled=False)
        time.sleep(1.2)
        out = browser.get("/clients/")
        page = browser.get("/accounts/login/")
        again = browser.get("/clients/")

    assert out.status_code == 302 and out["Location"].startswith("/accounts/login/")
    # The sandbox refuses a disabled agent's token (401) and its renewal: signed out, and told.
    assert "agent account was disabled" in text(page)
    assert again.status_code == 302
    assert not ChatCredential.objects.filter(user__email=demo.ADMIN).exists()
    ended = AuditEvent.objects.filter(
        action__in=["auth.chat_agent_disabled", "auth.chat_token_refresh"],
        target_label=demo.ADMIN,
    )
    assert ended.exists()
