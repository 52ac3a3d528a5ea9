"""Revoking: only your own tokens, policy first, every outcome audited, no token in the log."""

from __future__ import annotations

import pytest
import responses

from chatadmin.accounts.models import User
from chatadmin.audit.models import AuditEvent, Outcome
from chatadmin.core.problems import Problem
from chatadmin.tokens.services import token_revoke, token_revoke_many
from tests.fixtures.pages import events, writes
from tests.tokens.helpers import bearer
from tests.tokens.payloads import (
    ADMIN_TOKEN,
    AGENT_ID,
    AGENT_TOKEN,
    OTHER_AGENT_ID,
    SIGN_IN_CLIENT,
    TOKENS,
    token_json,
)

pytestmark = pytest.mark.django_db


def _no_token_values_in_audit(*values: str) -> None:
    logged = " ".join(
        f"{e.target_label} {e.message} {e.target_id}" for e in AuditEvent.objects.all()
    )
    for value in values:
        assert value not in logged


def test_revokes_own_token_and_audits_it(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    listed = token_json(14)
    http_mock.get(f"{TOKENS}/14", json=listed, match=bearer(AGENT_TOKEN))
    http_mock.delete(f"{TOKENS}/14", status=204, match=bearer(AGENT_TOKEN))

    outcome = token_revoke(chat_agent, token_id=14, request=None)

    assert outcome.revoked
    assert writes(http_mock) == ["DELETE /api/v2/chat/oauth/tokens/14"]
    (event,) = events("token.revoke")
    assert (event.outcome, event.actor, event.target_id) == (Outcome.SUCCESS, chat_agent, "14")
    _no_token_values_in_audit(listed["access_token"], listed.get("refresh_token") or "none")
    # Named as the Tokens page names it: by its prefix, never its value.
    assert event.target_label.startswith(f"token {listed['access_token'][:8]}…")


def test_an_admin_cannot_revoke_another_agents_token(
    chat_admin: User, http_mock: responses.RequestsMock
) -> None:
    """Chat answers 404 for someone else's token: no DELETE, audited as denied (not found)."""
    http_mock.get(
        f"{TOKENS}/21", status=404, json={"error": "Not Found"}, match=bearer(ADMIN_TOKEN)
    )

    with pytest.raises(Problem, match="no such token of yours"):
        token_revoke(chat_admin, token_id=21, request=None)

    assert writes(http_mock) == []
    (event,) = events("token.revoke")
    assert (event.outcome, event.target_id) == (Outcome.DENIED, "21")


def test_a_token_of_someone_else_in_the_answer_is_not_found_and_not_deleted(
    chat_admin: User, http_mock: responses.RequestsMock
) -> None:
    """Even if the API showed another agent's token, the policy refuses before any DELETE."""
    http_mock.get(f"{TOKENS}/21", json=token_json(21, agent_id=AGENT_ID))
    with pytest.raises(Problem, match="no such token of yours"):
        token_revoke(chat_admin, token_id=21, request=None)
    assert writes(http_mock) == []
    assert events("token.revoke")[0].outcome == Outcome.DENIED


def test_a_failed_revoke_is_explained_and_audited(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{TOKENS}/14", json=token_json(14))
    http_mock.delete(
        f"{TOKENS}/14", status=403, json={"error": "Forbidden", "description": "needs write"}
    )
    with pytest.raises(Problem, match="lacks a scope") as problem:
        token_revoke(chat_agent, token_id=14, request=None)
    (event,) = events("token.revoke")
    assert event.outcome == Outcome.FAILURE
    assert event.message == str(problem.value)


def test_an_unreachable_chat_api_is_audited_as_a_failure(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{TOKENS}/14", status=503)
    with pytest.raises(Problem, match="Try again"):
        token_revoke(chat_agent, token_id=14, request=None)
    assert writes(http_mock) == []
    assert events("token.revoke")[0].outcome == Outcome.FAILURE


def test_support_staff_revoke_nothing_and_call_nothing(
    support: User, http_mock: responses.RequestsMock
) -> None:
    with pytest.raises(Problem, match="Support staff have no tokens"):
        token_revoke(support, token_id=14, request=None)
    with pytest.raises(Problem, match="Support staff have no tokens"):
        token_revoke_many(support, token_ids=[14, 15], request=None)
    assert len(http_mock.calls) == 0
    assert [e.outcome for e in events("token.revoke")] == [Outcome.DENIED] * 3


def test_bulk_revoke_revokes_only_own_tokens_and_reports_the_rest(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(
        TOKENS,
        json=[token_json(1), token_json(2), token_json(9, agent_id=OTHER_AGENT_ID)],
        match=bearer(AGENT_TOKEN),
    )
    for token_id in (1, 2):
        http_mock.delete(f"{TOKENS}/{token_id}", status=204, match=bearer(AGENT_TOKEN))

    result = token_revoke_many(chat_agent, token_ids=[1, 9, 2, 77, 1], request=None)

    assert writes(http_mock) == [
        "DELETE /api/v2/chat/oauth/tokens/1",
        "DELETE /api/v2/chat/oauth/tokens/2",
    ]
    assert [o.token_id for o in result.revoked] == [1, 2]
    assert [o.token_id for o in result.failed] == [9, 77]
    assert "Revoked 2 tokens. 2 could not be revoked." in result.summary
    outcomes = {(e.target_id, e.outcome) for e in events("token.revoke")}
    assert outcomes == {
        ("1", Outcome.SUCCESS),
        ("2", Outcome.SUCCESS),
        ("9", Outcome.DENIED),
        ("77", Outcome.DENIED),
    }


def test_bulk_revoke_keeps_going_past_a_failure(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(TOKENS, json=[token_json(1), token_json(2)])
    http_mock.delete(f"{TOKENS}/1", status=404, json={"error": "Not Found"})
    http_mock.delete(f"{TOKENS}/2", status=204)
    result = token_revoke_many(chat_agent, token_ids=[1, 2], request=None)
    assert [o.token_id for o in result.revoked] == [2]
    assert [o.token_id for o in result.failed] == [1]
    assert {e.outcome for e in events("token.revoke")} == {Outcome.SUCCESS, Outcome.FAILURE}


def test_bulk_revoke_leaves_chatadmins_own_sign_in_token_for_last(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    sign_in = token_json(1, client_identifier=SIGN_IN_CLIENT, access_token=AGENT_TOKEN)
    http_mock.get(TOKENS, json=[sign_in, token_json(2), token_json(3)])
    for token_id in (1, 2, 3):
        http_mock.delete(f"{TOKENS}/{token_id}", status=204)
    token_revoke_many(chat_agent, token_ids=[1, 2, 3], request=None)
    assert writes(http_mock)[-1] == "DELETE /api/v2/chat/oauth/tokens/1"


def test_bulk_revoke_with_nothing_selected_calls_nothing(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    with pytest.raises(Problem, match="Select at least one"):
        token_revoke_many(chat_agent, token_ids=[], request=None)
    assert len(http_mock.calls) == 0
    assert events("token.revoke")[0].outcome == Outcome.FAILURE
