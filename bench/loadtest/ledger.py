"""What the load script did and saw, kept for the checks afterwards (shared by every thread).

- `Sample`: one HTTP request (what for, status, time).
- `Act`: one change chatadmin audits (a create, edit, regenerate, delete, revoke), with the
  outcome the person was told: success, failure, unknown (told it may have happened) or
  refused (Delete Selected's word for "not allowed / not found").
- `ClientFacts` / `TokenFacts`: what may be true of each client and token afterwards, given
  what the person was told. A client or token whose change failed or had an unknown outcome is
  *retired*: nobody touches it again, so the final state can witness every failure exactly.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field

SUCCESS, FAILURE, UNKNOWN, DENIED = "success", "failure", "unknown", "denied"
REFUSED = "refused"  # Delete Selected's word: not allowed, or not found
# chatadmin's server dropped the connection without an answer (gunicorn's keep-alive race
# under load): the script cannot know what happened, nor whether anything was recorded.
NO_ANSWER = "no answer"
UNCERTAIN = frozenset({UNKNOWN, NO_ANSWER})


def digest(secret: str) -> str:
    """How the sandbox stores a secret (chatadmin.sandbox.hashing.digest)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Sample:
    label: str
    status: int
    seconds: float
    at: float  # seconds since the run started
    phase: str
    problem_page: bool = False  # chatadmin's plain problem page or region


@dataclass(frozen=True)
class Act:
    person: str
    action: str  # the audit action: client.create, client.update, ...
    key: str  # the client's id, its name for a create, or the token's id
    outcome: str
    phase: str
    said: str = ""


@dataclass
class ClientFacts:
    id: int
    name: str
    company: str | None
    digests: set[str] | None  # the secrets it may have (None: not knowable)
    exists: bool | None = True  # None: may or may not
    names: set[str] = field(default_factory=set)  # name/company pairs it may have
    retired: bool = False
    busy: bool = False  # a person is working on it right now
    # The change whose outcome nobody knows (at most one: the client is retired after it),
    # and what was true before it, to tell afterwards whether Chat did it.
    unknown: str = ""
    before: object = None

    def __post_init__(self) -> None:
        if not self.names:
            self.names = {f"{self.name}\x00{self.company or ''}"}


@dataclass
class TokenFacts:
    id: int
    owner: str
    revoked: bool | None = False
    retired: bool = False


@dataclass
class Creation:
    person: str
    name: str
    outcome: str
    id: int | None = None


class Ledger:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.phase = "load"
        self.samples: list[Sample] = []
        self.acts: list[Act] = []
        self.clients: dict[int, ClientFacts] = {}
        self.creations: dict[str, Creation] = {}
        self.tokens: dict[int, TokenFacts] = {}
        self.deleted_at: dict[int, float] = {}
        self.stale_views: list[str] = []
        self.anomalies: list[str] = []
        self.resets: list[str] = []  # requests chatadmin's server dropped without an answer
        self.list_views = 0

    def now(self) -> float:
        return time.monotonic() - self.started

    def sample(self, label: str, status: int, seconds: float, at: float, problem: bool) -> None:
        with self.lock:
            self.samples.append(Sample(label, status, seconds, at, self.phase, problem))

    def anomaly(self, text: str) -> None:
        with self.lock:
            self.anomalies.append(f"[{self.phase} {self.now():.1f}s] {text}")

    def reset(self, text: str) -> None:
        with self.lock:
            self.resets.append(f"[{self.phase} {self.now():.1f}s] {text}")

    def act(self, person: str, action: str, key: object, outcome: str, said: str = "") -> None:
        with self.lock:
            self.acts.append(Act(person, action, str(key), outcome, self.phase, said[:300]))

    # --- clients -------------------------------------------------------------------------
    def client_add(self, facts: ClientFacts) -> None:
        with self.lock:
            self.clients[facts.id] = facts

    def creation(self, person: str, name: str, outcome: str, client_id: int | None) -> None:
        with self.lock:
            self.creations[name] = Creation(person, name, outcome, client_id)

    def deleted(self, client_id: int, outcome: str) -> None:
        """Record a delete's outcome on the client; a success at this moment."""
        with self.lock:
            facts = self.clients[client_id]
            if outcome == SUCCESS:
                facts.exists = False
                self.deleted_at[client_id] = self.now()
            elif outcome in UNCERTAIN:
                facts.exists = None
                facts.unknown = "client.delete"
            if outcome != SUCCESS:
                facts.retired = True

    def list_view(self, person: str, label: str, started: float, shown: set[int]) -> None:
        """A list view that began at `started` must not show a client deleted before it."""
        with self.lock:
            self.list_views += 1
            for client_id in sorted(shown):
                gone_at = self.deleted_at.get(client_id)
                if gone_at is not None and gone_at < started:
                    self.stale_views.append(
                        f"{person} {label} at {started:.2f}s showed client {client_id}, "
                        f"deleted through chatadmin at {gone_at:.2f}s"
                    )
