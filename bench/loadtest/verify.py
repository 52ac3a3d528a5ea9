"""After a run: does the sandbox hold what the people were told, and the audit log record it?

Reads the sandbox's database and chatadmin's (PostgreSQL, straight SQL: nothing of either app
is imported or trusted) and checks, against the ledger:

- every client and token is in the state the person's answers imply (a failed change left it
  as it was, a successful one is there, an unknown one either way), and no client exists that
  nobody created (a retried create would show up here as a duplicate);
- chatadmin's audit log holds exactly one record per change the script made, with the outcome
  the person was told (Delete Selected's "refused" is a failure or a denial);
- no list view showed a client deleted through chatadmin before the view began;
- every unknown outcome is resolved: did Chat do it or not (shown in the fault table).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import psycopg

from bench.loadtest.ledger import (
    DENIED,
    FAILURE,
    NO_ANSWER,
    REFUSED,
    SUCCESS,
    UNCERTAIN,
    ClientFacts,
    Ledger,
    TokenFacts,
)

AUDITED = ("client.create", "client.update", "client.delete", "client.secret_regenerate")
EDITED = re.compile(r" e\d+$")


@dataclass(frozen=True)
class SandboxClient:
    id: int
    name: str
    company: str | None
    digest: str


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    checked: Counter[str] = field(default_factory=Counter)
    unknown_done: Counter[str] = field(default_factory=Counter)  # action -> Chat did it
    unknown_not_done: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.problems


def sandbox_clients(url: str) -> dict[int, SandboxClient]:
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT id, name, company, secret_digest FROM sandbox_oauthclient"
        ).fetchall()
    return {row[0]: SandboxClient(*row) for row in rows}


def sandbox_tokens(url: str) -> dict[int, bool]:
    """Every access token's id, and whether it is revoked."""
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT id, revoked_date IS NOT NULL FROM sandbox_accesstoken"
        ).fetchall()
    return dict(rows)


def initial_facts(url: str) -> list[ClientFacts]:
    return [
        ClientFacts(client.id, client.name, client.company, {client.digest})
        for client in sandbox_clients(url).values()
    ]


def audit_events(url: str, people: list[str]) -> list[tuple[str, str, str, str, str]]:
    """(actor, action, target id, target label, outcome) of the people's audited changes."""
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT actor_label, action, target_id, target_label, outcome "
            "FROM audit_auditevent WHERE actor_label = ANY(%s) AND action = ANY(%s)",
            [people, [*AUDITED, "token.revoke"]],
        ).fetchall()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _pair(client: SandboxClient) -> str:
    return f"{client.name}\x00{client.company or ''}"


def _base(name: str) -> str:
    return EDITED.sub("", name)


def check_clients(ledger: Ledger, held: dict[int, SandboxClient], found: Findings) -> None:
    for facts in ledger.clients.values():
        there = held.get(facts.id)
        found.checked["clients"] += 1
        if facts.exists is True and there is None:
            found.problems.append(f"client {facts.id} ({facts.name}) should exist and does not")
            continue
        if facts.exists is False and there is not None:
            found.problems.append(f"client {facts.id} ({facts.name}) should be deleted, is not")
            continue
        if facts.unknown == "client.delete":
            (found.unknown_done if there is None else found.unknown_not_done)[facts.unknown] += 1
        if there is None:
            continue
        if _pair(there) not in facts.names:
            found.problems.append(
                f"client {facts.id}: name/company {there.name!r}/{there.company!r} is none of "
                f"what the person was told ({sorted(n.replace(chr(0), '/') for n in facts.names)})"
            )
        if facts.unknown == "client.update" and isinstance(facts.before, set):
            done = _pair(there) not in facts.before
            (found.unknown_done if done else found.unknown_not_done)[facts.unknown] += 1
        if facts.digests is not None and there.digest not in facts.digests:
            found.problems.append(
                f"client {facts.id} ({facts.name}): its secret is not the one last shown "
                "(a regenerate was done while the person was told otherwise?)"
            )
        if facts.unknown == "client.secret_regenerate":
            before = facts.before if isinstance(facts.before, set) else None
            if before is not None:
                done = there.digest not in before
                (found.unknown_done if done else found.unknown_not_done)[facts.unknown] += 1
    known = set(ledger.clients)
    by_base: Counter[str] = Counter(_base(client.name) for client in held.values())
    for creation in ledger.creations.values():
        count = by_base.get(creation.name, 0)
        found.checked["creations"] += 1
        if count > 1:
            found.problems.append(f"create {creation.name!r}: {count} such clients (duplicates)")
        elif creation.outcome == SUCCESS:
            continue  # the client's own facts say whether it must still be there
        elif creation.outcome in {FAILURE, DENIED} and count:
            found.problems.append(
                f"create {creation.name!r} was told it failed, yet Chat holds {count} such client"
            )
        elif creation.outcome in UNCERTAIN:
            (found.unknown_done if count else found.unknown_not_done)["client.create"] += 1
    for client in held.values():
        if client.id in known:
            continue
        maker = ledger.creations.get(_base(client.name))
        if maker is None or maker.outcome not in UNCERTAIN:
            found.problems.append(f"client {client.id} ({client.name!r}): nobody created it")


