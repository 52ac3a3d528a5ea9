"""Chat has the last word: a demoted admin loses admin at once, a disabled agent is signed out."""

from __future__ import annotations

import time

import pytest
import responses
import time_machine
from django.core.cache import cache
from django.test import Client
from responses import matchers

from chatadmin.accounts.chat_identity import chat_identity_forget, forget_local_checks
from chatadmin.accounts.models import ChatCredential, User
from chatadmin.accounts.roles import Role
from chatadmin.audit.models import Outcome
from chatadmin.clients import services
from chatadmin.clients.selectors import ClientNotFound
from tests.fixtures.chat_payloads import ADMIN_AGENT_ID, ADMIN_TOKEN, API, CLIENTS, client_json
from tests.fixtures.pages import events, text, writes

pytestmark = pytest.mark.django_db

ME = f"{API}/agents/me"


def chat_says(mock: responses.RequestsMock, *, admin: bool, enabled: bool = True) -> None:
    """What agents/me answers for the admin's own token now."""
    mock.get(
        ME,
        json={
            "id": ADMIN_AGENT_ID,
            "email": "owner@example.com",
            "display_name": "Olivia Owner",
            "enabled": int(enabled),
            "roles": {"owner": admin, "administrator": admin},
        },
        match=[matchers.header_matcher({"Authorization": f"Bearer {ADMIN_TOKEN}"})],
    )


def test_a_demoted_admin_loses_admin_on_the_next_privileged_action(
    chat_admin: User, http_mock: responses.RequestsMock
) -> None:
    chat_says(http_mock, admin=False)  # demoted in Chat a moment ago
    http_mock.get(f"{CLIENTS}/7", json=client_json(7))  # someone else's client

    with pytest.raises(ClientNotFound):
        services.client_secret_regenerate(chat_admin, 7)

    chat_admin.refresh_from_db()
    assert chat_admin.role == Role.USER
    assert writes(http_mock) == []
    (demotion,) = events("people.role_set")
    assert demotion.outcome == Outcome.SUCCESS and "checked again" in demotion.message
    assert events(services.REGENERATE)[0].outcome == Outcome.FAILURE


def test_a_confirmed_admin_goes_ahead(chat_admin: User, http_mock: responses.RequestsMock) -> None:
    chat_says(http_mock, admin=True)
    http_mock.get(f"{CLIENTS}/7", json=client_json(7))
    http_mock.post(f"{CLIENTS}/7/generate_secret", json=client_json(7, secret="new-secret-1234"))

    assert services.client_secret_regenerate(chat_admin, 7).secret == "new-secret-1234"
    assert http_mock.calls[0].request.url == ME
    assert events("people.role_set") == []


def test_an_unconfirmed_role_does_nothing_privileged(
    chat_admin: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(ME, status=503)

    with pytest.raises(Exception, match="could not confirm your role"):
        services.client_delete(chat_admin, 7, confirm_name="CRM bridge")

    assert writes(http_mock) == []
    (event,) = events(services.DELETE)
    assert event.outcome == Outcome.FAILURE
    assert "could not confirm your role" in event.message


def test_ordinary_pages_ask_again_once_the_last_answer_is_old(
    as_admin: Client, chat_admin: User, http_mock: responses.RequestsMock
) -> None:
    chat_says(http_mock, admin=False)
    as_admin.get("/audit/")  # checked at sign-in a moment ago: nothing is asked
    assert len(http_mock.calls) == 0

    chat_identity_forget(chat_admin)  # as CHATADMIN_CHAT_RECHECK_SECONDS going by
    page = as_admin.get("/audit/")
    again = as_admin.get("/audit/")

    assert [call.request.url for call in http_mock.calls] == [ME]  # once, then remembered
    assert page.status_code == again.status_code == 200
    chat_admin.refresh_from_db()
    assert chat_admin.role == Role.USER
    assert "Settings" in text(page)


def test_a_disabled_agent_is_signed_out_with_a_clear_message(
    as_admin: Client, chat_admin: User, http_mock: responses.RequestsMock
) -> None:
    chat_says(http_mock, admin=True, enabled=False)
    chat_identity_forget(chat_admin)

    response = as_admin.get("/audit/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    sign_in = as_admin.get("/accounts/login/")
    assert "Chat agent account is disabled" in text(sign_in)
    assert "Ask a Chat admin to enable it" in text(sign_in)
    assert as_admin.get("/audit/").status_code == 302  # signed out
    assert not ChatCredential.objects.filter(user=chat_admin).exists()
    (event,) = events("auth.chat_agent_disabled")
    assert event.actor == chat_admin


def test_chat_not_answering_leaves_an_ordinary_page_alone(
    as_admin: Client, chat_admin: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(ME, status=503)
    chat_identity_forget(chat_admin)

    assert as_admin.get("/audit/").status_code == 200
    chat_admin.refresh_from_db()
    assert chat_admin.role == Role.ADMIN


def test_a_process_keeps_when_the_next_check_is_due_and_asks_once_it_is(
    as_admin: Client, chat_admin: User, http_mock: responses.RequestsMock
) -> None:
    chat_says(http_mock, admin=True)
    forget_local_checks()  # as a process that has not seen this person yet
    key = f"chatadmin:chat-identity-checked:{chat_admin.pk}"
    due = cache.get(key)  # written when another process's sign-in asked Chat
    assert isinstance(due, float) and due > time.time()

    assert as_admin.get("/audit/").status_code == 200
    cache.delete(key)  # the shared note gone (evicted): this process still knows when it is due
    assert as_admin.get("/audit/").status_code == 200
    assert len(http_mock.calls) == 0

    with time_machine.travel(due + 1, tick=False):
        assert as_admin.get("/audit/").status_code == 200
        assert as_admin.get("/audit/").status_code == 200

    assert [call.request.url for call in http_mock.calls] == [ME]  # once it was due, once
