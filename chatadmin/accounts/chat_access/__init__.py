"""Chat access: the ChatApi a person's request uses, built once per request.

Admins and users act with their own sign-in token, so the Chat API attributes every change
to them (`person_chat`). Support staff read through the account connection and never change
anything (`reading_chat` picks the right one for everyone). The stored credential is read and
decrypted once per request; renewing it before it expires, and once more after a 401, happens
here and only here, for sign-in tokens and the connection alike.

Refresh tokens rotate and an old one spent twice makes Chat revoke the whole chain, so a
renewal locks the credential's row, re-reads it, and uses what another process renewed
meanwhile instead of spending the old refresh token again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from chatadmin.accounts import policy
from chatadmin.accounts.chat_access.credentials import (
    NO_CONNECTION,
    OWN_IDENTITY_NEEDED,
    READ_ONLY,
    REFRESH_MARGIN,
    SIGN_IN_REFUSED,
    ChatIdentityNeeded,
    ChatSignInRequired,
    ConnectionCredential,
    PointOfView,
    SignInCredential,
    connection_get,
    credential_drop,
    credential_store,
    expiry,
    no_connection_explanation,
    tokens_renew,
)
from chatadmin.accounts.models import User
from chatadmin.chat import ChatApi, chat_config
from chatadmin.core.problems import NoChatAccess, Problem, ReadOnly

__all__ = [
    "NO_CONNECTION",
    "OWN_IDENTITY_NEEDED",
    "READ_ONLY",
    "REFRESH_MARGIN",
    "SIGN_IN_REFUSED",
    "ChatIdentityNeeded",
    "ChatSignInRequired",
    "ConnectionCredential",
    "PointOfView",
    "SignInCredential",
    "cannot_change",
    "chat_access_scope",
    "connection_chat",
    "connection_get",
    "credential_drop",
    "credential_store",
    "expiry",
    "identity_chat",
    "no_connection_explanation",
    "person_chat",
    "point_of_view",
    "reading_chat",
    "sign_in_access_token",
    "tokens_renew",
]


# --- One per request -----------------------------------------------------------------------

_request_scope: ContextVar[dict[object, object] | None] = ContextVar(
    "chat_access_scope", default=None
)


@contextmanager
def chat_access_scope() -> Iterator[None]:
    """Share each person's ChatApi between the calls of one request (the middleware opens it)."""
    token = _request_scope.set({})
    try:
        yield
    finally:
        _request_scope.reset(token)


def _shared[Thing](key: object, build: Callable[[], Thing]) -> Thing:
    """What `build` makes, made once per request (every time outside one)."""
    scope = _request_scope.get()
    if scope is not None and key in scope:
        return scope[key]  # type: ignore[return-value]
    thing = build()
    if scope is not None:
        scope[key] = thing
    return thing


def _sign_in(user: User) -> SignInCredential:
    return _shared(("sign-in", user.pk), lambda: SignInCredential(user))


def _own_api(user: User) -> ChatApi:
    return _shared(("own", user.pk), lambda: ChatApi(_sign_in(user), config=chat_config()))


def sign_in_access_token(user: User) -> str:
    """The access token chatadmin acts with for this person ("" if none), read once per request."""
    try:
        return _sign_in(user).row.access_token
    except ChatSignInRequired:
        return ""


def cannot_change(user: User) -> Problem:
    """Why this person may not change clients: no Chat identity yet, or read-only access."""
    if policy.needs_chat_identity(user):
        return ChatIdentityNeeded()
    return ReadOnly(READ_ONLY)


def point_of_view(user: User) -> PointOfView:
    """Whose credential this person's reads use."""
    return "connection" if policy.reads_through_connection(user) else "own"


def identity_chat(user: User) -> ChatApi:
    """The Chat API as the person's own sign-in, whatever their role (to ask who they are)."""
    if user.chat_agent_id is None:
        raise ChatIdentityNeeded()
    return _own_api(user)


def person_chat(user: User) -> ChatApi:
    """The Chat API as the person themselves, with their own sign-in token.

    Every change, and every look at tokens (which belong to the person), goes this way.
    NoChatAccess for support staff (read-only, no tokens) and for a local account without a
    Chat identity.
    """
    if policy.is_read_only(user):
        raise NoChatAccess(READ_ONLY)
    if user.chat_agent_id is None:
        raise ChatIdentityNeeded()
    return _own_api(user)


def connection_chat() -> ChatApi:
    """The Chat API through the account connection (support staff's reads, and its check)."""
    return _shared(("connection",), lambda: ChatApi(ConnectionCredential(), config=chat_config()))


def reading_chat(user: User) -> ChatApi:
    """The Chat API to read clients with: the person's own, or the connection for support staff."""
    if point_of_view(user) == "connection":
        return connection_chat()
    if user.chat_agent_id is None:
        raise ChatIdentityNeeded()
    return _own_api(user)
