"""Listed clients read lightly: thousands per list call, full objects only for what is shown."""

from __future__ import annotations

import re

import msgspec

from chatadmin.chat.parsing import bad, uris_of
from chatadmin.chat.resources.clients import ApiClient
from chatadmin.vocabulary import ClientUse

# A redirect URL whose host is this machine (the same answer as is_local_uri, without parsing
# the whole URL: a list of thousands of clients is read on every fresh look at it).
_LOCAL_URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*://(?:[^/?#@\s]*@)?(?:localhost|127\.0\.0\.1|\[::1\])(?::[0-9]*)?(?:[/?#]|$)",
    re.IGNORECASE,
)


class ClientRow(msgspec.Struct, frozen=True, gc=False, array_like=True):
    """A listed client read lightly: enough to filter, sort, count and check who made it.

    Thousands come back from one list call; full ApiClient objects are built only for the rows
    a page shows (`client()`). Never holds a secret: `client_secret` is not read.

    Not tracked by the garbage collector (it holds no container that could make a cycle): the
    10,000 rows of a snapshot live for its whole life, and as tracked objects (a named tuple is
    never untracked) each fresh list made Python's full collections more frequent and slower.
    Stored in the cache as MessagePack arrays (`array_like`).
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


class _Listed(msgspec.Struct, gc=False):
    """One client of a list answer as sent, with only the fields rows use.

    Any other field (the docs' list carries every client's full `client_secret`) is skipped by
    the decoder unread: it never becomes a Python string. Not tracked by the garbage collector
    (no cycles): ten thousand of them cost no collection.
    """

    id: int
    client_identifier: str | None = None
    agent_id: int | None = None
    name: str | None = None
    company: str | None = None
    client_type: str | None = None
    create_date: str | None = None
    update_date: str | None = None
    scopes: str | list[str] | None = None
    redirect_uris: str | list[str] | None = None


_LIST = msgspec.json.Decoder(list[_Listed])


def _uris(raw: str | list[str] | None) -> tuple[tuple[str, ...], bool]:
    """A client's redirect URLs, and whether every one is on this machine."""
    if type(raw) is str and "," not in raw and "[" not in raw:
        uris = tuple(dict.fromkeys(raw.split()))
    else:
        uris = uris_of(raw)
    return uris, all(_LOCAL_URI.match(uri) for uri in uris)


def client_rows(body: bytes) -> list[ClientRow]:
    """The clients of a list answer (its raw JSON), read lightly and checked.

    The decoder checks every field's type as it reads (an integer id, a string or null for
    text, a string or array of strings for scopes and redirect URLs) and builds only the fields
    rows use; this loop then reads null as "" and splits redirect URLs, read once for clients
    sharing the same ones (often). Thousands come with every fresh look at the list.

    Raises ValueError when the body is not JSON, ChatBadResponse when it is JSON of another
    shape (naming the field, never its value).
    """
    try:
        listed = _LIST.decode(body)
    except msgspec.ValidationError as error:
        # The typed decoder stops at the first thing of the wrong type, even in a body cut
        # short: if it is not JSON at all, say that (the untyped read raises ValueError).
        msgspec.json.decode(body)
        raise bad(f"the client list does not have the expected shape ({error})") from None
    rows: list[ClientRow] = []
    append = rows.append
    uris_read: dict[str, tuple[tuple[str, ...], bool]] = {}
    for item in listed:
        identifier = item.client_identifier
        if not identifier:
            raise bad("client field 'client_identifier' should be a non-empty string")
        raw_uris = item.redirect_uris
        if type(raw_uris) is str:
            known = uris_read.get(raw_uris)
            if known is None:
                known = uris_read[raw_uris] = _uris(raw_uris)
        else:
            known = _uris(raw_uris)
        scopes = item.scopes
        if isinstance(scopes, list):
            scopes = " ".join(scopes)
        append(
            ClientRow(
                item.id,
                item.name or "",
                item.company or "",
                known[0],
                scopes or "",
                item.client_type or "public",
                identifier,
                item.agent_id,
                item.create_date or "",
                item.update_date or "",
                known[1],
            )
        )
    return rows
