"""A short-lived snapshot of the client list: one fetch serves many views.

The Chat API has no paging, so every look at the list fetches every client. The parsed, light
list (ClientRow: never a secret) is kept in the cache — Redis in production, so every process
shares it — for CHATADMIN_CLIENTS_SNAPSHOT_SECONDS, one per Chat account and point of view
(the person's own token, or the account connection). Paging, sorting, searching, filtering,
htmx partials, client pages and the tokens page's client names all read it; the policy filters
it on every request, so one person never sees what another may not.

Any change made through chatadmin bumps one generation number in the cache, which every
snapshot key carries: all of them are dropped for every process at once. The generation is
read before a fetch, so a list fetched while someone deleted a client is stored under the old
generation and never read.

Each process also keeps the snapshots it last read (unpickled, with the orders and search
text worked out for them) in its own memory, under the same key: a view then costs one small
cache read (the generation) instead of carrying and unpickling the whole list, and a change
still reaches every process at once, since a bumped generation is a key no process has. A
local copy is used only within the snapshot's life (its `taken_at` + the setting).

When the snapshot is missing, one thread per process fetches it (single flight): the others
asking for the same key meanwhile wait for that fetch and share its answer, or its error.

The agents (for creators' names) are kept the same way, for longer, in the shared cache and in
each process's memory (within their life): they change rarely and never through chatadmin.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import msgspec
from django.conf import settings
from django.core.cache import cache

from chatadmin.accounts.chat_access import point_of_view, reading_chat
from chatadmin.accounts.models import User
from chatadmin.chat import Agent, chat_config
from chatadmin.chat.resources import ClientRow

GENERATION_KEY = "chatadmin:clients:generation"
# In every snapshot's key: a snapshot written by a release that stored it another way is
# never read (bump it when ClientRow or the way it is stored changes).
SNAPSHOT_FORMAT = 2
# The Chat API pages agents with since_id and limit (chat-api.md section 6: since_id is the last
# id + 1, limit 100); an account with more agents than this is read as far as this goes.
AGENTS_PAGE = 100
AGENTS_PAGES_AT_MOST = 50
# Snapshots kept in each process's memory (every point of view of the latest generation).
LOCAL_KEPT = 8


_ROWS_ENCODER = msgspec.msgpack.Encoder()
_ROWS_DECODER = msgspec.msgpack.Decoder(tuple[ClientRow, ...])


@dataclass
class ClientSnapshot:
    """The client list as one point of view saw it at `taken_at`."""

    rows: tuple[ClientRow, ...]
    taken_at: datetime
    _by_id: dict[int, ClientRow] | None = field(default=None, repr=False, compare=False)
    # Worked out once per snapshot (in each process), never pickled: orders and search text.
    _orders: dict[object, tuple[ClientRow, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _haystacks: dict[int, str] | None = field(default=None, repr=False, compare=False)

    def find(self, client_id: int) -> ClientRow | None:
        """The row of one client, if the list had it."""
        if self._by_id is None:
            self._by_id = {row.id: row for row in self.rows}
        return self._by_id.get(client_id)

    def ordered(
        self, key: object, sort_key: Callable[[ClientRow], object], *, reverse: bool
    ) -> tuple[ClientRow, ...]:
        """Every row in one order, sorted once for this snapshot (`key` names the order)."""
        memo_key = (key, reverse)
        rows = self._orders.get(memo_key)
        if rows is None:
            rows = self._orders[memo_key] = tuple(
                sorted(self.rows, key=sort_key, reverse=reverse)  # type: ignore[arg-type]
            )
        return rows

    def haystacks(self) -> dict[int, str]:
        """Each row's searchable text by id (name, company, client ID, redirect URLs), casefolded.

        The fields are joined by NUL, which search text never holds, so a match never spans two.
        """
        if self._haystacks is None:
            self._haystacks = {
                row.id: "\0".join(
                    (row.name, row.company, row.client_identifier, *row.redirect_uris)
                ).casefold()
                for row in self.rows
            }
        return self._haystacks

    @property
    def expires_at(self) -> float:
        """When its life ends (a Unix time), as the cache entry's does."""
        return self.taken_at.timestamp() + settings.CHATADMIN_CLIENTS_SNAPSHOT_SECONDS

    def __getstate__(self) -> dict[str, object]:
        # The rows as MessagePack: ten times faster both ways than pickling them (10,000 rows:
        # ~1 ms to write, ~5 ms to read back, checked); the rest is rebuilt on demand.
        return {"rows": _ROWS_ENCODER.encode(self.rows), "taken_at": self.taken_at}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.rows = _ROWS_DECODER.decode(state["rows"])  # type: ignore[arg-type]
        self.taken_at = state["taken_at"]  # type: ignore[assignment]
        self._by_id = None
        self._orders = {}
        self._haystacks = None


@dataclass(frozen=True)
class AgentDirectory:
    """The account's agents by id, for naming people (None: the list could not be read)."""

    by_id: dict[int, Agent]
    # When it was read (a Unix time); 0 for one pickled before this was kept: never kept locally.
    taken_at: float = 0.0

    @property
    def expires_at(self) -> float:
        return self.taken_at + settings.CHATADMIN_AGENTS_SNAPSHOT_SECONDS

    def name(self, agent_id: int | None) -> str:
        agent = self.by_id.get(agent_id) if agent_id is not None else None
        return agent.name if agent is not None else ""


def _account() -> str:
    config = chat_config()
    return hashlib.sha256(f"{config.base_url} {config.subdomain}".encode()).hexdigest()[:16]


