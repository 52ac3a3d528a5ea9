"""Chat API answers for the token pages' unit tests, shaped like the public docs (chat-api.md 3).

Generic shapes come from tests.chat.payloads and tests.fixtures.chat_payloads; these add tokens
with dates relative to now, so statuses (active, expiring, expired) are what a test says.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.chat import payloads as chat_payloads
from tests.fixtures.chat_payloads import (
    ADMIN_AGENT_ID,
    ADMIN_TOKEN,
    AGENT_ID,
    AGENT_TOKEN,
    API,
    OTHER_AGENT_ID,
    client_json,
)

# The people of tests/clients/conftest.py sign in to chatadmin with ADMIN_TOKEN / AGENT_TOKEN
# (stored encrypted): they must never be listed in full.
__all__ = [
    "ADMIN_AGENT_ID",
    "ADMIN_TOKEN",
    "AGENT_ID",
    "AGENT_TOKEN",
    "OTHER_AGENT_ID",
    "client_json",
]

TOKENS = f"{API}/oauth/tokens"
CLIENTS = f"{API}/oauth/clients"
ME = f"{API}/agents/me"
TOKEN_ENDPOINT = "http://127.0.0.1:8001/oauth2/chat/token"
AUTHORIZE = "http://127.0.0.1:8001/oauth2/chat/authorizations/new"
LANDING = "http://testserver/tokens/new/landing/"
# Minted by the wizard in tests: each may appear only on its one-time reveal.
MINTED_ACCESS = chat_payloads.ACCESS_TOKEN
MINTED_REFRESH = chat_payloads.REFRESH_TOKEN
CLIENT_SECRET = chat_payloads.CLIENT_SECRET
SIGN_IN_CLIENT = "chatadmin-dashboard"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def token_json(
    token_id: int,
    *,
    client_identifier: str = "identifier-7-abcdefghijklmnopqrstuvwxyz0123",
    agent_id: int = AGENT_ID,
    created_hours_ago: float = 2,
    expires_in_hours: float = 48,
    scopes: str = "read write",
    access_token: str | None = None,
) -> dict[str, Any]:
    """One of the caller's tokens; the value is a full 64 characters, as the docs example shows."""
    now = datetime.now(UTC)
    return chat_payloads.token(
        id=token_id,
        access_token=access_token or f"tok{token_id:03d}" + "x" * 58,
        agent_id=agent_id,
        client_identifier=client_identifier,
        scopes=scopes,
        create_date=iso(now - timedelta(hours=created_hours_ago)),
        expire_date=iso(now + timedelta(hours=expires_in_hours)),
    )


def grant_json(**changes: Any) -> dict[str, Any]:
    return chat_payloads.grant(**changes)


def agent_json(agent_id: int = AGENT_ID, email: str = "agent1@example.com") -> dict[str, Any]:
    return chat_payloads.agent(
        id=agent_id, email=email, roles={"owner": False, "administrator": False}
    )
