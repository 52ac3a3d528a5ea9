"""Who a Chat API call acts as: an OAuth bearer token, or email + password (Legacy Chat-only)."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from chatadmin.chat.resources import HIDDEN

# RFC 6750 section 2.1 b64token characters; anything else (a space, a newline) would make the
# HTTP layer reject the header with an error message that quotes the whole token.
BEARER_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


@dataclass(frozen=True, repr=False)
class BearerCredential:
    """A Chat OAuth access token."""

    access_token: str

    def __post_init__(self) -> None:
        if not BEARER_TOKEN.fullmatch(self.access_token):
            raise ValueError(
                "A bearer credential needs an access token made of letters, digits and -._~+/."
            )

    def __repr__(self) -> str:
        return f"BearerCredential(access_token={HIDDEN})"

    def authorization_header(self) -> str:
        """The `Authorization` header value."""
        return f"Bearer {self.access_token}"


@dataclass(frozen=True, repr=False)
class BasicCredential:
    """An agent's email and password (the Chat API accepts them on Legacy Chat-only accounts)."""

    email: str
    password: str

    def __post_init__(self) -> None:
        if not self.email.strip() or not self.password:
            raise ValueError("A basic credential needs an email and a password.")

    def __repr__(self) -> str:
        return f"BasicCredential(email={self.email!r}, password={HIDDEN})"

    def authorization_header(self) -> str:
        """The `Authorization` header value (RFC 7617, UTF-8)."""
        pair = f"{self.email}:{self.password}".encode()
        return f"Basic {base64.b64encode(pair).decode('ascii')}"


Credential = BearerCredential | BasicCredential
