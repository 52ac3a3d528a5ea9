"""Revoking tokens: only the agent who created a token revokes it; every outcome is audited.

The token is fetched with the person's own Chat token first and the policy asked; someone
else's token is "not found" (its existence does not leak) and nothing is called to delete it.
No token value, not even its hint, goes into the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest

from chatadmin.accounts import policy
from chatadmin.accounts.access import NoChatAccess
from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record
from chatadmin.chat import ChatError, ChatRefused, Token
from chatadmin.tokens.selectors import (
    is_sign_in_token,
    own_token_call,
    problem_text,
    sign_in_token_hint,
)

ACTION = "token.revoke"
NOT_FOUND = (
    "There is no token #{token_id} of yours: it does not exist, was revoked, or belongs to "
    "someone else."
)
NO_TOKENS = "Support staff have no tokens, so there is nothing they can revoke."


class TokenProblem(Exception):
    """A revoke did not happen; the message says why, in plain words (already audited)."""


@dataclass(frozen=True)
class RevokeOutcome:
    token_id: int
    revoked: bool
    message: str


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
            reasons = " ".join(f"#{o.token_id}: {o.message}" for o in self.failed)
            parts.append(f"{count} could not be revoked. {reasons}")
        return " ".join(parts)


def _label(token: Token) -> str:
    return f"token #{token.id} of client {token.client_identifier or 'unknown'}"


def _record(
    user: User,
    outcome: Outcome,
    *,
    token_id: int | str,
    message: str,
    request: HttpRequest | None,
    label: str = "",
) -> None:
    audit_record(
        ACTION,
        outcome=outcome,
        actor=user,
        target_type="token",
        target_id=token_id,
        target_label=label or f"token #{token_id}",
        message=message,
        request=request,
    )


def _delete(user: User, token: Token, *, request: HttpRequest | None) -> RevokeOutcome:
    """Revoke a token already checked to be the person's own; audit what happened."""
    try:
        own_token_call(user, lambda api: api.token_revoke(token.id))
    except (ChatError, NoChatAccess) as problem:
        if isinstance(problem, ChatRefused) and problem.status == 404:
            message = NOT_FOUND.format(token_id=token.id)
        else:
            message = problem_text(problem)
        _record(
            user,
            Outcome.FAILURE,
            token_id=token.id,
            message=message,
            request=request,
            label=_label(token),
        )
        return RevokeOutcome(token.id, revoked=False, message=message)
    _record(
        user,
        Outcome.SUCCESS,
        token_id=token.id,
        message=f"Revoked a token with scopes {' '.join(token.scopes) or 'none'}.",
        request=request,
        label=_label(token),
    )
    return RevokeOutcome(token.id, revoked=True, message=f"Token #{token.id} was revoked.")


def token_revoke(user: User, *, token_id: int, request: HttpRequest | None) -> RevokeOutcome:
    """Revoke one of the person's own tokens; TokenProblem (audited) if it did not happen."""
    if not policy.has_tokens(user):
        _record(user, Outcome.DENIED, token_id=token_id, message=NO_TOKENS, request=request)
        raise TokenProblem(NO_TOKENS)
    not_found = NOT_FOUND.format(token_id=token_id)
    try:
        token = own_token_call(user, lambda api: api.token_get(token_id))
    except ChatRefused as refused:
        if refused.status != 404:
            _record(
                user,
                Outcome.FAILURE,
                token_id=token_id,
                message=refused.explanation,
                request=request,
            )
            raise TokenProblem(refused.explanation) from refused
        _record(user, Outcome.DENIED, token_id=token_id, message=not_found, request=request)
        raise TokenProblem(not_found) from refused
    except (ChatError, NoChatAccess) as problem:
        _record(
            user, Outcome.FAILURE, token_id=token_id, message=problem_text(problem), request=request
        )
        raise TokenProblem(problem_text(problem)) from problem
    if not policy.may_revoke_token(user, token_agent_id=token.agent_id):
        _record(user, Outcome.DENIED, token_id=token_id, message=not_found, request=request)
        raise TokenProblem(not_found)
    outcome = _delete(user, token, request=request)
    if not outcome.revoked:
        raise TokenProblem(outcome.message)
    return outcome


def token_revoke_refused(user: User, *, message: str, request: HttpRequest | None) -> None:
    """Record a revoke request refused for its input before anything was called."""
    _record(user, Outcome.FAILURE, token_id="", message=message, request=request)


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
        raise TokenProblem("Select at least one token to revoke.")
    if not policy.has_tokens(user):
        for token_id in wanted:
            _record(user, Outcome.DENIED, token_id=token_id, message=NO_TOKENS, request=request)
        raise TokenProblem(NO_TOKENS)
    try:
        listed = own_token_call(user, lambda api: api.token_list())
    except (ChatError, NoChatAccess) as problem:
        for token_id in wanted:
            _record(
                user,
                Outcome.FAILURE,
                token_id=token_id,
                message=problem_text(problem),
                request=request,
            )
        raise TokenProblem(problem_text(problem)) from problem
    own = {
        token.id: token
        for token in listed
        if policy.may_revoke_token(user, token_agent_id=token.agent_id)
    }
    revoked: list[RevokeOutcome] = []
    failed: list[RevokeOutcome] = []
    for token_id in wanted:
        if token_id not in own:
            message = NOT_FOUND.format(token_id=token_id)
            _record(user, Outcome.DENIED, token_id=token_id, message=message, request=request)
            failed.append(RevokeOutcome(token_id, revoked=False, message=message))
    hint = sign_in_token_hint(user)
    mine = sorted(
        (own[token_id] for token_id in wanted if token_id in own),
        key=lambda token: is_sign_in_token(token, sign_in_hint=hint),
    )
    for token in mine:
        outcome = _delete(user, token, request=request)
        (revoked if outcome.revoked else failed).append(outcome)
    return BulkRevokeResult(revoked=tuple(revoked), failed=tuple(failed))
