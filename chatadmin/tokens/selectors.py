"""Reading tokens: the person's own, with their clients' names, statuses and filters.

Tokens are always read with the person's own Chat token, never the account connection:
support staff have no tokens, so they get `NoTokens` before anything is called.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from django.utils import timezone
from django.utils.timesince import timesince, timeuntil

from chatadmin.accounts import policy
from chatadmin.accounts.chat_access import person_chat, sign_in_access_token
from chatadmin.accounts.models import User
from chatadmin.chat import ApiClient, ChatApi, ChatError, Token, chat_config
from chatadmin.chat.resources import token_hint
from chatadmin.clients.selectors import client_list, client_names
from chatadmin.core.problems import NoChatAccess, Problem

# The inventory warns about tokens that stop working within this long. Chat access tokens live
# about 10 hours (chat-api.md 3: the docs' example), so a day would flag every new token.
EXPIRING_WITHIN = timedelta(hours=2)
EXPIRING_WITHIN_TEXT = "2 hours"
SIGN_IN_CLIENT_NAME = "chatadmin (your sign-in)"


class NoTokens(NoChatAccess):
    """This person has no tokens at all (support staff); nothing was called."""

    title = "No tokens"
    outcome = "denied"


class TokenStatus(StrEnum):
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return {"active": "Active", "expiring": "Expires soon", "expired": "Expired"}[self.value]


STATUS_CHOICES = tuple((status.value, status.label) for status in TokenStatus)


def token_status(expire_date: datetime | None, *, now: datetime) -> TokenStatus:
    """Expired, expiring within EXPIRING_WITHIN, or active (no expiry date: active)."""
    if expire_date is None:
        return TokenStatus.ACTIVE
    if expire_date <= now:
        return TokenStatus.EXPIRED
    if expire_date - now < EXPIRING_WITHIN:
        return TokenStatus.EXPIRING
    return TokenStatus.ACTIVE


def expiry_words(expire_date: datetime | None, *, now: datetime) -> str:
    """When a token expires, from now, in its largest unit: "in 9 hours", "3 days ago"."""
    if expire_date is None:
        return "never"
    if expire_date > now:
        return f"in {timeuntil(expire_date, now, depth=1)}"
    return f"{timesince(expire_date, now, depth=1)} ago"


@dataclass(frozen=True)
class TokenRow:
    """One of the person's tokens as the inventory shows it: never more than a short hint."""

    id: int
    hint: str
    client_identifier: str
    client_name: str
    scopes: tuple[str, ...]
    create_date: datetime | None
    expire_date: datetime | None
    status: TokenStatus
    is_sign_in: bool
    may_revoke: bool
    expiry_words: str = ""  # "in 9 hours", "3 days ago", "never": the largest unit only

    @property
    def label(self) -> str:
        """How a person recognises the token: its hint and its client."""
        return (
            f"{self.hint} ({self.client_name})" if self.hint else f"a token of {self.client_name}"
        )


