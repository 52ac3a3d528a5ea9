"""The token wizard's round trip to Zendesk Chat: what waits in the session, and the secret.

A flow starts when the person leaves for Chat's authorize page and ends when Chat sends them
back to the landing page: the session holds one pending flow (its `state`, client, scopes),
taken out on return so that each answer is used once.

The client secret of a production flow must survive that trip without being stored: it is
encrypted with a fresh one-time key; the ciphertext rides in an HttpOnly cookie that only the
landing page receives, and the key waits in the session. Neither half alone reveals the
secret, the database and cache never see it (not even encrypted), and both halves are
dropped on return or after FLOW_LIFETIME.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal, cast

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.http import HttpRequest, HttpResponse

Mode = Literal["testing", "production"]
MODES: tuple[tuple[Mode, str], ...] = (
    ("testing", "Testing: implicit grant, the token goes straight to your browser"),
    ("production", "Production: authorization code with state, exchanged with the client secret"),
)
SESSION_KEY = "chatadmin.tokens.wizard"
SEAL_COOKIE = "chatadmin_wizard_seal"
FLOW_LIFETIME = 600  # seconds from leaving for Chat to coming back


@dataclass(frozen=True)
class PendingFlow:
    """A token request that left for Zendesk Chat and has not come back yet."""

    state: str
    mode: Mode
    client_id: int
    client_identifier: str
    client_name: str
    scopes: tuple[str, ...]
    redirect_uri: str
    started_at: float
    seal_key: str = field(default="", repr=False)

    def expired(self) -> bool:
        return time.time() - self.started_at > FLOW_LIFETIME

    def to_session(self) -> dict[str, object]:
        return {
            "state": self.state,
            "mode": self.mode,
            "client_id": self.client_id,
            "client_identifier": self.client_identifier,
            "client_name": self.client_name,
            "scopes": list(self.scopes),
            "redirect_uri": self.redirect_uri,
            "started_at": self.started_at,
            "seal_key": self.seal_key,
        }

    @classmethod
    def from_session(cls, data: object) -> PendingFlow | None:
        """The flow kept in the session, or None if there is none or it cannot be read."""
        if not isinstance(data, dict):
            return None
        try:
            mode = data["mode"]
            if mode not in ("testing", "production"):
                return None
            return cls(
                state=str(data["state"]),
                mode=cast(Mode, mode),
                client_id=int(data["client_id"]),
                client_identifier=str(data["client_identifier"]),
                client_name=str(data["client_name"]),
                scopes=tuple(str(scope) for scope in data["scopes"]),
                redirect_uri=str(data["redirect_uri"]),
                started_at=float(data["started_at"]),
                seal_key=str(data.get("seal_key", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None


def flow_keep(request: HttpRequest, flow: PendingFlow) -> None:
    """Remember the flow that is leaving for Chat (replacing any earlier one)."""
    request.session[SESSION_KEY] = flow.to_session()


def flow_take(request: HttpRequest) -> PendingFlow | None:
    """Take the pending flow out of the session: each answer from Chat is used once."""
    return PendingFlow.from_session(request.session.pop(SESSION_KEY, None))


def seal(secret: str) -> tuple[str, str]:
    """(one-time key, ciphertext) for a client secret that must survive the round trip."""
    key = Fernet.generate_key()
    return key.decode(), Fernet(key).encrypt(secret.encode()).decode()


def unseal(key: str, sealed: str) -> str | None:
    """The secret back, or None if either half is missing, altered or too old."""
    if not key or not sealed:
        return None
    try:
        return Fernet(key.encode()).decrypt(sealed.encode(), ttl=FLOW_LIFETIME).decode()
    except (InvalidToken, ValueError):
        return None


def seal_cookie_set(response: HttpResponse, sealed: str, *, path: str) -> None:
    """Send the ciphertext along, readable only by the landing page and never by scripts."""
    response.set_cookie(
        SEAL_COOKIE,
        sealed,
        max_age=FLOW_LIFETIME,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        # Chat sends the person back with a top-level GET from its own site: Lax allows that.
        samesite="Lax",
    )


def seal_cookie_clear(response: HttpResponse, *, path: str) -> None:
    response.delete_cookie(SEAL_COOKIE, path=path, samesite="Lax")
