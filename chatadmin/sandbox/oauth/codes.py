"""oauthlib's questions about authorization codes: short-lived, single use, bound to a
client, an agent and a redirect URI. A mixin of SandboxValidator."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from oauthlib.common import Request
from oauthlib.oauth2.rfc6749 import errors

from chatadmin.sandbox import hashing
from chatadmin.sandbox.models import AccessToken, Account, Grant, OAuthClient, RefreshToken
from chatadmin.sandbox.tokens import family_revoke


class CodeChecks:
    """Saving, checking and burning authorization codes (RequestValidator methods)."""

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
