"""The Chat API's JSON objects, built from the sandbox's rows (field names: chat-api.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

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


def client_row_shape(row: tuple[Any, ...]) -> dict[str, Any]:
    """A client from a `values_list(*CLIENT_FIELDS)` row: the list's fast path."""
    shape = dict(zip(CLIENT_FIELDS, row, strict=True))
    shape["create_date"] = iso_date(shape["create_date"])
    shape["update_date"] = iso_date(shape["update_date"])
    return shape


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
