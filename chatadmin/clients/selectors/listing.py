"""The client list, as the policy allows: from the snapshot, filtered, sorted, named.

Filtering, sorting and counting run on the snapshot's light rows; full ApiClient objects are
built only for what is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from chatadmin.accounts import policy
from chatadmin.accounts.models import User
from chatadmin.chat import ApiClient, ChatError
from chatadmin.chat.parsing import parse_date
from chatadmin.chat.resources import ClientRow, is_local_uri
from chatadmin.clients.snapshot import (
    AgentDirectory,
    ClientSnapshot,
    agent_directory,
    clients_snapshot,
)
from chatadmin.core.problems import NotFound, Problem

NOT_FOUND = "This API client does not exist, or it is not one you can see."
# Sorting: a column name, "-" first for the other way. Newest first unless asked otherwise.
SORTS = ("name", "created", "updated", "creator", "type")
DEFAULT_SORT = "-created"
# Findings the overview links to (?finding=...).
FINDINGS = {
    "orphaned": "whose creator is disabled or gone from the account",
    "insecure-redirect": "external, with an http:// redirect URL",
    "public-write": "public, with the write scope",
}


class ClientNotFound(NotFound):
    """No such client, or not one this person may see (the same answer, so nothing leaks)."""

    title = "API client not found"

    def __init__(self, explanation: str = NOT_FOUND) -> None:
        super().__init__(explanation)


@dataclass(frozen=True)
class ClientQuery:
    """What the list asks for: search text, filters and the order."""

    text: str = ""
    client_type: str = ""
    use: str = ""
    finding: str = ""
    sort: str = DEFAULT_SORT

    @property
    def filtered(self) -> bool:
        return bool(self.text or self.client_type or self.use or self.finding)


@dataclass(frozen=True)
class ClientListing:
    """The clients that match, in order (light rows), and what the page needs around them."""

    rows: tuple[ClientRow, ...]
    taken_at: datetime
    agents: AgentDirectory | None
    agents_problem: str = ""


def visible_rows(user: User, rows: Iterable[ClientRow]) -> list[ClientRow]:
    """The rows this person may see: the policy decided once, not once per client."""
    sees_all, agent_id = policy.clients_visible(user)
    if sees_all:
        return list(rows)
    if agent_id is None:
        return []
    return [row for row in rows if row.agent_id == agent_id]


def _finding(finding: str, agents: AgentDirectory | None) -> Callable[[ClientRow], bool] | None:
    if finding == "insecure-redirect":
        # Plain http to this machine is fine (Chat's dashboard allows only that); off it, the
        # tokens travel readable.
        return lambda row: any(
            uri.lower().startswith("http://") and not is_local_uri(uri) for uri in row.redirect_uris
        )
    if finding == "public-write":
        return lambda row: row.client_type == "public" and "write" in row.scopes.split()
    if finding == "orphaned" and agents is not None:
        enabled = {agent_id for agent_id, agent in agents.by_id.items() if agent.enabled}
        return lambda row: row.agent_id not in enabled
    return None


def _matcher(
    query: ClientQuery, agents: AgentDirectory | None, snapshot: ClientSnapshot
) -> Callable[[ClientRow], bool] | None:
    """Whether a row matches the query's filters and text; None when every row does."""
    needle = query.text.casefold()
    finding = _finding(query.finding, agents)
    if not (needle or finding or query.client_type or query.use):
        return None
    haystacks = snapshot.haystacks() if needle and "\0" not in needle else None

    def matches(row: ClientRow) -> bool:
        if query.client_type and row.client_type != query.client_type:
            return False
        if query.use and row.use != query.use:
            return False
        if finding is not None and not finding(row):
            return False
        if not needle:
            return True
        if haystacks is not None:
            return needle in haystacks[row.id]
        if needle in row.name.casefold() or needle in row.company.casefold():
            return True
        if needle in row.client_identifier.casefold():
            return True
        return any(needle in uri.casefold() for uri in row.redirect_uris)

    return matches


def _date_key(value: str) -> tuple[bool, datetime | str]:
    """Dates sort as dates (with or without Z); a missing or unreadable one sorts first."""
    if not value:
        return False, ""
    try:
        return True, parse_date(value)
    except ValueError:
        return False, value


def _order(
    snapshot: ClientSnapshot, sort: str, agents: AgentDirectory | None
) -> tuple[ClientRow, ...]:
    """Every row of the snapshot in the order asked for (sorted once per snapshot and order)."""
    descending = sort.startswith("-")
    column = sort.lstrip("-")
    keys: dict[str, Callable[[ClientRow], object]] = {
        "name": lambda row: (row.name.casefold(), row.id),
        "created": lambda row: (
            _date_key(row.create_date) if row.create_date else (False, ""),
            row.id,
        ),
        "updated": lambda row: (
            _date_key(row.update_date) if row.update_date else (False, ""),
            row.id,
        ),
        "type": lambda row: (row.client_type, row.name.casefold(), row.id),
        "creator": lambda row: (
            (agents.name(row.agent_id) if agents else "").casefold(),
            row.agent_id or 0,
            row.id,
        ),
    }
    # The creator order depends on the agents' names too: the same names, the same order.
    names = (
        tuple((agent_id, agent.name) for agent_id, agent in agents.by_id.items())
        if column == "creator" and agents is not None
        else None
    )
    return snapshot.ordered((column, names), keys[column], reverse=descending)


def checked_sort(sort: str) -> str:
    """The sort asked for if it is one the list offers, else the default."""
    return sort if sort.lstrip("-") in SORTS and sort.count("-") <= 1 else DEFAULT_SORT


def _agents_for(user: User, query: ClientQuery) -> tuple[AgentDirectory | None, str]:
    """The agents, when creators are shown by name (admins and support) or a filter needs them."""
    if not policy.sees_all_clients(user) and query.finding != "orphaned":
        return None, ""
    try:
        return agent_directory(user), ""
    except (Problem, ChatError) as failure:
        if isinstance(failure, Problem) and failure.signs_out:
            raise
        return None, f"Creators' names could not be read. {failure.explanation}"


def client_listing(user: User, query: ClientQuery, *, fresh: bool = False) -> ClientListing:
    """The clients this person may see that match `query`, in its order (light rows)."""
    snapshot = clients_snapshot(user, fresh=fresh)
    agents, agents_problem = _agents_for(user, query)
    matches = _matcher(query, agents, snapshot)
    # Sorting the whole snapshot once, then keeping what matches, gives the order sorting the
    # matches would (sorted() is stable), and serves every later view of the same order.
    rows = visible_rows(user, _order(snapshot, checked_sort(query.sort), agents))
    if matches is not None:
        rows = [row for row in rows if matches(row)]
    return ClientListing(
        rows=tuple(rows),
        taken_at=snapshot.taken_at,
        agents=agents,
        agents_problem=agents_problem,
    )


def client_list(
    user: User, *, text: str = "", client_type: str = "", use: str = ""
) -> list[ApiClient]:
    """Every client this person may see that matches, newest first, as full objects."""
    query = ClientQuery(text=text, client_type=client_type, use=use)
    return [row.client() for row in client_listing(user, query).rows]


def client_names(user: User) -> dict[str, str]:
    """Client names (or labels) by client identifier, as far as this person may see them."""
    snapshot = clients_snapshot(user)
    return {row.client_identifier: row.label for row in visible_rows(user, snapshot.rows)}
