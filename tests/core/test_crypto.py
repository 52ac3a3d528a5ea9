"""Secrets at rest: ciphertext in the database, plaintext in Python, rotatable keys."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from chatadmin.core import crypto


@given(st.text())
@settings(max_examples=200)
def test_round_trip_for_any_text(text: str) -> None:
    ciphertext = crypto.encrypt(text)
    assert ciphertext.startswith("gAAAAA")
    if len(text) >= 8:  # shorter strings can occur in base64 by chance
        assert text not in ciphertext
    assert crypto.decrypt(ciphertext) == text


def test_a_new_first_key_encrypts_and_old_ciphertext_still_opens_and_rotates() -> None:
    old = crypto.encrypt("s3cret")
    new_key = Fernet.generate_key().decode()
    from django.conf import settings as django_settings

    with override_settings(FERNET_KEYS=[new_key, *django_settings.FERNET_KEYS]):
        assert crypto.decrypt(old) == "s3cret"
        rotated = crypto.rotate(old)
        assert Fernet(new_key).decrypt(rotated.encode()) == b"s3cret"
    with override_settings(FERNET_KEYS=[new_key]):
        assert crypto.decrypt(rotated) == "s3cret"
        with pytest.raises(crypto.UndecryptableSecret):
            crypto.decrypt(old)
