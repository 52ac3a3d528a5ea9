"""The stored Chat credentials: the person's sign-in and the account connection, renewed here.

Each is read once per request; renewing one locks its row and re-reads it, so that two
processes never spend the same (rotating, single-use) refresh token: SELECT ... FOR UPDATE on
PostgreSQL; on SQLite, which has no row locks, the transaction begins IMMEDIATE (settings.py),
taking the database's write lock. tests/procs/test_token_renewal.py proves it on both with two
real processes.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Literal

from django.db import transaction
from django.utils import timezone

from chatadmin.accounts.models import AccountConnection, ChatCredential, ConnectionKind, User
from chatadmin.accounts.roles import Role
from chatadmin.accounts.sign_in_client import sign_in_client_secret
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record
from chatadmin.chat import (
    BasicCredential,
    BearerCredential,
    ChatRefused,
    Credential,
    TokenGrant,
    chat_config,
    oauth,
)
from chatadmin.core.crypto import UndecryptableSecret
from chatadmin.core.problems import NoChatAccess, Problem

logger = logging.getLogger(__name__)

# Renew a little before the expiry so a call does not race it.
REFRESH_MARGIN = timedelta(seconds=60)
OWN_IDENTITY_NEEDED = (
    "Your local account has no Zendesk Chat identity. Connect one in Settings, or sign out and "
    "use “Sign in with Zendesk Chat”, to manage API clients and tokens as yourself."
)
READ_ONLY = "Support staff have read-only access: nothing can be changed here."
NO_CONNECTION = "No account connection is saved: an admin can add one in Settings."
# How many admins the "who to ask" sentence names.
ADMINS_NAMED = 3
SIGN_IN_REFUSED = (
    "Zendesk Chat no longer accepts your sign-in: it was revoked or has expired, or your Chat "
    "agent account was disabled. Sign in with Zendesk Chat again."
)

# Whose credential a ChatApi acts with: the person's own, or the account connection.
PointOfView = Literal["own", "connection"]


class ChatIdentityNeeded(NoChatAccess):
    """A local account without a Chat identity: Settings links one (OWN_IDENTITY_NEEDED)."""

    next_step = ("Link your Chat identity", "settings", "#chat-identity")

    def __init__(self, explanation: str = OWN_IDENTITY_NEEDED) -> None:
        super().__init__(explanation)


class ChatSignInRequired(Problem):
    """The person must sign in with Zendesk Chat (again); the explanation says why."""

    title = "Sign in again"
    status = 401
    signs_out = True


def expiry(grant: TokenGrant) -> datetime | None:
    """When a freshly granted access token expires, if the Chat account says."""
    return timezone.now() + timedelta(seconds=grant.expires_in) if grant.expires_in else None


def _expiring(expires_at: datetime | None) -> bool:
    return expires_at is not None and expires_at - timezone.now() <= REFRESH_MARGIN


def tokens_renew(refresh_token: str) -> TokenGrant:
    """Trade a refresh token for new tokens with the dashboard's own client (ChatRefused if not)."""
    config = chat_config()
    return oauth.refresh(
        config,
        client_id=config.oauth_client_id,
        client_secret=sign_in_client_secret(),
        refresh_token=refresh_token,
    )


# --- The person's own sign-in --------------------------------------------------------------


def credential_store(
    user: User,
    *,
    agent_id: int,
    access_token: str,
    refresh_token: str,
    expires_at: datetime | None,
    scopes: str,
) -> ChatCredential:
    """Keep an agent's tokens, encrypted, replacing any earlier ones."""
    credential, _ = ChatCredential.objects.update_or_create(
        user=user,
        defaults={
            "agent_id": agent_id,
            "access_token": access_token,
            "refresh_token": refresh_token,
            "scopes": scopes,
            "expires_at": expires_at,
        },
    )
    return credential


def credential_drop(user: User) -> None:
    """Forget an agent's tokens (sign-out, or a renewal that Chat refused)."""
    ChatCredential.objects.filter(user=user).delete()


