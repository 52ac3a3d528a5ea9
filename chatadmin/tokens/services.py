"""Revoking tokens: only the agent who created a token revokes it; every outcome is audited.

The token is fetched with the person's own Chat token first and the policy asked; someone
else's token is "not found" (its existence does not leak) and nothing is called to delete it.
The audit log names a token by its 8-character prefix and client, as the Tokens page does;
never by its value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest

from chatadmin.accounts import policy
from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from chatadmin.audit.operations import AuditedOperation, AuditTarget, audit_attempt, audited
from chatadmin.chat import ChatError, ChatRefused, Removal, Token
from chatadmin.core.problems import Denied, InvalidInput, Problem, problem_of
from chatadmin.tokens.selectors import (
    NO_TOKENS,
    NoTokens,
    is_sign_in_token,
    own_tokens_chat,
    sign_in_token_hint,
)

ACTION = "token.revoke"
NOT_FOUND = (
    "There is no such token of yours: it does not exist, was revoked, or belongs to someone else."
)
REVOKE_UNKNOWN = "chatadmin cannot tell whether the token was revoked: check the list."


class TokenNotFound(Denied):
    """Not one of the person's tokens (someone else's looks the same as none)."""

    title = "Token not found"
    status = 404


@dataclass(frozen=True)
class RevokeOutcome:
    token_id: int
    revoked: bool
    message: str
    label: str = ""


@dataclass(frozen=True)
class BulkRevokeResult:
    revoked: tuple[RevokeOutcome, ...]
    failed: tuple[RevokeOutcome, ...]

    @property
    def summary(self) -> str:
        """One sentence for a person: how many went, and why the others did not."""
        parts = []
        if self.revoked:
            count = len(self.revoked)
            parts.append(f"Revoked {count} token{'s' if count != 1 else ''}.")
        if self.failed:
            count = len(self.failed)
            reasons = " ".join(f"{o.label or 'A token'}: {o.message}" for o in self.failed)
            parts.append(f"{count} could not be revoked. {reasons}")
        return " ".join(parts)


def token_label(token: Token) -> str:
    """How a person recognises a token: its prefix and its client."""
    return f"token {token.access_token_hint or '(no prefix)'} of client {token.client_identifier}"


def _target(token: Token) -> AuditTarget:
    return AuditTarget("token", token.id, token_label(token))


def _revoke(user: User, token: Token, operation: AuditedOperation) -> RevokeOutcome:
    """Revoke a token already checked to be the person's own, in its audited operation."""
    removal = own_tokens_chat(user).token_revoke(token.id)
    gone = (
        " Chat had already revoked it: a first attempt got no answer."
        if removal is Removal.ALREADY_GONE
        else ""
    )
    operation.succeeded(f"Revoked a token with scopes {' '.join(token.scopes) or 'none'}.{gone}")
    label = f"Token {token.access_token_hint}" if token.access_token_hint else "The token"
    return RevokeOutcome(token.id, revoked=True, message=f"{label} was revoked.", label=label)


def token_revoke(user: User, *, token_id: int, request: HttpRequest | None) -> RevokeOutcome:
    """Revoke one of the person's own tokens; a Problem (audited) if it did not happen."""
    target = AuditTarget("token", token_id)
    with audited(
        ACTION, actor=user, target=target, request=request, if_unknown=REVOKE_UNKNOWN
    ) as operation:
        if not policy.has_tokens(user):
            raise NoTokens(NO_TOKENS)
        try:
            token = own_tokens_chat(user).token_get(token_id)
        except ChatRefused as refused:
            if refused.status == 404:
                raise TokenNotFound(NOT_FOUND) from refused
            raise
        if not policy.may_revoke_token(user, token_agent_id=token.agent_id):
            raise TokenNotFound(NOT_FOUND)
        operation.about(_target(token))
        return _revoke(user, token, operation)


def token_revoke_refused(user: User, *, message: str, request: HttpRequest | None) -> None:
    """Record a revoke request refused for its input before anything was called."""
    audit_attempt(ACTION, Outcome.FAILURE, message, actor=user, request=request)


def _revoke_listed(user: User, token: Token, *, request: HttpRequest | None) -> RevokeOutcome:
    """One token of a bulk revoke, in its own audited operation; a failure is reported."""
    label = f"Token {token.access_token_hint}" if token.access_token_hint else "A token"
    try:
        with audited(
            ACTION, actor=user, target=_target(token), request=request, if_unknown=REVOKE_UNKNOWN
        ) as operation:
            return _revoke(user, token, operation)
    except (Problem, ChatError) as failure:
        problem = problem_of(failure)
        if problem.signs_out:
            raise
        return RevokeOutcome(token.id, revoked=False, message=problem.explanation, label=label)


def token_revoke_many(
    user: User, *, token_ids: Iterable[int], request: HttpRequest | None
) -> BulkRevokeResult:
    """Revoke the person's own tokens among `token_ids`; report the rest (each one audited).

    One list call finds which ids are the person's; the others are "not found" and nothing
    is called for them. chatadmin's own sign-in token goes last, since revoking it ends the
    session the other calls use.
    """
    wanted = list(dict.fromkeys(token_ids))
    if not wanted:
        token_revoke_refused(user, message="No token was selected.", request=request)
        raise InvalidInput("Select at least one token to revoke.")
    if not policy.has_tokens(user):
        for token_id in wanted:
            audit_attempt(
                ACTION,
                Outcome.DENIED,
                NO_TOKENS,
                actor=user,
                target=AuditTarget("token", token_id),
                request=request,
            )
        raise NoTokens(NO_TOKENS)
    try:
        listed = own_tokens_chat(user).token_list()
    except (Problem, ChatError) as failure:
        problem = problem_of(failure)
        for token_id in wanted:
            audit_attempt(
                ACTION,
                Outcome.FAILURE,
                problem.explanation,
                actor=user,
                target=AuditTarget("token", token_id),
                request=request,
            )
        raise problem from failure
    own = {
        token.id: token
        for token in listed
        if policy.may_revoke_token(user, token_agent_id=token.agent_id)
    }
    revoked: list[RevokeOutcome] = []
    failed: list[RevokeOutcome] = []
    for token_id in wanted:
        if token_id not in own:
            audit_attempt(
                ACTION,
                Outcome.DENIED,
                NOT_FOUND,
                actor=user,
                target=AuditTarget("token", token_id),
                request=request,
            )
            failed.append(
                RevokeOutcome(token_id, revoked=False, message=NOT_FOUND, label="A selected token")
            )
    hint = sign_in_token_hint(user)
    mine = sorted(
        (own[token_id] for token_id in wanted if token_id in own),
        key=lambda token: is_sign_in_token(token, sign_in_hint=hint),
    )
    for token in mine:
        outcome = _revoke_listed(user, token, request=request)
        (revoked if outcome.revoked else failed).append(outcome)
    return BulkRevokeResult(revoked=tuple(revoked), failed=tuple(failed))
