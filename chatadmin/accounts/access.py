"""Which Chat credential a person's calls use: their own sign-in, or the account connection.

Admins and users act with their own Chat token, so the Chat API attributes every change to
them. Support staff read through the account connection and never change anything.
"""

from __future__ import annotations

from collections.abc import Callable

from chatadmin.accounts import policy
from chatadmin.accounts.connection import ConnectionProblem, connection_call
from chatadmin.accounts.credentials import chat_call
from chatadmin.accounts.models import User
from chatadmin.chat import ChatApi


class NoChatAccess(Exception):
    """This person cannot reach the Chat API for this; the message says what to do."""


def _own_identity_needed(user: User) -> NoChatAccess:
    return NoChatAccess(
        "Your local account has no Zendesk Chat identity. Sign out and use "
        "“Sign in with Zendesk Chat” to manage API clients and tokens as yourself."
    )


def chat_read[Result](user: User, operation: Callable[[ChatApi], Result]) -> Result:
    """Run a read as the person: their own token, or the account connection for support staff."""
    if policy.reads_through_connection(user):
        try:
            return connection_call(operation)
        except ConnectionProblem as problem:
            raise NoChatAccess(str(problem)) from problem
    if user.chat_agent_id is None:
        raise _own_identity_needed(user)
    return chat_call(user, operation)


def chat_write[Result](user: User, operation: Callable[[ChatApi], Result]) -> Result:
    """Run a change as the person, with their own token. Support staff never write."""
    if policy.is_read_only(user):
        raise NoChatAccess("Support staff have read-only access: nothing can be changed here.")
    if user.chat_agent_id is None:
        raise _own_identity_needed(user)
    return chat_call(user, operation)
