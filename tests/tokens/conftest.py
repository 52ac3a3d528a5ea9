"""People for the token pages' tests: each with a Chat identity and a stored sign-in token."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from chatadmin.accounts.credentials import credential_store
from chatadmin.accounts.models import AccountConnection, ConnectionKind, User
from chatadmin.accounts.roles import Role
from tests.tokens.payloads import ADMIN_AGENT_ID, ADMIN_TOKEN, AGENT_ID, AGENT_TOKEN


def _signed_in_with_chat(user: User, agent_id: int, token: str) -> User:
    credential_store(
        user,
        agent_id=agent_id,
        access_token=token,
        refresh_token="",
        expires_at=None,
        scopes="read write chat",
    )
    return user


@pytest.fixture
def agent(make_user: Callable[..., User]) -> User:
    """An ordinary Chat agent (role user), agent #3."""
    user = make_user(Role.USER, email="agent1@example.com", chat_agent_id=AGENT_ID)
    return _signed_in_with_chat(user, AGENT_ID, AGENT_TOKEN)


@pytest.fixture
def chat_admin(make_user: Callable[..., User]) -> User:
    """A Chat administrator (role admin), agent #1."""
    user = make_user(Role.ADMIN, email="owner@example.com", chat_agent_id=ADMIN_AGENT_ID)
    return _signed_in_with_chat(user, ADMIN_AGENT_ID, ADMIN_TOKEN)


@pytest.fixture
def support(make_user: Callable[..., User]) -> User:
    """Support staff; the account connection exists, so a call through it would be possible."""
    AccountConnection.objects.create(kind=ConnectionKind.OAUTH, access_token="connection-token")
    return make_user(Role.SUPPORT, email="helper@example.com")


@pytest.fixture
def as_agent(client: Client, agent: User) -> Client:
    client.force_login(agent)
    return client


@pytest.fixture
def as_admin(client: Client, chat_admin: User) -> Client:
    client.force_login(chat_admin)
    return client


@pytest.fixture
def as_support(client: Client, support: User) -> Client:
    client.force_login(support)
    return client
