"""chatadmin's own sign-in tokens at Chat: revoked at sign-out and when a sign-in replaces them.

Signing out used to drop chatadmin's copy of the Chat token and leave it alive at Chat, and
old sign-in tokens piled up on the person's Tokens page as "Active". Now sign-out revokes the
session's token (found through the token list by its prefix; its refresh chain dies with it)
before forgetting it, and a new sign-in revokes the person's other tokens of chatadmin's own
client (expired, or superseded by the new one) — never the account connection's token.
If Chat cannot be reached, sign-out still completes; the person is told, and it is audited.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest

from chatadmin.accounts.chat_access import (
    connection_get,
    credential_drop,
    identity_chat,
    sign_in_access_token,
)
from chatadmin.accounts.models import ConnectionKind, User
from chatadmin.audit.operations import AuditTarget, audited
from chatadmin.chat import ChatError, Token, chat_config
from chatadmin.chat.resources import token_hint
from chatadmin.core.problems import Problem, problem_of

logger = logging.getLogger(__name__)

REVOKE = "auth.sign_in_token_revoke"
NOT_REVOKED = (
    "You are signed out of chatadmin, but your Chat sign-in token could not be revoked at Zendesk "
    "Chat ({why}). It stops working when it expires; you can revoke it on the Tokens page after "
    "signing in again."
)
UNKNOWN = "chatadmin cannot tell whether Chat revoked your sign-in token: check the Tokens page."


def _own_client(token: Token, user: User) -> bool:
    return (
        token.client_identifier == chat_config().oauth_client_id
        and token.agent_id == user.chat_agent_id
    )


def _connection_hint() -> str:
    connection = connection_get()
    if connection is None or connection.kind != ConnectionKind.OAUTH:
        return ""
    return token_hint(connection.access_token)


def sign_in_token_revoke(user: User, *, request: HttpRequest | None) -> str:
    """At sign-out: revoke the session's sign-in token at Chat, then forget it.

    Returns "" when it was revoked (or there was none), else what to tell the person. The
    local copy is dropped whatever Chat answers.
    """
    if user.chat_agent_id is None or not sign_in_access_token(user):
        credential_drop(user)
        return ""
    target = AuditTarget("user", user.pk, user.email)
    try:
        with audited(
            REVOKE, actor=user, target=target, request=request, if_unknown=UNKNOWN
        ) as operation:
            api = identity_chat(user)
            listed = api.token_list()
            hint = token_hint(sign_in_access_token(user))  # after any renewal the list made
            ours = [t for t in listed if _own_client(t, user) and t.access_token_hint == hint]
            for token in ours:
                api.token_revoke(token.id)
            operation.succeeded(
                f"Revoked chatadmin's sign-in token {hint} at sign-out."
                if ours
                else "Chat no longer listed the sign-in token: nothing to revoke."
            )
    except (Problem, ChatError) as failure:
        return NOT_REVOKED.format(why=problem_of(failure).explanation.rstrip("."))
    finally:
        credential_drop(user)
    return ""


def superseded_sign_in_tokens_revoke(user: User, *, request: HttpRequest | None) -> int:
    """After a new sign-in: revoke the person's other tokens of chatadmin's own client.

    Keeps the new sign-in token and the account connection's. Best effort: a failure is
    audited and logged, and the sign-in goes on. Returns how many were revoked.
    """
    current = token_hint(sign_in_access_token(user))
    if user.chat_agent_id is None or not current:
        return 0
    keep = {current, _connection_hint()} - {""}
    api = identity_chat(user)
    try:
        stale = [
            token
            for token in api.token_list()
            if _own_client(token, user) and token.access_token_hint not in keep
        ]
    except (Problem, ChatError) as failure:
        if isinstance(failure, Problem) and failure.signs_out:
            raise
        logger.warning("could not list the earlier sign-in tokens of user %s: %s", user.pk, failure)
        return 0
    if not stale:
        return 0
    target = AuditTarget("user", user.pk, user.email)
    try:
        with audited(REVOKE, actor=user, target=target, request=request) as operation:
            for token in stale:
                api.token_revoke(token.id)
            operation.succeeded(
                f"Revoked {len(stale)} earlier sign-in token{'s' if len(stale) != 1 else ''} "
                "of chatadmin, replaced by this sign-in."
            )
    except (Problem, ChatError) as failure:
        if isinstance(failure, Problem) and failure.signs_out:
            raise
        logger.warning("could not revoke earlier sign-in tokens of user %s: %s", user.pk, failure)
        return 0
    return len(stale)
