"""The sandbox's OAuth 2 authorization server, assembled from oauthlib's endpoints and grants.

Authorize: response_type `code` and `token` (implicit). Token: authorization_code,
refresh_token (rotating), client_credentials (confidential clients) and password (Legacy
Chat-only accounts). No device flow and no response_type `none`: the Chat API has neither.
"""

from __future__ import annotations

from functools import cache

from oauthlib.common import Request
from oauthlib.oauth2 import (
    AuthorizationCodeGrant,
    AuthorizationEndpoint,
    BearerToken,
    ClientCredentialsGrant,
    ImplicitGrant,
    RefreshTokenGrant,
    ResourceOwnerPasswordCredentialsGrant,
    TokenEndpoint,
)
from oauthlib.oauth2.rfc6749 import errors

from chatadmin.sandbox import hashing
from chatadmin.sandbox.models import Account
from chatadmin.sandbox.oauth.validator import SandboxValidator
from chatadmin.sandbox.tokens import TOKEN_LENGTH


def _new_token(request: Request) -> str:
    return hashing.new_secret(TOKEN_LENGTH)


def _expires_in(request: Request) -> int:
    # Read per request: tests shorten it at run time through the control API.
    return Account.load().access_token_ttl


def _password_grant_needs_legacy_account(request: Request) -> None:
    account = Account.load()
    if not account.allows_password_grant:
        raise errors.UnsupportedGrantTypeError(
            description=(
                "The password grant is only available on Legacy Chat-only accounts; this "
                f"account is {account.account_type_label}. Use the authorization "
                "code flow, or client_credentials with a confidential client."
            ),
            request=request,
        )


class SandboxServer(AuthorizationEndpoint, TokenEndpoint):
    def __init__(self, validator: SandboxValidator) -> None:
        bearer = BearerToken(
            validator,
            token_generator=_new_token,
            expires_in=_expires_in,
            refresh_token_generator=_new_token,
        )
        code = AuthorizationCodeGrant(validator)
        AuthorizationEndpoint.__init__(
            self,
            default_response_type="code",
            response_types={"code": code, "token": ImplicitGrant(validator)},
            default_token_type=bearer,
        )
        TokenEndpoint.__init__(
            self,
            default_grant_type="authorization_code",
            grant_types={
                "authorization_code": code,
                "refresh_token": RefreshTokenGrant(validator),
                "client_credentials": ClientCredentialsGrant(validator),
                "password": ResourceOwnerPasswordCredentialsGrant(
                    validator, pre_token=[_password_grant_needs_legacy_account]
                ),
            },
            default_token_type=bearer,
        )


@cache
def server() -> SandboxServer:
    """One server per process: it holds no request state."""
    return SandboxServer(SandboxValidator())
