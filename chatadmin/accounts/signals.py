"""Sign-in events go to the audit log and start the session clock; reset links verify emails."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset, user_logged_in, user_logged_out
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.signals import social_account_added
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in as django_user_logged_in
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from chatadmin.accounts.backends import refused_chat_identity
from chatadmin.accounts.linking import chat_identity_link_complete
from chatadmin.accounts.middleware import session_start
from chatadmin.accounts.services import chat_sign_in_complete
from chatadmin.accounts.sign_in_tokens import sign_in_token_revoke
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record


@receiver(user_logged_in)
def record_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None:
        chat_sign_in_complete(user, sociallogin=sociallogin, request=request)
    audit_record(
        "auth.sign_in_chat" if sociallogin is not None else "auth.sign_in",
        outcome=Outcome.SUCCESS,
        actor=user,
        target_type="user",
        target_id=user.pk,
        target_label=user.email,
        request=request,
    )


@receiver(social_account_added)
def link_chat_identity(sender: Any, request: Any, sociallogin: Any, **kwargs: Any) -> None:
    """allauth connected a Chat identity to the signed-in person's local account.

    A Chat sign-in that finds its agent's account connects too (the adapter's pre_social_login);
    that one is completed by the sign-in itself (`record_sign_in`), not here.
    """
    if sociallogin.state.get("process") != AuthProcess.CONNECT:
        return
    chat_identity_link_complete(request.user, sociallogin=sociallogin, request=request)


@receiver(django_user_logged_in)
def start_session_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Every kind of sign-in (password + TOTP, Chat, the admin) starts the session's limits."""
    if request is not None and hasattr(request, "session"):
        session_start(request.session)


@receiver(user_logged_out)
def record_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    # Revoke the Chat token this session signed in with, then forget it (whatever Chat says).
    not_revoked = sign_in_token_revoke(user, request=request)
    if not_revoked and request is not None:
        messages.warning(request, not_revoked)
    audit_record(
        "auth.sign_out",
        outcome=Outcome.SUCCESS,
        actor=user,
        target_type="user",
        target_id=user.pk,
        target_label=user.email,
        message=not_revoked,
        request=request,
    )


@receiver(user_login_failed)
def record_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    if refused_chat_identity(request):
        return  # recorded as a denial by LocalPasswordBackend
    # Django already masks password-like keys in credentials; keep only the identifier.
    identifier = str(credentials.get("email") or credentials.get("username") or "")
    audit_record(
        "auth.sign_in",
        outcome=Outcome.FAILURE,
        actor_label=identifier,
        target_type="user",
        target_label=identifier,
        message="Wrong email or password.",
        request=request,
    )


@receiver(password_reset)
def verify_email_on_password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """The reset link was mailed to the account's address, so following it proves the address."""
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    audit_record(
        "auth.password_set",
        outcome=Outcome.SUCCESS,
        actor=user,
        target_type="user",
        target_id=user.pk,
        target_label=user.email,
        request=request,
    )
