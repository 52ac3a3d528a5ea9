"""The home page's overview: numbers at a glance for what this person may see, and findings.

One selector (`overview_get`) reads what the person's role and situation allow, through the
same selectors the lists use (so a number and the list it links to agree): API clients by use
and type, the person's own tokens by status, and findings worth acting on. A Chat failure is
reported in place of the numbers it stops; the page still renders. Every number carries the
address of the list that shows those things (`?finding=` addresses wait for the list to
understand them; today they open the nearest filter the list has).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from chatadmin.accounts import policy
from chatadmin.accounts.chat_access import connection_get
from chatadmin.accounts.models import User
from chatadmin.audit.models import AuditEvent
from chatadmin.audit.selectors import audit_event_list
from chatadmin.chat import ChatError
from chatadmin.chat.resources import ClientRow
from chatadmin.clients.selectors import ClientQuery, client_listing
from chatadmin.core.problems import Problem, problem_of
from chatadmin.tokens.selectors import EXPIRING_WITHIN_TEXT, TokenStatus, token_list
from chatadmin.vocabulary import CLIENT_TYPE_LABELS, CLIENT_TYPES, CLIENT_USE_LABELS, CLIENT_USES

RECENT_EVENTS = 8

# The findings, each a key the lists may learn to filter by (`?finding=<key>`).
ORPHANED = "orphaned"
INSECURE_REDIRECT = "insecure-redirect"
PUBLIC_WRITE = "public-write"
EXPIRED_TOKENS = "expired-tokens"


@dataclass(frozen=True)
class Figure:
    """One number at a glance, and the list that shows what it counts."""

    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Finding:
    """Something worth acting on, counted, with what to do about it."""

    key: str
    label: str
    count: int
    url: str
    advice: str


@dataclass(frozen=True)
class Call:
    """What the person should do next to get further, and where."""

    text: str
    url: str
    action: str


@dataclass(frozen=True)
class Overview:
    """What the home page shows this person."""

    standing: str
    calls: tuple[Call, ...] = ()
    clients: tuple[Figure, ...] = ()
    clients_total: Figure | None = None
    clients_problem: str = ""
    tokens: tuple[Figure, ...] = ()
    tokens_total: Figure | None = None
    tokens_problem: str = ""
    shows_tokens: bool = False
    findings: tuple[Finding, ...] = ()
    findings_problem: str = ""
    events: tuple[AuditEvent, ...] = field(default_factory=tuple)
    shows_events: bool = False
    expiring_within: str = EXPIRING_WITHIN_TEXT

    @property
    def shows_numbers(self) -> bool:
        return bool(self.clients or self.clients_problem or self.tokens or self.tokens_problem)

    @property
    def findings_count(self) -> int:
        return sum(finding.count for finding in self.findings)


def _url(name: str, **query: str) -> str:
    base = reverse(name)
    return f"{base}?{urlencode(query)}" if query else base


# --- Who the person is, in one sentence, and what would get them further ------------------


def _standing(user: User) -> tuple[str, tuple[Call, ...]]:
    """What this person can do here, true for their role and situation, and what to do next."""
    calls: list[Call] = []
    link = Call(
        "API clients and tokens are changed in Zendesk Chat as you, so they need your Chat "
        "identity. Link it in Settings (your chatadmin password is then removed: you sign in "
        "with Zendesk Chat from then on).",
        f"{reverse('settings')}#chat-identity",
        "Link your Chat identity",
    )
    if policy.is_support(user):
        if connection_get() is None:
            text = (
                "You will see every API client read-only once an admin saves the account "
                "connection; secrets are never shown to you, and you have no tokens."
            )
        else:
            text = (
                "You see every API client read-only, through the account connection; secrets "
                "are never shown to you, and you have no tokens of your own."
            )
        return text, ()
    if policy.is_admin(user):
        if policy.needs_chat_identity(user):
            text = (
                "You manage the people who use chatadmin and the account connection. Your "
                "local account has no Zendesk Chat identity, so you cannot see or change API "
                "clients or tokens yet."
            )
            calls.append(link)
        else:
            text = "You see and manage every API client, and your own tokens."
        if connection_get() is None:
            calls.append(
                Call(
                    "No account connection is saved, so support staff cannot see API clients. "
                    "Save one in Settings.",
                    f"{reverse('settings')}#connection",
                    "Save the account connection",
                )
            )
        return text, tuple(calls)
    if policy.needs_chat_identity(user):
        text = (
            "Your local account has no Zendesk Chat identity, so you cannot see or change "
            "API clients or tokens yet."
        )
        return text, (link,)
    return "You see and manage the API clients you created, and your own tokens.", ()


# --- Numbers ------------------------------------------------------------------------------


def _client_figures(rows: tuple[ClientRow, ...]) -> tuple[Figure, ...]:
    """Clients by use (external, internal) and by type (public, confidential)."""
    uses = Counter(row.use for row in rows)
    types = Counter(row.client_type for row in rows)
    by_use = tuple(
        Figure(CLIENT_USE_LABELS[use], uses[use], _url("clients:list", use=use))
        for use in CLIENT_USES
    )
    by_type = tuple(
        Figure(CLIENT_TYPE_LABELS[kind], types[kind], _url("clients:list", type=kind))
        for kind in CLIENT_TYPES
    )
    return by_use + by_type


# Each finding: the list's own filter (so the number and the list it links to agree), its
# label and what to do. The orphaned finding needs the agents, which only the wider view has.
FINDING_QUERIES = (
    (
        ORPHANED,
        ClientQuery(finding=ORPHANED),
        "Clients whose creator is disabled or gone",
        "Nobody in Chat answers for them any more: delete them, or ask an admin to check what "
        "still uses them.",
    ),
    (
        INSECURE_REDIRECT,
        ClientQuery(use="external", finding=INSECURE_REDIRECT),
        "External clients with an http:// redirect URL",
        "Tokens sent to a plain-http address can be read on the way: use https.",
    ),
    (
        PUBLIC_WRITE,
        ClientQuery(client_type="public", finding=PUBLIC_WRITE),
        "Public clients with the write scope",
        "A public client keeps no secret, yet its tokens can change the account: drop write, "
        "or make it confidential.",
    ),
)


def _client_findings(user: User) -> tuple[list[Finding], str]:
    findings: list[Finding] = []
    problem = ""
    for key, query, label, advice in FINDING_QUERIES:
        if key == ORPHANED and not policy.sees_all_clients(user):
            continue  # a user's own clients have a creator who is signed in
        listing = client_listing(user, query)  # from the snapshot: no second fetch
        if key == ORPHANED and listing.agents is None:
            problem = f"Creators could not be checked: {listing.agents_problem}"
            continue
        url = _url("clients:list", **_params(query))
        findings.append(Finding(key, label, len(listing.rows), url, advice))
    return findings, problem


def _params(query: ClientQuery) -> dict[str, str]:
    values = {"use": query.use, "type": query.client_type, "finding": query.finding}
    return {name: value for name, value in values.items() if value}


def _explained(failure: Problem | ChatError) -> str:
    problem = problem_of(failure)
    if problem.signs_out:
        raise problem
    return problem.explanation


def _tokens_part(user: User) -> tuple[tuple[Figure, ...], Figure | None, str, Finding | None]:
    """The person's tokens by status, the total, a problem, and the expired-tokens finding."""
    try:
        tokens = token_list(user)
    except (Problem, ChatError) as failure:
        return (), None, _explained(failure), None
    counts = tokens.status_counts
    figures = tuple(
        Figure(label, counts.get(status, 0), _url("tokens:list", status=status.value))
        for label, status in (
            ("Active", TokenStatus.ACTIVE),
            (f"Expiring within {EXPIRING_WITHIN_TEXT}", TokenStatus.EXPIRING),
            ("Expired", TokenStatus.EXPIRED),
        )
    )
    expired = Finding(
        EXPIRED_TOKENS,
        "Expired tokens still listed",
        tokens.expired,
        _url("tokens:list", status=TokenStatus.EXPIRED.value),
        "Their refresh tokens may still renew them: revoke the ones nothing uses.",
    )
    return figures, Figure("Your tokens", tokens.total, _url("tokens:list")), "", expired


