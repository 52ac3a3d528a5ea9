"""Chat API payloads shaped like the public docs (bare objects and arrays, no envelope).

Field sets follow https://developer.zendesk.com/api-reference/live-chat/chat-api/agents/ ,
.../oauth_clients and .../oauth_tokens (see chat-api.md sections 2, 3 and 6); each function
returns a fresh dict so a test can change it freely.
"""

from __future__ import annotations

from typing import Any

ACCESS_TOKEN = "zTk4mU7pQ2rVs9wXy1A3bC5dE7fG9hJ1kL3mN5pQ7rS9tU1vW3xY5zA7bC9dE1fG"
REFRESH_TOKEN = "rF8kL2mN4pQ6rS8tU0vW2xY4zA6bC8dE0fG2hJ4kL6mN8pQ0rS2tU4vW6xY8zA0"
CLIENT_SECRET = "sEc7Rt9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3vW5xY7zA9bC1dE3fG5hJ7"
CLIENT_IDENTIFIER = "Kx2bP9qLm4RtW7yZa1Cd3Ef5Gh7Ij9Kl1Mn3Op5Qr7St9Uv1Wx"


def agent(**changes: Any) -> dict[str, Any]:
    """An agent as GET /api/v2/chat/agents/{id} returns it (enabled as an integer)."""
    return {
        "id": 361234,
        "email": "jdoe@example.com",
        "display_name": "John D.",
        "first_name": "John",
        "last_name": "Doe",
        "enabled": 1,
        "role_id": 1,
        "roles": {"owner": False, "administrator": True},
        "departments": [1, 2],
        "enabled_departments": [1],
        "skills": [],
        "create_date": "2014-09-30T08:16:09Z",
        "last_login": "2014-10-09T05:28:31Z",
        "login_count": 12,
        **changes,
    }


def client(**changes: Any) -> dict[str, Any]:
    """An OAuth client as listed (no secret), with one redirect URI as a plain string."""
    return {
        "id": 7,
        "name": "Reporting dashboard",
        "company": "Acme",
        "agent_id": 361234,
        "client_identifier": CLIENT_IDENTIFIER,
        "client_type": "confidential",
        "redirect_uris": "https://app.example.com/cb",
        "scopes": "read write",
        "create_date": "2014-09-01T10:29:59Z",
        "update_date": "2014-09-11T18:36:29Z",
        **changes,
    }


def client_with_secret(**changes: Any) -> dict[str, Any]:
    """An OAuth client as create and generate return it: the secret in full, this once."""
    return client(client_secret=CLIENT_SECRET, **changes)


def token(**changes: Any) -> dict[str, Any]:
    """An OAuth token as the tokens list shows it (the docs example carries the full value)."""
    return {
        "id": 14,
        "access_token": ACCESS_TOKEN,
        "refresh_token": REFRESH_TOKEN,
        "agent_id": 361234,
        "client_identifier": "zopim",
        "create_date": "2014-09-09T07:49:20Z",
        "expire_date": "2014-09-09T17:49:20Z",
        "scopes": "read write chat",
        "token_type": "Bearer",
        **changes,
    }


def grant(**changes: Any) -> dict[str, Any]:
    """A token endpoint answer (RFC 6749 section 5.1)."""
    return {
        "access_token": ACCESS_TOKEN,
        "token_type": "Bearer",
        "scope": "read write",
        "refresh_token": REFRESH_TOKEN,
        "expires_in": 36000,
        **changes,
    }
