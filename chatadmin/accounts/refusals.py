"""Refused Settings forms go to the audit log: who sent them and what was wrong, never a password.

A form sent by someone who may not use it at all is a denial, whatever was in it; otherwise it
is a failure naming the fields that were wrong. Valid forms are recorded by their services.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest

from chatadmin.accounts import policy
from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from chatadmin.audit.operations import AuditTarget, audit_attempt
from chatadmin.core.forms import form_problems


def _form_refused(
    actor: User,
    *,
    action: str,
    allowed: bool,
    denial: str,
    form: forms.Form,
    target_type: str,
    target_id: object = "",
    target_label: str,
    request: HttpRequest,
) -> None:
    problems = form_problems(form)
    audit_attempt(
        action,
        Outcome.FAILURE if allowed else Outcome.DENIED,
        f"The form was refused: {problems}" if allowed else f"{denial} The form: {problems}",
        actor=actor,
        target=AuditTarget(target_type, target_id, target_label),
        request=request,
    )


def invite_form_refused(actor: User, *, form: forms.Form, request: HttpRequest) -> None:
    """Record an invitation form that did not validate."""
    _form_refused(
        actor,
        action="people.invite",
        allowed=policy.can_manage_people(actor),
        denial="Only admins can invite people.",
        form=form,
        target_type="user",
        target_label=str(form.data.get("email", ""))[:254],
        request=request,
    )


def role_form_refused(
    actor: User, *, person_id: int, form: forms.Form, request: HttpRequest
) -> None:
    """Record a role change form that did not validate."""
    email = User.objects.filter(pk=person_id).values_list("email", flat=True).first()
    _form_refused(
        actor,
        action="people.role_set",
        allowed=policy.can_manage_people(actor),
        denial="Only admins can change roles.",
        form=form,
        target_type="user",
        target_id=person_id,
        target_label=email or str(person_id),
        request=request,
    )


def basic_connection_form_refused(actor: User, *, form: forms.Form, request: HttpRequest) -> None:
    """Record a basic-auth connection form that did not validate (the password never)."""
    _form_refused(
        actor,
        action="connection.save",
        allowed=policy.can_manage_connection(actor),
        denial="Only admins manage the account connection.",
        form=form,
        target_type="connection",
        target_label="account connection",
        request=request,
    )
