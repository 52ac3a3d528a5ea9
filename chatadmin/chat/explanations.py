"""Plain-language explanations of Chat API failures: the one place that words them.

The causes come from the pain points people report (chat-api.md section 9): `invalid_client`
on a public client, `invalid_grant` after a slow code exchange, a missing scope, Support
credentials on the Chat API, a wrong host style giving 405.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

# Which token request was made, so that the same upstream code can be explained in context.
Grant = Literal["authorization_code", "refresh_token", "client_credentials", "password"]

UPSTREAM_TEXT_LIMIT = 200
# The advice that ends an explanation of a passing failure (dropped where a retry could do harm).
TRY_AGAIN = "Try again in a moment."

UNAUTHORIZED = (
    "The Chat API did not accept this credential: it is not a valid Chat token (or it "
    "expired or was revoked). Support API tokens and Support OAuth tokens do not work on the "
    "Chat API: a token must come from a Chat OAuth client. Basic auth works only on Legacy "
    "Chat-only accounts."
)
WRONG_BASIC_AUTH = (
    "The Chat API did not accept this email and password. Basic auth works only on Legacy "
    "Chat-only accounts, with the agent's own Chat password; everywhere else use a Chat OAuth "
    "token."
)
FORBIDDEN = (
    "The Chat API says this credential may not do that: the token lacks a scope it needs "
    '(read to look, write to change; ask for "read write chat" to cover everything) or your '
    "Chat role does not allow it."
)
NOT_FOUND = (
    "The Chat API found nothing there: it does not exist, was deleted, or belongs to another agent."
)
METHOD_NOT_ALLOWED = (
    "The Chat API does not allow this request at this address. The host style is probably "
    "wrong (www.zopim.com paths have no /chat/, {subdomain}.zendesk.com paths do), or the "
    "account is Support-integrated, where agents are read-only."
)
PUBLIC_CLIENT = (
    "The Chat API refused the client: the client is public; make it confidential. The "
    "client_credentials and password grants work only with a confidential client (and "
    "re-saving a client in Zendesk's own dashboard turns it back to public). If it is "
    "confidential already, check the client ID and secret."
)
BAD_CLIENT = (
    "The Chat API did not accept the client ID and secret: check them, or regenerate the "
    "secret (it is shown only once)."
)
EXPIRED_CODE = (
    "The authorization code expired or was already used: codes are short-lived, so exchange "
    "it right away. Start the sign-in again (and use the same redirect URL both times)."
)
REFRESH_SPENT = (
    "The refresh token is no longer valid: it expired, was revoked, or was already used "
    "(each refresh token works once). Sign in again."
)
WRONG_SIGN_IN = "The Chat account did not accept that email and password."
UNSUPPORTED_GRANT = (
    "The Chat account does not accept this kind of token request. The password grant works "
    "only on Legacy Chat-only accounts, and client_credentials only for confidential clients."
)
INVALID_SCOPE = (
    "A requested scope is not allowed: Chat scopes are read, write and chat, and the client "
    "must allow each one you ask for."
)
ACCESS_DENIED = "Access was denied: the person declined, or their Chat role does not allow it."
UNAUTHORIZED_CLIENT = (
    "This client may not use this kind of token request; check its type (public or "
    "confidential) and its redirect URLs."
)


def shorten(text: str) -> str:
    """Upstream text, cut to a length fit for a message."""
    text = " ".join(text.split())
    if len(text) <= UPSTREAM_TEXT_LIMIT:
        return text
    return text[: UPSTREAM_TEXT_LIMIT - 1] + "…"


def refusal(
    *,
    status: int,
    error: str,
    description: str,
    details: Mapping[str, tuple[str, ...]],
    grant: Grant | None,
    basic_auth: bool = False,
) -> str:
    """Explain a 4xx answer, using the upstream error code first and the status second."""
    code = error.strip().lower().replace(" ", "_")
    if code == "invalid_client":
        return PUBLIC_CLIENT if grant in {"client_credentials", "password"} else BAD_CLIENT
    if code == "invalid_grant":
        return {
            "authorization_code": EXPIRED_CODE,
            "refresh_token": REFRESH_SPENT,
            "password": WRONG_SIGN_IN,
        }.get(grant or "", "The Chat API did not accept this grant; sign in again.")
    by_code = {
        "unsupported_grant_type": UNSUPPORTED_GRANT,
        "invalid_scope": INVALID_SCOPE,
        "insufficient_scope": FORBIDDEN,
        "access_denied": ACCESS_DENIED,
        "unauthorized_client": UNAUTHORIZED_CLIENT,
        "invalid_token": UNAUTHORIZED,
    }
    if code in by_code:
        return by_code[code]
    if status == 401:
        if grant:
            return BAD_CLIENT
        return WRONG_BASIC_AUTH if basic_auth else UNAUTHORIZED
    if status == 422 or (status == 400 and details):
        return invalid_values(description, details)
    by_status = {403: FORBIDDEN, 404: NOT_FOUND, 405: METHOD_NOT_ALLOWED}
    if status in by_status:
        return by_status[status]
    said = f": {shorten(description)}" if description else "."
    return f"The Chat API refused the request (HTTP {status}){said}"


def invalid_values(description: str, details: Mapping[str, tuple[str, ...]]) -> str:
    """Explain a validation failure with the upstream per-field messages."""
    if details:
        fields = "; ".join(
            f"{name}: {shorten(', '.join(messages))}" for name, messages in details.items()
        )
        return f"The Chat API rejected some values. {fields}."
    said = f": {shorten(description)}" if description else "."
    return f"The Chat API rejected the values{said}"


def rate_limited(retry_after: float | None) -> str:
    """Explain a 429 that retries could not get past."""
    if retry_after is None:
        return "The Chat API is limiting how fast chatadmin may call it. Try again in a minute."
    return (
        "The Chat API is limiting how fast chatadmin may call it. "
        f"Try again in {max(1, round(retry_after))} seconds."
    )


def server_error(status: int) -> str:
    """Explain a 5xx."""
    return f"The Chat API had a problem on its side (HTTP {status}). {TRY_AGAIN}"


def timed_out() -> str:
    """Explain a connect or read timeout."""
    return f"The Chat API did not answer in time. {TRY_AGAIN}"


def out_of_time() -> str:
    """Explain a page view whose time for Chat calls ran out (the deadline)."""
    return (
        "Zendesk Chat did not answer in time, so chatadmin stopped waiting. Try again in a moment."
    )


def dropped() -> str:
    """Explain a connection closed before the answer came."""
    return f"The connection to the Chat API broke off before it answered. {TRY_AGAIN}"


def unreachable(host: str) -> str:
    """Explain a refused or failed connection."""
    return (
        f"Could not connect to the Chat API at {host}. It may be down for a moment: try again "
        "shortly. If it keeps happening, ask whoever runs chatadmin to check the Chat API address."
    )


def without_advice(explanation: str) -> str:
    """An explanation without its advice to try again (for a change whose outcome is unknown)."""
    for advice in (TRY_AGAIN, BAD_RESPONSE_ADVICE):
        explanation = explanation.removesuffix(advice)
    return explanation.rstrip()


BAD_RESPONSE_ADVICE = (
    "Check the Chat API address and host style; if they are right, try again later."
)


def bad_response(what: str) -> str:
    """Explain an answer that cannot be read."""
    return f"The Chat API sent an answer chatadmin could not read ({what}). {BAD_RESPONSE_ADVICE}"
