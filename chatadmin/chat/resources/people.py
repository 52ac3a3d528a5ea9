"""Agents and their roles, as agents/me, agents and roles/{id} describe them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from chatadmin.chat.parsing import Fields

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
