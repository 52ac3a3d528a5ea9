"""Reading API clients, as the policy allows: admins and support all, users their own.

Lists come from the client snapshot (one fetch serves many views); filtering, sorting and
counting run on its light rows, and full ApiClient objects are built only for what is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from chatadmin.accounts import policy
from chatadmin.accounts.chat_access import person_chat, reading_chat
from chatadmin.accounts.models import User
from chatadmin.chat import ApiClient, ChatError, ChatRefused, Token
from chatadmin.chat.parsing import parse_date
from chatadmin.chat.resources import ClientRow
from chatadmin.clients.snapshot import (
    AgentDirectory,
    agent_directory,
    clients_snapshot,
    snapshot_kept,
)
from chatadmin.core.problems import NoChatAccess, NotFound, Problem

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


@dataclass(frozen=True)
class ClientImpact:
    """What deleting a client, or replacing its secret, would break."""

    client: ApiClient
    live_tokens: tuple[Token, ...]
    tokens_problem: str = ""

    @property
    def external_uris(self) -> tuple[str, ...]:
        return self.client.external_uris

    @property
    def is_external(self) -> bool:
        """Some redirect URL is off this machine: an outside integration probably depends on it."""
        return not self.client.is_internal


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
        return lambda row: (
            not row.internal and any(uri.lower().startswith("http://") for uri in row.redirect_uris)
        )
    if finding == "public-write":
        return lambda row: row.client_type == "public" and "write" in row.scopes.split()
    if finding == "orphaned" and agents is not None:
        enabled = {agent_id for agent_id, agent in agents.by_id.items() if agent.enabled}
        return lambda row: row.agent_id not in enabled
    return None


def _matcher(query: ClientQuery, agents: AgentDirectory | None) -> Callable[[ClientRow], bool]:
    needle = query.text.casefold()
    finding = _finding(query.finding, agents)

    def matches(row: ClientRow) -> bool:
        if query.client_type and row.client_type != query.client_type:
            return False
        if query.use and row.use != query.use:
            return False
        if finding is not None and not finding(row):
            return False
        if not needle:
            return True
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


def _sorted(rows: list[ClientRow], sort: str, agents: AgentDirectory | None) -> list[ClientRow]:
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
    return sorted(rows, key=keys[column], reverse=descending)  # type: ignore[arg-type]


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
    matches = _matcher(query, agents)
    rows = [row for row in visible_rows(user, snapshot.rows) if matches(row)]
    return ClientListing(
        rows=tuple(_sorted(rows, checked_sort(query.sort), agents)),
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


def client_get(user: User, client_id: int, *, fresh: bool = False) -> ApiClient:
    """One client this person may see; ClientNotFound otherwise (404 upstream included).

    From the list's snapshot when it has the client, unless `fresh` (changes read it anew).
    """
    if client_id < 1:  # Chat ids are positive; the API client refuses anything else
        raise ClientNotFound()
    if not fresh:
        kept = snapshot_kept(user)
        row = kept.find(client_id) if kept is not None else None
        if row is not None:
            if not visible_rows(user, (row,)):
                raise ClientNotFound()
            return row.client()
    try:
        client = reading_chat(user).client_get(client_id)
    except ChatRefused as error:
        if error.status == 404:
            raise ClientNotFound() from error
        raise
    if not policy.may_see_client(user, client_agent_id=client.agent_id):
        raise ClientNotFound()
    return client


@dataclass(frozen=True)
class ClientPage:
    """One client's page: the client, who made it, and the person's own tokens from it."""

    client: ApiClient
    creator: str
    creator_email: str
    tokens: tuple[Token, ...]
    tokens_problem: str = ""


def _creator(user: User, client: ApiClient) -> tuple[str, str]:
    if client.agent_id is not None and client.agent_id == user.chat_agent_id:
        return "You", user.email
    if client.agent_id is None or not policy.sees_all_clients(user):
        return "—", ""
    try:
        agent = agent_directory(user).by_id.get(client.agent_id)
    except (Problem, ChatError) as failure:
        if isinstance(failure, Problem) and failure.signs_out:
            raise
        return "—", ""
    return (agent.name, agent.email) if agent else ("Someone no longer in the account", "")


def client_page(user: User, client_id: int) -> ClientPage:
    """What a client's page shows (from the list's snapshot when it has the client)."""
    client = client_get(user, client_id)
    name, email = _creator(user, client)
    tokens: tuple[Token, ...] = ()
    problem = ""
    if policy.has_tokens(user):
        try:
            tokens = tuple(
                token
                for token in person_chat(user).token_list()
                if token.client_identifier == client.client_identifier
                and policy.may_see_token(user, token_agent_id=token.agent_id)
            )
        except (NoChatAccess, ChatError) as failure:
            problem = str(failure.explanation)
    return ClientPage(client, name, email, tokens, problem)


def live_tokens_of(user: User, client: ApiClient) -> tuple[tuple[Token, ...], str]:
    """This person's unexpired tokens from a client, and a problem if they cannot be listed.

    The Chat API lists only the caller's own tokens, so other people's tokens from the client
    cannot be counted; pages say so. Support staff have no tokens.
    """
    if not policy.has_tokens(user):
        return (), ""
    try:
        tokens = person_chat(user).token_list()
    except (NoChatAccess, ChatError) as problem:
        return (), str(problem.explanation)
    now = timezone.now()
    live = tuple(
        token
        for token in tokens
        if token.client_identifier == client.client_identifier
        and policy.may_see_token(user, token_agent_id=token.agent_id)
        and (token.expire_date is None or token.expire_date > now)
    )
    return live, ""


def client_impact(user: User, client_id: int, *, with_tokens: bool = True) -> ClientImpact:
    """The client, and this person's live tokens from it (a failure to list them is reported)."""
    client = client_get(user, client_id)
    if not with_tokens:
        return ClientImpact(client, ())
    live, problem = live_tokens_of(user, client)
    return ClientImpact(client, live, tokens_problem=problem)


@dataclass(frozen=True)
class DeletePreview:
    """Several clients about to be deleted: each one's impact, and the ids that are not there."""

    items: tuple[ClientImpact, ...]
    missing: tuple[int, ...]
    tokens_problem: str = ""

    @property
    def external(self) -> tuple[ClientImpact, ...]:
        return tuple(item for item in self.items if item.is_external)


def clients_delete_preview(user: User, client_ids: Iterable[int]) -> DeletePreview:
    """What deleting these clients would break (one token list for all of them)."""
    items: list[ApiClient] = []
    missing: list[int] = []
    for client_id in client_ids:
        try:
            client = client_get(user, client_id)
        except ClientNotFound:
            missing.append(client_id)
            continue
        if policy.may_change_client(user, client_agent_id=client.agent_id):
            items.append(client)
        else:
            missing.append(client_id)
    tokens: tuple[Token, ...] = ()
    problem = ""
    if items and policy.has_tokens(user):
        try:
            tokens = tuple(person_chat(user).token_list())
        except (NoChatAccess, ChatError) as failure:
            problem = str(failure.explanation)
    now = timezone.now()

    def live(client: ApiClient) -> tuple[Token, ...]:
        return tuple(
            token
            for token in tokens
            if token.client_identifier == client.client_identifier
            and policy.may_see_token(user, token_agent_id=token.agent_id)
            and (token.expire_date is None or token.expire_date > now)
        )

    impacts = tuple(ClientImpact(client, live(client), problem) for client in items)
    return DeletePreview(impacts, tuple(missing), problem)
