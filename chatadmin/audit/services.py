"""Writing to the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from chatadmin.audit.models import AuditEvent, Outcome

if TYPE_CHECKING:
    from django.http import HttpRequest

    from chatadmin.accounts.models import User


def audit_record(
    action: str,
    *,
    outcome: Outcome,
    actor: User | None = None,
    actor_label: str = "",
    target_type: str = "",
    target_id: object = "",
    target_label: str = "",
    message: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event. Runs in its own savepoint so a failed change still leaves its record.

    Never pass a secret or token in any field: the log is shown to support staff.
    """
    if actor is not None and not actor_label:
        actor_label = actor.email
    ip_address = request.META.get("REMOTE_ADDR") if request is not None else None
    with transaction.atomic():
        return AuditEvent.objects.create(
            actor=actor,
            actor_label=actor_label[:254],
            action=action,
            outcome=outcome,
            target_type=target_type,
            target_id=str(target_id)[:64],
            target_label=target_label[:254],
            message=message,
            ip_address=ip_address or None,
        )
