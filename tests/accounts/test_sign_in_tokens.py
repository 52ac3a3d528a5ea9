"""Sign-out revokes chatadmin's sign-in token at Chat; a new sign-in revokes those it replaces."""

from __future__ import annotations

import pytest
import requests
import responses
from django.test import Client, override_settings

from chatadmin.accounts.models import AccountConnection, ChatCredential, ConnectionKind, User
from chatadmin.audit.models import AuditEvent, Outcome
from chatadmin.sandbox import demo
from tests.accounts.test_chat_sign_in_live import DASHBOARD, sign_in
from tests.fixtures.chat_payloads import AGENT_ID, AGENT_TOKEN, TOKENS
from tests.fixtures.pages import events, text, writes
from tests.fixtures.sandbox import TIMEOUT, LiveSandbox
from tests.sandbox.helpers import bearer

pytestmark = pytest.mark.django_db


def listed(token_id: int, value: str, *, client: str = "chatadmin-dashboard") -> dict[str, object]:
    return {
        "id": token_id,
        "access_token": value,
        "agent_id": AGENT_ID,
        "client_identifier": client,
        "scopes": "read write chat",
        "create_date": "2024-05-01T09:00:00Z",
        "expire_date": "2999-01-01T00:00:00Z",
        "token_type": "Bearer",
    }


def test_sign_out_revokes_the_session_token_at_chat(
    as_agent: Client, chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(
        TOKENS,
        json=[
            listed(5, AGENT_TOKEN),
            listed(6, "someone-elses-script-token", client="agent1-local-tool"),
        ],
    )
    http_mock.delete(f"{TOKENS}/5", status=204)

    as_agent.post("/accounts/logout/")

    assert writes(http_mock) == ["DELETE /api/v2/chat/oauth/tokens/5"]  # only the sign-in token
    assert not ChatCredential.objects.filter(user=chat_agent).exists()
    (revoked,) = events("auth.sign_in_token_revoke")
    assert revoked.outcome == Outcome.SUCCESS
    assert events("auth.sign_out")[0].message == ""


def test_sign_out_completes_when_chat_cannot_be_reached(
    as_agent: Client, chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(TOKENS, status=503)

    response = as_agent.post("/accounts/logout/")
    page = as_agent.get("/accounts/login/")

    assert response.status_code == 302
    assert as_agent.get("/tokens/").status_code == 302  # signed out all the same
    assert "could not be revoked" in text(page)
    assert not ChatCredential.objects.filter(user=chat_agent).exists()
    assert writes(http_mock) == []
    (failed,) = events("auth.sign_in_token_revoke")
    assert failed.outcome == Outcome.FAILURE
    assert "could not be revoked" in events("auth.sign_out")[0].message


@pytest.mark.live
def test_after_sign_out_the_sign_in_token_gets_401_from_the_sandbox(sandbox: LiveSandbox) -> None:
    with override_settings(CHAT_BASE_URL=sandbox.url):
        browser = Client(HTTP_HOST=DASHBOARD)
        sign_in(browser, sandbox, demo.AGENT1)
        token = ChatCredential.objects.get(user__email=demo.AGENT1).access_token
        before = requests.get(sandbox.api_url("agents/me"), headers=bearer(token), timeout=TIMEOUT)
        browser.post("/accounts/logout/")

    after = requests.get(sandbox.api_url("agents/me"), headers=bearer(token), timeout=TIMEOUT)
    assert before.status_code == 200
    assert after.status_code == 401
    assert not ChatCredential.objects.exists()


@pytest.mark.live
def test_a_new_sign_in_revokes_the_one_it_replaces_but_not_the_connection(
    sandbox: LiveSandbox,
) -> None:
    with override_settings(CHAT_BASE_URL=sandbox.url):
        first = Client(HTTP_HOST=DASHBOARD)
        sign_in(first, sandbox, demo.OWNER)
        old = ChatCredential.objects.get(user__email=demo.OWNER).access_token
        connection = sandbox.token_for(demo.OWNER)  # as "Connect with my Chat account" mints
        AccountConnection.objects.create(
            kind=ConnectionKind.OAUTH, access_token=connection["access_token"], agent_id=1
        )
        second = Client(HTTP_HOST=DASHBOARD)
        sign_in(second, sandbox, demo.OWNER)
        new = ChatCredential.objects.get(user__email=demo.OWNER).access_token

    def status(token: str) -> int:
        answer = requests.get(sandbox.api_url("agents/me"), headers=bearer(token), timeout=TIMEOUT)
        return answer.status_code

    assert old != new
    assert (status(old), status(new), status(connection["access_token"])) == (401, 200, 200)
    assert AuditEvent.objects.filter(action="auth.sign_in_token_revoke").count() == 1
