"""Reading the audit log, as the policy allows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chatadmin.accounts import policy
from chatadmin.audit.models import AuditEvent

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from chatadmin.accounts.models import User


def audit_event_list(user: User, *, action: str = "", outcome: str = "") -> QuerySet[AuditEvent]:
    """Events the user may see: all for admins and support, their own for users."""
    if not policy.can_view_audit_log(user):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.select_related("actor")
    if not policy.sees_all_audit_events(user):
        events = events.filter(actor=user)
    if action:
        events = events.filter(action=action)
    if outcome:
        events = events.filter(outcome=outcome)
    return events


def audit_action_choices(user: User) -> list[str]:
    """The actions in the events this user may see, for the filter."""
    return list(
        audit_event_list(user).order_by("action").values_list("action", flat=True).distinct()
    )
