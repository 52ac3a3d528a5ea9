"""Sign in with Zendesk Chat end to end against a live sandbox: real OAuth, real HTTP.

The dashboard runs in-process (Django's test client) as http://127.0.0.1:8000, the address the
sandbox's seed registers as the dashboard's redirect URI; the sandbox is a real process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.db import connection
from django.test import Client, override_settings

from chatadmin.accounts.models import ChatCredential, User
from chatadmin.accounts.roles import Role
from chatadmin.sandbox import demo
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.sandbox.helpers import Browser, bearer

pytestmark = [pytest.mark.live, pytest.mark.django_db]

DASHBOARD = "127.0.0.1:8000"
# Short enough to wait out, long enough that a loaded CI machine finishes signing in first.
SHORT_TTL = 3


@pytest.fixture
def dashboard(sandbox: LiveSandbox) -> Iterator[Client]:
    with override_settings(CHAT_BASE_URL=sandbox.url):
        yield Client(HTTP_HOST=DASHBOARD)


def sign_in(dashboard: Client, sandbox: LiveSandbox, email: str) -> Any:
    """Press "Sign in with Zendesk Chat", sign in and allow on the sandbox, come back."""
    start = dashboard.post("/accounts/zendeskchat/login/")
    assert start.status_code == 302
    assert start["Location"].startswith(sandbox.authorize_url)
    answer = Browser(sandbox).sign_in_and_decide(start["Location"], email=email)
    assert answer.status_code == 302
    callback = urlsplit(answer.headers["Location"])
    assert callback.netloc == DASHBOARD
    return dashboard.get(f"{callback.path}?{callback.query}")


def test_the_owner_signs_in_and_lands_as_admin(dashboard: Client, sandbox: LiveSandbox) -> None:
    landed = sign_in(dashboard, sandbox, demo.OWNER)
    assert landed.status_code == 302
    assert landed["Location"] == "/"
    user = User.objects.get(email=demo.OWNER)
    assert user.role == Role.ADMIN
    assert user.chat_agent_id is not None
    page = dashboard.get("/").content.decode()
    assert "badge--admin" in page


def test_an_agent_signs_in_and_lands_as_user(dashboard: Client, sandbox: LiveSandbox) -> None:
    sign_in(dashboard, sandbox, demo.AGENT1)
    user = User.objects.get(email=demo.AGENT1)
    assert user.role == Role.USER
    assert dashboard.get("/").status_code == 200


def test_tokens_are_ciphertext_in_the_database_and_work_on_the_api(
    dashboard: Client, sandbox: LiveSandbox
) -> None:
    sign_in(dashboard, sandbox, demo.AGENT1)
    credential = ChatCredential.objects.get(user__email=demo.AGENT1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_token, refresh_token FROM accounts_chatcredential WHERE id = %s",
            [credential.pk],
        )
        stored_access, stored_refresh = cursor.fetchone()
    assert stored_access.startswith("gAAAAA") and credential.access_token not in stored_access
    assert stored_refresh.startswith("gAAAAA") and credential.refresh_token not in stored_refresh
    me = requests.get(
        sandbox.api_url("agents/me"), headers=bearer(credential.access_token), timeout=TIMEOUT
    )
    assert me.json()["email"] == demo.AGENT1


def test_an_expired_access_token_is_renewed_transparently(
    dashboard: Client, sandbox: LiveSandbox
) -> None:
    sandbox.set_token_ttl(access=SHORT_TTL)
    sign_in(dashboard, sandbox, demo.AGENT1)
    first = ChatCredential.objects.get(user__email=demo.AGENT1)
    time.sleep(SHORT_TTL + 0.5)  # the sandbox now refuses the access token
    expired = requests.get(
        sandbox.api_url("agents/me"), headers=bearer(first.access_token), timeout=TIMEOUT
    )
    assert expired.status_code == 401

    response = dashboard.post("/settings/chat/check/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f"you act as {demo.AGENT1}" in response["HX-Trigger"]
    renewed = ChatCredential.objects.get(user__email=demo.AGENT1)
    assert renewed.access_token != first.access_token
    assert renewed.refresh_token != first.refresh_token  # refresh tokens rotate


def test_a_token_refused_by_chat_is_renewed_even_before_its_recorded_expiry(
    dashboard: Client, sandbox: LiveSandbox
) -> None:
    sandbox.set_token_ttl(access=SHORT_TTL)
    sign_in(dashboard, sandbox, demo.AGENT1)
    first = ChatCredential.objects.get(user__email=demo.AGENT1)
    ChatCredential.objects.filter(pk=first.pk).update(expires_at=None)  # only the 401 tells
    time.sleep(SHORT_TTL + 0.5)
    response = dashboard.post("/settings/chat/check/", headers={"HX-Request": "true"})
    assert f"you act as {demo.AGENT1}" in response["HX-Trigger"]
    assert ChatCredential.objects.get(pk=first.pk).access_token != first.access_token


def test_a_revoked_token_sends_the_person_back_to_sign_in_with_a_clear_message(
    dashboard: Client, sandbox: LiveSandbox
) -> None:
    sign_in(dashboard, sandbox, demo.AGENT1)
    credential = ChatCredential.objects.get(user__email=demo.AGENT1)
    mine = requests.get(
        sandbox.api_url("oauth/tokens"), headers=bearer(credential.access_token), timeout=TIMEOUT
    ).json()
    prefix = credential.access_token[:8]
    (token,) = [t for t in mine if t["access_token"].startswith(prefix)]
    revoked = requests.delete(
        sandbox.api_url(f"oauth/tokens/{token['id']}"),
        headers=bearer(credential.access_token),
        timeout=TIMEOUT,
    )
    assert revoked.status_code == 204

    response = dashboard.post("/settings/chat/check/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    page = dashboard.get("/accounts/login/").content.decode()
    assert "no longer accepts your sign-in" in page
    assert not ChatCredential.objects.filter(user__email=demo.AGENT1).exists()
    assert dashboard.get("/").status_code == 302


def test_no_token_or_secret_reaches_the_logs(
    dashboard: Client, sandbox: LiveSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox.set_token_ttl(access=SHORT_TTL)
    with caplog.at_level(logging.DEBUG):
        sign_in(dashboard, sandbox, demo.AGENT1)
        first = ChatCredential.objects.get(user__email=demo.AGENT1)
        time.sleep(SHORT_TTL + 0.5)
        dashboard.post("/settings/chat/check/")
        renewed = ChatCredential.objects.get(user__email=demo.AGENT1)
        dashboard.post("/accounts/logout/")
    secrets_seen = [
        first.access_token,
        first.refresh_token,
        renewed.access_token,
        renewed.refresh_token,
        demo.DASHBOARD_CLIENT_SECRET,
        demo.PASSWORD,
    ]
    assert renewed.access_token != first.access_token
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records, "nothing was logged: the check below would prove nothing"
    for secret in secrets_seen:
        assert secret not in logged
