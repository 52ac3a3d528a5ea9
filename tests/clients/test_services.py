"""Changing clients: the policy first, only what changed, and every outcome audited."""

from __future__ import annotations

import pytest
import responses
from responses.matchers import header_matcher, json_params_matcher

from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from chatadmin.chat import ChatRefused, ChatUnavailable, ClientInput, Removal
from chatadmin.clients import services
from chatadmin.clients.selectors import ClientNotFound
from chatadmin.clients.services import ConfirmationMismatch
from chatadmin.core.problems import ChatProblem, NoChatAccess, OutcomeUnknown, ReadOnly
from tests.fixtures.chat_payloads import (
    AGENT_TOKEN,
    CLIENTS,
    LOCAL_URI,
    NEW_SECRET,
    OTHER_AGENT_ID,
    SECRET,
    client_json,
    refusal,
)
from tests.fixtures.pages import events, writes

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Reporting",
    "company": "Acme",
    "redirect_uris": ("https://app.example.com/cb", LOCAL_URI),
    "scopes": ("read", "write", "chat"),
    "client_type": "confidential",
}
WANTED = ClientInput(**NEW)  # type: ignore[arg-type]


def wanted(current: dict[str, str], **changes: object) -> ClientInput:
    """What an edit form sends: the client as it is, with some fields changed."""
    values = {
        "name": current["name"],
        "company": current["company"],
        "redirect_uris": (current["redirect_uris"],),
        "scopes": tuple(current["scopes"].split()),
        "client_type": current["client_type"],
        **changes,
    }
    return ClientInput(**values)  # type: ignore[arg-type]


