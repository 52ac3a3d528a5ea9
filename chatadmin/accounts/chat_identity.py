"""Chat has the last word on who a person is: their agent's role and `enabled` flag, asked again.

A person who signed in with Zendesk Chat is checked against `agents/me` before every
privileged action (inviting, changing roles, the account connection, any client change made
as an admin) and at least every CHATADMIN_CHAT_RECHECK_SECONDS on ordinary pages (one call,
remembered in the cache until when the next is due, so every process sees it; each process
keeps that time once read, so a page does not ask the cache again before it). An agent demoted
in Chat loses admin at once; a disabled one is signed out with a clear message. Both are
audited.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from chatadmin.accounts import policy
from chatadmin.accounts.chat_access import ChatSignInRequired, credential_drop, identity_chat
from chatadmin.accounts.models import User
from chatadmin.audit.models import Outcome
from chatadmin.audit.operations import AuditTarget, audit_attempt
from chatadmin.audit.services import audit_record
from chatadmin.chat import Agent, ChatError, ChatRefused
from chatadmin.core.problems import Problem

logger = logging.getLogger(__name__)

DISABLED = (
    "Your Zendesk Chat agent account is disabled (or no longer the one you signed in as), so "
    "you were signed out. Ask a Chat admin to enable it."
)
UNCONFIRMED = (
    "chatadmin could not confirm your role with Zendesk Chat just now, so it did not do this. "
    "Try again in a moment."
)


class RoleUnconfirmed(Problem):
    """A privileged action waits for Chat to confirm the person's role, and Chat did not answer.

    Nothing was refused by a rule: chatadmin could not check, so the attempt failed (audited as
    a failure, like any other call Chat did not answer).
    """

    title = "Role not confirmed"
    status = 503
    retry = True


def _checked_key(user: User) -> str:
    return f"chatadmin:chat-identity-checked:{user.pk}"


# When each person's next check is due (a Unix time), as this process last read it from the
# cache: until then a page asks neither Chat nor the cache.
_checked_until: dict[int, float] = {}


def chat_identity_checked(user: User) -> None:
    """Chat has just said who the person is (at sign-in): no need to ask for a while."""
    due = time.time() + settings.CHATADMIN_CHAT_RECHECK_SECONDS
    cache.set(_checked_key(user), due, settings.CHATADMIN_CHAT_RECHECK_SECONDS)
    _checked_until[user.pk] = due


def _recently_checked(user: User) -> bool:
    """Whether Chat answered for this person within the recheck time (in any process)."""
    now = time.time()
    due = _checked_until.get(user.pk)
    if due is not None and due > now:
        return True
    due = cache.get(_checked_key(user))
    if isinstance(due, float) and due > now:
        _checked_until[user.pk] = due
        return True
    _checked_until.pop(user.pk, None)
    return False


def chat_identity_forget(user: User) -> None:
    """Ask Chat again on this process's next request (tests: the recheck time going by)."""
    cache.delete(_checked_key(user))
    _checked_until.pop(user.pk, None)


def forget_local_checks() -> None:
    """Drop this process's copies of when checks are due (tests; the cache is what counts)."""
    _checked_until.clear()


def _signed_out(user: User, request: HttpRequest | None, why: str) -> ChatSignInRequired:
    credential_drop(user)
    audit_record(
        "auth.chat_agent_disabled",
        outcome=Outcome.SUCCESS,
        actor=user,
        target_type="user",
        target_id=user.pk,
        target_label=user.email,
        message=why,
        request=request,
    )
    return ChatSignInRequired(DISABLED)


def _ask(user: User, request: HttpRequest | None) -> Agent:
    """agents/me as the person; a 401 that survives a renewal means Chat refuses the agent."""
    try:
        return identity_chat(user).agent_me()
    except ChatRefused as refused:
        if refused.status == 401:
            raise _signed_out(
                user, request, "Zendesk Chat refuses this agent's sign-in: signed out."
            ) from refused
        raise


def _apply(user: User, agent: Agent, request: HttpRequest | None) -> None:
    """Bring the person's role in line with Chat; sign them out if Chat disabled them."""
    if agent.id != user.chat_agent_id or not agent.enabled:
        raise _signed_out(user, request, "Zendesk Chat says this agent is disabled: signed out.")
    role = policy.role_after_chat_sign_in(user.role, chat_admin=agent.is_admin)
    if role == user.role:
        return
    previous, user.role = user.role, role
    user.save(update_fields=["role"])
    role_changed_by_chat(user, previous=previous, request=request, when=" (checked again)")


def role_changed_by_chat(
    user: User, *, previous: str, request: HttpRequest | None, when: str = ""
) -> None:
    """Record that the Chat account's roles gave this person another role."""
    audit_attempt(
        "people.role_set",
        Outcome.SUCCESS,
        f"Role changed from {previous} to {user.role} by the Chat account's roles{when}.",
        actor=user,
        target=AuditTarget("user", user.pk, user.email),
        request=request,
    )


def chat_identity_confirm(user: User, *, request: HttpRequest | None = None) -> None:
    """Before a privileged action: ask Chat who the person is now (always, uncached).

    The person's role is updated in place, so the policy asked next sees it. RoleUnconfirmed
    when Chat does not answer: nothing privileged happens on an unconfirmed role.
    """
    if user.chat_agent_id is None:
        return  # a local account: no Chat identity to ask about
    try:
        agent = _ask(user, request)
    except (Problem, ChatError) as failure:
        if isinstance(failure, Problem) and failure.signs_out:
            raise
        raise RoleUnconfirmed(UNCONFIRMED) from failure
    _apply(user, agent, request)
    chat_identity_checked(user)


def chat_identity_refresh(user: User, *, request: HttpRequest | None = None) -> None:
    """On an ordinary page: ask Chat again if the last answer is older than the recheck time.

    A Chat that does not answer leaves the page alone (the next request asks again).
    """
    if not user.is_authenticated or user.chat_agent_id is None:
        return
    if _recently_checked(user):
        return
    try:
        agent = _ask(user, request)
    except (Problem, ChatError) as failure:
        if isinstance(failure, Problem) and failure.signs_out:
            raise
        logger.info("could not check the Chat identity of user %s: %s", user.pk, failure)
        return
    _apply(user, agent, request)
    chat_identity_checked(user)


def admin_confirmed(user: User, *, request: HttpRequest | None = None) -> bool:
    """Whether the person is an admin, as Chat says right now for a Chat identity."""
    if policy.is_admin(user):
        chat_identity_confirm(user, request=request)
    return policy.is_admin(user)
