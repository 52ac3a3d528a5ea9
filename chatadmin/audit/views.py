"""The audit log page."""

from __future__ import annotations

import csv
import itertools

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from chatadmin.accounts import policy
from chatadmin.audit import selectors
from chatadmin.audit.models import AuditEvent, Outcome
from chatadmin.core.http import AuthedRequest
from chatadmin.core.rendering import render_page


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="Action", required=False)
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=[("", "Any outcome"), *Outcome.choices]
    )

    def __init__(self, *args: object, actions: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["action"].choices = [("", "Any action")] + [(a, a) for a in actions]  # type: ignore[attr-defined]


CSV_COLUMNS = (
    "when",
    "who",
    "action",
    "outcome",
    "target type",
    "target id",
    "target",
    "message",
    "ip",
)


def _filtered(request: AuthedRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    form = AuditFilterForm(
        request.GET or None, actions=selectors.audit_action_choices(request.user)
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = selectors.audit_event_list(
        request.user,
        action=filters.get("action", ""),
        outcome=filters.get("outcome", ""),
    )
    return form, events


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
def audit_export(request: AuthedRequest) -> StreamingHttpResponse:
    """The events this person may see, with the page's filters, as CSV."""
    _, events = _filtered(request)
    buffer = _Echo()
    writer = csv.writer(buffer)
    rows = (
        [
            _cell(value)
            for value in (
                event.created_at.isoformat(),
                event.actor_label,
                event.action,
                event.outcome,
                event.target_type,
                event.target_id,
                event.target_label,
                event.message,
                event.ip_address,
            )
        ]
        for event in events.iterator(chunk_size=2000)
    )
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in itertools.chain([list(CSV_COLUMNS)], rows)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="chatadmin-audit-{stamp}.csv"'
    return response


class _Echo:
    """csv.writer writes to this and gets the line back, so rows stream one at a time."""

    def write(self, value: str) -> str:
        return value


@require_GET
def audit_list(request: AuthedRequest) -> HttpResponse:
    form, events = _filtered(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    sees_all = policy.sees_all_audit_events(request.user)
    return render_page(
        request, "audit/list.html", {"form": form, "page": page, "sees_all": sees_all}
    )
