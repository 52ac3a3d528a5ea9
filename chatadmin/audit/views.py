"""The audit log page and its CSV export (the same filters for both)."""

from __future__ import annotations

import csv
import itertools

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from chatadmin.accounts import policy
from chatadmin.audit import selectors
from chatadmin.audit.forms import AuditFilterForm
from chatadmin.audit.models import AuditEvent
from chatadmin.core.http import AuthedRequest, never_stale
from chatadmin.core.rendering import render_page

EVENTS_PER_PAGE = 50
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
    "action in words",
)


def _filtered(request: AuthedRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    user = request.user
    form = AuditFilterForm(
        request.GET or None,
        actions=selectors.audit_action_choices(user),
        people=selectors.audit_people_choices(user),
        clients=selectors.audit_client_choices(user),
    )
    return form, selectors.audit_event_list(user, filters=form.filters())


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
                event.action_label,
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
@never_stale
def audit_list(request: AuthedRequest) -> HttpResponse:
    form, events = _filtered(request)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "filtered": form.filters().any(),
        "sees_all": policy.sees_all_audit_events(request.user),
    }
    return render_page(request, "audit/list.html", context)
