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
