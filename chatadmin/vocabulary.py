"""The words of the Chat API that chatadmin uses everywhere, defined once.

Scopes, client types, account types, host styles and the hosts that count as "this
machine". Settings, the Chat client, forms, selectors and the sandbox all read them from
here (chat-api.md sections 1, 2.1, 4 and 5 are the sources). A plain module with no
imports from Django or the rest of chatadmin, so settings can read it too.
"""

from __future__ import annotations

from typing import Literal, get_args

# --- Scopes (chat-api.md 2.1: "read write" in the docs; 4.3: `chat` for the Conversations API)
Scope = Literal["read", "write", "chat"]
SCOPES: tuple[Scope, ...] = get_args(Scope)
SCOPE_DESCRIPTIONS: dict[Scope, str] = {
    "read": "look at chats, agents, clients and tokens",
    "write": "change them",
    "chat": "the Conversations API (together with read and write)",
}
# What chatadmin's own sign-in asks for: everything it manages, as the person.
SIGN_IN_SCOPES: tuple[Scope, ...] = ("read", "write", "chat")
# The account connection only ever reads (support staff's views).
CONNECTION_SCOPES: tuple[Scope, ...] = ("read",)

# --- Client types (chat-api.md 2.1: "public" is the default) -------------------------------
ClientType = Literal["public", "confidential"]
CLIENT_TYPES: tuple[ClientType, ...] = get_args(ClientType)
CLIENT_TYPE_DESCRIPTIONS: dict[ClientType, str] = {
    "public": "Public: runs where a secret cannot be kept (a browser or a desktop app)",
    "confidential": "Confidential: runs on a server that keeps the secret",
}
CLIENT_TYPE_LABELS: dict[ClientType, str] = {"public": "Public", "confidential": "Confidential"}

# --- Client uses (DESIGN.md: localhost-only redirect URLs mean "internal use") -------------
ClientUse = Literal["external", "internal"]
CLIENT_USES: tuple[ClientUse, ...] = get_args(ClientUse)
CLIENT_USE_LABELS: dict[ClientUse, str] = {
    "external": "External integration",
    "internal": "Internal use",
}
# A redirect URL on one of these hosts points at the machine the person works on.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

# --- Accounts and hosts (chat-api.md sections 1 and 5) -------------------------------------
AccountType = Literal["legacy_chat_only", "chat_support", "phase4"]
ACCOUNT_TYPES: tuple[AccountType, ...] = get_args(AccountType)
ACCOUNT_TYPE_LABELS: dict[AccountType, str] = {
    "legacy_chat_only": "Legacy Chat-only (basic auth or OAuth)",
    "chat_support": "Chat + Support (OAuth only)",
    "phase4": "Phase 4 (OAuth only)",
}
# Only Legacy Chat-only accounts accept an agent's email and password on the API.
BASIC_AUTH_ACCOUNT_TYPES: frozenset[AccountType] = frozenset({"legacy_chat_only"})

HostStyle = Literal["legacy", "subdomain"]
HOST_STYLES: tuple[HostStyle, ...] = get_args(HostStyle)
