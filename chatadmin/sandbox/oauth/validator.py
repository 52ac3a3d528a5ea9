"""oauthlib's RequestValidator over the sandbox's models: oauthlib parses and orders the
protocol, this class answers its questions (which client, which secret, which code...).

Errors raised here carry descriptions an integrator can act on; oauthlib turns them into
RFC 6749 JSON (`{"error": ..., "error_description": ...}`) or error redirects.
"""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

from django.contrib.auth import authenticate
from django.db.models import F
from django.utils import timezone
from oauthlib.common import Request
from oauthlib.oauth2 import RequestValidator
from oauthlib.oauth2.rfc6749 import errors

from chatadmin.sandbox import hashing
from chatadmin.sandbox.models import (
    AccessToken,
    Account,
    Agent,
    Grant,
    OAuthClient,
    RefreshToken,
)
from chatadmin.sandbox.tokens import family_revoke, token_store
from chatadmin.sandbox.validation import SCOPES

# Grants that act without a person in the loop need a client that can keep a secret.
CONFIDENTIAL_ONLY_GRANTS = ("client_credentials", "password")
GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials", "password")
RESPONSE_TYPES = ("code", "token")


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    """client_id and secret from `Authorization: Basic`, form-decoded (RFC 6749 2.3.1)."""
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise errors.InvalidClientError(
            description="The Authorization header is not valid basic auth.", request=request
        ) from None
    client_id, separator, secret = decoded.partition(":")
    if not separator:
        raise errors.InvalidClientError(
            description="The Authorization header is not valid basic auth.", request=request
        )
    return unquote(client_id), unquote(secret)


def _client(client_id: str | None) -> OAuthClient | None:
    if not client_id:
        return None
    return (
        OAuthClient.objects.select_related("agent__role")
        .filter(client_identifier=client_id)
        .first()
    )


