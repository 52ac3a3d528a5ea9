"""Each signed-in agent's Chat tokens: stored encrypted, refreshed, dropped when they fail."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from chatadmin.accounts.models import ChatCredential, User
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record
from chatadmin.chat import BearerCredential, ChatApi, ChatRefused, TokenGrant, chat_config, oauth
from chatadmin.core.crypto import UndecryptableSecret

logger = logging.getLogger(__name__)

# Refresh a little before the expiry so a call does not race it.
REFRESH_MARGIN = timedelta(seconds=60)


class ChatSignInRequired(Exception):
    """The person must sign in with Zendesk Chat (again); the message says why."""


def expiry(grant: TokenGrant) -> datetime | None:
    """When a freshly granted access token expires, if the Chat account says."""
    return timezone.now() + timedelta(seconds=grant.expires_in) if grant.expires_in else None


def tokens_renew(refresh_token: str) -> TokenGrant:
    """Trade a refresh token for new tokens with the dashboard's own client (ChatRefused if not).

    Refresh tokens rotate: the caller must keep the new one and never spend the old one again.
    """
    config = chat_config()
    return oauth.refresh(
        config,
        client_id=config.oauth_client_id,
        client_secret=config.oauth_client_secret,
        refresh_token=refresh_token,
    )


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
    """Forget an agent's tokens (sign-out, or a refresh that failed)."""
    ChatCredential.objects.filter(user=user).delete()


def _load(user: User) -> ChatCredential:
    try:
        credential = ChatCredential.objects.filter(user=user).first()
    except UndecryptableSecret:
        credential_drop(user)
        raise ChatSignInRequired(
            "Your stored Chat sign-in can no longer be read (the encryption keys changed). "
            "Sign in with Zendesk Chat again."
        ) from None
    if credential is None:
        raise ChatSignInRequired(
            "This needs your Zendesk Chat identity: sign in with Zendesk Chat."
        )
    return credential


def _expiring(credential: ChatCredential) -> bool:
    return credential.expires_at is not None and (
        credential.expires_at - timezone.now() <= REFRESH_MARGIN
    )


def _refresh(user: User, *, stale_access_token: str) -> ChatCredential:
    """Trade the refresh token for new tokens; on refusal drop them and ask for sign-in.

    The row stays locked during the exchange: refresh tokens rotate, so two requests must not
    spend the same one.
    """
    refused: ChatRefused | None = None
    with transaction.atomic():
        credential = ChatCredential.objects.select_for_update().filter(user=user).first()
        if credential is None:
            raise ChatSignInRequired("Your Chat sign-in ended. Sign in with Zendesk Chat again.")
        if credential.access_token != stale_access_token and not _expiring(credential):
            return credential  # another request renewed it meanwhile
        if credential.refresh_token:
            try:
                grant = tokens_renew(credential.refresh_token)
            except ChatRefused as error:
                refused = error
            else:
                credential.access_token = grant.access_token
                credential.refresh_token = grant.refresh_token or credential.refresh_token
                credential.scopes = " ".join(grant.scopes) or credential.scopes
                credential.expires_at = expiry(grant)
                credential.save()
                logger.info("renewed the Chat sign-in of user %s", user.pk)
                return credential
    credential_drop(user)
    reason = f" ({refused.error or refused.status})" if refused else " (no refresh token)"
    audit_record(
        "auth.chat_token_refresh",
        outcome=Outcome.FAILURE,
        actor=user,
        target_type="user",
        target_id=user.pk,
        target_label=user.email,
        message=f"The Chat sign-in could not be renewed{reason}; the person must sign in again.",
    )
    raise ChatSignInRequired(
        "Your Chat sign-in was revoked or has expired. Sign in with Zendesk Chat again."
    ) from refused


def chat_call[Result](user: User, operation: Callable[[ChatApi], Result]) -> Result:
    """Run one Chat API operation as the user, renewing their token when it expires.

    Raises ChatSignInRequired when the token is gone, revoked, or cannot be renewed; other
    ChatError subclasses pass through for the caller to explain.
    """
    credential = _load(user)
    if _expiring(credential):
        credential = _refresh(user, stale_access_token=credential.access_token)
    try:
        with ChatApi(BearerCredential(credential.access_token), config=chat_config()) as api:
            return operation(api)
    except ChatRefused as error:
        if error.status != 401:
            raise
    # The access token was refused: renew once and try again.
    credential = _refresh(user, stale_access_token=credential.access_token)
    try:
        with ChatApi(BearerCredential(credential.access_token), config=chat_config()) as api:
            return operation(api)
    except ChatRefused as error:
        if error.status == 401:
            credential_drop(user)
            raise ChatSignInRequired(
                "The Chat account no longer accepts your sign-in. Sign in with Zendesk Chat again."
            ) from error
        raise
