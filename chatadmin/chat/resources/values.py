"""Small readings and writings of the API's values: hints, masks, space-separated lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from urllib.parse import urlsplit

from chatadmin.vocabulary import CLIENT_TYPES, LOCAL_HOSTS, ClientType

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
