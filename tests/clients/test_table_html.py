"""The clients table's rows, written in Python for speed, are the markup the template wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import Context, Template

from chatadmin.chat import Agent
from chatadmin.chat.resources import ClientRow
from chatadmin.clients.snapshot import AgentDirectory
from chatadmin.clients.table import rows_html, table_rows
from tests.fixtures.chat_payloads import agent_json
from tests.fixtures.html import parsed

# The list template's row loop as it was before rows_html (templates/clients/list.html, kept
# beside this test): the reference the Python must match byte for byte, escaping included.
ROW_TEMPLATE = (Path(__file__).parent / "row_reference.html").read_text()


def row(client_id: int, **changes: object) -> ClientRow:
    values: dict[str, object] = {
        "id": client_id,
        "name": f"Client {client_id}",
        "company": "Example Ltd",
        "redirect_uris": ("https://integrations.example.com/callback",),
        "scopes": "read write",
        "client_type": "confidential",
        "client_identifier": f"identifier-{client_id}-abcdefghijklmnop",
        "agent_id": 1,
        "create_date": "2024-05-01T09:00:00Z",
        "update_date": "2024-05-02T10:30:00+02:00",
        "internal": False,
    }
    values.update(changes)
    return ClientRow(**values)  # type: ignore[arg-type]


ROWS = [
    row(1),
    row(
        2,
        name='<b>Tom & Jerry\'s "tool"</b>',
        company="",
        agent_id=3,
        internal=True,
        redirect_uris=("http://localhost:8080/cb", "http://127.0.0.1/" + "a" * 60),
    ),
    row(
        3,
        name="",
        agent_id=None,
        redirect_uris=(),
        scopes="",
        client_type="public",
        create_date="",
        update_date="not a date",
    ),
    row(4, client_identifier="chatadmin-dashboard", agent_id=77, company="<Acme>"),
    row(5, scopes="read write chat", client_type='odd"type', agent_id=4),
]
AGENTS = AgentDirectory(
    {
        1: Agent.from_json(agent_json(1, "Olivia <Owner>", "o&o@example.com")),
        4: Agent.from_json(agent_json(4, "Otto", "otto@example.com")),
    }
)


@pytest.mark.parametrize("any_selectable", [True, False])
@pytest.mark.parametrize("can_change", [True, False])
@pytest.mark.parametrize("agents", [AGENTS, None])
def test_rows_are_the_markup_the_template_wrote(
    any_selectable: bool, can_change: bool, agents: AgentDirectory | None
) -> None:
    shown = table_rows(
        ROWS,
        agents=agents,
        me=3,
        may_change={1, 2, 4} if can_change else set(),
        sign_in_identifier="chatadmin-dashboard",
    )
    context = {"rows": shown, "any_selectable": any_selectable, "can_change": can_change}
    expected = Template(ROW_TEMPLATE).render(Context(context))
    written = rows_html(shown, any_selectable=any_selectable, can_change=can_change)
    # The list template has "        {{ rows_html }}" on a line of its own, where the loop was.
    assert f"        {written}\n" == expected
    assert "<b>" not in written and "&lt;b&gt;Tom &amp; Jerry&#x27;s &quot;tool&quot;" in written


def page(*, me: int | None, may_change: set[int], agents: AgentDirectory | None = AGENTS) -> str:
    shown = table_rows(
        ROWS, agents=agents, me=me, may_change=may_change, sign_in_identifier="chatadmin-dashboard"
    )
    selectable = any(row.selectable for row in shown)
    return rows_html(shown, any_selectable=selectable, can_change=bool(may_change))


def test_a_row_is_worked_out_once_for_the_same_inputs() -> None:
    first = table_rows(
        ROWS, agents=AGENTS, me=3, may_change={1}, sign_in_identifier="chatadmin-dashboard"
    )
    again = table_rows(
        ROWS, agents=AGENTS, me=3, may_change={1}, sign_in_identifier="chatadmin-dashboard"
    )

    assert all(kept is row for kept, row in zip(again, first, strict=True))


def test_kept_rows_never_carry_one_viewers_page_to_another() -> None:
    # The same clients for an admin who may change them, for support, and for their creator.
    admin = parsed(page(me=3, may_change={1, 2, 4}))
    support = parsed(page(me=None, may_change=set()))
    creator = parsed(page(me=1, may_change={1}))
    renamed = AgentDirectory(
        {
            1: Agent.from_json(agent_json(1, "Olivia Renamed", "o&o@example.com")),
            4: Agent.from_json(agent_json(4, "Otto", "otto@example.com")),
        }
    )

    assert len(admin.find("details", css_class="menu")) == 3
    assert support.find("details") == [] and support.find("input") == []
    assert creator.one("input", value="1") and len(creator.find("details")) == 1
    assert "You" in creator.find("tr")[0].text and "You" not in admin.find("tr")[0].text
    assert "Olivia Renamed" in parsed(page(me=3, may_change=set(), agents=renamed)).text
