"""The audit log's actions in words: the one mapping from what the code records to what people read.

Every action string the code records (`audited(...)`, `audit_attempt(...)`, `audit_record(...)`)
has a label here; a test reads the code for action strings and fails on one without a label.
The log keeps the raw action (it is what filters and the CSV's `action` column use), and pages
show the label.
"""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    # Signing in and out
    "auth.sign_in": "Signed in with a password",
    "auth.sign_in_chat": "Signed in with Zendesk Chat",
    "auth.sign_out": "Signed out",
    "auth.session_expired": "Session ended",
    "auth.password_set": "Password set",
    "auth.chat_token_refresh": "Chat sign-in renewed",
    "auth.chat_agent_disabled": "Signed out by Chat",
    "auth.sign_in_token_revoke": "Sign-in token revoked",
    "auth.chat_identity_link": "Chat identity linked",
    # API clients
    "client.create": "Client created",
    "client.update": "Client updated",
    "client.delete": "Client deleted",
    "client.secret_regenerate": "Client secret regenerated",
    # Tokens
    "token.mint_start": "Token wizard started",
    "token.mint": "Token minted",
    "token.revoke": "Token revoked",
    # People
    "people.admin_create": "First admin created",
    "people.invite": "Person invited",
    "people.role_set": "Role changed",
    "people.create": "Person added in the Django admin",
    "people.update": "Person changed in the Django admin",
    "people.delete": "Person deleted",
    # The account connection
    "connection.connect_start": "Account connection started",
    "connection.save": "Account connection saved",
    "connection.check": "Account connection checked",
    "connection.delete": "Account connection removed",
}


def action_label(action: str) -> str:
    """How a person reads an action ("Client deleted"); an unknown one as it was recorded."""
    return ACTION_LABELS.get(action, action)


def action_choices(actions: list[str]) -> list[tuple[str, str]]:
    """Filter choices for the actions given, in words, sorted by their words."""
    return sorted(((action, action_label(action)) for action in actions), key=lambda c: c[1])
