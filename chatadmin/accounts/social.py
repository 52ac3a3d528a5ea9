"""allauth's social side: Chat agents sign in with their Chat identity, without an invitation."""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.http import HttpRequest

from chatadmin.accounts import policy
from chatadmin.accounts.models import User
from chatadmin.accounts.zendeskchat.views import ChatSignInFailed
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        """A Chat agent's account is their invitation: sign-in creates their chatadmin user."""
        return True

    def populate_user(
        self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]
    ) -> User:
        user: User = super().populate_user(request, sociallogin, data)
        user.display_name = data.get("display_name", "")
        user.chat_agent_id = data["chat_agent_id"]
        user.role = policy.role_after_chat_sign_in(None, chat_admin=data["chat_is_admin"])
        return user

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: str | None = None,
        exception: Exception | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        """Record every failed Chat sign-in, and let the page say why when we know."""
        problem = str(exception) if isinstance(exception, ChatSignInFailed) else ""
        if extra_context is not None and problem:
            extra_context["chat_problem"] = problem
        audit_record(
            "auth.sign_in_chat",
            outcome=Outcome.FAILURE,
            actor_label="Zendesk Chat sign-in",
            message=problem or f"The sign-in did not complete ({error or 'unknown error'}).",
            request=request,
        )
