"""People who use chatadmin: signed in locally (email + password) or with their Chat identity."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from chatadmin.accounts.roles import Role
from chatadmin.core.crypto import EncryptedTextField

ROLE_LABELS: dict[str, str] = dict(Role.choices)


class UserManager(BaseUserManager["User"]):
    """Users are keyed by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A chatadmin user with a role and, when known, the Chat agent they are."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.USER)
    chat_agent_id = models.BigIntegerField(
        "Chat agent id",
        null=True,
        blank=True,
        unique=True,
        help_text="The Zendesk Chat agent this person signs in as, if any.",
    )
    display_name = models.CharField(max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ("email",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def role_label(self) -> str:
        """The role in words (as get_role_display, without building its lookup on every page)."""
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def label(self) -> str:
        """How the person is named in pages and the audit log."""
        return self.display_name or self.get_full_name() or self.email


class ChatCredential(models.Model):
    """A signed-in agent's Chat OAuth tokens, encrypted, used for that agent's calls."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="chat_credential")
    agent_id = models.BigIntegerField()
    access_token = EncryptedTextField()
    refresh_token = EncryptedTextField(blank=True, default="")
    scopes = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Chat credential of {self.user}"


class ConnectionKind(models.TextChoices):
    OAUTH = "oauth", "OAuth token"
    BASIC = "basic", "Basic auth (Legacy Chat-only accounts)"


class AccountConnection(models.Model):
    """The account's service credential, used for support staff's read-only views.

    There is at most one row (a singleton, enforced by the constant key).
    """

    SINGLETON_KEY = "account"

    key = models.CharField(max_length=16, unique=True, default=SINGLETON_KEY, editable=False)
    kind = models.CharField(max_length=8, choices=ConnectionKind.choices)
    access_token = EncryptedTextField(blank=True, default="")
    refresh_token = EncryptedTextField(blank=True, default="")
    expires_at = models.DateTimeField(null=True, blank=True)
    basic_email = models.EmailField(blank=True)
    basic_password = EncryptedTextField(blank=True, default="")
    # Who the credential acts as, from agents/me at the last successful check.
    agent_id = models.BigIntegerField(null=True, blank=True)
    agent_email = models.EmailField(blank=True)
    agent_name = models.CharField(max_length=150, blank=True)
    agent_is_admin = models.BooleanField(default=False)
    saved_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", blank=True
    )
    saved_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    check_ok = models.BooleanField(default=False)
    check_message = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(key="account"), name="accounts_connection_singleton"
            )
        ]

    def __str__(self) -> str:
        return f"Account connection ({self.get_kind_display()})"


class SignInClientSecret(models.Model):
    """The secret of chatadmin's own sign-in client after it was regenerated from the dashboard.

    It overrides CHAT_OAUTH_CLIENT_SECRET for the client it was issued to, so that "Sign in with
    Zendesk Chat" keeps working without a restart. At most one row; stored encrypted.
    """

    SINGLETON_KEY = "sign-in"

    key = models.CharField(max_length=16, unique=True, default=SINGLETON_KEY, editable=False)
    client_identifier = models.CharField(max_length=255)
    secret = EncryptedTextField()
    rotated_at = models.DateTimeField(auto_now=True)
    rotated_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", blank=True
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(key="sign-in"), name="accounts_sign_in_secret_singleton"
            )
        ]

    def __str__(self) -> str:
        return f"Rotated secret of {self.client_identifier}"
