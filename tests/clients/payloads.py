"""Chat API answers for the clients pages' tests, shaped like the public docs (chat-api.md 2)."""

from __future__ import annotations

from typing import Any

API = "http://127.0.0.1:8001/api/v2/chat"
CLIENTS = f"{API}/oauth/clients"
TOKENS = f"{API}/oauth/tokens"

ADMIN_TOKEN = "admin-own-token"
AGENT_TOKEN = "agent-own-token"
SERVICE_TOKEN = "connection-token"
ADMIN_AGENT_ID = 1
AGENT_ID = 3
OTHER_AGENT_ID = 4
# What create and generate_secret hand out, once: a test fails if it shows up anywhere else.
SECRET = "S3cr3t-only-shown-once-0123456789abcdefABCDEF"
NEW_SECRET = "N3w-s3cr3t-after-regenerate-9876543210zyxwvu"
EXTERNAL_URI = "https://app.example.com/oauth/callback"
LOCAL_URI = "http://localhost:8080/callback"


def client_json(
    client_id: int = 7,
    *,
    name: str = "CRM bridge",
    company: str = "Example Ltd",
    agent_id: int = AGENT_ID,
    redirect_uris: str = EXTERNAL_URI,
    scopes: str = "read write",
    client_type: str = "confidential",
    secret: str | None = None,
) -> dict[str, Any]:
    """One client object; `client_secret` only when given (create and generate send it)."""
    body: dict[str, Any] = {
        "id": client_id,
        "name": name,
        "company": company,
        "redirect_uris": redirect_uris,
        "scopes": scopes,
        "client_type": client_type,
        "client_identifier": f"identifier-{client_id}-abcdefghijklmnopqrstuvwxyz0123",
        "agent_id": agent_id,
        "create_date": "2024-05-01T09:00:00Z",
        "update_date": "2024-05-02T10:30:00Z",
    }
    if secret is not None:
        body["client_secret"] = secret
    return body


def token_json(
    token_id: int, *, client_identifier: str, agent_id: int = AGENT_ID, expired: bool = False
) -> dict[str, Any]:
    """One token object as the tokens list sends it (the caller's own)."""
    return {
        "id": token_id,
        "access_token": f"tok{token_id}abcdefghijklmnopqrstuvwxyz",
        "agent_id": agent_id,
        "client_identifier": client_identifier,
        "scopes": "read write",
        "create_date": "2024-05-01T09:00:00Z",
        "expire_date": "2001-01-01T00:00:00Z" if expired else "2999-01-01T00:00:00Z",
        "token_type": "Bearer",
    }


def refusal(status: int, error: str, description: str = "", **details: list[str]) -> dict[str, Any]:
    """An error body like the Chat API's (`details` as the sandbox sends them on 422)."""
    body: dict[str, Any] = {"error": error, "description": description}
    if details:
        body["details"] = details
    return body
