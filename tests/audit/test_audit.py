from __future__ import annotations

import pytest
from django.test import Client

from chatadmin.accounts.models import User
from chatadmin.audit.models import AppendOnlyError, AuditEvent, Outcome
from chatadmin.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted(plain_user: User) -> None:
    event = audit_record("x.y", outcome=Outcome.SUCCESS, actor=plain_user)
    event.message = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(message="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().message == ""


def test_users_see_their_own_events_admins_and_support_see_all(
    client: Client, plain_user: User, admin_user: User, support_user: User
) -> None:
    audit_record("mine.action", outcome=Outcome.SUCCESS, actor=plain_user)
    audit_record("theirs.action", outcome=Outcome.FAILURE, actor=admin_user)
    client.force_login(plain_user)
    html = client.get("/audit/").content.decode()
    assert "mine.action" in html and "theirs.action" not in html
    for viewer in (admin_user, support_user):
        client.force_login(viewer)
        html = client.get("/audit/").content.decode()
        assert "mine.action" in html and "theirs.action" in html


def test_filter_by_outcome_as_htmx_returns_the_table_only(
    admin_client: Client, admin_user: User
) -> None:
    audit_record("ok.action", outcome=Outcome.SUCCESS, actor=admin_user)
    audit_record("bad.action", outcome=Outcome.FAILURE, actor=admin_user)
    response = admin_client.get(
        "/audit/?outcome=failure", headers={"HX-Request": "true", "HX-Target": "events"}
    )
    html = response.content.decode()
    assert "bad.action" in html and "ok.action" not in html
    assert "<html" not in html and html.lstrip().startswith('<div id="events">')


def _csv(response: object) -> list[list[str]]:
    import csv
    import io

    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(body)))


def test_csv_export_follows_the_filters_and_who_may_see_what(
    client: Client, plain_user: User, admin_user: User
) -> None:
    audit_record("mine.action", outcome=Outcome.SUCCESS, actor=plain_user, target_label="A")
    audit_record("mine.action", outcome=Outcome.FAILURE, actor=plain_user, target_label="B")
    audit_record("theirs.action", outcome=Outcome.FAILURE, actor=admin_user, target_label="C")

    client.force_login(plain_user)
    response = client.get("/audit/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="chatadmin-audit-')
    rows = _csv(response)
    assert rows[0][:4] == ["when", "who", "action", "outcome"]
    assert sorted(row[6] for row in rows[1:]) == ["A", "B"]

    client.force_login(admin_user)
    rows = _csv(client.get("/audit/export.csv", {"outcome": "failure"}))
    assert sorted(row[6] for row in rows[1:]) == ["B", "C"]


def test_csv_cells_never_start_a_spreadsheet_formula(
    admin_client: Client, admin_user: User
) -> None:
    audit_record(
        "x.y",
        outcome=Outcome.FAILURE,
        actor=admin_user,
        target_label="=HYPERLINK(1)",
        message="+1 and -2 and @SUM",
    )
    (event,) = [row for row in _csv(admin_client.get("/audit/export.csv")) if row[2] == "x.y"]
    assert event[6] == "'=HYPERLINK(1)"
    assert event[7] == "'+1 and -2 and @SUM"


def test_the_page_links_the_export_with_its_filters(admin_client: Client, admin_user: User) -> None:
    audit_record("x.y", outcome=Outcome.FAILURE, actor=admin_user)
    html = admin_client.get(
        "/audit/", {"outcome": "failure"}, headers={"HX-Request": "true", "HX-Target": "events"}
    ).content.decode()
    assert 'href="/audit/export.csv?outcome=failure"' in html
