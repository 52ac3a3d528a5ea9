"""oauthlib's questions about clients: who is calling, with which secret, which redirect
URI and which scopes. A mixin of chatadmin.sandbox.oauth.validator.SandboxValidator."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import unquote

from oauthlib.common import Request
from oauthlib.oauth2.rfc6749 import errors

from chatadmin.sandbox.models import OAuthClient
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


class ClientChecks:
    """Client authentication, redirect URIs and scopes (RequestValidator methods)."""

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
        """A public client without a secret: it only has to exist."""
        return self.validate_client_id(client_id, request)

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
