"""The token pages against a live sandbox: real OAuth, real HTTP, real tokens.

The dashboard runs in-process (Django's test client) as http://127.0.0.1:8000; the sandbox
is a real process. People sign in to chatadmin with a token the sandbox minted for them
through the dashboard's own client, as "Sign in with Zendesk Chat" would leave them.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client, override_settings

from chatadmin.accounts.chat_access import credential_store
from chatadmin.accounts.models import User
from chatadmin.accounts.roles import Role
from chatadmin.audit.models import AuditEvent, Outcome
from chatadmin.chat.resources import token_hint
from chatadmin.sandbox import demo
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.sandbox.helpers import Browser, api_get, bearer

pytestmark = [pytest.mark.live, pytest.mark.django_db]

DASHBOARD = "127.0.0.1:8000"
LANDING = f"http://{DASHBOARD}/tokens/new/landing/"
HTMX = {"HX-Request": "true", "HX-Target": "inventory"}


@pytest.fixture
def dashboard(sandbox: LiveSandbox) -> Iterator[Client]:
    with override_settings(CHAT_BASE_URL=sandbox.url):
        yield Client(HTTP_HOST=DASHBOARD)


def signed_in(dashboard: Client, sandbox: LiveSandbox, email: str, role: str) -> str:
    """A chatadmin person for this sandbox agent, signed in; their Chat token."""
    granted = sandbox.token_for(email)
    me = api_get(sandbox, "agents/me", granted["access_token"]).json()
    user = User.objects.create_user(email=email, role=role, chat_agent_id=me["id"])
    credential_store(
        user,
        agent_id=me["id"],
        access_token=granted["access_token"],
        refresh_token=granted["refresh_token"],
        expires_at=None,
        scopes=granted["scope"],
    )
    dashboard.force_login(user)
    return str(granted["access_token"])


def page_of(response: Any) -> str:
    return str(response.content.decode())


def works(sandbox: LiveSandbox, token: str) -> bool:
    return api_get(sandbox, "agents/me", token).status_code == 200


def test_the_inventory_lists_exactly_the_persons_tokens_masked(
    dashboard: Client, sandbox: LiveSandbox
) -> None:
    own = signed_in(dashboard, sandbox, demo.AGENT1, Role.USER)
    others = [sandbox.token_for(email) for email in (demo.ADMIN, demo.AGENT2)]
    listed = api_get(sandbox, "oauth/tokens", own).json()
    assert len(listed) >= 3  # the seeded ones and the sign-in

    page = page_of(dashboard.get("/tokens/"))

    shown = sorted(int(n) for n in re.findall(r'<tr id="token-(\d+)"', page))
    assert shown == sorted(token["id"] for token in listed)
    assert all(f'id="token-{other["id"]}"' not in page for other in others)
    assert own not in page and token_hint(own) in page
    assert "chatadmin sign-in" in page  # the token chatadmin itself uses is marked
    assert "Local tool" in page and "CRM bridge" in page  # agent1's clients, by name
    assert "expired already" in page  # the seeded CRM bridge token


def test_revoke_makes_the_token_stop_working(dashboard: Client, sandbox: LiveSandbox) -> None:
    signed_in(dashboard, sandbox, demo.AGENT1, Role.USER)
    victim = sandbox.token_for(demo.AGENT1, client_identifier="agent1-local-tool", scopes="read")
    assert works(sandbox, victim["access_token"])

    response = dashboard.post(f"/tokens/{victim['id']}/revoke/", {"confirm": "yes"}, headers=HTMX)

    said = json.loads(response["HX-Trigger"])["messages"][0]["text"]
    assert f"Token {victim['access_token'][:8]}… was revoked." in said
    assert f'id="token-{victim["id"]}"' not in page_of(response)
    assert not works(sandbox, victim["access_token"])
    event = AuditEvent.objects.get(action="token.revoke")
    assert (event.outcome, event.target_id) == (Outcome.SUCCESS, str(victim["id"]))


def test_an_admin_revoking_another_agents_token_changes_nothing(
    dashboard: Client, sandbox: LiveSandbox
) -> None:
    signed_in(dashboard, sandbox, demo.ADMIN, Role.ADMIN)
    theirs = sandbox.token_for(demo.AGENT1, client_identifier="agent1-local-tool", scopes="read")

    response = dashboard.post(f"/tokens/{theirs['id']}/revoke/", {"confirm": "yes"}, headers=HTMX)
    bulk = dashboard.post(
        "/tokens/revoke/", {"token_ids": [theirs["id"]], "confirm": "yes"}, headers=HTMX
    )

    assert "There is no such token of yours" in response["HX-Trigger"]
    assert "There is no such token of yours" in bulk["HX-Trigger"]
    assert works(sandbox, theirs["access_token"])
    outcomes = set(
        AuditEvent.objects.filter(action="token.revoke").values_list("outcome", flat=True)
    )
    assert outcomes == {Outcome.DENIED}


def _local_tool(sandbox: LiveSandbox, token: str) -> dict[str, Any]:
    clients = api_get(sandbox, "oauth/clients", token).json()
    (client,) = [c for c in clients if c["client_identifier"] == "agent1-local-tool"]
    return dict(client)


def _fresh_secret(sandbox: LiveSandbox, token: str, client_id: int) -> str:
    answer = requests.post(
        sandbox.api_url(f"oauth/clients/{client_id}/generate_secret"),
        headers=bearer(token),
        timeout=TIMEOUT,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["client_secret"])


def _to_chat_and_back(dashboard: Client, sandbox: LiveSandbox, client_id: int, secret: str) -> str:
    """Start a production flow, sign in and allow on the sandbox; the landing URL with the code."""
    start = dashboard.post(
        "/tokens/new/start/",
        {
            "client": client_id,
            "scopes": ["read", "write"],
            "mode": "production",
            "client_secret": secret,
        },
    )
    assert start.status_code == 302, page_of(start)[:2000]
    assert start["Location"].startswith(sandbox.authorize_url)
    answer = Browser(sandbox).sign_in_and_decide(start["Location"], email=demo.AGENT1)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == LANDING
    return f"{back.path}?{back.query}"


def test_the_production_wizard_end_to_end(dashboard: Client, sandbox: LiveSandbox) -> None:
    own = signed_in(dashboard, sandbox, demo.AGENT1, Role.USER)
    client = _local_tool(sandbox, own)
    secret = _fresh_secret(sandbox, own, client["id"])

    # The client does not know chatadmin's wizard page yet: the wizard adds it.
    wizard = page_of(dashboard.get(f"/tokens/new/?client={client['id']}"))
    assert "not one of the redirect URLs" in wizard
    added = dashboard.post("/tokens/new/redirect-url/", {"client": client["id"]})
    assert added.status_code == 302
    assert LANDING in _local_tool(sandbox, own)["redirect_uris"].split()

    landing = dashboard.get(_to_chat_and_back(dashboard, sandbox, client["id"], secret))

    page = page_of(landing)
    assert "no-store" in landing["Cache-Control"]
    found = re.search(r'id="minted-access-token" class="token-value" value="([^"]+)"', page)
    assert found, page[:3000]
    minted = found.group(1)
    assert api_get(sandbox, "agents/me", minted).json()["email"] == demo.AGENT1
    assert "Refresh token" in page
    inventory = page_of(dashboard.get("/tokens/"))
    assert minted not in inventory and token_hint(minted) in inventory
    audit = " ".join(AuditEvent.objects.values_list("message", flat=True))
    assert minted not in audit and secret not in audit
    assert AuditEvent.objects.get(action="token.mint").outcome == Outcome.SUCCESS


def test_a_slow_code_exchange_is_explained(dashboard: Client, sandbox: LiveSandbox) -> None:
    own = signed_in(dashboard, sandbox, demo.AGENT1, Role.USER)
    client = _local_tool(sandbox, own)
    requests.put(
        sandbox.api_url(f"oauth/clients/{client['id']}"),
        json={"redirect_uris": f"{client['redirect_uris']} {LANDING}"},
        headers=bearer(own),
        timeout=TIMEOUT,
    ).raise_for_status()
    secret = _fresh_secret(sandbox, own, client["id"])
    sandbox.set_token_ttl(code=1)

    back = _to_chat_and_back(dashboard, sandbox, client["id"], secret)
    time.sleep(1.5)  # the code is no longer valid when it reaches chatadmin
    page = page_of(dashboard.get(back))

    assert "The authorization code expired or was already used" in page
    assert AuditEvent.objects.get(action="token.mint").outcome == Outcome.FAILURE
