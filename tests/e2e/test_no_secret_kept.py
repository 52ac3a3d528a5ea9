"""A whole session in a real browser, then a search for every secret it handled: none is kept.

Every sign-in kind (local password, local password with TOTP, Zendesk Chat), the account
connection, creating a client and regenerating its secret, both token wizards, a revoke and
sign-out. Afterwards no client secret, access or refresh token, code, password, TOTP seed or
recovery code is in clear in any dashboard table, log line, cache entry, cookie, or any page
other than the one answer that showed it once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from playwright.sync_api import Page, Response, expect
from pytest_django.live_server_helper import LiveServer

from chatadmin.accounts.models import AccountConnection, ChatCredential, User
from chatadmin.accounts.roles import Role
from chatadmin.sandbox import demo
from tests.conftest import PASSWORD
from tests.e2e.helpers import sign_in_with_chat
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.fixtures.totp import totp_code
from tests.sandbox.helpers import api_get, bearer

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

ADD_URL = "Add chatadmin's wizard URL to this client's redirect URLs"
# The answers that show a secret on purpose, once: everything else must never hold one.
REVEALS = (
    re.compile(r"/clients/new/$"),
    re.compile(r"/clients/\d+/secret/$"),
    re.compile(r"/tokens/new/landing/\?"),
    re.compile(r"/accounts/2fa/"),
)


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.getMessage()} {record.exc_text or ''} {record.args}")


@pytest.fixture
def every_log_line() -> Iterator[Everything]:
    handler = Everything()
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


def cache_bytes() -> bytes:
    cache = caches["default"]
    if type(cache).__name__ == "LocMemCache":
        return b"".join(cache._cache.values())  # type: ignore[attr-defined]
    redis = cache._cache.get_client()  # type: ignore[attr-defined]
    return b"".join(redis.get(key) or b"" for key in redis.keys("*"))


def database_text() -> str:
    """Every row of every dashboard table as stored (raw SQL: no field decrypts anything)."""
    rows: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows.extend(str(row) for row in cursor.fetchall())
    rows.extend(str(session.get_decoded()) for session in Session.objects.all())
    return "\n".join(rows)


def connection_callback_registered(sandbox: LiveSandbox, live_server: LiveServer) -> None:
    """The live server's connection callback, on the dashboard's client (as the README says)."""
    owner = sandbox.token_for(demo.OWNER)["access_token"]
    clients = api_get(sandbox, "oauth/clients", owner).json()
    (dashboard,) = [c for c in clients if c["client_identifier"] == demo.DASHBOARD_CLIENT_ID]
    callback = f"{live_server.url}/settings/connection/callback/"
    requests.put(
        sandbox.api_url(f"oauth/clients/{dashboard['id']}"),
        json={"redirect_uris": f"{dashboard['redirect_uris']} {callback}"},
        headers=bearer(owner),
        timeout=TIMEOUT,
    ).raise_for_status()


@pytest.mark.usefixtures("chat_sign_in_ready")
def test_a_whole_session_keeps_no_secret_anywhere(
    page: Page,
    live_server: LiveServer,
    sandbox: LiveSandbox,
    make_user: Callable[..., User],
    every_log_line: Everything,
) -> None:
    secrets: dict[str, str] = {"local password": PASSWORD, "Chat password": demo.PASSWORD}
    pages: list[tuple[str, str]] = []

    def keep(response: Response) -> None:
        if not response.url.startswith(live_server.url):
            return
        codes = parse_qs(urlsplit(response.url).query).get("code", [])
        for number, code in enumerate(codes):
            secrets[f"code {len(secrets)}-{number}"] = code
        if response.request.resource_type in {"document", "xhr", "fetch"}:
            try:
                pages.append((response.url, response.text()))
            except Exception:
                return

    page.on("response", keep)
    admin = make_user(Role.ADMIN, email="local.admin@example.com")
    connection_callback_registered(sandbox, live_server)

    # 1. Local sign-in with a password, then TOTP enrolment.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    if page.get_by_role("heading", name="Confirm Access").is_visible():  # allauth reauthenticates
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    seed = page.locator("#authenticator_secret").input_value()
    secrets["TOTP seed"] = seed
    page.get_by_label("Authenticator code").fill(totp_code(seed))
    page.get_by_role("button", name="Activate").click()
    page.goto(f"{live_server.url}/accounts/2fa/recovery-codes/")
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) >= 5
    for number, code in enumerate(codes):
        secrets[f"recovery code {number}"] = code

    # 2. The account connection, with the admin's own Chat grant (as the owner).
    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("button", name="Connect with my Chat account").click()
    page.get_by_label("Email").fill(demo.OWNER)
    page.get_by_label("Password").fill(demo.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Allow").click()
    expect(page.get_by_text("Connection saved.")).to_be_visible()
    connection = AccountConnection.objects.get()
    secrets["connection access token"] = connection.access_token
    secrets["connection refresh token"] = connection.refresh_token

    # 3. Sign out, and in again: password and a TOTP code.
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.locator("input[name=code]").fill(totp_code(seed))
    page.locator("form button[type=submit]").first.click()
    expect(page).to_have_url(f"{live_server.url}/")
    page.get_by_role("button", name="Sign out").click()
    page.context.clear_cookies()  # the sandbox's own sign-in (as the owner) ends too

    # 4. Zendesk Chat sign-in; a client, its regenerated secret.
    sign_in_with_chat(page, live_server, demo.AGENT1)
    own = ChatCredential.objects.get(user__email=demo.AGENT1)
    secrets["sign-in access token"] = own.access_token
    secrets["sign-in refresh token"] = own.refresh_token
    page.goto(f"{live_server.url}/clients/new/")
    page.get_by_label("Client name").fill("Scan me")
    page.get_by_label("Redirect URLs").fill("http://localhost:8080/cb")
    page.get_by_role("checkbox", name=re.compile("^read")).check()
    page.get_by_role("radio", name=re.compile("^Confidential")).check()
    page.get_by_role("button", name="Create API client").click()
    secrets["created secret"] = page.locator("#reveal-client-secret").inner_text()
    page.get_by_role("link", name="I saved it: show the client").click()
    page.get_by_role("link", name="Regenerate secret").click()
    page.get_by_role("button", name="Regenerate the secret").click()
    regenerated = page.locator("#reveal-client-secret").inner_text()
    secrets["regenerated secret"] = regenerated
    page.get_by_role("link", name="I saved it: show the client").click()

    # 5. Both token wizards for it: testing (implicit), then production (code + secret).
    page.get_by_role("link", name="Mint a token").click()
    page.get_by_role("button", name=ADD_URL).click()
    page.get_by_role("button", name="Continue to Zendesk Chat").click()
    page.get_by_role("button", name="Allow").click()
    secrets["testing token"] = page.get_by_label("Access token").input_value()
    page.goto(f"{live_server.url}/tokens/new/")
    page.get_by_label("Client", exact=True).select_option(label="Scan me")
    page.get_by_role("radio", name=re.compile("^Production")).check()
    page.get_by_role("textbox", name="Client secret").fill(regenerated)
    page.get_by_role("button", name="Continue to Zendesk Chat").click()
    page.get_by_role("button", name="Allow").click()
    secrets["production access token"] = page.locator("#minted-access-token").input_value()
    secrets["production refresh token"] = page.locator("#minted-refresh-token").input_value()

    # 6. Revoke a token, look around, sign out.
    page.goto(f"{live_server.url}/tokens/?client=")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#inventory").get_by_role("button", name=re.compile("^Revoke")).first.click()
    for path in ("/", "/clients/", "/tokens/", "/audit/", "/settings/"):
        page.goto(f"{live_server.url}{path}")
    cookies = str(page.context.cookies())
    page.get_by_role("button", name="Sign out").click()

    # Every secret the session handled was real ...
    assert all(len(value) >= 6 for value in secrets.values()), secrets.keys()
    assert len([name for name in secrets if name.startswith("code")]) >= 3  # three code flows
    assert pages and every_log_line.lines and cache_bytes(), "the scans must look at real data"
    # ... and none is kept anywhere.
    stored = database_text()
    logged = "\n".join(every_log_line.lines)
    cached = cache_bytes()
    shown = [(url, body) for url, body in pages if not any(r.search(url) for r in REVEALS)]
    for name, value in secrets.items():
        assert value not in stored, f"{name} is in the database"
        assert value not in logged, f"{name} is in the logs"
        assert value.encode() not in cached, f"{name} is in the cache"
        assert value not in cookies, f"{name} is in a cookie"
        leaked = [url for url, body in shown if value in body]
        assert leaked == [], f"{name} is on {leaked}"
