"""Typed results of the Chat API, parsed at the boundary, and the input for creating a client."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Literal, get_args
from urllib.parse import urlsplit

from chatadmin.chat.parsing import Fields

ClientType = Literal["public", "confidential"]
CLIENT_TYPES: tuple[str, ...] = get_args(ClientType)
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
HIDDEN = "<hidden>"
HINT_LENGTH = 8


def masked_repr(instance: object, secrets: Sequence[str]) -> str:
    """A dataclass repr with the named fields replaced by a marker (or None when unset)."""
    parts = []
    for item in fields(instance):  # type: ignore[arg-type]
        value = getattr(instance, item.name)
        shown = HIDDEN if item.name in secrets and value is not None else repr(value)
        parts.append(f"{item.name}={shown}")
    return f"{type(instance).__name__}({', '.join(parts)})"


def token_hint(value: str) -> str:
    """At most the first eight characters of a token and an ellipsis, never the whole value."""
    text = value.strip()
    visible = text.rstrip("…*•. ")
    if not visible:
        return ""
    if len(visible) < len(text) or len(visible) >= 2 * HINT_LENGTH:
        # Masked already by the API (a prefix and an ellipsis), or long enough to cut safely.
        return visible[:HINT_LENGTH] + "…"
    # A short full value: show no more than half of it.
    return visible[: len(visible) // 2] + "…"


def spaced_items(values: str | Sequence[str], *, what: str) -> tuple[str, ...]:
    """Items the API packs into one space-separated string, as a tuple without repeats."""
    items = values.split() if isinstance(values, str) else list(values)
    for item in items:
        if not item or any(character.isspace() for character in item):
            raise ValueError(f"{what} cannot be empty or contain spaces: {item!r}.")
    return tuple(dict.fromkeys(items))


def scope_list(scopes: str | Sequence[str]) -> tuple[str, ...]:
    """Scopes as a tuple (sent as one space-separated string)."""
    return spaced_items(scopes, what="A scope")


def uri_list(uris: str | Sequence[str]) -> tuple[str, ...]:
    """Redirect URIs as a tuple (sent as one space-separated string)."""
    return spaced_items(uris, what="A redirect URI")


def checked_client_type(client_type: str) -> ClientType:
    """`public` or `confidential`, or a ValueError."""
    if client_type == "public":
        return "public"
    if client_type == "confidential":
        return "confidential"
    raise ValueError(f"client_type must be one of {', '.join(CLIENT_TYPES)}, not {client_type!r}.")


@dataclass(frozen=True)
class Agent:
    """A Chat agent, as `agents/me`, `agents` and `agents/{id}` describe one."""

    id: int
    email: str
    display_name: str
    first_name: str
    last_name: str
    enabled: bool
    role_id: int | None
    is_owner: bool
    is_administrator: bool
    create_date: datetime | None

    @property
    def is_admin(self) -> bool:
        """Owners and administrators administer the account (chat-api.md section 6)."""
        return self.is_owner or self.is_administrator

    @classmethod
    def from_json(cls, data: object) -> Agent:
        """Parse one agent object."""
        agent = Fields(data, what="agent")
        # `roles` is deprecated but still sent: {"owner": bool, "administrator": bool}.
        roles = agent.nested("roles")
        return cls(
            id=agent.integer("id"),
            email=agent.required_text("email"),
            display_name=agent.text("display_name"),
            first_name=agent.text("first_name"),
            last_name=agent.text("last_name"),
            enabled=agent.flag("enabled", default=True),
            role_id=agent.optional_integer("role_id"),
            is_owner=roles.flag("owner") if roles else False,
            is_administrator=roles.flag("administrator") if roles else False,
            create_date=agent.date("create_date"),
        )


@dataclass(frozen=True, repr=False)
class ApiClient:
    """A Chat OAuth client; `client_secret` is set only right after create or generate."""

    id: int
    name: str
    company: str
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]
    client_type: str
    client_identifier: str
    client_secret: str | None
    agent_id: int | None
    create_date: datetime | None
    update_date: datetime | None

    def __repr__(self) -> str:
        return masked_repr(self, ("client_secret",))

    @property
    def is_internal(self) -> bool:
        """Every redirect URI points at this machine, so no outside integration depends on it."""
        return all(urlsplit(uri).hostname in LOCAL_HOSTS for uri in self.redirect_uris)

    @classmethod
    def from_json(cls, data: object) -> ApiClient:
        """Parse one client object."""
        client = Fields(data, what="client")
        return cls(
            id=client.integer("id"),
            name=client.text("name"),
            company=client.text("company"),
            redirect_uris=client.uris("redirect_uris"),
            scopes=client.words("scopes"),
            client_type=client.text("client_type") or "public",
            client_identifier=client.required_text("client_identifier"),
            client_secret=client.optional_text("client_secret") or None,
            agent_id=client.optional_integer("agent_id"),
            create_date=client.date("create_date"),
            update_date=client.date("update_date"),
        )


@dataclass(frozen=True)
class ClientInput:
    """What it takes to create a client."""

    name: str
    redirect_uris: Sequence[str]
    scopes: Sequence[str]
    company: str = ""
    client_type: ClientType = "public"

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("A client needs a name.")
        object.__setattr__(self, "redirect_uris", uri_list(self.redirect_uris))
        object.__setattr__(self, "scopes", scope_list(self.scopes))
        checked_client_type(self.client_type)

    def to_json(self) -> dict[str, str]:
        """The request body: bare object, URIs and scopes each one space-separated string."""
        return {
            "name": self.name,
            "company": self.company,
            "redirect_uris": " ".join(self.redirect_uris),
            "scopes": " ".join(self.scopes),
            "client_type": self.client_type,
        }


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
