"""Access tokens as listed (a hint of the value only), and what the token endpoint grants."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from chatadmin.chat.parsing import Fields
from chatadmin.chat.resources.values import (
    masked_repr,
    token_hint,
)


@dataclass(frozen=True)
class Token:
    """A Chat OAuth access token as listed; only a short hint of its value is kept."""

    id: int
    access_token_hint: str
    agent_id: int | None
    client_identifier: str
    scopes: tuple[str, ...]
    create_date: datetime | None
    expire_date: datetime | None
    token_type: str

    @classmethod
    def from_json(cls, data: object) -> Token:
        """Parse one token object, dropping the token and refresh token values."""
        token = Fields(data, what="token")
        return cls(
            id=token.integer("id"),
            access_token_hint=token_hint(token.text("access_token")),
            agent_id=token.optional_integer("agent_id"),
            client_identifier=token.text("client_identifier"),
            scopes=token.words("scopes"),
            create_date=token.date("create_date"),
            expire_date=token.date("expire_date"),
            token_type=token.text("token_type") or "Bearer",
        )


@dataclass(frozen=True, repr=False)
class TokenGrant:
    """What the OAuth token endpoint hands out; the repr hides both tokens."""

    access_token: str
    token_type: str
    scopes: tuple[str, ...]
    refresh_token: str | None = field(default=None)
    expires_in: int | None = field(default=None)

    def __repr__(self) -> str:
        return masked_repr(self, ("access_token", "refresh_token"))

    @classmethod
    def from_json(cls, data: object) -> TokenGrant:
        """Parse a token endpoint answer (RFC 6749 section 5.1: `scope` is space-separated)."""
        grant = Fields(data, what="token grant")
        scopes = grant.words("scope") or grant.words("scopes")
        return cls(
            access_token=grant.required_text("access_token"),
            token_type=grant.text("token_type") or "Bearer",
            scopes=scopes,
            refresh_token=grant.optional_text("refresh_token") or None,
            expires_in=grant.optional_integer("expires_in"),
        )