class SignInCredential:
    """The person's own Chat tokens, for one request: read once, renewed here."""

    def __init__(self, user: User) -> None:
        self.user = user
        self._row: ChatCredential | None = None

    def __repr__(self) -> str:
        return f"SignInCredential(user={self.user.pk})"

    def _load(self) -> ChatCredential:
        if self._row is not None:
            return self._row
        try:
            row = ChatCredential.objects.filter(user=self.user).first()
        except UndecryptableSecret:
            credential_drop(self.user)
            raise ChatSignInRequired(
                "Your stored Chat sign-in can no longer be read (the encryption keys changed). "
                "Sign in with Zendesk Chat again."
            ) from None
        if row is None:
            raise ChatSignInRequired(
                "This needs your Zendesk Chat identity: sign in with Zendesk Chat."
            )
        self._row = row
        return row

    @property
    def row(self) -> ChatCredential:
        """The stored credential (read once per request)."""
        return self._load()

    def credential(self) -> Credential:
        row = self._load()
        if _expiring(row.expires_at):
            row = self._renew(stale=row.access_token)
        return BearerCredential(row.access_token)

    def renewed(self, refused: Credential) -> Credential | None:
        stale = refused.access_token if isinstance(refused, BearerCredential) else ""
        return BearerCredential(self._renew(stale=stale).access_token)

    def _renew(self, *, stale: str) -> ChatCredential:
        """Trade the refresh token for new tokens; when Chat refuses, sign the person out."""
        refused: ChatRefused | None = None
        with transaction.atomic():
            row = ChatCredential.objects.select_for_update().filter(user=self.user).first()
            if row is None:
                raise ChatSignInRequired(
                    "Your Chat sign-in ended. Sign in with Zendesk Chat again."
                )
            if row.access_token != stale and not _expiring(row.expires_at):
                self._row = row  # another request renewed it meanwhile: use theirs
                return row
            if row.refresh_token:
                try:
                    grant = tokens_renew(row.refresh_token)
                except ChatRefused as error:
                    refused = error
                else:
                    row.access_token = grant.access_token
                    row.refresh_token = grant.refresh_token or row.refresh_token
                    row.scopes = " ".join(grant.scopes) or row.scopes
                    row.expires_at = expiry(grant)
                    row.save()
                    logger.info("renewed the Chat sign-in of user %s", self.user.pk)
                    self._row = row
                    return row
        credential_drop(self.user)
        self._row = None
        reason = f" ({refused.error or refused.status})" if refused else " (no refresh token)"
        audit_record(
            "auth.chat_token_refresh",
            outcome=Outcome.FAILURE,
            actor=self.user,
            target_type="user",
            target_id=self.user.pk,
            target_label=self.user.email,
            message=(
                f"The Chat sign-in could not be renewed{reason}; the person must sign in again."
            ),
        )
        raise ChatSignInRequired(SIGN_IN_REFUSED) from refused


# --- The account connection ----------------------------------------------------------------


def no_connection_explanation() -> str:
    """NO_CONNECTION, naming the admins who can save the connection (support staff ask them)."""
    admins = list(
        User.objects.filter(role=Role.ADMIN, is_active=True).order_by("email")[: ADMINS_NAMED + 1]
    )
    if not admins:
        return NO_CONNECTION
    named = ", ".join(f"{admin.label} ({admin.email})" for admin in admins[:ADMINS_NAMED])
    more = " or another admin" if len(admins) > ADMINS_NAMED else ""
    return (
        "No account connection is saved, so chatadmin cannot read Zendesk Chat for support "
        f"staff. Ask {named}{more} to save one in Settings."
    )


def connection_get() -> AccountConnection | None:
    """The saved account connection, if any."""
    return AccountConnection.objects.filter(key=AccountConnection.SINGLETON_KEY).first()


class ConnectionCredential:
    """The account connection's credential, for one request: read once, renewed here."""

    def __init__(self) -> None:
        self._row: AccountConnection | None = None

    def __repr__(self) -> str:
        return "ConnectionCredential()"

    def _load(self) -> AccountConnection:
        if self._row is None:
            try:
                self._row = connection_get()
            except UndecryptableSecret:
                raise NoChatAccess(
                    "The account connection can no longer be read (the encryption keys "
                    "changed): an admin must save it again in Settings."
                ) from None
            if self._row is None:
                raise NoChatAccess(no_connection_explanation())
        return self._row

    def credential(self) -> Credential:
        row = self._load()
        if row.kind == ConnectionKind.BASIC:
            return BasicCredential(row.basic_email, row.basic_password)
        if _expiring(row.expires_at):
            row = self._renew(stale=row.access_token)
        return BearerCredential(row.access_token)

    def renewed(self, refused: Credential) -> Credential | None:
        if not isinstance(refused, BearerCredential):
            return None  # a refused password stays refused
        return BearerCredential(self._renew(stale=refused.access_token).access_token)

    def _renew(self, *, stale: str) -> AccountConnection:
        with transaction.atomic():
            row = (
                AccountConnection.objects.select_for_update()
                .filter(key=AccountConnection.SINGLETON_KEY)
                .first()
            )
            if row is None:
                raise NoChatAccess(NO_CONNECTION)
            if row.access_token != stale and not _expiring(row.expires_at):
                self._row = row
                return row
            if not row.refresh_token:
                raise NoChatAccess(
                    "The connection's token expired and cannot be renewed; an admin must "
                    "reconnect it in Settings."
                )
            try:
                grant = tokens_renew(row.refresh_token)
            except ChatRefused as failure:
                raise NoChatAccess(
                    f"The connection's token was refused and could not be renewed: "
                    f"{failure.explanation} An admin must reconnect it in Settings."
                ) from failure
            row.access_token = grant.access_token
            row.refresh_token = grant.refresh_token or row.refresh_token
            row.expires_at = expiry(grant)
            row.save(update_fields=["access_token", "refresh_token", "expires_at"])
            self._row = row
            return row
