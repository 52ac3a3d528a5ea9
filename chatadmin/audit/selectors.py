"""Reading the audit log, as the policy allows, with the page's filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import Max, Q

from chatadmin.accounts import policy
from chatadmin.accounts.models import User
from chatadmin.audit.models import AuditEvent

if TYPE_CHECKING:
    from django.db.models import QuerySet

# A client's events carry this target type (audit.operations.AuditTarget.client).
CLIENT_TARGET = "client"


@dataclass(frozen=True)
class AuditFilters:
    """What the audit log is narrowed to; empty values do not narrow."""

    action: str = ""
    outcome: str = ""
    actor: str = ""  # the actor's label as recorded (their email at the time)
    client: str = ""  # a client's id, as the events record it
    since: date | None = None
    until: date | None = None
    text: str = ""

    def any(self) -> bool:
        return any(value not in ("", None) for value in vars(self).values())


def _visible(user: User) -> QuerySet[AuditEvent]:
    if not policy.can_view_audit_log(user):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.select_related("actor")
    if not policy.sees_all_audit_events(user):
        events = events.filter(actor=user)
    return events


def audit_event_list(
    user: User,
    *,
    action: str = "",
    outcome: str = "",
    filters: AuditFilters | None = None,
) -> QuerySet[AuditEvent]:
    """Events the user may see (all for admins and support, their own for users), filtered."""
    wanted = filters or AuditFilters(action=action, outcome=outcome)
    events = _visible(user)
    if wanted.action:
        events = events.filter(action=wanted.action)
    if wanted.outcome:
        events = events.filter(outcome=wanted.outcome)
    if wanted.actor:
        events = events.filter(actor_label__iexact=wanted.actor)
    if wanted.client:
        events = events.filter(target_type=CLIENT_TARGET, target_id=wanted.client)
    if wanted.since:
        events = events.filter(created_at__date__gte=wanted.since)
    if wanted.until:
        events = events.filter(created_at__date__lte=wanted.until)
    if wanted.text:
        events = events.filter(
            Q(message__icontains=wanted.text)
            | Q(target_label__icontains=wanted.text)
            | Q(actor_label__icontains=wanted.text)
            | Q(actor__display_name__icontains=wanted.text)
        )
    return events


def audit_action_choices(user: User) -> list[str]:
    """The actions in the events this user may see, for the filter."""
    return list(_visible(user).order_by("action").values_list("action", flat=True).distinct())


def audit_people_choices(user: User) -> list[tuple[str, str]]:
    """Who appears in the events this user may see: (recorded label, name to show), by name.

    Only those who see everyone's events get a choice; a user's log holds only themselves.
    """
    if not policy.sees_all_audit_events(user):
        return []
    labels = set(
        _visible(user).exclude(actor_label="").values_list("actor_label", flat=True).distinct()
    )
    names = {
        person.email.lower(): person.label
        for person in User.objects.filter(email__in=labels).only("email", "display_name")
    }
    choices = []
    for label in labels:
        name = names.get(label.lower(), "")
        choices.append((label, f"{name} ({label})" if name and name != label else label))
    return sorted(choices, key=lambda choice: choice[1].casefold())


def audit_client_choices(user: User) -> list[tuple[str, str]]:
    """The clients the events this user may see are about: (id, latest name), by name."""
    named = (
        _visible(user)
        .filter(target_type=CLIENT_TARGET)
        .exclude(target_id="")
        .exclude(target_label="")
        .values("target_id", "target_label")
        .annotate(last=Max("created_at"))
        .order_by()
    )
    latest: dict[str, tuple[datetime, str]] = {}
    for row in named:
        known = latest.get(row["target_id"])
        if known is None or row["last"] > known[0]:
            latest[row["target_id"]] = (row["last"], row["target_label"])
    choices = [(target_id, label) for target_id, (_, label) in latest.items()]
    return sorted(choices, key=lambda choice: choice[1].casefold())
