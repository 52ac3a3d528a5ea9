"""Access and refresh tokens: issuing, checking a bearer token, listing and revoking.

Only the agent a token belongs to may see or revoke it; anyone else, admins included, gets
a 404 (DESIGN.md: "admins cannot revoke other people's tokens").
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from chatadmin.sandbox import hashing
from chatadmin.sandbox.errors import ApiError
from chatadmin.sandbox.models import AccessToken, Account, Agent, OAuthClient, RefreshToken
from chatadmin.sandbox.validation import normalize_scopes, words

TOKEN_LENGTH = 64


def token_store(
    *,
    agent: Agent,
    client: OAuthClient,
    scopes: str,
    access_token: str,
    expires_in: int,
    refresh_token: str | None = None,
    family: uuid.UUID | None = None,
    created: datetime | None = None,
) -> AccessToken:
    """Keep a newly issued token (digests and prefixes only)."""
    account = Account.load()
    created = created or timezone.now()
    token = AccessToken.objects.create(
        token_digest=hashing.digest(access_token),
        token_prefix=hashing.display_prefix(access_token),
        agent=agent,
        client=client,
        scopes=scopes,
        create_date=created,
        expire_date=created + timedelta(seconds=expires_in),
    )
    if refresh_token is not None:
        RefreshToken.objects.create(
            token_digest=hashing.digest(refresh_token),
            token_prefix=hashing.display_prefix(refresh_token),
            access_token=token,
            family=family or uuid.uuid4(),
            expire_date=created + timedelta(seconds=account.refresh_token_ttl),
        )
    return token


def token_mint(agent: Agent, client: OAuthClient, scopes: str) -> dict[str, Any]:
    """Issue a token without the browser flow (the control API), shaped like /oauth2/token's."""
    if not agent.is_active:
        raise ApiError(422, f"{agent.email} is disabled: disabled agents get no tokens.")
    unknown = set(words(scopes)) - set(client.scope_list)
    if unknown or not words(scopes):
        raise ApiError(
            422,
            f"The client {client.client_identifier} has scopes {client.scopes!r}; "
            f"it cannot grant {scopes!r}.",
        )
    scopes = normalize_scopes(scopes)
    access, refresh = hashing.new_secret(TOKEN_LENGTH), hashing.new_secret(TOKEN_LENGTH)
    expires_in = Account.load().access_token_ttl
    token = token_store(
        agent=agent,
        client=client,
        scopes=scopes,
        access_token=access,
        refresh_token=refresh,
        expires_in=expires_in,
    )
    return {
        "id": token.id,
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": expires_in,
        "scope": scopes,
        "agent_id": agent.id,
        "client_identifier": client.client_identifier,
    }


def token_authenticate(value: str) -> AccessToken:
    """The live token with this value, or a 401 saying why not."""
    try:
        token = AccessToken.objects.select_related("agent__role", "client").get(
            token_digest=hashing.digest(value)
        )
    except AccessToken.DoesNotExist:
        raise ApiError(401, headers=_bearer_challenge("The access token is unknown.")) from None
    if token.revoked_date is not None:
        raise ApiError(
            401,
            "The access token has been revoked.",
            headers=_bearer_challenge("The access token has been revoked."),
        )
    if token.expire_date <= timezone.now():
        raise ApiError(
            401,
            "The access token has expired; use the refresh token or authorize again.",
            headers=_bearer_challenge("The access token expired."),
        )
    if not token.agent.is_active:
        raise ApiError(401, "The agent this token belongs to is disabled.")
    return token


def _bearer_challenge(description: str) -> dict[str, str]:
    # RFC 6750 section 3: a machine-readable reason next to the human one.
    return {
        "WWW-Authenticate": (
            f'Bearer realm="Chat API sandbox", error="invalid_token", '
            f'error_description="{description}"'
        )
    }


def tokens_of(agent: Agent) -> QuerySet[AccessToken]:
    """The agent's own tokens that still work or can still be refreshed."""
    moment = timezone.now()
    return (
        AccessToken.objects.filter(agent=agent, revoked_date__isnull=True)
        .filter(
            Q(expire_date__gt=moment)
            | Q(refresh__revoked_date__isnull=True, refresh__expire_date__gt=moment)
        )
        .select_related("client", "refresh")
        .order_by("id")
    )


def token_get(agent: Agent, token_id: int) -> AccessToken:
    try:
        return tokens_of(agent).get(pk=token_id)
    except AccessToken.DoesNotExist:
        raise ApiError(404) from None


@transaction.atomic
def token_revoke(agent: Agent, token_id: int) -> None:
    """Revoke one of the agent's own tokens, with its refresh token."""
    token = token_get(agent, token_id)
    moment = timezone.now()
    AccessToken.objects.filter(pk=token.pk).update(revoked_date=moment)
    RefreshToken.objects.filter(access_token=token, revoked_date__isnull=True).update(
        revoked_date=moment
    )


def family_revoke(family: uuid.UUID) -> None:
    """Revoke every token of a rotation chain: a used refresh token came back (RFC 9700 4.14)."""
    moment = timezone.now()
    RefreshToken.objects.filter(family=family, revoked_date__isnull=True).update(
        revoked_date=moment
    )
    AccessToken.objects.filter(refresh__family=family, revoked_date__isnull=True).update(
        revoked_date=moment
    )
