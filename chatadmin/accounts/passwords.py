"""allauth's password pages, refusing plainly a person who signs in with Zendesk Chat.

A Chat identity has no local password, so Chat's disabling or demoting the agent always reaches
them (DESIGN.md "Identity and credentials"). Every refusal is audited.
"""

from __future__ import annotations

from typing import Any

from allauth.account.views import PasswordChangeView, PasswordResetFromKeyView, PasswordSetView
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from chatadmin.accounts import policy
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record

CHAT_ONLY = "You sign in with Zendesk Chat, so chatadmin keeps no password for you."


def local_password_refused(
    person: AbstractBaseUser, *, attempt: str, request: HttpRequest | None
) -> None:
    """Record that a Chat identity was refused a local password (`attempt` says how)."""
    audit_record(
        "auth.password_set",
        outcome=Outcome.DENIED,
        actor=person,  # type: ignore[arg-type]
        target_type="user",
        target_id=person.pk,
        target_label=str(getattr(person, "email", "")),
        message=f"Refused {attempt}: this person signs in with Zendesk Chat only.",
        request=request,
    )


def _refusal(request: HttpRequest, person: AbstractBaseUser, *, attempt: str) -> HttpResponse:
    local_password_refused(person, attempt=attempt, request=request)
    return render(request, "account/password_chat_only.html", {"message": CHAT_ONLY}, status=403)


class ChatAwarePasswordSetView(PasswordSetView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not policy.can_use_local_password(request.user):
            return _refusal(request, request.user, attempt="setting a password")
        return super().dispatch(request, *args, **kwargs)


class ChatAwarePasswordChangeView(PasswordChangeView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not policy.can_use_local_password(request.user):
            return _refusal(request, request.user, attempt="changing a password")
        return super().dispatch(request, *args, **kwargs)


class ChatAwarePasswordResetFromKeyView(PasswordResetFromKeyView):
    """The reset link's page: refused only once the link proved valid, so it leaks nothing."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.reset_user is not None and not policy.can_use_local_password(self.reset_user):
            return _refusal(request, self.reset_user, attempt="a password reset link")
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.reset_user is not None and not policy.can_use_local_password(self.reset_user):
            return _refusal(request, self.reset_user, attempt="a password reset link")
        return super().post(request, *args, **kwargs)


password_set = ChatAwarePasswordSetView.as_view()
password_change = ChatAwarePasswordChangeView.as_view()
password_reset_from_key = ChatAwarePasswordResetFromKeyView.as_view()
