"""OAuth clients, authorization codes and tokens. Secret values are stored as digests only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from django.db import models
from django.utils import timezone

from chatadmin.sandbox import hashing
from chatadmin.sandbox.models.agents import Agent


class ClientType(models.TextChoices):
    PUBLIC = "public", "Public"
    CONFIDENTIAL = "confidential", "Confidential"


class OAuthClient(models.Model):
    """A Chat API client (chat-api.md section 2.1)."""

    client_identifier = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=255)
    # Null is an answer of its own (`"company": null`), kept apart from "" so that what an
    # integrator writes is what they read back.
    company = models.CharField(max_length=255, blank=True, null=True)  # noqa: DJ001
    # Several redirect URIs are one string separated by spaces (DESIGN.md, "The sandbox").
    redirect_uris = models.TextField()
    scopes = models.CharField(max_length=64)
    client_type = models.CharField(
        max_length=16, choices=ClientType.choices, default=ClientType.PUBLIC
    )
    secret_digest = models.CharField(max_length=64)
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="clients")
    create_date = models.DateTimeField(default=timezone.now)
    update_date = models.DateTimeField(default=timezone.now)

    # mypy reads the dashboard's settings, which do not install this app, so its Django plugin
    # cannot add these; they are spelled out for it (no effect at run time).
    id: int
    agent_id: int
    objects: ClassVar[models.Manager[OAuthClient]] = models.Manager()

    class Meta:
        ordering = ("id",)
        verbose_name = "OAuth client"

    def __str__(self) -> str:
        return self.name

    @property
    def client_id(self) -> str:
        """oauthlib's name for the identifier."""
        return self.client_identifier

    @property
    def redirect_uri_list(self) -> list[str]:
        return self.redirect_uris.split()

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def is_confidential(self) -> bool:
        return self.client_type == ClientType.CONFIDENTIAL

    def set_secret(self, secret: str) -> None:
        self.secret_digest = hashing.digest(secret)

    def check_secret(self, secret: str) -> bool:
        return bool(self.secret_digest) and hashing.matches(secret, self.secret_digest)


class Grant(models.Model):
    """An authorization code: short-lived and single use."""

    code_digest = models.CharField(max_length=64, unique=True)
    client = models.ForeignKey(OAuthClient, on_delete=models.CASCADE, related_name="grants")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="grants")
    redirect_uri = models.TextField()
    # RFC 6749 4.1.3: the token request must repeat redirect_uri if authorize had one.
    redirect_uri_given = models.BooleanField(default=True)
    scopes = models.CharField(max_length=64)
    code_challenge = models.CharField(max_length=128, blank=True)
    code_challenge_method = models.CharField(max_length=8, blank=True)
    expire_date = models.DateTimeField()
    used_date = models.DateTimeField(null=True, blank=True)
    # The token the code was exchanged for, revoked if someone replays the code.
    access_token = models.ForeignKey(
        "AccessToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # mypy reads the dashboard's settings, which do not install this app, so its Django plugin
    # cannot add these; they are spelled out for it (no effect at run time).
    id: int
    client_id: int
    agent_id: int
    access_token_id: int | None
    objects: ClassVar[models.Manager[Grant]] = models.Manager()

    def __str__(self) -> str:
        return f"code for {self.client_id} / {self.agent_id}"

    def is_expired(self, at: datetime) -> bool:
        return at >= self.expire_date


class AccessToken(models.Model):
    """An access token; the Chat token object's `refresh_token` comes from its RefreshToken."""

    token_digest = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(max_length=16)
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="tokens")
    client = models.ForeignKey(OAuthClient, on_delete=models.CASCADE, related_name="tokens")
    scopes = models.CharField(max_length=64)
    create_date = models.DateTimeField(default=timezone.now)
    expire_date = models.DateTimeField()
    revoked_date = models.DateTimeField(null=True, blank=True)

    # mypy reads the dashboard's settings, which do not install this app, so its Django plugin
    # cannot add these; they are spelled out for it (no effect at run time).
    id: int
    agent_id: int
    client_id: int
    objects: ClassVar[models.Manager[AccessToken]] = models.Manager()

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.token_prefix

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()


class RefreshToken(models.Model):
    """A refresh token. Each use rotates it; a family is one chain of rotations."""

    token_digest = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(max_length=16)
    access_token = models.OneToOneField(
        AccessToken, on_delete=models.CASCADE, related_name="refresh"
    )
    family = models.UUIDField(default=uuid.uuid4, db_index=True)
    expire_date = models.DateTimeField()
    # Set when the token is rotated or revoked; a second use then revokes the whole family.
    revoked_date = models.DateTimeField(null=True, blank=True)

    # mypy reads the dashboard's settings, which do not install this app, so its Django plugin
    # cannot add these; they are spelled out for it (no effect at run time).
    id: int
    access_token_id: int
    objects: ClassVar[models.Manager[RefreshToken]] = models.Manager()

    def __str__(self) -> str:
        return self.token_prefix
