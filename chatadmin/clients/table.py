"""The clients table as people read it: built only for the rows a page shows, cheaply.

Each row's links, labels and short forms are worked out once here, in plain Python, and the
rows' HTML is written here too (`rows_html`, every value escaped): the template engine would
spend some 40 variable lookups, tests and escapes per row, which made a page of fifty rows cost
about 20 ms; written here it costs about 1 ms. The markup is the one the list template had
(tests/clients/test_table_html.py holds it to the template's), so the page is unchanged.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from html import escape
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from chatadmin.chat.parsing import parse_date
from chatadmin.chat.resources import ClientRow
from chatadmin.clients.selectors import SORTS
from chatadmin.clients.snapshot import AgentDirectory
from chatadmin.core.http import fixed_url
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


@functools.lru_cache(maxsize=4096)
def _moment(raw: str, zone: tzinfo) -> Moment | None:
    """The same dates come back on every view of a page: each is worked out once per zone."""
    try:
        when = parse_date(raw)
    except ValueError:
        return None
    local = timezone.localtime(when, zone)
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
    # Its HTML, once written, by (any_selectable, can_change): see rows_html.
    drawn: dict[tuple[bool, bool], str] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )


# Rows kept worked out in each process. A page of up to fifty is drawn again on every view of
# it (the list, its pages and orders) from the same rows while the snapshot lives: each row
# is worked out, and written as HTML, once for the same inputs.
ROWS_KEPT = 2048


def table_rows(
    rows: list[ClientRow],
    *,
    agents: AgentDirectory | None,
    me: int | None,
    may_change: set[int],
    sign_in_identifier: str,
) -> list[TableRow]:
    """The table's rows for this page."""
    base = fixed_url("clients:list")
    zone = timezone.get_current_timezone()
    built = []
    for row in rows:
        agent = agents.by_id.get(row.agent_id) if agents and row.agent_id is not None else None
        built.append(
            _table_row(
                row,
                creator=(agent.name, agent.email) if agent else None,
                agents_known=agents is not None,
                me=me,
                changeable=row.id in may_change,
                sign_in_identifier=sign_in_identifier,
                base=base,
                zone=zone,
            )
        )
    return built


@functools.lru_cache(maxsize=ROWS_KEPT)
def _table_row(
    row: ClientRow,
    *,
    creator: tuple[str, str] | None,
    agents_known: bool,
    me: int | None,
    changeable: bool,
    sign_in_identifier: str,
    base: str,
    zone: tzinfo,
) -> TableRow:
    """One row as the table shows it: a function of these inputs alone (so kept)."""
    sign_in = bool(sign_in_identifier) and row.client_identifier == sign_in_identifier
    mine = me is not None and row.agent_id == me
    return TableRow(
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
            if mine
            else creator[0]
            if creator
            else "Someone no longer in the account"
            if agents_known and row.agent_id is not None
            else "—"
        ),
        creator_email=creator[1] if creator else "",
        mine=mine,
        created=_moment(row.create_date, zone) if row.create_date else None,
        updated=_moment(row.update_date, zone) if row.update_date else None,
        url=f"{base}{row.id}/",
        may_change=changeable,
        selectable=changeable and not sign_in,
        sign_in=sign_in,
    )


@dataclass(frozen=True)
class Column:
    """A sortable column header: its link, and where it stands (aria-sort)."""

    key: str
    label: str
    url: str
    aria_sort: str
    arrow: str


@dataclass(frozen=True)
class SortColumns:
    """The sortable columns' headers, by column (hashable: the table head is drawn once per
    state, see `fragment`)."""

    name: Column
    type: Column
    creator: Column
    created: Column
    updated: Column


def sort_columns(query: QueryDict, current: str) -> SortColumns:
    """Each sortable column's header: clicking sorts by it, clicking again turns it around."""
    return _sort_columns(tuple((key, tuple(values)) for key, values in query.lists()), current)


@functools.lru_cache(maxsize=512)
def _sort_columns(asked: tuple[tuple[str, tuple[str, ...]], ...], current: str) -> SortColumns:
    query = QueryDict(mutable=True)
    for key, values in asked:
        query.setlist(key, list(values))
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
    return SortColumns(**columns)


def as_of(taken_at: datetime) -> str:
    """When the list was read, as the page says it ("as of 12:04:31")."""
    return f"{timezone.localtime(taken_at):%H:%M:%S}"


def query_without(query: QueryDict, *names: str) -> str:
    params = {key: value for key, value in query.items() if key not in names}
    return urlencode(params)


