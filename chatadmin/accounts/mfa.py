"""Two-factor secrets (TOTP secrets, recovery-code seeds) encrypted with FERNET_KEYS at rest.

allauth keeps them in `Authenticator.data` and passes each one through the MFA adapter's
`encrypt`/`decrypt` hooks, so this adapter is all it takes; migration
`accounts.0003_mfa_secrets_encrypted` encrypted the enrolments made before it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.db import transaction

from chatadmin.core import crypto

# Where allauth keeps each authenticator's secrets (allauth/mfa/totp/internal/auth.py,
# allauth/mfa/recovery_codes/internal/auth.py): single values, and lists of values.
SECRET_KEYS: dict[str, tuple[str, ...]] = {
    Authenticator.Type.TOTP: ("secret",),
    Authenticator.Type.RECOVERY_CODES: ("seed",),
}
SECRET_LIST_KEYS: dict[str, tuple[str, ...]] = {
    Authenticator.Type.RECOVERY_CODES: ("migrated_codes",),
}


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        """TOTP secrets and recovery seeds are stored Fernet-encrypted."""
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        """The secret behind a value `encrypt` stored, with any of FERNET_KEYS."""
        return crypto.decrypt(encrypted_text)


def authenticator_data_map(
    kind: str, data: dict[str, Any], change: Callable[[str], str]
) -> dict[str, Any]:
    """`data` with `change` applied to each secret allauth keeps in an authenticator of `kind`."""
    changed = dict(data)
    for key in SECRET_KEYS.get(kind, ()):
        if isinstance(changed.get(key), str):
            changed[key] = change(changed[key])
    for key in SECRET_LIST_KEYS.get(kind, ()):
        if isinstance(changed.get(key), list):
            changed[key] = [change(value) for value in changed[key]]
    return changed


def authenticator_secrets_rotate() -> int:
    """Re-encrypt every stored two-factor secret with the first key; the number of rows."""
    total = 0
    with transaction.atomic():
        authenticators = Authenticator.objects.select_for_update().filter(
            type__in=[*SECRET_KEYS, *SECRET_LIST_KEYS]
        )
        for authenticator in authenticators:
            authenticator.data = authenticator_data_map(
                authenticator.type, authenticator.data, crypto.rotate
            )
            authenticator.save(update_fields=["data"])
            total += 1
    return total
