"""The audit log's filters."""

from __future__ import annotations

from typing import Any

from django import forms

from chatadmin.audit.actions import action_choices
from chatadmin.audit.models import Outcome
from chatadmin.audit.selectors import AuditFilters

MAX_TEXT = 200


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=MAX_TEXT)
    actor = forms.ChoiceField(label="Person", required=False)
    client = forms.ChoiceField(label="Client", required=False)
    action = forms.ChoiceField(label="Action", required=False)
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=[("", "Any outcome"), *Outcome.choices]
    )
    since = forms.DateField(label="From", required=False, widget=DateInput)
    until = forms.DateField(label="To", required=False, widget=DateInput)

    def __init__(
        self,
        *args: Any,
        actions: list[str],
        people: list[tuple[str, str]],
        clients: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action"), *action_choices(actions)]  # type: ignore[attr-defined]
        self.fields["client"].choices = [("", "Any client"), *clients]  # type: ignore[attr-defined]
        if people:
            self.fields["actor"].choices = [("", "Anyone"), *people]  # type: ignore[attr-defined]
        else:
            del self.fields["actor"]  # a user's log holds only their own events
        if not clients:
            del self.fields["client"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date is before the start date.")
        return data

    def filters(self) -> AuditFilters:
        """The valid filters; an invalid one is dropped (and its error shown)."""
        if not self.is_bound:
            return AuditFilters()
        self.is_valid()  # cleaned_data keeps the fields that are valid
        data = self.cleaned_data
        return AuditFilters(
            action=data.get("action") or "",
            outcome=data.get("outcome") or "",
            actor=data.get("actor") or "",
            client=data.get("client") or "",
            since=data.get("since"),
            until=data.get("until"),
            text=(data.get("q") or "").strip(),
        )
