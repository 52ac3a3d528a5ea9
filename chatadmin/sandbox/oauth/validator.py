"""oauthlib's RequestValidator over the sandbox's models: oauthlib parses and orders the
protocol, this class answers its questions (which client, which secret, which code...).
Clients and codes are in the ClientChecks and CodeChecks mixins; passwords, refresh tokens
and issuing are here.

Errors raised here carry descriptions an integrator can act on; oauthlib turns them into
RFC 6749 JSON (`{"error": ..., "error_description": ...}`) or error redirects.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.db.models import F
from django.utils import timezone
from oauthlib.common import Request
from oauthlib.oauth2 import RequestValidator
from oauthlib.oauth2.rfc6749 import errors

from chatadmin.sandbox import hashing
from chatadmin.sandbox.models import AccessToken, Agent, OAuthClient, RefreshToken
from chatadmin.sandbox.oauth.clients import ClientChecks
from chatadmin.sandbox.oauth.codes import CodeChecks
from chatadmin.sandbox.tokens import family_revoke, token_store


class SandboxValidator(ClientChecks, CodeChecks, RequestValidator):
    """Answers oauthlib's questions from the database; see oauthlib's RequestValidator."""

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
