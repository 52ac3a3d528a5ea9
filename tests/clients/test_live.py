"""The clients pages over real HTTP: dashboard (Django's test client) → chat client → sandbox.

People sign in with Zendesk Chat through the sandbox's real OAuth flow, as in
tests/accounts/test_chat_sign_in_live.py. Each test signs in once and walks a whole path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from django.test import Client, override_settings

from chatadmin.chat.pools import connections_opened, pools_close
from chatadmin.core import crypto
from chatadmin.sandbox import demo
from tests.accounts.test_chat_sign_in_live import DASHBOARD, sign_in
from tests.fixtures.pages import text
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.sandbox.helpers import api_get, bearer, token_post

pytestmark = [pytest.mark.live, pytest.mark.django_db]

SEEDED = {c.name: c for c in demo.CLIENTS}
NEW = {
    "name": "Nightly export",
    "company": "Demo Co",
    "redirect_uris": "https://export.example.com/callback",
    "scopes": ["read", "write"],
    "client_type": "confidential",
}


@pytest.fixture
def dashboard(sandbox: LiveSandbox) -> Iterator[Client]:
    with override_settings(CHAT_BASE_URL=sandbox.url):
        yield Client(HTTP_HOST=DASHBOARD)


def signed_in(sandbox: LiveSandbox, email: str) -> Client:
    browser = Client(HTTP_HOST=DASHBOARD)
    landed = sign_in(browser, sandbox, email)
    assert landed.status_code == 302 and landed["Location"] == "/", landed
    return browser


def revealed(page: str) -> tuple[int, str, str]:
    """The client's dashboard id, client ID and secret from a reveal page."""
    client_id = re.search(r'href="/clients/(\d+)/">I saved it', page)
    identifier = re.search(r'id="reveal-client-id"[^>]*>([^<]+)<', page)
    secret = re.search(r'id="reveal-client-secret"[^>]*>([^<]+)<', page)
    assert client_id and identifier and secret, page[-3000:]
    return int(client_id.group(1)), identifier.group(1), secret.group(1)


def client_credentials(sandbox: LiveSandbox, identifier: str, secret: str) -> requests.Response:
    return token_post(
        sandbox,
        {"grant_type": "client_credentials", "client_id": identifier, "client_secret": secret},
    )


def seeded_id(sandbox: LiveSandbox, identifier: str) -> int:
    owner = sandbox.token_for(demo.OWNER)["access_token"]
    clients = api_get(sandbox, "oauth/clients", owner).json()
    (found,) = [c["id"] for c in clients if c["client_identifier"] == identifier]
    return int(found)


@pytest.mark.usefixtures("dashboard")
def test_an_admin_sees_every_client_and_an_agent_only_theirs(sandbox: LiveSandbox) -> None:
    owners_page = text(signed_in(sandbox, demo.OWNER).get("/clients/"))
    for client in demo.CLIENTS:
        assert client.client_identifier in owners_page, client.name

    agents_page = text(signed_in(sandbox, demo.AGENT1).get("/clients/"))
    mine = {c.client_identifier for c in demo.CLIENTS if c.owner == demo.AGENT1}
    for client in demo.CLIENTS:
        assert (client.client_identifier in agents_page) is (client.client_identifier in mine)


@pytest.mark.usefixtures("dashboard")
def test_a_created_secret_works_once_shown_and_never_shows_again(sandbox: LiveSandbox) -> None:
    browser = signed_in(sandbox, demo.AGENT1)
    answer = browser.post("/clients/new/", NEW)
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    client_id, identifier, secret = revealed(text(answer))

    granted = client_credentials(sandbox, identifier, secret)
    assert granted.status_code == 200, granted.text
    assert granted.json()["access_token"]

    for path in ("/clients/", f"/clients/{client_id}/"):
        assert identifier in text(browser.get(path))
    for path in ("/clients/", f"/clients/{client_id}/", f"/clients/{client_id}/edit/", "/audit/"):
        page = browser.get(path)
        assert page.status_code == 200 and secret not in text(page), path