def overview_get(user: User) -> Overview:
    """The overview for this person: what they may see, as numbers, and what to act on."""
    standing, calls = _standing(user)
    shows_events = policy.sees_all_audit_events(user)
    events = tuple(audit_event_list(user)[:RECENT_EVENTS]) if shows_events else ()
    if policy.needs_chat_identity(user):
        # Nothing can be read without a Chat identity, so nothing is asked of Chat.
        return Overview(standing, calls, events=events, shows_events=shows_events)

    figures: tuple[Figure, ...] = ()
    total: Figure | None = None
    clients_problem = findings_problem = ""
    findings: list[Finding] = []
    try:
        rows = client_listing(user, ClientQuery()).rows
        figures = _client_figures(rows)
        total = Figure("API clients", len(rows), _url("clients:list"))
        findings, findings_problem = _client_findings(user)
    except (Problem, ChatError) as failure:
        clients_problem = _explained(failure)

    token_figures: tuple[Figure, ...] = ()
    tokens_total: Figure | None = None
    tokens_problem = ""
    shows_tokens = policy.has_tokens(user)
    if shows_tokens:
        token_figures, tokens_total, tokens_problem, expired = _tokens_part(user)
        if expired is not None:
            findings.append(expired)
    return Overview(
        standing,
        calls,
        clients=figures,
        clients_total=total,
        clients_problem=clients_problem,
        tokens=token_figures,
        tokens_total=tokens_total,
        tokens_problem=tokens_problem,
        shows_tokens=shows_tokens,
        findings=tuple(findings),
        findings_problem=findings_problem,
        events=events,
        shows_events=shows_events,
    )