@dataclass(frozen=True)
class TokenList:
    """The rows that match the filters, and what the page needs around them."""

    rows: tuple[TokenRow, ...]
    total: int
    client_choices: tuple[tuple[str, str], ...]
    status_counts: dict[TokenStatus, int]  # every token of the person's, filters aside
    names_unavailable: str
    now: datetime
    shown_counts: dict[TokenStatus, int] = field(default_factory=dict)  # the rows shown

    def __iter__(self) -> Iterator[TokenRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def expiring(self) -> int:
        return self.status_counts.get(TokenStatus.EXPIRING, 0)

    @property
    def expired(self) -> int:
        return self.status_counts.get(TokenStatus.EXPIRED, 0)

    @property
    def expiring_shown(self) -> int:
        """Expiring tokens among the rows the filters keep (what the page's warning counts)."""
        return self.shown_counts.get(TokenStatus.EXPIRING, 0)

    @property
    def expired_shown(self) -> int:
        return self.shown_counts.get(TokenStatus.EXPIRED, 0)


NO_TOKENS = (
    "Support staff have no tokens: tokens belong to the Chat agents who created them, and only "
    "they can see, mint or revoke them."
)


def problem_text(problem: ChatError | Problem) -> str:
    """What to tell the person about a failed call, in plain words."""
    return problem.explanation


def own_tokens_chat(user: User) -> ChatApi:
    """The person's own Chat, for their tokens (never the connection); NoTokens for support."""
    if not policy.has_tokens(user):
        raise NoTokens(NO_TOKENS)
    return person_chat(user)


def _client_names(user: User) -> tuple[dict[str, str], str]:
    """Client names by identifier, as far as this person may see them, and any problem."""
    names = {chat_config().oauth_client_id: SIGN_IN_CLIENT_NAME}
    try:
        listed = client_names(user)  # from the client list's snapshot: no second fetch
    except (ChatError, NoChatAccess) as problem:
        return (
            names,
            f"Client names could not be read, so their ids are shown. {problem.explanation}",
        )
    listed.update(names)
    return listed, ""


def sign_in_token_hint(user: User) -> str:
    """The hint of the token chatadmin itself acts with for this person ("" if none)."""
    access_token = sign_in_access_token(user)
    return token_hint(access_token) if access_token else ""


def is_sign_in_token(token: Token, *, sign_in_hint: str) -> bool:
    """Whether this is chatadmin's own sign-in token: revoking it signs the person out."""
    return (
        bool(sign_in_hint)
        and token.access_token_hint == sign_in_hint
        and token.client_identifier == chat_config().oauth_client_id
    )


def _row(
    token: Token, *, user: User, names: dict[str, str], sign_in_hint: str, now: datetime
) -> TokenRow:
    return TokenRow(
        id=token.id,
        hint=token.access_token_hint,
        client_identifier=token.client_identifier,
        client_name=names.get(token.client_identifier, token.client_identifier or "unknown client"),
        scopes=token.scopes,
        create_date=token.create_date,
        expire_date=token.expire_date,
        status=token_status(token.expire_date, now=now),
        is_sign_in=is_sign_in_token(token, sign_in_hint=sign_in_hint),
        may_revoke=policy.may_revoke_token(user, token_agent_id=token.agent_id),
        expiry_words=expiry_words(token.expire_date, now=now),
    )


def token_list(user: User, *, client: str = "", scope: str = "", status: str = "") -> TokenList:
    """The person's own tokens, newest first, filtered by client identifier, scope and status.

    Raises NoTokens (support staff, nothing called), NoChatAccess (no Chat identity) or a
    ChatError. The API already lists only the caller's tokens; the policy is applied again
    so that a broader answer never shows anyone else's.
    """
    tokens = own_tokens_chat(user).token_list()
    own = [t for t in tokens if policy.may_see_token(user, token_agent_id=t.agent_id)]
    names, names_problem = _client_names(user)
    now = timezone.now()
    sign_in_hint = sign_in_token_hint(user)
    rows = [_row(t, user=user, names=names, sign_in_hint=sign_in_hint, now=now) for t in own]
    rows.sort(key=lambda r: (r.create_date is not None, r.create_date, r.id), reverse=True)
    choices = sorted(
        {(r.client_identifier, r.client_name) for r in rows}, key=lambda c: c[1].lower()
    )
    counts = Counter(r.status for r in rows)
    matching = tuple(
        r
        for r in rows
        if (not client or r.client_identifier == client)
        and (not scope or scope in r.scopes)
        and (not status or r.status == status)
    )
    return TokenList(
        rows=matching,
        total=len(rows),
        client_choices=tuple(choices),
        status_counts=dict(counts),
        names_unavailable=names_problem,
        now=now,
        shown_counts=dict(Counter(r.status for r in matching)),
    )


def token_labels(user: User, token_ids: list[int]) -> list[str]:
    """The tokens as the table names them (prefix and client), for a confirmation page.

    Best effort: a token that cannot be named (gone, not the person's, Chat not answering) is
    "a selected token"; nothing here decides what may be revoked.
    """
    try:
        rows = {row.id: row for row in token_list(user).rows}
    except (Problem, ChatError) as failure:
        if isinstance(failure, Problem) and failure.signs_out:
            raise
        rows = {}
    return [
        rows[token_id].label if token_id in rows else "a selected token" for token_id in token_ids
    ]


def token_wizard_client_list(user: User) -> list[ApiClient]:
    """The clients this person may mint a token for (their own; admins any)."""
    if not policy.has_tokens(user):  # before client_list, which reads through the connection
        raise NoTokens(NO_TOKENS)
    return [
        client
        for client in client_list(user)
        if policy.may_mint_token(user, client_agent_id=client.agent_id)
    ]
