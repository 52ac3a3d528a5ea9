"""Encryption of secrets at rest with the FERNET_KEYS from the environment.

The first key encrypts; every key decrypts, so a key is rotated by putting a new one first and
running `manage.py rotate_secrets`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver


class UndecryptableSecret(Exception):
    """Stored ciphertext that none of the configured keys opens (a key was dropped too early)."""


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.FERNET_KEYS])


@receiver(setting_changed)
def _forget_keys(setting: str, **kwargs: Any) -> None:
    if setting == "FERNET_KEYS":
        _fernet.cache_clear()


def encrypt(plaintext: str) -> str:
    """Ciphertext for a secret, as text."""
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    """The secret behind ciphertext made by `encrypt` with any configured key."""
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as error:
        raise UndecryptableSecret(
            "A stored secret cannot be decrypted with the configured FERNET_KEYS."
        ) from error


def rotate(ciphertext: str) -> str:
    """The same secret, encrypted again with the first key."""
    try:
        return _fernet().rotate(ciphertext.encode()).decode()
    except InvalidToken as error:
        raise UndecryptableSecret("A stored secret cannot be rotated.") from error


class EncryptedTextField(models.TextField):
    """A text field whose value is stored Fernet-encrypted; Python code sees the plaintext.

    It cannot be searched or filtered on: the same plaintext encrypts differently every time.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