def _viewer(user: User) -> str:
    if point_of_view(user) == "connection":
        return "connection"
    return f"agent-{user.chat_agent_id}"


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY) or _new_generation()
    return int(generation)


def _key(user: User) -> str:
    return f"chatadmin:clients:v{SNAPSHOT_FORMAT}:{_account()}:{_viewer(user)}:{_generation()}"


_local: OrderedDict[str, ClientSnapshot] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str) -> ClientSnapshot | None:
    with _local_lock:
        snapshot = _local.get(key)
        if snapshot is None:
            return None
        if snapshot.expires_at <= time.time():
            del _local[key]
            return None
        _local.move_to_end(key)
        return snapshot


def _local_put(key: str, snapshot: ClientSnapshot) -> None:
    generation = key.rsplit(":", 1)[1]
    with _local_lock:
        for kept in [k for k in _local if k.rsplit(":", 1)[1] != generation]:
            del _local[kept]  # an older generation: nobody will ask for it again
        _local[key] = snapshot
        while len(_local) > LOCAL_KEPT:
            _local.popitem(last=False)


def forget_local_snapshots() -> None:
    """Drop this process's copies (tests; the shared cache is what counts)."""
    with _local_lock:
        _local.clear()
    _local_agents.clear()


# This process's copies of the agent directories, by key (one per account and point of view),
# each used only within its life: a view then reads no agents from the shared cache.
_local_agents: dict[str, AgentDirectory] = {}


def _keep_agents(key: str, directory: AgentDirectory) -> None:
    if len(_local_agents) >= LOCAL_KEPT:
        _local_agents.clear()  # many points of view: start again rather than grow
    _local_agents[key] = directory


def _kept(key: str) -> ClientSnapshot | None:
    """The snapshot under `key`: this process's copy, else the shared cache's (then kept here)."""
    local = _local_get(key)
    if local is not None:
        return local
    shared: ClientSnapshot | None = cache.get(key)
    if shared is not None and shared.expires_at > time.time():
        _local_put(key, shared)
        return shared
    return None


@dataclass
class _Flight:
    """One fetch of a list under way in this process, and its outcome once done."""

    done: threading.Event = field(default_factory=threading.Event)
    snapshot: ClientSnapshot | None = None
    error: BaseException | None = None


# Single flight per process: while one thread fetches a key's list, the others that find the
# snapshot missing wait for that fetch instead of each fetching the whole list again.
_flights: dict[str, _Flight] = {}
_flights_lock = threading.Lock()


def snapshot_kept(user: User) -> ClientSnapshot | None:
    """The snapshot this person's point of view has in the cache now, if any (no fetch)."""
    reading_chat(user)  # who may look, before anything is read from the cache
    return _kept(_key(user))


def clients_snapshot(user: User, *, fresh: bool = False) -> ClientSnapshot:
    """The client list as this person's point of view sees it: from the cache, or fetched.

    `fresh` fetches anew (the list's Refresh button). NoChatAccess and ChatErrors pass through.
    """
    api = reading_chat(user)  # who may look, before anything is read from the cache
    key = _key(user)
    if not fresh:
        kept = _kept(key)
        if kept is not None:
            return kept
    with _flights_lock:
        flight = _flights.get(key)
        leading = flight is None
        if flight is None:
            flight = _flights[key] = _Flight()
    if not leading:
        # Another thread of this process is fetching this very list: share its answer.
        flight.done.wait()
        if flight.error is not None:
            raise flight.error
        assert flight.snapshot is not None  # noqa: S101 - set whenever error is not
        return flight.snapshot
    try:
        snapshot = ClientSnapshot(tuple(api.client_rows()), datetime.now(UTC))
        cache.set(key, snapshot, settings.CHATADMIN_CLIENTS_SNAPSHOT_SECONDS)
        _local_put(key, snapshot)
        flight.snapshot = snapshot
        return snapshot
    except BaseException as error:
        flight.error = error
        raise
    finally:
        with _flights_lock:
            del _flights[key]
        flight.done.set()


def clients_changed() -> None:
    """A client was created, changed or deleted through chatadmin: drop every snapshot."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or it was evicted): start a new one
        cache.set(GENERATION_KEY, _new_generation(), timeout=None)


def _new_generation() -> int:
    # A counter that was lost (evicted) must not come back to a number old snapshots carry.
    return int(datetime.now(UTC).timestamp() * 1000)


def agent_directory(user: User) -> AgentDirectory:
    """Every agent of the account by id (paged through since_id), cached for a few minutes."""
    key = f"chatadmin:agents:{_account()}:{_viewer(user)}"
    local = _local_agents.get(key)
    if local is not None and local.expires_at > time.time():
        return local
    kept: AgentDirectory | None = cache.get(key)
    if kept is not None:
        if kept.expires_at > time.time():
            _keep_agents(key, kept)
        return kept
    api = reading_chat(user)
    agents: dict[int, Agent] = {}
    since: int | None = None
    for _ in range(AGENTS_PAGES_AT_MOST):
        page = api.agent_list(since_id=since, limit=AGENTS_PAGE)
        new = [agent for agent in page if agent.id not in agents]
        agents.update((agent.id, agent) for agent in new)
        if len(page) < AGENTS_PAGE or not new:
            break
        since = max(agent.id for agent in page) + 1
    directory = AgentDirectory(agents, time.time())
    cache.set(key, directory, settings.CHATADMIN_AGENTS_SNAPSHOT_SECONDS)
    _keep_agents(key, directory)
    return directory
