"""Who is calling: a bearer token everywhere, basic auth on Legacy Chat-only accounts only.

Scopes: `read` for GET, `write` for every change (chat-api.md section 4.3). Basic auth acts
with the agent's full rights, as it does upstream.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja.security import HttpBasicAuth, HttpBearer

from chatadmin.sandbox.errors import ApiError
from chatadmin.sandbox.models import Account, Agent
from chatadmin.sandbox.tokens import token_authenticate

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def needed_scope(method: str) -> str:
    return "read" if method.upper() in READ_METHODS else "write"


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <access token>`."""

    def authenticate(self, request: HttpRequest, token: str) -> Agent | None:
        if not token:
            return None
        access = token_authenticate(token.strip())
        scope = needed_scope(request.method or "GET")
        if scope not in access.scope_list:
            raise ApiError(
                403,
                f"This token's scopes are {access.scopes!r}: {request.method} requests need "
                f"the {scope} scope. Authorize again asking for it.",
            )
        return access.agent


class BasicAuth(HttpBasicAuth):
    """`Authorization: Basic base64(email:password)`, Legacy Chat-only accounts only."""

    def authenticate(self, request: HttpRequest, username: str, password: str) -> Agent | None:
        account = Account.for_request(request)
        if not account.allows_basic_auth:
            raise ApiError(
                401,
                "Basic authentication is not available for this account type "
                f"({account.account_type_label}): only Legacy Chat-only accounts "
                "accept it. Use an OAuth access token (Authorization: Bearer ...).",
                headers={"WWW-Authenticate": 'Bearer realm="Chat API sandbox"'},
            )
        agent = authenticate(request, username=username, password=password)
        if not isinstance(agent, Agent):
            # Django's backend answers None for a disabled agent too: say nothing more.
            raise ApiError(401, headers={"WWW-Authenticate": 'Basic realm="Chat API sandbox"'})
        return agent


AUTH = [BearerAuth(), BasicAuth()]
