"""The Chat API's JSON objects, built from the sandbox's rows (field names: chat-api.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from chatadmin.sandbox.models import AccessToken, Agent, OAuthClient, Role, RoleKind

DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # e.g. "2014-09-01T10:29:59Z" in the Chat docs

CLIENT_FIELDS = (
    "id",
    "name",
    "company",
    "redirect_uris",
    "scopes",
    "client_type",
    "client_identifier",
    "agent_id",
    "create_date",
    "update_date",
)


def iso_date(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime(DATE_FORMAT) if value is not None else None


def agent_shape(agent: Agent) -> dict[str, Any]:
    role = agent.role
    return {
        "id": agent.id,
        "email": agent.email,
        "display_name": agent.display_name,
        "first_name": agent.first_name,
        "last_name": agent.last_name,
        "enabled": int(agent.is_active),  # an integer in the Chat docs
        "role_id": role.id,
        # Deprecated upstream but still sent; owners have administrator rights too.
        "roles": {
            "owner": role.kind == RoleKind.OWNER,
            "administrator": role.kind in (RoleKind.OWNER, RoleKind.ADMINISTRATOR),
        },
        "departments": list(agent.departments),
        "enabled_departments": list(agent.enabled_departments),
        "skills": list(agent.skills),
        "create_date": iso_date(agent.create_date),
        "last_login": iso_date(agent.last_login),
        "login_count": agent.login_count,
    }


def role_shape(role: Role, members_count: int) -> dict[str, Any]:
    return {
        "id": role.id,
        "name": role.name,
        "description": role.description,
        "enabled": role.enabled,
        "members_count": members_count,
        "permissions": dict(role.permissions),
    }


def client_shape(client: OAuthClient, *, secret: str | None = None) -> dict[str, Any]:
    """A client; the full secret only when just created or regenerated."""
    shape = {
        "id": client.id,
        "name": client.name,
        "company": client.company,
        "redirect_uris": client.redirect_uris,
        "scopes": client.scopes,
        "client_type": client.client_type,
        "client_identifier": client.client_identifier,
        "agent_id": client.agent_id,
        "create_date": iso_date(client.create_date),
        "update_date": iso_date(client.update_date),
    }
    if secret is not None:
        shape["client_secret"] = secret
    return shape


def _db_date(value: Any) -> Any:
    """A date as a database cursor gives it, as the API writes it (DATE_FORMAT, UTC).

    SQLite gives Django's stored text, UTC "YYYY-MM-DD HH:MM:SS[.ffffff]"; other backends a
    datetime, which orjson writes the same way (OPT_UTC_Z, no microseconds).
    """
    if isinstance(value, str):
        return f"{value[:10]}T{value[11:19]}Z"
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value


_LIST_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_OMIT_MICROSECONDS | orjson.OPT_NAIVE_UTC
_CREATE, _UPDATE = CLIENT_FIELDS.index("create_date"), CLIENT_FIELDS.index("update_date")


def client_rows_json(rows: list[tuple[Any, ...]]) -> bytes:
    """The list's fast path: cursor rows of `CLIENT_FIELDS`, straight into a JSON array."""
    shapes = []
    for row in rows:
        shape = dict(zip(CLIENT_FIELDS, row, strict=True))
        shape["create_date"] = _db_date(row[_CREATE])
        shape["update_date"] = _db_date(row[_UPDATE])
        shapes.append(shape)
    return orjson.dumps(shapes, option=_LIST_OPTIONS)


def token_shape(token: AccessToken) -> dict[str, Any]:
    """A token with its values masked: only the owner ever saw them in full, once."""
    refresh = getattr(token, "refresh", None)
    return {
        "id": token.id,
        "access_token": token.token_prefix,
        "refresh_token": refresh.token_prefix if refresh is not None else None,
        "agent_id": token.agent_id,
        "client_identifier": token.client.client_identifier,
        "create_date": iso_date(token.create_date),
        "expire_date": iso_date(token.expire_date),
        "scopes": token.scopes,
        "token_type": "Bearer",
    }
