"""Who reaches the Chat API with which credential, and the per-client and per-token rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import responses

from chatadmin.accounts import policy
from chatadmin.accounts.access import NoChatAccess, chat_read, chat_write
from chatadmin.accounts.chat_access import credential_store
from chatadmin.accounts.models import AccountConnection, ConnectionKind, User
from chatadmin.accounts.roles import Role

pytestmark = pytest.mark.django_db

ME = "http://127.0.0.1:8001/api/v2/chat/agents/me"
AGENT = {
    "id": 5,
    "email": "a@example.com",
    "display_name": "A",
    "enabled": 1,
    "roles": {"owner": False, "administrator": False},
}


@pytest.mark.parametrize(
    ("role", "agent_id", "client_agent_id", "see", "change"),
    [
        (Role.ADMIN, 1, 2, True, True),
        (Role.USER, 1, 1, True, True),
        (Role.USER, 1, 2, False, False),
        (Role.USER, None, None, False, False),
        (Role.SUPPORT, 1, 2, True, False),
        (Role.SUPPORT, 1, 1, True, False),
    ],
)
def test_client_rules(
    make_user: Callable[..., User],
    role: str,
    agent_id: int | None,
    client_agent_id: int | None,
    see: bool,
    change: bool,
) -> None:
    person = make_user(role, chat_agent_id=agent_id)
    assert policy.may_see_client(person, client_agent_id=client_agent_id) is see
    assert policy.may_change_client(person, client_agent_id=client_agent_id) is change


def test_secrets_and_tokens_by_role(make_user: Callable[..., User]) -> None:
    admin, user, support = (make_user(r, chat_agent_id=i) for i, r in enumerate(Role.values, 1))
    assert [policy.may_see_secrets(p) for p in (admin, user, support)] == [True, True, False]
    assert [policy.has_tokens(p) for p in (admin, user, support)] == [True, True, False]
    # Only the creator revokes: an admin cannot revoke someone else's token.
    assert policy.may_revoke_token(admin, token_agent_id=admin.chat_agent_id)
    assert not policy.may_revoke_token(admin, token_agent_id=user.chat_agent_id)
    assert not policy.may_revoke_token(support, token_agent_id=support.chat_agent_id)


def test_admins_and_users_read_and_write_with_their_own_token(
    make_user: Callable[..., User], http_mock: responses.RequestsMock
) -> None:
    user = make_user(Role.USER, chat_agent_id=5)
    credential_store(
        user,
        agent_id=5,
        access_token="own-token",
        refresh_token="",
        expires_at=None,
        scopes="read write",
    )
    http_mock.get(
        ME,
        json=AGENT,
        match=[responses.matchers.header_matcher({"Authorization": "Bearer own-token"})],
    )
    assert chat_read(user, lambda api: api.agent_me()).id == 5
    assert chat_write(user, lambda api: api.agent_me()).id == 5


def test_support_reads_through_the_connection_and_never_writes(
    make_user: Callable[..., User], http_mock: responses.RequestsMock
) -> None:
    support = make_user(Role.SUPPORT)
    AccountConnection.objects.create(kind=ConnectionKind.OAUTH, access_token="service-token")
    http_mock.get(
        ME,
        json=AGENT,
        match=[responses.matchers.header_matcher({"Authorization": "Bearer service-token"})],
    )
    assert chat_read(support, lambda api: api.agent_me()).id == 5
    with pytest.raises(NoChatAccess, match="read-only"):
        chat_write(support, lambda api: api.agent_me())
    assert len(http_mock.calls) == 1


def test_support_without_a_connection_is_told_so(make_user: Callable[..., User]) -> None:
    with pytest.raises(NoChatAccess, match="No account connection"):
        chat_read(make_user(Role.SUPPORT), lambda api: api.agent_me())


def test_a_local_account_without_chat_identity_is_told_to_sign_in_with_chat(
    admin_user: User, http_mock: responses.RequestsMock
) -> None:
    with pytest.raises(NoChatAccess, match="Sign in with Zendesk Chat"):
        chat_read(admin_user, lambda api: api.agent_me())
    with pytest.raises(NoChatAccess, match="Sign in with Zendesk Chat"):
        chat_write(admin_user, lambda api: api.agent_me())
    assert len(http_mock.calls) == 0
