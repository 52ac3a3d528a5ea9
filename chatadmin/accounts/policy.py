"""Who may see and do what. Every service and selector asks here; nothing else decides.

The rules come from ../shared/DESIGN.md ("Who uses it").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chatadmin.accounts.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    Person = AbstractBaseUser | AnonymousUser


def _role(person: Person) -> str | None:
    """The role of a signed-in, active person; None for anyone else."""
    if not person.is_authenticated or not person.is_active:
        return None
    return getattr(person, "role", None)


def is_admin(person: Person) -> bool:
    return _role(person) == Role.ADMIN


def is_support(person: Person) -> bool:
    return _role(person) == Role.SUPPORT


def can_manage_people(person: Person) -> bool:
    """Invite people and grant roles: admins only."""
    return is_admin(person)


def can_manage_connection(person: Person) -> bool:
    """Save and check the account connection used for support staff's read-only views."""
    return is_admin(person)


def sees_all_audit_events(person: Person) -> bool:
    """Admins and support see every event; users see the events they caused."""
    return _role(person) in {Role.ADMIN, Role.SUPPORT}


def can_view_audit_log(person: Person) -> bool:
    return _role(person) is not None


def is_read_only(person: Person) -> bool:
    """Support staff never change anything."""
    return is_support(person)


def role_after_chat_sign_in(current_role: str | None, *, chat_admin: bool) -> Role:
    """The role someone has after signing in with Zendesk Chat.

    Chat admin status (owner or administrator) always wins; a support grant given locally by an
    admin survives sign-in; everyone else is an ordinary user.
    """
    if chat_admin:
        return Role.ADMIN
    if current_role == Role.SUPPORT:
        return Role.SUPPORT
    return Role.USER
