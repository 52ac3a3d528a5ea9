"""Listed clients read lightly: thousands per list call, full objects only for what is shown."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from chatadmin.chat.parsing import Fields, bad
from chatadmin.chat.resources.clients import ApiClient
from chatadmin.vocabulary import ClientUse

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


def _uris(item: dict[str, Any], raw: object) -> tuple[tuple[str, ...], bool]:
    """A client's redirect URLs, and whether every one is on this machine."""
    if type(raw) is str and "," not in raw and "[" not in raw:
        uris = tuple(dict.fromkeys(raw.split()))
    else:
        uris = Fields(item, what="client").uris("redirect_uris")
    return uris, all(_LOCAL_URI.match(uri) for uri in uris)


def client_rows(data: object) -> list[ClientRow]:
    """The clients of a list answer, read lightly and checked for the fields rows rely on.

    Thousands come with every look at a fresh list, so the loop is kept tight: a field that is
    a string, as nearly all are, is taken as it is; anything else goes through `_text`, which
    reads null as "" and refuses the rest. Clients sharing the same redirect URLs (often) have
    them read once.
    """
    if not isinstance(data, list):
        raise bad("expected a JSON array of clients")
    rows: list[ClientRow] = []
    append = rows.append
    make = tuple.__new__
    uris_read: dict[str, tuple[tuple[str, ...], bool]] = {}
    for item in data:
        if type(item) is not dict:
            raise bad("expected client to be a JSON object")
        get = item.get
        client_id, agent_id = get("id"), get("agent_id")
        if type(client_id) is not int or (agent_id is not None and type(agent_id) is not int):
            raise bad("client fields 'id' and 'agent_id' should be integers")
        identifier = get("client_identifier")
        if type(identifier) is not str:
            identifier = _text(item, "client_identifier")
        if not identifier:
            raise bad("client field 'client_identifier' should be a non-empty string")
        name = get("name", "")
        if type(name) is not str:
            name = _text(item, "name")
        company = get("company", "")
        if type(company) is not str:
            company = _text(item, "company")
        client_type = get("client_type", "")
        if type(client_type) is not str:
            client_type = _text(item, "client_type")
        created = get("create_date", "")
        if type(created) is not str:
            created = _text(item, "create_date")
        updated = get("update_date", "")
        if type(updated) is not str:
            updated = _text(item, "update_date")
        scopes = get("scopes", "")
        if type(scopes) is list:
            scopes = " ".join(scopes)
        elif type(scopes) is not str:
            scopes = _text(item, "scopes")
        raw_uris = get("redirect_uris")
        if type(raw_uris) is str:
            known = uris_read.get(raw_uris)
            if known is None:
                known = uris_read[raw_uris] = _uris(item, raw_uris)
        else:
            known = _uris(item, raw_uris)
        uris, internal = known
        append(
            make(
                ClientRow,
                (
                    client_id,
                    name,
                    company,
                    uris,
                    scopes,
                    client_type or "public",
                    identifier,
                    agent_id,
                    created,
                    updated,
                    internal,
                ),
            )
        )
    return rows
