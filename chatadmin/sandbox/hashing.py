"""Making and hashing the sandbox's secrets: client secrets, codes and tokens.

Only a SHA-256 digest (for lookup) and a short display prefix are ever stored. These values
are long random strings, so a fast hash is enough; passwords use Django's hashers instead.
"""

from __future__ import annotations

import hashlib
import hmac

from oauthlib.common import generate_token

# The Chat docs show 50-character client identifiers and 64-character secrets and tokens.
IDENTIFIER_LENGTH = 50
SECRET_LENGTH = 64
PREFIX_LENGTH = 8


def new_secret(length: int = SECRET_LENGTH) -> str:
    """A random value of letters and digits, from the system's CSPRNG."""
    return generate_token(length)


def digest(value: str) -> str:
    """The SHA-256 hex digest stored in place of a secret value."""
    return hashlib.sha256(value.encode()).hexdigest()


def matches(value: str, stored_digest: str) -> bool:
    """Whether a presented value hashes to the stored digest (constant time)."""
    return hmac.compare_digest(digest(value), stored_digest)


def display_prefix(value: str) -> str:
    """The part of a token that lists may show: enough to recognise it, useless to use."""
    return value[:PREFIX_LENGTH] + "…"
