"""token_list: the person's own tokens, joined with client names, with statuses and filters."""

from __future__ import annotations

import pytest
import responses

from chatadmin.accounts.models import User
from chatadmin.chat import ChatUnavailable
from chatadmin.chat.resources import token_hint
from chatadmin.core.problems import NoChatAccess
from chatadmin.tokens.selectors import (
    SIGN_IN_CLIENT_NAME,
    NoTokens,
    TokenStatus,
    token_list,
    token_wizard_client_list,
)
from tests.tokens.helpers import bearer
from tests.tokens.payloads import (
    AGENT_TOKEN,
    CLIENTS,
    OTHER_AGENT_ID,
    SIGN_IN_CLIENT,
    TOKENS,
    client_json,
    token_json,
)

pytestmark = pytest.mark.django_db

LOCAL_TOOL = client_json(7, name="Local tool")
CRM = client_json(8, name="CRM bridge")


def _listed(mock: responses.RequestsMock, tokens: list[dict[str, object]], token: str) -> None:
    mock.get(TOKENS, json=tokens, match=bearer(token))
    mock.get(CLIENTS, json=[LOCAL_TOOL, CRM], match=bearer(token))


def test_lists_own_tokens_with_names_statuses_and_hints_only(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    _listed(
        http_mock,
        [
            token_json(1, client_identifier=LOCAL_TOOL["client_identifier"], created_hours_ago=1),
            token_json(2, client_identifier=CRM["client_identifier"], expires_in_hours=1),
            token_json(
                3,
                client_identifier=CRM["client_identifier"],
                created_hours_ago=9,
                expires_in_hours=-3,
            ),
            token_json(4, client_identifier="someone-elses-client", created_hours_ago=30),
        ],
        AGENT_TOKEN,
    )
    tokens = token_list(chat_agent)
    assert [row.id for row in tokens] == [1, 2, 3, 4]  # newest first
    assert [row.status for row in tokens] == [
        TokenStatus.ACTIVE,
        TokenStatus.EXPIRING,
        TokenStatus.EXPIRED,
        TokenStatus.ACTIVE,
    ]
    assert [row.client_name for row in tokens] == [
        "Local tool",
        "CRM bridge",
        "CRM bridge",
        "someone-elses-client",  # a client the person cannot see: its id
    ]
    assert all(row.hint.endswith("…") and len(row.hint) <= 9 for row in tokens)
    assert (tokens.expiring, tokens.expired, tokens.total) == (1, 1, 4)
    assert dict(tokens.client_choices)[CRM["client_identifier"]] == "CRM bridge"


def test_someone_elses_token_in_the_answer_is_never_listed(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    _listed(http_mock, [token_json(1), token_json(2, agent_id=OTHER_AGENT_ID)], AGENT_TOKEN)
    assert [row.id for row in token_list(chat_agent)] == [1]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"client": "identifier-8-abcdefghijklmnopqrstuvwxyz0123"}, [2, 3]),
        ({"scope": "chat"}, [3]),
        ({"status": "expiring"}, [2]),
        ({"status": "expired", "scope": "chat"}, []),
        ({}, [1, 2, 3]),
    ],
)
def test_filters_by_client_scope_and_status(
    chat_agent: User,
    http_mock: responses.RequestsMock,
    filters: dict[str, str],
    expected: list[int],
) -> None:
    crm = CRM["client_identifier"]
    _listed(
        http_mock,
        [
            token_json(1, client_identifier=LOCAL_TOOL["client_identifier"], created_hours_ago=1),
            token_json(2, client_identifier=crm, created_hours_ago=2, expires_in_hours=1),
            token_json(3, client_identifier=crm, created_hours_ago=3, scopes="read write chat"),
        ],
        AGENT_TOKEN,
    )
    tokens = token_list(chat_agent, **filters)
    assert [row.id for row in tokens] == expected
    assert tokens.total == 3  # the choices and warnings cover every token


def test_marks_chatadmins_own_sign_in_token(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    _listed(
        http_mock,
        [
            token_json(1, client_identifier=SIGN_IN_CLIENT, access_token=token_hint(AGENT_TOKEN)),
            token_json(2, client_identifier=SIGN_IN_CLIENT),
        ],
        AGENT_TOKEN,
    )
    rows = {row.id: row for row in token_list(chat_agent)}
    assert rows[1].is_sign_in and not rows[2].is_sign_in
    assert rows[1].client_name == SIGN_IN_CLIENT_NAME


def test_client_names_that_cannot_be_read_leave_the_list_usable(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(TOKENS, json=[token_json(1)])
    http_mock.get(CLIENTS, status=503)
    tokens = token_list(chat_agent)
    assert [row.client_name for row in tokens] == [token_json(1)["client_identifier"]]
    assert "Client names could not be read" in tokens.names_unavailable


def test_support_staff_have_no_tokens_and_nothing_is_called(
    support: User, http_mock: responses.RequestsMock
) -> None:
    with pytest.raises(NoTokens, match="Support staff have no tokens"):
        token_list(support)
    with pytest.raises(NoTokens):
        token_wizard_client_list(support)
    assert len(http_mock.calls) == 0


def test_a_local_account_without_chat_identity_is_told_what_to_do(
    admin_user: User, http_mock: responses.RequestsMock
) -> None:
    with pytest.raises(NoChatAccess, match="Sign in with Zendesk Chat"):
        token_list(admin_user)
    assert len(http_mock.calls) == 0


def test_an_unavailable_chat_api_is_a_chat_error(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(TOKENS, status=503)
    with pytest.raises(ChatUnavailable):
        token_list(chat_agent)


def test_the_wizard_offers_only_clients_the_person_may_change(
    chat_agent: User, chat_admin: User, http_mock: responses.RequestsMock
) -> None:
    mine, theirs = client_json(7), client_json(9, agent_id=OTHER_AGENT_ID)
    http_mock.get(CLIENTS, json=[mine, theirs])
    assert [c.id for c in token_wizard_client_list(chat_agent)] == [7]
    assert {c.id for c in token_wizard_client_list(chat_admin)} == {7, 9}