@pytest.mark.usefixtures("dashboard")
def test_editing_through_the_form_keeps_the_client_type(sandbox: LiveSandbox) -> None:
    bridge = SEEDED["CRM bridge"]
    assert bridge.client_type == "confidential"
    client_id = seeded_id(sandbox, bridge.client_identifier)
    browser = signed_in(sandbox, demo.AGENT1)
    form = text(browser.get(f"/clients/{client_id}/edit/"))
    assert re.search(r'value="confidential"[^>]*checked', form)

    saved = browser.post(
        f"/clients/{client_id}/edit/",
        {
            "name": "CRM bridge (renamed)",
            "company": bridge.company,
            "redirect_uris": "\n".join(bridge.redirect_uris.split()),
            "scopes": bridge.scopes.split(),
            "client_type": "confidential",
        },
    )
    assert saved.status_code == 302, text(saved)[-2000:]
    agent = sandbox.token_for(demo.AGENT1)["access_token"]
    after = api_get(sandbox, f"oauth/clients/{client_id}", agent).json()
    assert after["name"] == "CRM bridge (renamed)"
    assert after["client_type"] == "confidential"
    assert after["scopes"] == bridge.scopes


@pytest.mark.usefixtures("dashboard")
def test_regenerating_makes_the_old_secret_fail_and_the_new_one_work(
    sandbox: LiveSandbox,
) -> None:
    browser = signed_in(sandbox, demo.AGENT1)
    client_id, identifier, old = revealed(text(browser.post("/clients/new/", NEW)))
    assert "The old secret stops working at once." in text(
        browser.get(f"/clients/{client_id}/secret/")
    )
    answer = browser.post(f"/clients/{client_id}/secret/")
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    same_id, same_identifier, new = revealed(text(answer))
    assert (same_id, same_identifier) == (client_id, identifier) and new != old

    refused = client_credentials(sandbox, identifier, old)
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
    assert client_credentials(sandbox, identifier, new).status_code == 200


@pytest.mark.usefixtures("dashboard")
def test_deleting_an_external_client_needs_its_typed_name(sandbox: LiveSandbox) -> None:
    bridge = SEEDED["CRM bridge"]
    client_id = seeded_id(sandbox, bridge.client_identifier)
    live = sandbox.token_for(
        demo.AGENT1, client_identifier=bridge.client_identifier, scopes=bridge.scopes
    )
    browser = signed_in(sandbox, demo.AGENT1)

    preview = text(browser.get(f"/clients/{client_id}/delete/"))
    assert "External integration" in preview and demo.EXTERNAL in preview
    assert live["access_token"][:8] in preview  # the agent's live token from this client

    wrong = browser.post(f"/clients/{client_id}/delete/", {"confirm_name": "CRM"})
    assert wrong.status_code == 200 and "exactly (“CRM bridge”)" in text(wrong)
    agent = sandbox.token_for(demo.AGENT1)["access_token"]
    assert api_get(sandbox, f"oauth/clients/{client_id}", agent).status_code == 200

    done = browser.post(f"/clients/{client_id}/delete/", {"confirm_name": bridge.name})
    assert done.status_code == 302 and done["Location"] == "/clients/"
    assert api_get(sandbox, f"oauth/clients/{client_id}", agent).status_code == 404
    gone = requests.get(
        sandbox.api_url("agents/me"), headers=bearer(live["access_token"]), timeout=TIMEOUT
    )
    assert gone.status_code == 401  # its tokens went with it


@pytest.mark.usefixtures("dashboard")
def test_a_page_reads_its_credential_once_and_a_second_view_opens_no_connection(
    sandbox: LiveSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = signed_in(sandbox, demo.OWNER)
    pools_close()  # start cold: the sign-in itself talked to Chat
    decrypted: list[str] = []
    real = crypto.decrypt

    def counting(text: str) -> str:
        decrypted.append(text)
        return real(text)

    monkeypatch.setattr(crypto, "decrypt", counting)
    before = connections_opened()

    first = browser.get("/tokens/")  # two Chat calls: the tokens, and the clients' names
    after_first = connections_opened()
    second = browser.get("/tokens/")
    after_second = connections_opened()

    assert first.status_code == second.status_code == 200
    assert "owner-reporting-script" in text(first)  # names came from the second call
    # One credential row per view (its access and refresh token, each decrypted once).
    assert len(decrypted) == 4
    assert after_first - before == 1  # both calls of the first view share one connection
    assert after_second - after_first == 0  # the second view reuses it
