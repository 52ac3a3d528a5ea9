"""The token rules appended to the policy module: who sees a token, who mints for a client."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from chatadmin.accounts import policy
from chatadmin.accounts.models import User
from chatadmin.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "agent_id", "token_agent_id", "sees"),
    [
        (Role.USER, 3, 3, True),
        (Role.USER, 3, 4, False),
        (Role.ADMIN, 1, 1, True),
        (Role.ADMIN, 1, 3, False),  # admins do not see (or revoke) other people's tokens
        (Role.SUPPORT, 5, 5, False),  # support staff have no tokens
        (Role.USER, None, None, False),  # a local account without a Chat identity
    ],
)
def test_a_token_is_seen_only_by_its_agent(
    make_user: Callable[..., User],
    role: str,
    agent_id: int | None,
    token_agent_id: int | None,
    sees: bool,
) -> None:
    person = make_user(role, chat_agent_id=agent_id)
    assert policy.may_see_token(person, token_agent_id=token_agent_id) is sees


@pytest.mark.parametrize(
    ("role", "client_agent_id", "mints"),
    [
        (Role.USER, 3, True),
        (Role.USER, 4, False),
        (Role.ADMIN, 4, True),  # admins may change (so mint for) any client
        (Role.SUPPORT, 3, False),
    ],
)
def test_tokens_are_minted_only_for_clients_the_person_may_change(
    make_user: Callable[..., User], role: str, client_agent_id: int, mints: bool
) -> None:
    person = make_user(role, chat_agent_id=3 if role != Role.ADMIN else 1)
    assert policy.may_mint_token(person, client_agent_id=client_agent_id) is mints
