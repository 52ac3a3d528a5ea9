"""Reading API clients, as the policy allows: admins and support all, users their own."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils import timezone

from chatadmin.accounts import policy
from chatadmin.accounts.access import NoChatAccess, chat_read
from chatadmin.accounts.models import User
from chatadmin.chat import ApiClient, ChatError, ChatRefused, Token
from chatadmin.chat.models import LOCAL_HOSTS

USES = ("external", "internal")


class ClientNotFound(Exception):
    """No such client, or not one this person may see (the same answer, so nothing leaks)."""


@dataclass(frozen=True)
class ClientImpact:
    """What deleting a client, or replacing its secret, would break."""

    client: ApiClient
    external_uris: tuple[str, ...]
    live_tokens: tuple[Token, ...]
    tokens_problem: str = ""

    @property
    def is_external(self) -> bool:
        """Some redirect URL is off this machine: an outside integration probably depends on it."""
        return not self.client.is_internal


def _matches(client: ApiClient, *, text: str, client_type: str, use: str) -> bool:
    if client_type and client.client_type != client_type:
        return False
    if use and (use == "internal") != client.is_internal:
        return False
    if not text:
        return True
    haystack = [client.name, client.company, client.client_identifier, *client.redirect_uris]
    needle = text.casefold()
    return any(needle in value.casefold() for value in haystack)


def client_list(
    user: User, *, text: str = "", client_type: str = "", use: str = ""
) -> list[ApiClient]:
    """The clients this person may see, newest first, narrowed by the filters given.

    `text` matches name, company, client ID and redirect URLs; `client_type` is public or
    confidential; `use` is external or internal. The Chat API already scopes the list to the
    caller; the policy is applied again so that a broader answer (an admin's connection, say)
    never shows a user someone else's client.
    """
    clients = chat_read(user, lambda api: api.client_list())
    visible = [
        c
        for c in clients
        if policy.may_see_client(user, client_agent_id=c.agent_id)
        and _matches(c, text=text, client_type=client_type, use=use)
    ]
    return sorted(
        visible, key=lambda c: (c.create_date is not None, c.create_date, c.id), reverse=True
    )


def client_get(user: User, client_id: int) -> ApiClient:
    """One client this person may see; ClientNotFound otherwise (404 upstream included)."""
    if client_id < 1:  # Chat ids are positive; the API client refuses anything else
        raise ClientNotFound(f"There is no API client #{client_id} that you can see.")
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


def client_impact(user: User, client_id: int, *, with_tokens: bool = True) -> ClientImpact:
    """The client, its redirect URLs off this machine, and this person's live tokens from it.

    The Chat API lists only the caller's own tokens, so other people's tokens from the client
    cannot be counted; the page says so. A failure to list tokens is reported, not raised: the
    preview is still worth showing.
    """
    client = client_get(user, client_id)
    external = tuple(u for u in client.redirect_uris if urlsplit(u).hostname not in LOCAL_HOSTS)
    if not with_tokens or not policy.has_tokens(user):
        return ClientImpact(client, external, ())
    try:
        tokens = chat_read(user, lambda api: api.token_list())
    except (NoChatAccess, ChatError) as problem:
        explanation = problem.explanation if isinstance(problem, ChatError) else str(problem)
        return ClientImpact(client, external, (), tokens_problem=explanation)
    now = timezone.now()
    live = tuple(
        token
        for token in tokens
        if token.client_identifier == client.client_identifier
        and (token.expire_date is None or token.expire_date > now)
    )
    return ClientImpact(client, external, live)