def test_create_sends_the_values_as_the_agent_and_audits_without_the_secret(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    body = {
        **NEW,
        "redirect_uris": f"https://app.example.com/cb {LOCAL_URI}",
        "scopes": "read write chat",
    }
    http_mock.post(
        CLIENTS,
        status=201,
        json=client_json(12, name="Reporting", secret=SECRET, scopes="read write chat"),
        match=[
            json_params_matcher(body),
            header_matcher({"Authorization": f"Bearer {AGENT_TOKEN}"}),
        ],
    )
    created = services.client_create(chat_agent, wanted=WANTED)
    assert created.secret == SECRET
    assert SECRET not in repr(created)
    (event,) = events(services.CREATE)
    assert event.outcome == Outcome.SUCCESS and event.target_id == "12"
    assert created.client.client_identifier in event.message
    assert SECRET not in f"{event.message} {event.target_label}"


def test_support_staff_are_denied_before_any_call(
    support: User, http_mock: responses.RequestsMock
) -> None:
    attempts = [
        lambda: services.client_create(support, wanted=WANTED),
        lambda: services.client_update(support, 7, wanted=WANTED),
        lambda: services.client_delete(support, 7, confirm_name="CRM bridge"),
        lambda: services.client_secret_regenerate(support, 7),
    ]
    for attempt in attempts:
        with pytest.raises(ReadOnly, match="read-only"):
            attempt()
    assert len(http_mock.calls) == 0
    denied = [e.action for e in events("client.create") + events("client.update")]
    denied += [e.action for e in events("client.delete") + events("client.secret_regenerate")]
    assert len(denied) == 4
    assert {e.outcome for a in set(denied) for e in events(a)} == {Outcome.DENIED}


def test_a_local_account_without_chat_identity_is_told_and_audited(
    admin_user: User, http_mock: responses.RequestsMock
) -> None:
    with pytest.raises(NoChatAccess):
        services.client_create(admin_user, wanted=WANTED)
    assert len(http_mock.calls) == 0
    (event,) = events(services.CREATE)
    assert event.outcome == Outcome.FAILURE and "Sign in with Zendesk Chat" in event.message


def test_an_upstream_refusal_is_audited_with_its_plain_explanation(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.post(
        CLIENTS,
        status=422,
        json=refusal(422, "Unprocessable Entity", redirect_uris=["http://x: use https."]),
    )
    with pytest.raises(ChatProblem) as refused:
        services.client_create(chat_agent, wanted=WANTED)
    assert isinstance(refused.value.error, ChatRefused)
    (event,) = events(services.CREATE)
    assert event.outcome == Outcome.FAILURE
    assert event.message == refused.value.explanation
    assert "redirect_uris: http://x: use https." in event.message


def test_update_sends_only_what_changed_and_keeps_the_type(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    current = client_json(7, scopes="read write chat", client_type="confidential")
    http_mock.get(f"{CLIENTS}/7", json=current)
    http_mock.put(
        f"{CLIENTS}/7",
        json={**current, "name": "CRM bridge v2"},
        match=[json_params_matcher({"name": "CRM bridge v2"}, strict_match=True)],
    )
    update = services.client_update(
        chat_agent,
        7,
        # another order of the scopes is no change
        wanted=wanted(current, name="CRM bridge v2", scopes=("chat", "read", "write")),
    )
    assert update.changed == ("name",)
    assert update.client.client_type == "confidential"
    assert writes(http_mock) == ["PUT /api/v2/chat/oauth/clients/7"]
    (event,) = events(services.UPDATE)
    assert event.outcome == Outcome.SUCCESS and event.message.startswith("Changed name;")


def test_update_with_nothing_changed_sends_nothing(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    current = client_json(7)
    http_mock.get(f"{CLIENTS}/7", json=current)
    update = services.client_update(chat_agent, 7, wanted=wanted(current))
    assert update.changed == ()
    assert writes(http_mock) == []


def test_update_keeps_scopes_the_dashboard_does_not_offer(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    current = client_json(7, scopes="read write analytics")
    http_mock.get(f"{CLIENTS}/7", json=current)
    http_mock.put(
        f"{CLIENTS}/7",
        json={**current, "scopes": "read analytics"},
        match=[json_params_matcher({"scopes": "read analytics"}, strict_match=True)],
    )
    update = services.client_update(chat_agent, 7, wanted=wanted(current, scopes=("read",)))
    assert update.changed == ("scopes",)


def test_another_agents_client_is_not_found_and_nothing_is_written(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/3", json=client_json(3, agent_id=OTHER_AGENT_ID, name="Theirs"))
    with pytest.raises(ClientNotFound):
        services.client_update(chat_agent, 3, wanted=WANTED)
    with pytest.raises(ClientNotFound):
        services.client_delete(chat_agent, 3, confirm_name="Theirs")
    with pytest.raises(ClientNotFound):
        services.client_secret_regenerate(chat_agent, 3)
    assert writes(http_mock) == []
    recorded = events(services.UPDATE) + events(services.DELETE) + events(services.REGENERATE)
    assert [e.outcome for e in recorded] == [Outcome.FAILURE] * 3
    # The same words as for a client that does not exist: nothing about whose it is.
    assert {e.message for e in recorded} == {ClientNotFound().explanation}
    assert {e.target_label for e in recorded} == {""}


def test_deleting_an_external_client_needs_its_exact_name(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=client_json(7, name="CRM bridge"))
    http_mock.delete(f"{CLIENTS}/7", status=204)
    for wrong in ("", "crm bridge", "CRM"):
        with pytest.raises(ConfirmationMismatch, match="“CRM bridge”"):
            services.client_delete(chat_agent, 7, confirm_name=wrong)
    assert writes(http_mock) == []
    assert [e.outcome for e in events(services.DELETE)] == [Outcome.FAILURE] * 3

    deleted = services.client_delete(chat_agent, 7, confirm_name=" CRM bridge ")
    assert deleted.client.name == "CRM bridge" and deleted.removal is Removal.DELETED
    assert writes(http_mock) == ["DELETE /api/v2/chat/oauth/clients/7"]
    assert events(services.DELETE)[-1].outcome == Outcome.SUCCESS


def test_an_internal_client_is_deleted_without_typing_its_name(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/8", json=client_json(8, redirect_uris=LOCAL_URI))
    http_mock.delete(f"{CLIENTS}/8", status=204)
    services.client_delete(chat_agent, 8, confirm_name="")
    assert writes(http_mock) == ["DELETE /api/v2/chat/oauth/clients/8"]


def test_a_client_deleted_meanwhile_is_not_found(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/8", json=client_json(8, redirect_uris=LOCAL_URI))
    http_mock.delete(f"{CLIENTS}/8", status=404, json=refusal(404, "Not Found"))
    with pytest.raises(ClientNotFound):
        services.client_delete(chat_agent, 8, confirm_name="")
    (event,) = events(services.DELETE)
    assert event.outcome == Outcome.FAILURE and event.message == services.GONE


def test_regenerate_returns_the_new_secret_and_audits_without_it(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=client_json(7))
    http_mock.post(f"{CLIENTS}/7/generate_secret", json=client_json(7, secret=NEW_SECRET))
    renewed = services.client_secret_regenerate(chat_agent, 7)
    assert renewed.secret == NEW_SECRET
    (event,) = events(services.REGENERATE)
    assert event.outcome == Outcome.SUCCESS and NEW_SECRET not in event.message


def test_regenerate_when_chat_is_down_is_audited_as_a_failure(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=client_json(7))
    http_mock.post(f"{CLIENTS}/7/generate_secret", status=503, json=refusal(503, "Unavailable"))
    with pytest.raises(ChatProblem) as down:
        services.client_secret_regenerate(chat_agent, 7)
    assert isinstance(down.value.error, ChatUnavailable)
    # A 503 says Chat did not take the request: a failure, not an unknown outcome.
    assert not isinstance(down.value, OutcomeUnknown)
    (event,) = events(services.REGENERATE)
    assert event.outcome == Outcome.FAILURE and "Try again" in event.message


def test_invalid_input_is_audited_and_checked_like_a_real_attempt(
    chat_agent: User, support: User, http_mock: responses.RequestsMock
) -> None:
    problems = {"redirect_uris": ["Line 1 (http://x) plain http…"]}
    services.client_input_rejected(chat_agent, action=services.CREATE, problems=problems, name="X")
    (event,) = events(services.CREATE)
    assert event.outcome == Outcome.FAILURE and event.target_label == "X"
    said = (
        "Not sent to Chat: the form was not valid (redirect_uris: Line 1 (http://x) plain http…)."
    )
    assert event.message == said
    with pytest.raises(ReadOnly):
        services.client_input_rejected(support, action=services.CREATE, problems=problems)
    http_mock.get(f"{CLIENTS}/3", json=client_json(3, agent_id=OTHER_AGENT_ID))
    with pytest.raises(ClientNotFound):
        services.client_input_rejected(
            chat_agent, action=services.UPDATE, problems=problems, client_id=3
        )
    assert writes(http_mock) == []