class SandboxValidator(RequestValidator):
    """Answers oauthlib's questions from the database; see oauthlib's RequestValidator."""

    # --- Clients ---------------------------------------------------------------------------

    def client_authentication_required(self, request: Request, *args: Any, **kwargs: Any) -> bool:
        if request.grant_type in CONFIDENTIAL_ONLY_GRANTS:
            return True
        if request.client_secret or _basic_credentials(request):
            return True  # a secret that is sent is checked, whatever the client type
        client = _client(request.client_id)
        return client is not None and client.is_confidential

    def authenticate_client(self, request: Request, *args: Any, **kwargs: Any) -> bool:
        basic = _basic_credentials(request)
        if basic is not None:
            client_id, secret = basic
            if request.client_id and request.client_id != client_id:
                raise errors.InvalidClientError(
                    description="client_id in the body differs from the Authorization header.",
                    request=request,
                )
        else:
            client_id, secret = request.client_id, request.client_secret
        client = _client(client_id)
        if client is None or not secret or not client.check_secret(secret):
            raise errors.InvalidClientError(
                description="Unknown client, or wrong client secret.", request=request
            )
        if request.grant_type in CONFIDENTIAL_ONLY_GRANTS and not client.is_confidential:
            raise errors.InvalidClientError(
                description=(
                    f"This client is public: the {request.grant_type} grant needs a "
                    "confidential client. Set its client_type to confidential "
                    "(PUT /api/v2/chat/oauth/clients/{id})."
                ),
                request=request,
            )
        request.client, request.client_id = client, client.client_identifier
        if request.grant_type == "client_credentials":
            # The token acts as the agent who created the client (chat-api.md 4.1).
            if not client.agent.is_active:
                raise errors.InvalidGrantError(
                    description="The agent who created this client is disabled.",
                    request=request,
                )
            request.user = client.agent
        return True

    def authenticate_client_id(
        self, client_id: str, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        client = _client(client_id)
        if client is None:
            return False
        request.client = client
        return True

    def validate_client_id(
        self, client_id: str, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        client = _client(client_id)
        if client is None:
            return False
        request.client = client
        return True

    def validate_grant_type(
        self,
        client_id: str,
        grant_type: str,
        client: OAuthClient,
        request: Request,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        return grant_type in GRANT_TYPES

    def validate_response_type(
        self,
        client_id: str,
        response_type: str,
        client: OAuthClient,
        request: Request,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        return response_type in RESPONSE_TYPES

    # --- Redirect URIs and scopes -----------------------------------------------------------

    def validate_redirect_uri(
        self, client_id: str, redirect_uri: str, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        return redirect_uri in request.client.redirect_uri_list  # exact match only

    def get_default_redirect_uri(
        self, client_id: str, request: Request, *args: Any, **kwargs: Any
    ) -> str | None:
        uris = request.client.redirect_uri_list if request.client else []
        return uris[0] if len(uris) == 1 else None  # several: the request must choose

    def validate_scopes(
        self,
        client_id: str,
        scopes: list[str],
        client: OAuthClient,
        request: Request,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        unknown = [scope for scope in scopes if scope not in SCOPES]
        if unknown:
            raise errors.InvalidScopeError(
                description=f"Unknown scope {' '.join(unknown)}: use read, write or chat.",
                request=request,
            )
        refused = [scope for scope in scopes if scope not in client.scope_list]
        if refused:
            raise errors.InvalidScopeError(
                description=(
                    f"This client may only ask for {client.scopes!r}, not {' '.join(refused)!r}."
                ),
                request=request,
            )
        return True

    def get_default_scopes(
        self, client_id: str, request: Request, *args: Any, **kwargs: Any
    ) -> list[str]:
        return request.client.scope_list if request.client else []

    def is_origin_allowed(self, *args: Any, **kwargs: Any) -> bool:
        return False  # no CORS: token exchange belongs on a server (chat-api.md 4.5)

    # --- Authorization codes ---------------------------------------------------------------

    def save_authorization_code(
        self, client_id: str, code: dict[str, str], request: Request, *args: Any, **kwargs: Any
    ) -> None:
        account = Account.load()
        Grant.objects.create(
            code_digest=hashing.digest(code["code"]),
            client=request.client,
            agent=request.user,
            redirect_uri=request.redirect_uri,
            redirect_uri_given=not request.using_default_redirect_uri,
            scopes=" ".join(request.scopes),
            code_challenge=request.code_challenge or "",
            code_challenge_method=request.code_challenge_method or "",
            expire_date=timezone.now() + timedelta(seconds=account.code_ttl),
        )

    def validate_code(
        self,
        client_id: str,
        code: str,
        client: OAuthClient,
        request: Request,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        grant = (
            Grant.objects.select_related("agent", "client")
            .filter(code_digest=hashing.digest(code), client=client)
            .first()
        )
        if grant is None:
            raise errors.InvalidGrantError(
                description="Unknown authorization code, or issued to another client.",
                request=request,
            )
        moment = timezone.now()
        # Claimed here, atomically, so two concurrent exchanges cannot both succeed.
        claimed = Grant.objects.filter(pk=grant.pk, used_date__isnull=True).update(used_date=moment)
        if not claimed:
            if grant.access_token_id is not None:
                # RFC 6749 4.1.2: a replayed code revokes what it was exchanged for.
                AccessToken.objects.filter(pk=grant.access_token_id).update(revoked_date=moment)
                families = RefreshToken.objects.filter(access_token_id=grant.access_token_id)
                for family in families.values_list("family", flat=True):
                    family_revoke(family)
            raise errors.InvalidGrantError(
                description="This authorization code has already been used.", request=request
            )
        if grant.is_expired(moment):
            raise errors.InvalidGrantError(
                description=(
                    "The authorization code has expired: exchange it within "
                    f"{Account.load().code_ttl} seconds of the redirect."
                ),
                request=request,
            )
        if not grant.agent.is_active:
            raise errors.InvalidGrantError(
                description="The agent who authorized this code is disabled.", request=request
            )
        request.user = grant.agent
        request.scopes = grant.scopes.split()
        request.sandbox_grant = grant
        return True

    def confirm_redirect_uri(
        self,
        client_id: str,
        code: str,
        redirect_uri: str | None,
        client: OAuthClient,
        request: Request,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        grant: Grant = request.sandbox_grant
        if grant.redirect_uri_given or redirect_uri is not None:
            return redirect_uri == grant.redirect_uri
        return True

    def get_code_challenge(self, code: str, request: Request) -> str | None:
        grant: Grant | None = getattr(request, "sandbox_grant", None)
        return grant.code_challenge or None if grant else None

    def get_code_challenge_method(self, code: str, request: Request) -> str | None:
        grant: Grant | None = getattr(request, "sandbox_grant", None)
        return grant.code_challenge_method or None if grant else None

    def invalidate_authorization_code(
        self, client_id: str, code: str, request: Request, *args: Any, **kwargs: Any
    ) -> None:
        """Already claimed in validate_code; remember the token for replay detection."""
        grant: Grant = request.sandbox_grant
        Grant.objects.filter(pk=grant.pk).update(access_token=request.sandbox_token)

    # --- Passwords and refresh tokens -------------------------------------------------------

    def validate_user(
        self,
        username: str,
        password: str,
        client: OAuthClient,
        request: Request,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        agent = authenticate(None, username=username, password=password)
        if not isinstance(agent, Agent):
            return False  # oauthlib answers invalid_grant "Invalid credentials given."
        Agent.objects.filter(pk=agent.pk).update(login_count=F("login_count") + 1)
        request.user = agent
        return True

    def validate_refresh_token(
        self,
        refresh_token: str,
        client: OAuthClient,
        request: Request,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        refresh = (
            RefreshToken.objects.select_related("access_token__agent", "access_token__client")
            .filter(token_digest=hashing.digest(refresh_token))
            .first()
        )
        if refresh is None or refresh.access_token.client_id != client.pk:
            raise errors.InvalidGrantError(
                description="Unknown refresh token, or issued to another client.",
                request=request,
            )
        if refresh.revoked_date is not None:
            # Reuse of a rotated token means it leaked: end the whole chain (RFC 9700 4.14.2).
            family_revoke(refresh.family)
            raise errors.InvalidGrantError(
                description=(
                    "This refresh token was already used or revoked; refresh tokens are "
                    "single use. Every token of its chain is now revoked."
                ),
                request=request,
            )
        if refresh.expire_date <= timezone.now():
            raise errors.InvalidGrantError(
                description="The refresh token has expired: authorize again.", request=request
            )
        if not refresh.access_token.agent.is_active:
            raise errors.InvalidGrantError(
                description="The agent this token belongs to is disabled.", request=request
            )
        request.user = refresh.access_token.agent
        request.sandbox_refresh = refresh
        return True

    def get_original_scopes(
        self, refresh_token: str, request: Request, *args: Any, **kwargs: Any
    ) -> list[str]:
        refresh: RefreshToken = request.sandbox_refresh
        return refresh.access_token.scope_list

    def rotate_refresh_token(self, request: Request) -> bool:
        return True

    # --- Issuing ---------------------------------------------------------------------------

    def save_bearer_token(
        self, token: dict[str, Any], request: Request, *args: Any, **kwargs: Any
    ) -> None:
        family = None
        refresh: RefreshToken | None = getattr(request, "sandbox_refresh", None)
        if refresh is not None:
            # Rotate: the old pair stops working the moment the new one exists. The update is
            # conditional so that two concurrent uses of one refresh token cannot both win.
            moment = timezone.now()
            rotated = RefreshToken.objects.filter(pk=refresh.pk, revoked_date__isnull=True).update(
                revoked_date=moment
            )
            if not rotated:
                family_revoke(refresh.family)
                raise errors.InvalidGrantError(
                    description="This refresh token was already used.", request=request
                )
            AccessToken.objects.filter(pk=refresh.access_token_id).update(revoked_date=moment)
            family = refresh.family
        request.sandbox_token = token_store(
            agent=request.user,
            client=request.client,
            scopes=" ".join(request.scopes or []),
            access_token=token["access_token"],
            refresh_token=token.get("refresh_token"),
            expires_in=int(token["expires_in"]),
            family=family,
        )
