"""Re-encrypt every stored secret with the first of FERNET_KEYS (after adding a new key first)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from chatadmin.accounts.mfa import authenticator_secrets_rotate
from chatadmin.core import crypto


class Command(BaseCommand):
    help = "Re-encrypt stored secrets with the newest Fernet key; then older keys can be dropped."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            fields = [
                f for f in model._meta.get_fields() if isinstance(f, crypto.EncryptedTextField)
            ]
            if not fields:
                continue
            names = [field.attname for field in fields]
            with transaction.atomic():
                # Reading decrypts with any key; writing encrypts with the first one.
                rows = model._default_manager.select_for_update().values_list("pk", *names)
                for pk, *plaintexts in rows.iterator():
                    updates = dict(zip(names, plaintexts, strict=True))
                    model._default_manager.filter(pk=pk).update(**updates)
                    total += 1
        # Two-factor secrets live inside allauth's JSON data, not in an encrypted field.
        total += authenticator_secrets_rotate()
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted the secrets of {total} rows."))
