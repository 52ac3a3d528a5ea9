"""Agents and their roles, with the Chat API's field names (chat-api.md section 6)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone


class RoleKind(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMINISTRATOR = "administrator", "Administrator"
    AGENT = "agent", "Agent"


class Role(models.Model):
    """A built-in Chat role. Ids are set by the seed and stay stable across resets."""

    id = models.PositiveIntegerField(primary_key=True)
    kind = models.CharField(max_length=16, choices=RoleKind.choices, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=255, blank=True)
    enabled = models.BooleanField(default=True)
    permissions = models.JSONField(default=dict, blank=True)

    # mypy reads the dashboard's settings, which do not install this app, so its Django plugin
    # cannot add these; they are spelled out for it (no effect at run time).
    objects: ClassVar[models.Manager[Role]] = models.Manager()

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name


class AgentManager(BaseUserManager["Agent"]):
    """Agents are keyed by email, matched without regard to case."""

    def get_by_natural_key(self, username: str | None) -> Agent:
        return self.get(email__iexact=username or "")

    def create_agent(self, email: str, password: str | None, **extra: Any) -> Agent:
        agent = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            agent.set_password(password)
        else:
            agent.set_unusable_password()
        agent.save(using=self._db)
        return agent


class Agent(AbstractBaseUser):
    """A Chat agent; the sandbox's AUTH_USER_MODEL, so agents sign in to its pages."""

    id = models.PositiveBigIntegerField(primary_key=True)
    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=255, blank=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="members")
    # The API calls this `enabled` (an integer); Django's auth reads `is_active`.
    is_active = models.BooleanField("enabled", default=True)
    departments = models.JSONField(default=list, blank=True)
    enabled_departments = models.JSONField(default=list, blank=True)
    skills = models.JSONField(default=list, blank=True)
    create_date = models.DateTimeField(default=timezone.now)
    login_count = models.PositiveIntegerField(default=0)

    # mypy reads the dashboard's settings, which do not install this app, so its Django plugin
    # cannot add these; they are spelled out for it (no effect at run time).
    role_id: int

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[AgentManager] = AgentManager()

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.email

    @property
    def is_admin(self) -> bool:
        """Owners and administrators see and manage every client (DESIGN.md, "Who uses it")."""
        return self.role.kind in (RoleKind.OWNER, RoleKind.ADMINISTRATOR)
