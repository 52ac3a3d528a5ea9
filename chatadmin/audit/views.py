"""The audit log page."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chatadmin.audit import selectors
from chatadmin.audit.models import Outcome
from chatadmin.core.http import AuthedRequest


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="Action", required=False)
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=[("", "Any outcome"), *Outcome.choices]
    )

    def __init__(self, *args: object, actions: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["action"].choices = [("", "Any action")] + [(a, a) for a in actions]  # type: ignore[attr-defined]


@require_GET
def audit_list(request: AuthedRequest) -> HttpResponse:
    form = AuditFilterForm(
        request.GET or None, actions=selectors.audit_action_choices(request.user)
    )  # type: ignore[arg-type]
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = selectors.audit_event_list(
        request.user,
        action=filters.get("action", ""),
        outcome=filters.get("outcome", ""),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    template = (
        "audit/list.html#events"
        if request.htmx and request.htmx.target == "events"
        else "audit/list.html"
    )
    return render(request, template, {"form": form, "page": page})
