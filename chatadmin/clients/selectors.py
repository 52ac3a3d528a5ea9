"""Reading API clients, as the policy allows: admins and support all, users their own."""

from __future__ import annotations

from chatadmin.accounts import policy
from chatadmin.accounts.access import chat_read
from chatadmin.accounts.models import User
from chatadmin.chat import ApiClient, ChatRefused


class ClientNotFound(Exception):
    """No such client, or not one this person may see (the same answer, so nothing leaks)."""


def client_list(user: User) -> list[ApiClient]:
    """The clients this person may see, newest first.

    The Chat API already scopes the list to the caller; the policy is applied again so that a
    broader answer (an admin's connection, say) never shows a user someone else's client.
    """
    clients = chat_read(user, lambda api: api.client_list())
    visible = [c for c in clients if policy.may_see_client(user, client_agent_id=c.agent_id)]
    return sorted(
        visible, key=lambda c: (c.create_date is not None, c.create_date, c.id), reverse=True
    )


def client_get(user: User, client_id: int) -> ApiClient:
    """One client this person may see; ClientNotFound otherwise (404 upstream included)."""
    try:
        client = chat_read(user, lambda api: api.client_get(client_id))
    except ChatRefused as error:
        if error.status == 404:
            raise ClientNotFound(
                f"There is no API client #{client_id} that you can see."
            ) from error
        raise
    if not policy.may_see_client(user, client_agent_id=client.agent_id):
        raise ClientNotFound(f"There is no API client #{client_id} that you can see.")
    return client
