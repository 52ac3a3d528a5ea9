"""OAuth clients: as shown (never a secret), as just issued (a secret, once), and as wanted."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Self

from chatadmin.chat.parsing import Fields, bad
from chatadmin.chat.resources.values import (
    HIDDEN,
    checked_client_type,
    is_local_uri,
    scope_list,
    uri_list,
)
from chatadmin.vocabulary import CLIENT_TYPES, ClientType, ClientUse


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
