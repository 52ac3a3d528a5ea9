"""Encrypt the TOTP secrets and recovery-code seeds stored before chatadmin's MFA adapter.

Safe to run again: a value that already opens with FERNET_KEYS is left alone. A value that looks
like Fernet ciphertext but opens with none of the keys stops the migration instead of being
encrypted twice (put the missing key back in FERNET_KEYS). The reverse decrypts.
"""

import base64
import binascii

from django.db import migrations

from chatadmin.core import crypto

# Where allauth 65 keeps the secrets in Authenticator.data (kept here as they were when this
# migration was written, so later code changes do not change what it does).
SECRET_KEYS = {"totp": ("secret",), "recovery_codes": ("seed",)}
SECRET_LIST_KEYS = {"recovery_codes": ("migrated_codes",)}
# Every Fernet token starts with the version byte and has at least 73 bytes (the Fernet spec).
FERNET_VERSION = 0x80
FERNET_MIN_BYTES = 73


def _looks_like_fernet(value):
    try:
        raw = base64.urlsafe_b64decode(value.encode() + b"=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return False
    return len(raw) >= FERNET_MIN_BYTES and raw[0] == FERNET_VERSION


def _opens(value):
    try:
        crypto.decrypt(value)
    except crypto.UndecryptableSecret:
        if _looks_like_fernet(value):
            raise
        return False
    return True


def _encrypted(value):
    return value if _opens(value) else crypto.encrypt(value)


def _decrypted(value):
    return crypto.decrypt(value) if _opens(value) else value


def _map_secrets(apps, change):
    Authenticator = apps.get_model("mfa", "Authenticator")
    kinds = set(SECRET_KEYS) | set(SECRET_LIST_KEYS)
    for authenticator in Authenticator.objects.filter(type__in=kinds).iterator():
        data = dict(authenticator.data)
        for key in SECRET_KEYS.get(authenticator.type, ()):
            if isinstance(data.get(key), str):
                data[key] = change(data[key])
        for key in SECRET_LIST_KEYS.get(authenticator.type, ()):
            if isinstance(data.get(key), list):
                data[key] = [change(value) for value in data[key]]
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def encrypt_secrets(apps, schema_editor):
    _map_secrets(apps, _encrypted)


def decrypt_secrets(apps, schema_editor):
    _map_secrets(apps, _decrypted)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_chatcredential_accountconnection"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets, elidable=False)]
