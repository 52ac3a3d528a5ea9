"""The Chat API's resources as chatadmin holds them: parsed at the boundary, typed, checked.

Agents, roles, OAuth clients, tokens and token grants, and the one input type that creates
or edits a client. A client's secret exists only in `IssuedSecret`, which only the create and
generate-secret answers produce: a list or show answer that carries `client_secret` (the
public docs' list example does) is read without it, so no page, cache or log can hold it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, NamedTuple, Self
from urllib.parse import urlsplit

from chatadmin.chat.parsing import Fields, bad
from chatadmin.vocabulary import CLIENT_TYPES, LOCAL_HOSTS, ClientType, ClientUse

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
    for known in CLIENT_TYPES:
        if client_type == known:
            return known
    raise ValueError(f"client_type must be one of {', '.join(CLIENT_TYPES)}, not {client_type!r}.")


def is_local_uri(uri: str) -> bool:
    """Whether a redirect URL points at the machine the person works on."""
    return urlsplit(uri).hostname in LOCAL_HOSTS


# UNCONFIRMED (chat-api.md section 6): the built-in role names are documented (Owner, Admin,
# Agent) but not their ids, so a role is an admin role by its name. The one place to change.
ADMIN_ROLE_NAMES = frozenset({"owner", "admin", "administrator"})


@dataclass(frozen=True)
class Role:
    """A Chat role, as `roles` and `roles/{id}` describe one."""

    id: int
    name: str
    enabled: bool

    @property
    def grants_admin(self) -> bool:
        """Owners and administrators administer the account."""
        return self.name.strip().casefold() in ADMIN_ROLE_NAMES

    @classmethod
    def from_json(cls, data: object) -> Role:
        """Parse one role object."""
        role = Fields(data, what="role")
        return cls(
            id=role.integer("id"),
            name=role.text("name"),
            enabled=role.flag("enabled", default=True),
        )


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
    # Whether the deprecated `roles` object was sent; without it only `role_id` tells the role.
    roles_sent: bool = True

    @property
    def is_admin(self) -> bool:
        """Owners and administrators administer the account, as the `roles` object says."""
        return self.is_owner or self.is_administrator

    @property
    def name(self) -> str:
        """How a person is named: display name, else first and last name, else email."""
        full = f"{self.first_name} {self.last_name}".strip()
        return self.display_name or full or self.email

    def with_role(self, role: Role) -> Agent:
        """The agent with its admin standing read from its role (when `roles` was not sent)."""
        return replace(self, is_administrator=role.grants_admin, roles_sent=True)

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
            roles_sent=roles is not None,
        )


@dataclass(frozen=True)
class ApiClient:
    """A Chat OAuth client as listed or shown: everything but its secret, which it never holds."""

    id: int
    name: str
    company: str
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]
    client_type: str
    client_identifier: str
    agent_id: int | None
    create_date: datetime | None
    update_date: datetime | None

    @property
    def is_internal(self) -> bool:
        """Every redirect URI points at this machine, so no outside integration depends on it."""
        return all(is_local_uri(uri) for uri in self.redirect_uris)

    @property
    def use(self) -> ClientUse:
        """`internal` (localhost-only redirect URLs) or `external` (an outside integration)."""
        return "internal" if self.is_internal else "external"

    @property
    def external_uris(self) -> tuple[str, ...]:
        """The redirect URLs off this machine: where an outside integration receives tokens."""
        return tuple(uri for uri in self.redirect_uris if not is_local_uri(uri))

    @property
    def label(self) -> str:
        """How a person recognises the client: its name (its id only if it has none)."""
        return self.name or f"client {self.client_identifier[:8]}…"

    @classmethod
    def from_json(cls, data: object) -> ApiClient:
        """Parse one client object; a `client_secret` in it is not read."""
        client = Fields(data, what="client")
        return cls(
            id=client.integer("id"),
            name=client.text("name"),
            company=client.text("company"),
            redirect_uris=client.uris("redirect_uris"),
            scopes=client.words("scopes"),
            client_type=client.text("client_type") or "public",
            client_identifier=client.required_text("client_identifier"),
            agent_id=client.optional_integer("agent_id"),
            create_date=client.date("create_date"),
            update_date=client.date("update_date"),
        )


@dataclass(frozen=True, repr=False)
class IssuedSecret:
    """A client with the secret that create or generate-secret just issued, to be shown once."""

    client: ApiClient
    secret: str

    def __repr__(self) -> str:
        return f"IssuedSecret(client={self.client!r}, secret={HIDDEN})"

    @classmethod
    def from_json(cls, data: object) -> IssuedSecret:
        """Parse a create or generate-secret answer, which must carry the full secret."""
        secret = Fields(data, what="client").text("client_secret")
        if not secret:
            raise bad("the client came back without its secret")
        return cls(ApiClient.from_json(data), secret)


CLIENT_FIELDS = ("name", "company", "redirect_uris", "scopes", "client_type")


@dataclass(frozen=True)
class ClientInput:
    """What a client should be: the body of a create, or of an edit's partial PUT."""

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

    @classmethod
    def of(cls, client: ApiClient) -> ClientInput:
        """The input that describes a client as it is now (to change a field or two of it)."""
        client_type = client.client_type if client.client_type in CLIENT_TYPES else "public"
        return cls(
            name=client.name or client.client_identifier,
            company=client.company,
            redirect_uris=client.redirect_uris,
            scopes=client.scopes,
            client_type=checked_client_type(client_type),
        )

    def but(self, **changes: object) -> Self:
        """The same input with some fields changed (and checked again)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def differences(self, client: ApiClient) -> tuple[str, ...]:
        """The fields whose wanted value differs from the client's (URI and scope order aside)."""
        changed = []
        if self.name != client.name:
            changed.append("name")
        if self.company != client.company:
            changed.append("company")
        if set(self.redirect_uris) != set(client.redirect_uris):
            changed.append("redirect_uris")
        if set(self.scopes) != set(client.scopes):
            changed.append("scopes")
        if self.client_type != client.client_type:
            changed.append("client_type")
        return tuple(changed)

    def to_json(self, only: Collection[str] = CLIENT_FIELDS) -> dict[str, str]:
        """The request body: a bare object, URIs and scopes each one space-separated string."""
        unknown = set(only) - set(CLIENT_FIELDS)
        if unknown or not only:
            raise ValueError(f"Send at least one of {', '.join(CLIENT_FIELDS)}.")
        body = {
            "name": self.name,
            "company": self.company,
            "redirect_uris": " ".join(self.redirect_uris),
            "scopes": " ".join(self.scopes),
            "client_type": self.client_type,
        }
        return {name: value for name, value in body.items() if name in only}


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


