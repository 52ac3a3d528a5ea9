"""Reading API clients, as the policy allows: admins and support all, users their own."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from chatadmin.accounts import policy
from chatadmin.accounts.chat_access import person_chat, reading_chat
from chatadmin.accounts.models import User
from chatadmin.chat import ApiClient, ChatError, ChatRefused, Token
from chatadmin.core.problems import NoChatAccess, NotFound

NOT_FOUND = "This API client does not exist, or it is not one you can see."


class ClientNotFound(NotFound):
    """No such client, or not one this person may see (the same answer, so nothing leaks)."""

    title = "API client not found"

    def __init__(self, explanation: str = NOT_FOUND) -> None:
        super().__init__(explanation)


@dataclass(frozen=True)
class ClientImpact:
    """What deleting a client, or replacing its secret, would break."""

    client: ApiClient
    live_tokens: tuple[Token, ...]
    tokens_problem: str = ""

    @property
    def external_uris(self) -> tuple[str, ...]:
        return self.client.external_uris

    @property
    def is_external(self) -> bool:
        """Some redirect URL is off this machine: an outside integration probably depends on it."""
        return not self.client.is_internal


def _matches(client: ApiClient, *, text: str, client_type: str, use: str) -> bool:
    if client_type and client.client_type != client_type:
        return False
    if use and client.use != use:
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
    clients = reading_chat(user).client_list()
    sees_all = policy.sees_all_clients(user)
    visible = [
        client
        for client in clients
        if (sees_all or policy.may_see_client(user, client_agent_id=client.agent_id))
        and _matches(client, text=text, client_type=client_type, use=use)
    ]
    return sorted(
        visible, key=lambda c: (c.create_date is not None, c.create_date, c.id), reverse=True
    )


def client_get(user: User, client_id: int) -> ApiClient:
    """One client this person may see; ClientNotFound otherwise (404 upstream included)."""
    if client_id < 1:  # Chat ids are positive; the API client refuses anything else
        raise ClientNotFound()
    try:
        client = reading_chat(user).client_get(client_id)
    except ChatRefused as error:
        if error.status == 404:
            raise ClientNotFound() from error
        raise
    if not policy.may_see_client(user, client_agent_id=client.agent_id):
        raise ClientNotFound()
    return client


def live_tokens_of(user: User, client: ApiClient) -> tuple[tuple[Token, ...], str]:
    """This person's unexpired tokens from a client, and a problem if they cannot be listed.

    The Chat API lists only the caller's own tokens, so other people's tokens from the client
    cannot be counted; pages say so. Support staff have no tokens.
    """
    if not policy.has_tokens(user):
        return (), ""
    try:
        tokens = person_chat(user).token_list()
    except (NoChatAccess, ChatError) as problem:
        return (), str(problem.explanation)
    now = timezone.now()
    live = tuple(
        token
        for token in tokens
        if token.client_identifier == client.client_identifier
        and policy.may_see_token(user, token_agent_id=token.agent_id)
        and (token.expire_date is None or token.expire_date > now)
    )
    return live, ""


def client_impact(user: User, client_id: int, *, with_tokens: bool = True) -> ClientImpact:
    """The client, and this person's live tokens from it (a failure to list them is reported)."""
    client = client_get(user, client_id)
    if not with_tokens:
        return ClientImpact(client, ())
    live, problem = live_tokens_of(user, client)
    return ClientImpact(client, live, tokens_problem=problem)
