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


def can_use_local_password(person: object) -> bool:
    """A Chat agent signs in through Chat only (so Chat's disabling reaches them); others locally.

    DESIGN.md "Identity and credentials": an account linked to a Chat agent has no local password.
    """
    return getattr(person, "chat_agent_id", None) is None


def has_chat_identity(person: object) -> bool:
    """Whether the account is linked to a Chat agent (so chatadmin can act in Chat as them)."""
    return getattr(person, "chat_agent_id", None) is not None


def needs_chat_identity(person: Person) -> bool:
    """An admin or user whose local account has no Chat identity: they act in Chat once linked."""
    return _role(person) in {Role.ADMIN, Role.USER} and not has_chat_identity(person)


def may_link_chat_identity(person: Person) -> bool:
    """Link a Chat identity to a local account: admins and users without one (never support).

    Support staff read through the account connection and need no identity of their own.
    """
    return needs_chat_identity(person)


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


# --- API clients and tokens (DESIGN.md "Who uses it") --------------------------------------


def can_view_clients(person: Person) -> bool:
    """Everyone signed in sees clients: admins all, users their own, support all read-only."""
    return _role(person) is not None


def sees_all_clients(person: Person) -> bool:
    """Admins and support see every active client; users only the clients they created."""
    return _role(person) in {Role.ADMIN, Role.SUPPORT}


def can_change_clients(person: Person) -> bool:
    """Create, edit, regenerate and delete: admins (any client) and users (their own).

    Changes are made in Chat as the person, so a local account without a Chat identity
    changes nothing until it is linked (`needs_chat_identity` tells that case apart).
    """
    return _role(person) in {Role.ADMIN, Role.USER} and has_chat_identity(person)


def may_change_client(person: Person, *, client_agent_id: int | None) -> bool:
    """Whether this person may change this particular client."""
    if is_admin(person):
        return has_chat_identity(person)
    if _role(person) != Role.USER:
        return False
    agent_id = getattr(person, "chat_agent_id", None)
    return agent_id is not None and agent_id == client_agent_id


def may_see_client(person: Person, *, client_agent_id: int | None) -> bool:
    """Whether this person may see this particular client (never its secret after the reveal)."""
    if sees_all_clients(person):
        return True
    return may_change_client(person, client_agent_id=client_agent_id)


def clients_visible(person: Person) -> tuple[bool, int | None]:
    """Decided once per request: (sees every client, else the agent whose clients they see).

    The same rule as may_see_client, for filtering thousands of clients without asking per
    client: (True, None) for admins and support; (False, agent id) for users, whose agent id
    may be None (then they see none).
    """
    if sees_all_clients(person):
        return True, None
    if _role(person) != Role.USER:
        return False, None
    return False, getattr(person, "chat_agent_id", None)


def may_see_secrets(person: Person) -> bool:
    """The one-time reveal after create or regenerate; support staff never see a secret."""
    return can_change_clients(person)


def has_tokens(person: Person) -> bool:
    """Admins and users list and revoke their own tokens; support staff have none."""
    return _role(person) in {Role.ADMIN, Role.USER}


def may_revoke_token(person: Person, *, token_agent_id: int | None) -> bool:
    """Only the agent who created a token revokes it; admins cannot revoke other people's."""
    agent_id = getattr(person, "chat_agent_id", None)
    return has_tokens(person) and agent_id is not None and agent_id == token_agent_id


def can_mint_tokens(person: Person) -> bool:
    """The token wizard mints as the person: admins and users with a Chat identity."""
    return has_tokens(person) and has_chat_identity(person)


def reads_through_connection(person: Person) -> bool:
    """Support staff read through the account connection, never with a token of their own."""
    return is_support(person)


def may_see_token(person: Person, *, token_agent_id: int | None) -> bool:
    """Tokens are listed to the agent they belong to, and to nobody else (admins included)."""
    return may_revoke_token(person, token_agent_id=token_agent_id)


def may_mint_token(person: Person, *, client_agent_id: int | None) -> bool:
    """The token wizard mints a token for a client this person may change (their own tokens)."""
    return has_tokens(person) and may_change_client(person, client_agent_id=client_agent_id)
