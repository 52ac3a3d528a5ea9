"""chatadmin's own sign-in client: marked, never deleted from here, regenerated without lock-out."""

from __future__ import annotations

import re

import pytest
import requests
import responses
from django.db import connection
from django.test import Client, override_settings

from chatadmin.accounts.models import SignInClientSecret, User
from chatadmin.audit.models import Outcome
from chatadmin.clients import services
from chatadmin.sandbox import demo
from tests.accounts.test_chat_sign_in_live import DASHBOARD, sign_in
from tests.fixtures.chat_payloads import CLIENTS, client_json
from tests.fixtures.pages import events, text, writes
from tests.fixtures.sandbox import LiveSandbox
from tests.sandbox.helpers import api_get

pytestmark = pytest.mark.django_db

SIGN_IN_ID = "chatadmin-dashboard"  # CHAT_OAUTH_CLIENT_ID in the test settings


def sign_in_client(client_id: int = 1) -> dict[str, object]:
    body = client_json(client_id, name="chatadmin", redirect_uris="http://127.0.0.1:8000/cb")
    body["client_identifier"] = SIGN_IN_ID
    return body


def test_deleting_the_sign_in_client_is_refused_and_nothing_is_sent(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/1", json=sign_in_client())
    http_mock.get(f"{CLIENTS.rsplit('/', 1)[0]}/tokens", json=[])

    page = as_agent.get("/clients/1/delete/")
    posted = as_agent.post("/clients/1/delete/", {"confirm_name": "chatadmin"})

    assert "lock everyone out" in text(page) and 'name="confirm_name"' not in text(page)
    assert posted.status_code == 200 and "lock everyone out" in text(posted)
    assert writes(http_mock) == []
    (event,) = events(services.DELETE)
    assert event.outcome == Outcome.DENIED and event.target_label == "chatadmin"


def test_the_list_and_the_page_mark_it(as_agent: Client, http_mock: responses.RequestsMock) -> None:
    http_mock.get(CLIENTS, json=[sign_in_client(), client_json(7)])
    http_mock.get(f"{CLIENTS}/1", json=sign_in_client())

    listed, shown = as_agent.get("/clients/"), as_agent.get("/clients/1/")

    assert text(listed).count("chatadmin's sign-in client") == 1
    assert "chatadmin's sign-in client" in text(shown)


def test_regenerating_it_asks_for_its_name(
    chat_agent: User, as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/1", json=sign_in_client())

    asked = as_agent.get("/clients/1/secret/")
    wrong = as_agent.post("/clients/1/secret/", {"confirm_name": "chat admin"})

    assert "chatadmin's own sign-in client" in text(asked)
    assert 'name="confirm_name"' in text(asked)
    assert "Nothing was changed" in text(wrong)
    assert writes(http_mock) == []
    assert not SignInClientSecret.objects.exists()
    assert events(services.REGENERATE)[0].outcome == Outcome.FAILURE


def test_an_agent_meeting_a_refused_sign_in_client_is_told_to_ask_an_admin(
    client: Client, http_mock: responses.RequestsMock
) -> None:
    start = client.post("/accounts/zendeskchat/login/")
    state = re.search(r"state=([^&]+)", start["Location"])
    assert state
    http_mock.post(
        "http://127.0.0.1:8001/oauth2/chat/token",
        status=401,
        json={"error": "invalid_client", "error_description": "bad secret"},
    )

    page = client.get(
        "/accounts/zendeskchat/login/callback/", {"code": "c", "state": state.group(1)}
    )

    assert "ask a chatadmin admin" in text(page)
    assert "regenerate" not in text(page).lower()


@pytest.mark.live
def test_after_regenerating_it_a_fresh_chat_sign_in_works_without_a_restart(
    sandbox: LiveSandbox,
) -> None:
    owner_token = sandbox.token_for(demo.OWNER)["access_token"]
    clients = api_get(sandbox, "oauth/clients", owner_token).json()
    sign_in_id = next(c["id"] for c in clients if c["client_identifier"] == SIGN_IN_ID)
    with override_settings(CHAT_BASE_URL=sandbox.url):
        owner = Client(HTTP_HOST=DASHBOARD)
        sign_in(owner, sandbox, demo.OWNER)
        reveal = owner.post(
            f"/clients/{sign_in_id}/secret/", {"confirm_name": "chatadmin dashboard"}
        )
        new_secret = re.search(r'id="reveal-client-secret"[^>]*>([^<]+)<', text(reveal))
        # The old secret (still in CHAT_OAUTH_CLIENT_SECRET) no longer works at Chat ...
        old = requests.post(
            sandbox.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": SIGN_IN_ID,
                "client_secret": demo.DASHBOARD_CLIENT_SECRET,
            },
            timeout=10,
        )
        # ... yet a fresh sign-in goes through, with the new secret this process kept.
        agent = Client(HTTP_HOST=DASHBOARD)
        landed = sign_in(agent, sandbox, demo.AGENT1)
        settings_page = owner.get("/settings/")

    assert new_secret, text(reveal)[-2000:]
    assert old.status_code == 401
    assert landed.status_code == 302 and landed["Location"] == "/"
    assert "secret rotated on" in text(settings_page)
    assert new_secret.group(1) not in text(settings_page)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_signinclientsecret")
        (stored,) = cursor.fetchone()
    assert stored.startswith("gAAAAA") and new_secret.group(1) not in stored