_COPY_ICON = (
    '<svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" '
    'focusable="false"><path d="M5 1.5h7.5A1.5 1.5 0 0 1 14 3v9h-1.5V3H5zM2 5a1.5 1.5 0 0 1 '
    "1.5-1.5h6A1.5 1.5 0 0 1 11 5v8.5A1.5 1.5 0 0 1 9.5 15h-6A1.5 1.5 0 0 1 2 13.5zm1.5 0v8.5h6V5z"
    '"/></svg>'
)


def _moment_cell(label: str, when: Moment | None, extra_class: str) -> str:
    shown = (
        f'<time datetime="{escape(when.iso)}" title="{escape(when.full)}">{escape(when.day)}</time>'
        if when is not None
        else "—"
    )
    return f'<td data-label="{label}" class="nowrap{extra_class}">{shown}</td>'


def row_html(row: TableRow, *, any_selectable: bool, can_change: bool) -> str:
    """One row of the clients table, as the list template wrote it (every value escaped)."""
    name = escape(row.name)
    url = escape(row.url)
    parts = ["\n          <tr>\n            "]
    if any_selectable:
        box = (
            f'<input type="checkbox" name="client" value="{row.id}" id="select-{row.id}" '
            f'aria-label="Select {name}">'
            if row.selectable
            else ""
        )
        parts.append(f'<td class="col-select" data-label="Select">{box}</td>')
    sign_in = ' <span class="badge badge--sign-in">chatadmin\'s sign-in client</span>'
    company = f'<br><span class="muted">{escape(row.company)}</span>' if row.company else ""
    identifier = escape(row.identifier)
    scopes = "".join(f"<code>{escape(scope)}</code> " for scope in row.scopes)
    uris = (
        "".join(
            f'<li><code title="{escape(uri.full)}">{escape(uri.shown)}</code></li>'
            for uri in row.uris
        )
        or "<li>—</li>"
    )
    creator = (
        f'<span title="{escape(row.creator_email)}">{escape(row.creator)}</span>'
        if row.creator_email
        else escape(row.creator)
    )
    parts.append(
        "\n            "
        f'<td data-label="Name" class="col-name"><a href="{url}" class="client-name">{name}</a>'
        f"{sign_in if row.sign_in else ''}\n              "
        f'<span class="badge badge--{"internal" if row.internal else "external"}">'
        f"{escape(row.use_label)}</span>{company}</td>\n            "
        f'<td data-label="Client ID" class="nowrap"><code class="short-id" title="{identifier}">'
        f'{escape(row.identifier_short)}</code><span id="cid-{row.id}" hidden>{identifier}</span>'
        "\n              "
        f'<button type="button" class="copy-button icon-button" data-copy="cid-{row.id}" '
        f'data-copied="Client ID of {name} copied." hidden aria-label="Copy the client ID of '
        f'{name}" title="Copy client ID">{_COPY_ICON}</button></td>\n            '
        f'<td data-label="Type"><span class="badge badge--{escape(row.client_type)}">'
        f'{escape(row.type_label)}</span> <span class="scopes">{scopes}</span></td>\n            '
        f'<td data-label="Redirect URLs"><ul class="plain-list uri-list">{uris}</ul></td>'
        "\n            "
        f'<td data-label="Created by" class="nowrap">{creator}</td>\n            '
        f"{_moment_cell('Created', row.created, '')}\n            "
        f"{_moment_cell('Updated', row.updated, ' visually-hidden-narrow')}\n            "
    )
    if can_change:
        parts.append("\n            ")
        parts.append('<td data-label="Actions" class="col-actions">')
        if row.may_change:
            delete = (
                "" if row.sign_in else f'<li><a href="{url}delete/" class="danger">Delete</a></li>'
            )
            parts.append(
                "\n              "
                '<details class="menu"><summary class="button button--small button--quiet" '
                f'aria-label="Actions for {name}">⋯</summary>\n                '
                '<ul class="menu__items">\n                  '
                f'<li><a href="{url}edit/">Edit</a></li>\n                  '
                f'<li><a href="{url}secret/">Regenerate secret</a></li>\n                  '
                f"{delete}\n                </ul>\n              </details>"
            )
        parts.append("</td>\n            ")
    parts.append("\n          </tr>\n        ")
    return "".join(parts)


def rows_html(rows: list[TableRow], *, any_selectable: bool, can_change: bool) -> SafeString:
    """The table body's rows, in one piece for the template (each row written once)."""
    key = (any_selectable, can_change)
    parts = []
    for row in rows:
        written = row.drawn.get(key)
        if written is None:
            written = row.drawn[key] = row_html(
                row, any_selectable=any_selectable, can_change=can_change
            )
        parts.append(written)
    return mark_safe("".join(parts))  # noqa: S308 - every value in it went through escape()
