"""allauth, configured rather than forked."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Sign-up is closed unless CHATADMIN_SIGNUP_OPEN is set: admins invite people."""
        return bool(settings.CHATADMIN_SIGNUP_OPEN)
