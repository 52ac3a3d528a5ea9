"""Linking a local account to a Chat identity, with allauth's account connections.

A local admin (or user) who is also a Chat agent links the two from Settings: allauth's
"connect" process for the `zendeskchat` provider runs the same OAuth flow as "Sign in with
Zendesk Chat", and on the way back the account gets what a Chat sign-in gives (the agent id,
the stored token, the role from Chat: `services.chat_sign_in_complete`) and loses its local
password, so from then on the person signs in through Chat only and Chat's disabling or
demoting them reaches chatadmin (DESIGN.md "Identity and credentials"). They are told so
before they link. Every ending is audited as `auth.chat_identity_link`.
"""

from __future__ import annotations

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from chatadmin.accounts import policy
from chatadmin.accounts.models import User
from chatadmin.accounts.services import chat_sign_in_complete
from chatadmin.audit.models import Outcome
from chatadmin.audit.operations import AuditTarget, audit_attempt, audited
from chatadmin.core.problems import Denied

ACTION = "auth.chat_identity_link"
PROVIDER = "zendeskchat"

NOT_FOR_YOU = (
    "Only admins and users with a local account link a Zendesk Chat identity; support staff "
    "read through the account connection, and a Chat identity is linked already."
)
NOT_CONFIRMED = (
    "Nothing was linked: tick the box to confirm that your chatadmin password is removed."
)
TAKEN = (
    "This Zendesk Chat identity already belongs to another chatadmin account, so it was not "
    "linked to yours. Sign out and use “Sign in with Zendesk Chat” to reach that account, or "
    "ask an admin."
)
LINKED = (
    "Your Zendesk Chat identity is linked and your chatadmin password was removed: from now "
    "on, sign in with “Sign in with Zendesk Chat”."
)


class LinkRefused(Denied):
    """This Chat identity cannot be linked to this account; the explanation says why."""

    title = "Chat identity not linked"


def _target(user: User) -> AuditTarget:
    return AuditTarget("user", user.pk, user.email)


def chat_identity_link_start(user: User, *, confirmed: bool, request: HttpRequest) -> HttpResponse:
    """Send the person to Zendesk Chat to link their identity (allauth's connect process).

    LinkRefused, audited, when they may not link one or did not confirm that their password
    goes; nothing is stashed and nobody is redirected then.
    """
    if not policy.may_link_chat_identity(user):
        audit_attempt(ACTION, Outcome.DENIED, NOT_FOR_YOU, actor=user, target=_target(user))
        raise LinkRefused(NOT_FOR_YOU)
    if not confirmed:
        audit_attempt(ACTION, Outcome.FAILURE, NOT_CONFIRMED, actor=user, target=_target(user))
        raise LinkRefused(NOT_CONFIRMED)
    provider = get_adapter().get_provider(request, PROVIDER)
    return provider.redirect(request, AuthProcess.CONNECT, next_url=reverse("settings"))


def chat_identity_link_refusal(request: HttpRequest, sociallogin: SocialLogin) -> str:
    """Why the Chat identity coming back from Chat cannot be linked to the signed-in person.

    "" when it can. Asked before allauth saves anything; a refusal is audited here.
    """
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - allauth connects only for a signed-in person
    agent_id = int(sociallogin.account.extra_data["id"])
    reason = ""
    someone_else = sociallogin.is_existing and sociallogin.user.pk != user.pk
    if not policy.may_link_chat_identity(user):
        reason = NOT_FOR_YOU
    elif someone_else or User.objects.filter(chat_agent_id=agent_id).exclude(pk=user.pk).exists():
        reason = TAKEN
    if reason:
        audit_attempt(
            ACTION,
            Outcome.DENIED,
            f"{reason} (Chat agent {agent_id})",
            actor=user,
            target=_target(user),
            request=request,
        )
    return reason


def chat_identity_link_complete(
    user: User, *, sociallogin: SocialLogin, request: HttpRequest
) -> None:
    """allauth connected the Chat identity: what a Chat sign-in gives, and no local password."""
    with audited(ACTION, actor=user, target=_target(user), request=request) as operation:
        previous_role = user.get_role_display()
        with transaction.atomic():
            user.set_unusable_password()
            user.save(update_fields=["password"])
            # The session is bound to the password's hash: keep this one signed in.
            update_session_auth_hash(request, user)
            chat_sign_in_complete(user, sociallogin=sociallogin, request=request)
        agent = sociallogin.account.extra_data
        operation.succeeded(
            f"Linked to Chat agent {agent.get('email', '')} (agent {user.chat_agent_id}); the "
            f"local password was removed. Role {previous_role} → {user.get_role_display()}, "
            "as Chat says."
        )