# A redirect URL whose host is this machine (the same answer as is_local_uri, without parsing
# the whole URL: a list of thousands of clients is read on every fresh look at it).
_LOCAL_URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*://(?:[^/?#@\s]*@)?(?:localhost|127\.0\.0\.1|\[::1\])(?::[0-9]*)?(?:[/?#]|$)",
    re.IGNORECASE,
)


class ClientRow(NamedTuple):
    """A listed client read lightly: enough to filter, sort, count and check who made it.

    Thousands come back from one list call; full ApiClient objects are built only for the rows
    a page shows (`client()`). Never holds a secret: `client_secret` is not read.
    """

    id: int
    name: str
    company: str
    redirect_uris: tuple[str, ...]
    scopes: str
    client_type: str
    client_identifier: str
    agent_id: int | None
    create_date: str
    update_date: str
    internal: bool

    @property
    def use(self) -> ClientUse:
        return "internal" if self.internal else "external"

    @property
    def label(self) -> str:
        return self.name or f"client {self.client_identifier[:8]}…"

    def client(self) -> ApiClient:
        """The full, checked client."""
        return ApiClient.from_json(
            {
                "id": self.id,
                "name": self.name,
                "company": self.company,
                "redirect_uris": list(self.redirect_uris),
                "scopes": self.scopes,
                "client_type": self.client_type,
                "client_identifier": self.client_identifier,
                "agent_id": self.agent_id,
                "create_date": self.create_date,
                "update_date": self.update_date,
            }
        )


def _text(item: dict[str, Any], name: str) -> str:
    value = item.get(name)
    if value is None:
        return ""
    if type(value) is not str:
        raise bad(f"client field {name!r} should be a string")
    return value


def client_rows(data: object) -> list[ClientRow]:
    """The clients of a list answer, read lightly and checked for the fields rows rely on."""
    if not isinstance(data, list):
        raise bad("expected a JSON array of clients")
    rows = []
    for item in data:
        if type(item) is not dict:
            raise bad("expected client to be a JSON object")
        client_id, agent_id = item.get("id"), item.get("agent_id")
        if type(client_id) is not int or (agent_id is not None and type(agent_id) is not int):
            raise bad("client fields 'id' and 'agent_id' should be integers")
        identifier = _text(item, "client_identifier")
        if not identifier:
            raise bad("client field 'client_identifier' should be a non-empty string")
        raw_uris = item.get("redirect_uris")
        if type(raw_uris) is str and "," not in raw_uris and "[" not in raw_uris:
            uris = tuple(dict.fromkeys(raw_uris.split()))
        else:
            uris = Fields(item, what="client").uris("redirect_uris")
        scopes = item.get("scopes")
        rows.append(
            ClientRow(
                client_id,
                _text(item, "name"),
                _text(item, "company"),
                uris,
                " ".join(scopes) if type(scopes) is list else _text(item, "scopes"),
                _text(item, "client_type") or "public",
                identifier,
                agent_id,
                _text(item, "create_date"),
                _text(item, "update_date"),
                all(_LOCAL_URI.match(uri) for uri in uris),
            )
        )
    return rows
