"""The sandbox's own data: one Chat account, its agents, OAuth clients, codes and tokens."""

from chatadmin.sandbox.models.account import Account, AccountType
from chatadmin.sandbox.models.agents import Agent, Role, RoleKind
from chatadmin.sandbox.models.oauth import (
    AccessToken,
    ClientType,
    Grant,
    OAuthClient,
    RefreshToken,
)

__all__ = [
    "AccessToken",
    "Account",
    "AccountType",
    "Agent",
    "ClientType",
    "Grant",
    "OAuthClient",
    "RefreshToken",
    "Role",
    "RoleKind",
]
