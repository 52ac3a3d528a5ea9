"""The Chat OAuth endpoints: authorize URLs, and the token endpoint's grants.

Token requests are form-encoded POSTs with the client id and secret in the body (chat-api.md
section 4). They are never retried, and nothing about them is logged beyond method, path,
status and duration.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal
from urllib.parse import quote, urlencode

from chatadmin.chat.config import ChatConfig
from chatadmin.chat.errors import ChatBadResponse, ChatConfigurationError
from chatadmin.chat.explanations import Grant
from chatadmin.chat.resources import TokenGrant, scope_list
from chatadmin.chat.transport import ChatTransport

LEGACY_ONLY_GRANT = (
    "The password grant works only on Legacy Chat-only accounts, and this account is set up as "
    "{account_type!r} (CHAT_ACCOUNT_TYPE). Use the authorization code flow instead."
)


def authorize_url(
    config: ChatConfig,
    *,
    client_id: str,
    redirect_uri: str,
    response_type: Literal["code", "token"],
    scopes: Sequence[str],
    state: str,
) -> str:
    """The page to send a person to: `code` for production, `token` (implicit) for testing."""
    if response_type not in {"code", "token"}:
        raise ValueError(f"response_type must be 'code' or 'token', not {response_type!r}.")
    for name, value in (("client_id", client_id), ("redirect_uri", redirect_uri), ("state", state)):
        if not value:
            raise ValueError(f"An authorize URL needs a {name}.")
    query = {
        "response_type": response_type,
        "client_id": client_id,
        "redirect_uri": redirect_uri,
    }
    wanted = scope_list(scopes)
    if wanted:
        query["scope"] = " ".join(wanted)
    query["state"] = state
    # The legacy host serves every account, so it is told which one (chat-api.md section 1);
    # on {subdomain}.zendesk.com the host name says it already.
    if config.host_style == "legacy" and config.subdomain:
        query["subdomain"] = config.subdomain
    # Scopes are space-separated and must be encoded as %20, not "+" (chat-api.md section 4.2).
    return f"{config.authorize_endpoint}?{urlencode(query, quote_via=quote)}"


def exchange_code(
    config: ChatConfig, *, client_id: str, client_secret: str, code: str, redirect_uri: str
) -> TokenGrant:
    """Trade an authorization code (right away: codes are short-lived) for tokens."""
    form = {"code": code, "redirect_uri": redirect_uri}
    return _token_request(config, "authorization_code", client_id, client_secret, form)


def refresh(
    config: ChatConfig, *, client_id: str, client_secret: str, refresh_token: str
) -> TokenGrant:
    """Trade a refresh token (usable once) for a new access token and refresh token."""
    form = {"refresh_token": refresh_token}
    return _token_request(config, "refresh_token", client_id, client_secret, form)


def client_credentials(
    config: ChatConfig, *, client_id: str, client_secret: str, scopes: Sequence[str] = ()
) -> TokenGrant:
    """A token for a confidential client itself (a public client gets `invalid_client`)."""
    return _token_request(
        config, "client_credentials", client_id, client_secret, _scope_field(scopes)
    )


def password(
    config: ChatConfig,
    *,
    client_id: str,
    client_secret: str,
    username: str,
    password: str,
    scopes: Sequence[str] = (),
) -> TokenGrant:
    """A token for an agent's email and password; only Legacy Chat-only accounts allow it."""
    if not config.allows_basic_auth:
        raise ChatConfigurationError(LEGACY_ONLY_GRANT.format(account_type=config.account_type))
    form = {"username": username, "password": password, **_scope_field(scopes)}
    return _token_request(config, "password", client_id, client_secret, form)


def _scope_field(scopes: Sequence[str]) -> dict[str, str]:
    wanted = scope_list(scopes)
    return {"scope": " ".join(wanted)} if wanted else {}


def _token_request(
    config: ChatConfig, grant: Grant, client_id: str, client_secret: str, form: dict[str, str]
) -> TokenGrant:
    body = {"grant_type": grant, "client_id": client_id, "client_secret": client_secret, **form}
    data = ChatTransport(config).send(
        "POST", config.token_endpoint, credential=None, data=body, grant=grant, retry=False
    )
    try:
        return TokenGrant.from_json(data)
    except ChatBadResponse as unreadable:
        # Chat answered 2xx: a grant that mints a token has very likely minted one, though the
        # answer lacks it, so whether a token exists is unknown (never "failed"). A renewal
        # stays a plain failure: its caller signs the person in again either way.
        unreadable.maybe_done = grant != "refresh_token"
        raise
