"""People for the clients pages' tests: each with a Chat identity and a stored token."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from chatadmin.accounts.credentials import credential_store
from chatadmin.accounts.models import AccountConnection, ConnectionKind, User
from chatadmin.accounts.roles import Role
from tests.clients.payloads import (
    ADMIN_AGENT_ID,
    ADMIN_TOKEN,
    AGENT_ID,
    AGENT_TOKEN,
    SERVICE_TOKEN,
)


def _with_chat_token(user: User, agent_id: int, token: str) -> User:
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
def chat_admin(make_user: Callable[..., User]) -> User:
    user = make_user(Role.ADMIN, email="owner@example.com", chat_agent_id=ADMIN_AGENT_ID)
    return _with_chat_token(user, ADMIN_AGENT_ID, ADMIN_TOKEN)


@pytest.fixture
def chat_agent(make_user: Callable[..., User]) -> User:
    user = make_user(Role.USER, email="agent1@example.com", chat_agent_id=AGENT_ID)
    return _with_chat_token(user, AGENT_ID, AGENT_TOKEN)


@pytest.fixture
def support(make_user: Callable[..., User]) -> User:
    """Support staff, reading through the account connection."""
    AccountConnection.objects.create(kind=ConnectionKind.OAUTH, access_token=SERVICE_TOKEN)
    return make_user(Role.SUPPORT, email="helper@example.com")


@pytest.fixture
def as_admin(client: Client, chat_admin: User) -> Client:
    client.force_login(chat_admin)
    return client


@pytest.fixture
def as_agent(client: Client, chat_agent: User) -> Client:
    client.force_login(chat_agent)
    return client


@pytest.fixture
def as_support(client: Client, support: User) -> Client:
    client.force_login(support)
    return client
