"""The clients table as people read it: built only for the rows a page shows, cheaply.

Each row's links, labels and short forms are worked out once here, in plain Python, so the
template renders a page of fifty rows without an include or a `{% url %}` per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from chatadmin.chat.parsing import parse_date
from chatadmin.chat.resources import ClientRow
from chatadmin.clients.selectors import SORTS
from chatadmin.clients.snapshot import AgentDirectory
from chatadmin.vocabulary import CLIENT_TYPE_LABELS, CLIENT_USE_LABELS

ID_SHOWN = 8  # characters of a client ID shown before the ellipsis (the copy button has it all)
URI_SHOWN = 40
COLUMN_LABELS = {
    "name": "Name",
    "type": "Type",
    "creator": "Created by",
    "created": "Created",
    "updated": "Updated",
}


def shortened(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass(frozen=True)
class Moment:
    """A date in one line, with the full time for the title (hover)."""

    iso: str
    day: str
    full: str


def moment(raw: str) -> Moment | None:
    if not raw:
        return None
    try:
        when = parse_date(raw)
    except ValueError:
        return None
    local = timezone.localtime(when)
    return Moment(when.isoformat(), f"{local:%Y-%m-%d}", f"{local:%Y-%m-%d %H:%M:%S %Z}")


@dataclass(frozen=True)
class Uri:
    shown: str
    full: str


@dataclass(frozen=True)
class TableRow:
    """One client as the table shows it."""

    id: int
    name: str
    company: str
    identifier: str
    identifier_short: str
    type_label: str
    client_type: str
    use_label: str
    internal: bool
    scopes: tuple[str, ...]
    uris: tuple[Uri, ...]
    creator: str
    creator_email: str
    mine: bool
    created: Moment | None
    updated: Moment | None
    url: str
    may_change: bool
    selectable: bool
    sign_in: bool


def table_rows(
    rows: list[ClientRow],
    *,
    agents: AgentDirectory | None,
    me: int | None,
    may_change: set[int],
    sign_in_identifier: str,
) -> list[TableRow]:
    """The table's rows for this page."""
    base = reverse("clients:list")
    built = []
    for row in rows:
        agent = agents.by_id.get(row.agent_id) if agents and row.agent_id is not None else None
        sign_in = bool(sign_in_identifier) and row.client_identifier == sign_in_identifier
        changeable = row.id in may_change
        built.append(
            TableRow(
                id=row.id,
                name=row.name or "(no name)",
                company=row.company,
                identifier=row.client_identifier,
                identifier_short=shortened(row.client_identifier, ID_SHOWN + 1),
                type_label=CLIENT_TYPE_LABELS.get(row.client_type, row.client_type),  # type: ignore[call-overload]
                client_type=row.client_type,
                use_label=CLIENT_USE_LABELS[row.use],
                internal=row.internal,
                scopes=tuple(row.scopes.split()),
                uris=tuple(Uri(shortened(uri, URI_SHOWN), uri) for uri in row.redirect_uris),
                creator=(
                    "You"
                    if me is not None and row.agent_id == me
                    else agent.name
                    if agent
                    else "Someone no longer in the account"
                    if agents is not None and row.agent_id is not None
                    else "—"
                ),
                creator_email=agent.email if agent else "",
                mine=me is not None and row.agent_id == me,
                created=moment(row.create_date),
                updated=moment(row.update_date),
                url=f"{base}{row.id}/",
                may_change=changeable,
                selectable=changeable and not sign_in,
                sign_in=sign_in,
            )
        )
    return built


@dataclass(frozen=True)
class Column:
    """A sortable column header: its link, and where it stands (aria-sort)."""

    key: str
    label: str
    url: str
    aria_sort: str
    arrow: str


def sort_columns(query: QueryDict, current: str) -> dict[str, Column]:
    """Each sortable column's header: clicking sorts by it, clicking again turns it around."""
    columns = {}
    for key in SORTS:
        if current == key:
            wanted, aria, arrow = f"-{key}", "ascending", "▲"
        elif current == f"-{key}":
            wanted, aria, arrow = key, "descending", "▼"
        else:
            wanted, aria, arrow = (f"-{key}" if key in ("created", "updated") else key), "none", ""
        params = query.copy()
        params["sort"] = wanted
        params.pop("page", None)
        columns[key] = Column(key, COLUMN_LABELS[key], f"?{params.urlencode()}", aria, arrow)
    return columns


def as_of(taken_at: datetime) -> str:
    """When the list was read, as the page says it ("as of 12:04:31")."""
    return f"{timezone.localtime(taken_at):%H:%M:%S}"


def query_without(query: QueryDict, *names: str) -> str:
    params = {key: value for key, value in query.items() if key not in names}
    return urlencode(params)
