"""Writes about people: the first admin, invitations and roles."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.internal.flows.password_reset import get_reset_password_from_key_url
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.socialaccount.models import SocialLogin
from django.db import transaction
from django.http import HttpRequest

from chatadmin.accounts import policy
from chatadmin.accounts.chat_access import credential_store
from chatadmin.accounts.chat_identity import (
    admin_confirmed,
    chat_identity_checked,
    role_changed_by_chat,
)
from chatadmin.accounts.models import User
from chatadmin.accounts.roles import Role
from chatadmin.accounts.sign_in_tokens import superseded_sign_in_tokens_revoke
from chatadmin.audit.models import Outcome
from chatadmin.audit.operations import AuditTarget, audited
from chatadmin.audit.services import audit_record
from chatadmin.core.problems import Denied, InvalidInput


class PeopleError(Exception):
    """A change to people that cannot be made; the message is for the person who asked."""


@dataclass(frozen=True)
class Invitation:
    user: User
    link: str


def admin_create(*, email: str, password: str) -> User:
    """Create an admin with a verified email: how the first person gets in."""
    email = email.strip().lower()
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise PeopleError(f"There is already someone with the email {email}.")
        user = User.objects.create_user(
            email=email, password=password, role=Role.ADMIN, is_staff=True, is_superuser=True
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        audit_record(
            "people.admin_create",
            outcome=Outcome.SUCCESS,
            actor_label="command line",
            target_type="user",
            target_id=user.pk,
            target_label=email,
        )
    return user


class PeopleDenied(PeopleError, Denied):
    """Only admins manage people."""


class PeopleProblem(PeopleError, InvalidInput):
    """The change cannot be made as asked."""


def _admins_only(actor: User, request: HttpRequest, message: str) -> None:
    # Chat has the last word on who is an admin: ask it again before changing people.
    if not admin_confirmed(actor, request=request):
        raise PeopleDenied(message)


def person_invite(actor: User, *, email: str, role: str, request: HttpRequest) -> Invitation:
    """Create a local account and mail a link to set its password."""
    email = email.strip().lower()
    target = AuditTarget("user", "", email)
    with audited("people.invite", actor=actor, target=target, request=request) as operation:
        _admins_only(actor, request, "Only admins can invite people.")
        if role not in Role.values:
            raise PeopleProblem(f"{role!r} is not a role.")
        if User.objects.filter(email__iexact=email).exists():
            raise PeopleProblem(f"There is already someone with the email {email}.")
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=None, role=role)
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
            key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
            link = get_reset_password_from_key_url(request, key)
            operation.about(AuditTarget("user", user.pk, email))
            operation.succeeded(f"Invited as {role}.")
    get_adapter(request).send_mail(
        "account/email/invite",
        email,
        {"user": user, "link": link, "inviter": actor, "role": Role(role).label},
    )
    return Invitation(user=user, link=link)


def person_role_set(actor: User, *, person_id: int, role: str, request: HttpRequest) -> User:
    """Give someone another role. Admins only, and never your own role (no lock-out)."""
    person = User.objects.filter(pk=person_id).first()
    target = AuditTarget("user", person_id, person.email if person else str(person_id))
    with audited("people.role_set", actor=actor, target=target, request=request) as operation:
        _admins_only(actor, request, "Only admins can change roles.")
        if person is None:
            raise PeopleProblem("That person does not exist.")
        if role not in Role.values:
            raise PeopleProblem(f"{role!r} is not a role.")
        if person.pk == actor.pk:
            raise PeopleProblem("You cannot change your own role.")
        previous = person.role
        with transaction.atomic():
            person.role = role
            person.save(update_fields=["role"])
            operation.succeeded(f"Role changed from {previous} to {role}.")
    return person


def chat_sign_in_complete(user: User, *, sociallogin: SocialLogin, request: HttpRequest) -> None:
    """After "Sign in with Zendesk Chat": refresh who the person is and keep their tokens."""
    agent = sociallogin.account.extra_data
    token = sociallogin.token
    previous_role = user.role
    user.chat_agent_id = int(agent["id"])
    user.display_name = agent.get("display_name") or user.display_name
    user.first_name = agent.get("first_name") or user.first_name
    user.last_name = agent.get("last_name") or user.last_name
    user.role = policy.role_after_chat_sign_in(user.role, chat_admin=bool(agent["is_admin"]))
    email = str(agent.get("email") or "").lower()
    if email and email != user.email and not User.objects.filter(email__iexact=email).exists():
        user.email = email
        EmailAddress.objects.filter(user=user, primary=True).update(email=email, verified=True)
    with transaction.atomic():
        user.save()
        chat_identity_checked(user)  # agents/me has just answered for this sign-in
        if token is not None:
            credential_store(
                user,
                agent_id=user.chat_agent_id,
                access_token=token.token,
                refresh_token=token.token_secret or "",
                expires_at=token.expires_at,
                scopes=str(agent.get("scope", "")),
            )
        if previous_role != user.role:
            role_changed_by_chat(user, previous=previous_role, request=request)
    if token is not None:
        superseded_sign_in_tokens_revoke(user, request=request)
