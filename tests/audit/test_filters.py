"""The audit log's filters (person, dates, client, action, outcome, text), its words and its CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client

from chatadmin.accounts.models import User
from chatadmin.accounts.roles import Role
from chatadmin.audit.actions import ACTION_LABELS, action_label
from chatadmin.audit.models import AuditEvent, Outcome
from chatadmin.audit.services import audit_record
from tests.fixtures.html import Element, parsed
from tests.fixtures.pages import htmx

pytestmark = pytest.mark.django_db

CODE = Path(__file__).resolve().parents[2] / "chatadmin"
# The code's own modules (migrations name Django's models, "auth.group", not actions).
CODE_FILES = [p for p in CODE.rglob("*.py") if not {"sandbox", "migrations"} & set(p.parts)]
ACTION = re.compile(r"[\"']((?:auth|client|token|people|connection)\.[a-z_]+)[\"']")


def at(day: str) -> mock._patch[mock.MagicMock]:
    """Events recorded inside this block are dated `day` (YYYY-MM-DD) at noon UTC."""
    moment = datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=UTC)
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def people(make_user: Callable[..., User]) -> tuple[User, User]:
    ada = make_user(Role.USER, email="ada@example.com", display_name="Ada Agent")
    bob = make_user(Role.USER, email="bob@example.com", display_name="Bob Builder")
    with at("2026-01-10"):
        audit_record(
            "client.create",
            outcome=Outcome.SUCCESS,
            actor=ada,
            target_type="client",
            target_id="7",
            target_label="CRM bridge",
            message="Created with read write.",
        )
    with at("2026-02-10"):
        audit_record(
            "client.delete",
            outcome=Outcome.FAILURE,
            actor=bob,
            target_type="client",
            target_id="8",
            target_label="Helpdesk sync",
            message="Chat refused: the client is in use.",
        )
    with at("2026-03-10"):
        audit_record(
            "client.update",
            outcome=Outcome.UNKNOWN,
            actor=ada,
            target_type="client",
            target_id="7",
            target_label="CRM bridge v2",
            message="No answer came back.",
        )
        audit_record("token.revoke", outcome=Outcome.DENIED, actor=bob, target_label="abcd1234…")
    return ada, bob


def targets(page: Element) -> list[str]:
    """The "On" column of the events shown, newest first."""
    return [cell.text for cell in page.find("td", data_label="On")]


def listed(browser: Client, **query: str) -> list[str]:
    return targets(parsed(browser.get("/audit/", query, headers=htmx("events"))))


def exported(browser: Client, **query: str) -> list[str]:
    response = browser.get("/audit/export.csv", query)
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(body.decode())))
    return [row[6] for row in rows[1:]]


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"actor": "ada@example.com"}, ["CRM bridge v2", "CRM bridge"]),
        ({"client": "7"}, ["CRM bridge v2", "CRM bridge"]),
        ({"action": "client.delete"}, ["Helpdesk sync"]),
        ({"outcome": "unknown"}, ["CRM bridge v2"]),
        ({"since": "2026-02-01"}, ["abcd1234…", "CRM bridge v2", "Helpdesk sync"]),
        ({"until": "2026-02-10"}, ["Helpdesk sync", "CRM bridge"]),
        ({"since": "2026-02-10", "until": "2026-02-10"}, ["Helpdesk sync"]),
        ({"q": "in use"}, ["Helpdesk sync"]),  # the message
        ({"q": "crm"}, ["CRM bridge v2", "CRM bridge"]),  # the target's name
        ({"q": "Bob Build"}, ["abcd1234…", "Helpdesk sync"]),  # the person's name
        ({"q": "bob@"}, ["abcd1234…", "Helpdesk sync"]),  # the person's email
        ({"actor": "ada@example.com", "client": "7", "since": "2026-03-01"}, ["CRM bridge v2"]),
    ],
)
def test_each_filter_narrows_the_page_and_the_csv_alike(
    admin_client: Client, query: dict[str, str], expected: list[str]
) -> None:
    assert listed(admin_client, **query) == expected
    assert exported(admin_client, **query) == expected


@pytest.mark.usefixtures("people")
def test_the_filters_offer_people_clients_and_actions_by_name(admin_client: Client) -> None:
    page = parsed(admin_client.get("/audit/"))
    people = {o.attrs["value"]: o.text for o in page.one("select", name="actor").find("option")}
    assert people["ada@example.com"] == "Ada Agent (ada@example.com)"
    clients = {o.attrs["value"]: o.text for o in page.one("select", name="client").find("option")}
    assert clients == {"": "Any client", "7": "CRM bridge v2", "8": "Helpdesk sync"}
    actions = {o.attrs["value"]: o.text for o in page.one("select", name="action").find("option")}
    assert actions["client.delete"] == "Client deleted"
    assert actions["token.revoke"] == "Token revoked"
    assert page.one("input", name="since").attrs["type"] == "date"


@pytest.mark.usefixtures("people")
def test_rows_name_people_and_actions_in_words_and_dates_on_one_line(
    admin_client: Client,
) -> None:
    row = parsed(admin_client.get("/audit/", {"outcome": "failure"})).one("tbody").one("tr")
    who = row.one("td", data_label="Who").one("span", css_class="person")
    assert who.text == "Bob Builder" and who.attrs["title"] == "bob@example.com"
    action = row.one("td", data_label="Action").one("span")
    assert action.text == "Client deleted" and action.attrs["title"] == "client.delete"
    when = row.one("time")
    assert when.text == "2026-02-10 12:00" and when.attrs["title"].endswith("12:00:00 UTC")


@pytest.mark.usefixtures("people")
def test_an_unknown_outcome_is_shown_apart_from_failures(admin_client: Client) -> None:
    page = parsed(admin_client.get("/audit/"))
    unknown = page.one("span", css_class="badge--unknown")
    assert unknown.text == "? Unknown"
    assert page.one("span", css_class="badge--failure").text == "Failed"


@pytest.mark.usefixtures("people")
def test_an_end_before_the_start_is_refused_and_only_the_start_narrows(
    admin_client: Client,
) -> None:
    response = admin_client.get("/audit/", {"since": "2026-03-01", "until": "2026-01-01"})
    page = parsed(response)
    assert "The end date is before the start date." in page.one(css_class="field-error").text
    assert targets(page) == ["abcd1234…", "CRM bridge v2"]


def test_a_user_filters_only_their_own_events_and_gets_no_person_filter(
    client: Client, people: tuple[User, User]
) -> None:
    ada, _ = people
    client.force_login(ada)
    page = parsed(client.get("/audit/"))
    assert page.find("select", name="actor") == []
    assert targets(page) == ["CRM bridge v2", "CRM bridge"]
    assert listed(client, q="Helpdesk") == []  # someone else's event stays hidden
    assert exported(client, actor="bob@example.com") == ["CRM bridge v2", "CRM bridge"]


@pytest.mark.usefixtures("people")
def test_pages_keep_the_filters(admin_client: Client, admin_user: User) -> None:
    for number in range(60):
        audit_record(
            "client.create", outcome=Outcome.SUCCESS, actor=admin_user, message=f"{number}"
        )
    page = parsed(admin_client.get("/audit/", {"action": "client.create"}))
    older = page.one("nav", aria_label="Audit log pages").one("a")
    assert older.attrs["href"] == "?action=client.create&page=2"
    assert page.one(css_class="result-count").text.startswith("61 events")


def test_every_action_the_code_records_has_words() -> None:
    recorded = {
        match.group(1) for path in CODE_FILES for match in ACTION.finditer(path.read_text())
    }
    assert recorded, "no action strings found: the pattern is out of date"
    missing = sorted(recorded - ACTION_LABELS.keys())
    assert missing == [], f"give these actions words in chatadmin/audit/actions.py: {missing}"
    assert action_label("something.new") == "something.new"  # shown as recorded, never hidden
    assert AuditEvent.objects.count() == 0
