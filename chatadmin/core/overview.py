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
from chatadmin.accounts.chat_access import connection_get, reading_chat
from chatadmin.accounts.models import User
from chatadmin.audit.models import AuditEvent
from chatadmin.audit.selectors import audit_event_list
from chatadmin.chat import Agent, ApiClient, ChatApi, ChatError
from chatadmin.clients.selectors import client_list
from chatadmin.core.problems import Problem, problem_of
from chatadmin.tokens.selectors import EXPIRING_WITHIN_TEXT, TokenStatus, token_list
from chatadmin.vocabulary import CLIENT_TYPE_LABELS, CLIENT_TYPES, CLIENT_USE_LABELS, CLIENT_USES

RECENT_EVENTS = 8
# Agents are listed in pages (chat-api.md 6: `since_id` = last id + 1, `limit` 100); an
# account with more agents than this is checked as far as this goes.
AGENTS_PAGE = 100
AGENTS_PAGES_AT_MOST = 50

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


def _client_figures(clients: list[ApiClient]) -> tuple[Figure, ...]:
    """Clients by use (external, internal) and by type (public, confidential)."""
    uses = Counter(client.use for client in clients)
    types = Counter(client.client_type for client in clients)
    by_use = tuple(
        Figure(CLIENT_USE_LABELS[use], uses[use], _url("clients:list", use=use))
        for use in CLIENT_USES
    )
    by_type = tuple(
        Figure(CLIENT_TYPE_LABELS[kind], types[kind], _url("clients:list", type=kind))
        for kind in CLIENT_TYPES
    )
    return by_use + by_type


def agents_all(api: ChatApi) -> list[Agent]:
    """Every agent of the account, page by page (as far as AGENTS_PAGES_AT_MOST pages go)."""
    agents: list[Agent] = []
    since_id: int | None = None
    for _ in range(AGENTS_PAGES_AT_MOST):
        page = api.agent_list(since_id=since_id, limit=AGENTS_PAGE)
        agents.extend(page)
        if len(page) < AGENTS_PAGE:
            break
        since_id = max(agent.id for agent in page) + 1
    return agents


def orphaned_clients(clients: list[ApiClient], agents: list[Agent]) -> list[ApiClient]:
    """Clients whose creator is disabled in Chat or gone from the account (or unknown)."""
    enabled = {agent.id for agent in agents if agent.enabled}
    return [client for client in clients if client.agent_id not in enabled]


def insecure_redirect_clients(clients: list[ApiClient]) -> list[ApiClient]:
    """External clients that send tokens to a plain-http address off this machine."""
    return [
        client
        for client in clients
        if any(uri.lower().startswith("http://") for uri in client.external_uris)
    ]


def public_write_clients(clients: list[ApiClient]) -> list[ApiClient]:
    """Public clients (no secret kept) whose tokens may change the account."""
    return [c for c in clients if c.client_type == "public" and "write" in c.scopes]


def _client_findings(user: User, clients: list[ApiClient]) -> tuple[list[Finding], str]:
    findings: list[Finding] = []
    problem = ""
    if policy.sees_all_clients(user):
        # A user's own clients have a creator who is signed in: only the wider view can tell.
        try:
            agents = agents_all(reading_chat(user))
        except (Problem, ChatError) as failure:
            explained = problem_of(failure)
            if explained.signs_out:
                raise
            problem = f"Creators could not be checked: {explained.explanation}"
        else:
            findings.append(
                Finding(
                    ORPHANED,
                    "Clients whose creator is disabled or gone",
                    len(orphaned_clients(clients, agents)),
                    _url("clients:list", finding=ORPHANED),
                    "Nobody in Chat answers for them any more: delete them, or ask an admin "
                    "to check what still uses them.",
                )
            )
    findings.append(
        Finding(
            INSECURE_REDIRECT,
            "External clients with an http:// redirect URL",
            len(insecure_redirect_clients(clients)),
            _url("clients:list", use="external", finding=INSECURE_REDIRECT),
            "Tokens sent to a plain-http address can be read on the way: use https.",
        )
    )
    findings.append(
        Finding(
            PUBLIC_WRITE,
            "Public clients with the write scope",
            len(public_write_clients(clients)),
            _url("clients:list", type="public", finding=PUBLIC_WRITE),
            "A public client keeps no secret, yet its tokens can change the account: drop "
            "write, or make it confidential.",
        )
    )
    return findings, problem


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
        clients = client_list(user)
    except (Problem, ChatError) as failure:
        clients_problem = _explained(failure)
    else:
        figures = _client_figures(clients)
        total = Figure("API clients", len(clients), _url("clients:list"))
        findings, findings_problem = _client_findings(user, clients)

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
