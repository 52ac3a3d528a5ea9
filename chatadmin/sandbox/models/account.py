"""The one Chat account a sandbox emulates, with the sandbox's run-time knobs."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.http import HttpRequest


class AccountType(models.TextChoices):
    # See chat-api.md section 5: only Legacy Chat-only accounts may use basic auth.
    LEGACY_CHAT_ONLY = "legacy_chat_only", "Legacy Chat-only"
    CHAT_SUPPORT = "chat_support", "Chat + Support"
    PHASE4 = "phase4", "Chat Phase 4"


class Account(models.Model):
    """A singleton row (pk=1). Knob values are validated by chatadmin.sandbox.knobs."""

    SINGLETON_ID = 1

    # mypy reads the dashboard's settings, which do not install this app, so its Django plugin
    # cannot add these; they are spelled out for it (no effect at run time).
    id: int
    objects: ClassVar[models.Manager[Account]] = models.Manager()

    account_type = models.CharField(max_length=32, choices=AccountType.choices)
    subdomain = models.CharField(max_length=63)
    access_token_ttl = models.PositiveIntegerField(help_text="seconds")
    refresh_token_ttl = models.PositiveIntegerField(help_text="seconds")
    code_ttl = models.PositiveIntegerField(help_text="seconds")
    latency_ms = models.PositiveIntegerField(default=0)
    failure_rate = models.FloatField(default=0.0)
    rate_limit = models.PositiveIntegerField(default=0, help_text="requests per window; 0: off")
    rate_window = models.PositiveIntegerField(default=60, help_text="seconds")

    def __str__(self) -> str:
        return f"{self.subdomain} ({self.account_type})"

    @classmethod
    def load(cls) -> Account:
        """The account, created from the starting knob values the first time."""
        # getattr: the dashboard's settings, which mypy reads, have no SANDBOX_KNOBS.
        knobs = getattr(settings, "SANDBOX_KNOBS", {})
        account, _ = cls.objects.get_or_create(pk=cls.SINGLETON_ID, defaults=knobs)
        return account

    @classmethod
    def for_request(cls, request: HttpRequest) -> Account:
        """The account, read once per request (FaultMiddleware usually reads it first)."""
        account = getattr(request, "sandbox_account", None)
        if not isinstance(account, cls):
            account = cls.load()
            request.sandbox_account = account  # type: ignore[attr-defined]
        return account

    @property
    def account_type_label(self) -> str:
        return str(AccountType(self.account_type).label)

    @property
    def allows_basic_auth(self) -> bool:
        return self.account_type == AccountType.LEGACY_CHAT_ONLY

    @property
    def allows_password_grant(self) -> bool:
        return self.account_type == AccountType.LEGACY_CHAT_ONLY
