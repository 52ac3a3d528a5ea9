"""allauth's social side: Chat agents sign in with their Chat identity, without an invitation."""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect, render

from chatadmin.accounts import policy
from chatadmin.accounts.linking import chat_identity_link_refusal
from chatadmin.accounts.models import User
from chatadmin.accounts.zendeskchat.views import ChatSignInFailed
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        """A Chat agent's account is their invitation: sign-in creates their chatadmin user."""
        return True

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Link a first Chat sign-in to the same Chat agent; never take over a local account.

        Matching local accounts by email would let anyone who can set an agent's email in Chat
        become that local person (an admin, say), so an email clash is refused instead.
        """
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            self._before_linking(request, sociallogin)
            return
        if sociallogin.is_existing:
            return
        agent = sociallogin.account.extra_data
        same_agent = User.objects.filter(chat_agent_id=int(agent["id"])).first()
        if same_agent is not None:
            sociallogin.connect(request, same_agent)
            return
        email = str(agent.get("email") or "")
        if User.objects.filter(email__iexact=email).exists():
            problem = (
                f"A local chatadmin account already uses {email}, so this Chat identity cannot "
                "sign in with it. Ask an admin to link them, or sign in with the local account."
            )
            audit_record(
                "auth.sign_in_chat",
                outcome=Outcome.DENIED,
                actor_label=email,
                target_type="user",
                target_label=email,
                message=problem,
                request=request,
            )
            raise ImmediateHttpResponse(
                render(
                    request,
                    "socialaccount/authentication_error.html",
                    {"chat_problem": problem},
                    status=403,
                )
            )

    def _before_linking(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """A signed-in person links a Chat identity: refuse it before allauth saves anything.

        Never matched to someone else by agent id or email: an identity that another account
        holds (signed in with it, or linked by agent id) is refused, and so is a person who may
        not link one (`chat_identity_link_refusal`, audited).
        """
        reason = chat_identity_link_refusal(request, sociallogin)
        if reason:
            messages.error(request, reason)
            raise ImmediateHttpResponse(redirect("settings"))

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
