"""allauth, configured rather than forked."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from chatadmin.accounts import policy
from chatadmin.accounts.backends import refused_chat_identity
from chatadmin.accounts.passwords import CHAT_ONLY, local_password_refused


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Sign-up is closed unless CHATADMIN_SIGNUP_OPEN is set: admins invite people."""
        return bool(settings.CHATADMIN_SIGNUP_OPEN)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        """allauth's check, saying plainly why a Chat identity's right password is refused."""
        user = super().authenticate(request, **credentials)
        if user is None and refused_chat_identity(request):
            raise forms.ValidationError(CHAT_ONLY, code="chat_identity")
        return user

    def send_password_reset_mail(
        self, user: AbstractBaseUser, email: str, context: dict[str, Any]
    ) -> None:
        """A Chat identity gets a mail saying how they sign in, never a reset link.

        The page after the request is the same either way, so it tells nobody which kind of
        account an address belongs to.
        """
        if policy.can_use_local_password(user):
            super().send_password_reset_mail(user, email, context)
            return
        local_password_refused(user, attempt="a password reset", request=context.get("request"))
        self.send_mail("account/email/password_reset_chat_only", email, {"user": user})

    def set_password(self, user: AbstractBaseUser, password: str) -> None:
        """The one place allauth stores a password; never for a Chat identity."""
        if not policy.can_use_local_password(user):
            raise PermissionDenied(CHAT_ONLY)
        super().set_password(user, password)