def check_tokens(ledger: Ledger, held: dict[int, bool], found: Findings) -> None:
    for token in ledger.tokens.values():
        found.checked["tokens"] += 1
        revoked = held.get(token.id)
        if revoked is None:
            found.problems.append(f"token {token.id} of {token.owner} is gone from the sandbox")
        elif token.revoked is True and not revoked:
            found.problems.append(f"token {token.id} of {token.owner}: revoked, yet active")
        elif token.revoked is False and revoked:
            found.problems.append(f"token {token.id} of {token.owner}: revoked, told otherwise")
        elif token.revoked is None:
            (found.unknown_done if revoked else found.unknown_not_done)["token.revoke"] += 1


def _accepts(told: str, recorded: str) -> bool:
    return told == recorded or (told == REFUSED and recorded in {FAILURE, DENIED})


def check_audit(
    ledger: Ledger, events: list[tuple[str, str, str, str, str]], found: Findings
) -> None:
    """Exactly one record per change the script made, with the outcome it was told."""
    recorded: dict[tuple[str, str, str], list[str]] = {}
    for actor, action, target_id, target_label, outcome in events:
        target = target_label if action == "client.create" else target_id
        recorded.setdefault((actor, action, target), []).append(outcome)
    told: dict[tuple[str, str, str], list[str]] = {}
    for act in ledger.acts:
        told.setdefault((act.person, act.action, act.key), []).append(act.outcome)
    found.checked["audit records"] = len(events)
    found.checked["changes made"] = len(ledger.acts)
    for each in sorted(set(recorded) | set(told)):
        saw = sorted(told.get(each, []))
        got = sorted(recorded.get(each, []))
        if not _matched(saw, got):
            actor, action, target = each
            found.problems.append(
                f"audit: {actor} {action} {target}: the person was told {saw or 'nothing'}, "
                f"the log holds {got or 'nothing'}"
            )


def _matched(saw: list[str], got: list[str]) -> bool:
    """Whether the outcomes pair up one to one (refused takes a failure or a denial; a change
    that got no answer at all takes any record, or none)."""
    left = list(got)
    for outcome in sorted(saw, key=lambda o: (o == NO_ANSWER, o == REFUSED)):  # exact first
        if outcome == NO_ANSWER:
            if left:
                left.pop()
            continue
        match = next((o for o in left if _accepts(outcome, o)), None)
        if match is None:
            return False
        left.remove(match)
    return not left


def verify(ledger: Ledger, *, sandbox_db: str, dashboard_db: str, people: list[str]) -> Findings:
    found = Findings()
    check_clients(ledger, sandbox_clients(sandbox_db), found)
    check_tokens(ledger, sandbox_tokens(sandbox_db), found)
    check_audit(ledger, audit_events(dashboard_db, people), found)
    found.problems.extend(f"stale list: {line}" for line in ledger.stale_views)
    found.checked["list views"] = ledger.list_views
    return found


def token_facts_of(people: list[tuple[str, list[int]]]) -> list[TokenFacts]:
    return [TokenFacts(token_id, email) for email, ids in people for token_id in ids]
