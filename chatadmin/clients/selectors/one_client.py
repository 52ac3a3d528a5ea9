"""One client (from the snapshot when it has it), its page, and what deleting it would break."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from chatadmin.accounts import policy
from chatadmin.accounts.chat_access import person_chat, reading_chat
from chatadmin.accounts.models import User
from chatadmin.chat import ApiClient, ChatError, ChatRefused, Token
from chatadmin.clients.selectors.listing import ClientNotFound, visible_rows
from chatadmin.clients.snapshot import (
    agent_directory,
    snapshot_kept,
)
from chatadmin.core.problems import NoChatAccess, Problem


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


def client_get(user: User, client_id: int, *, fresh: bool = False) -> ApiClient:
    """One client this person may see; ClientNotFound otherwise (404 upstream included).

    From the list's snapshot when it has the client, unless `fresh` (changes read it anew).
    """
    if client_id < 1:  # Chat ids are positive; the API client refuses anything else
        raise ClientNotFound()
    if not fresh:
        kept = snapshot_kept(user)
        row = kept.find(client_id) if kept is not None else None
        if row is not None:
            if not visible_rows(user, (row,)):
                raise ClientNotFound()
            return row.client()
    try:
        client = reading_chat(user).client_get(client_id)
    except ChatRefused as error:
        if error.status == 404:
            raise ClientNotFound() from error
        raise
    if not policy.may_see_client(user, client_agent_id=client.agent_id):
        raise ClientNotFound()
    return client


@dataclass(frozen=True)
class ClientPage:
    """One client's page: the client, who made it, and the person's own tokens from it."""

    client: ApiClient
    creator: str
    creator_email: str
    tokens: tuple[Token, ...]
    tokens_problem: str = ""


def _creator(user: User, client: ApiClient) -> tuple[str, str]:
    if client.agent_id is not None and client.agent_id == user.chat_agent_id:
        return "You", user.email
    if client.agent_id is None or not policy.sees_all_clients(user):
        return "—", ""
    try:
        agent = agent_directory(user).by_id.get(client.agent_id)
    except (Problem, ChatError) as failure:
        if isinstance(failure, Problem) and failure.signs_out:
            raise
        return "—", ""
    return (agent.name, agent.email) if agent else ("Someone no longer in the account", "")


def client_page(user: User, client_id: int) -> ClientPage:
    """What a client's page shows (from the list's snapshot when it has the client)."""
    client = client_get(user, client_id)
    name, email = _creator(user, client)
    tokens: tuple[Token, ...] = ()
    problem = ""
    if policy.has_tokens(user):
        try:
            tokens = tuple(
                token
                for token in person_chat(user).token_list()
                if token.client_identifier == client.client_identifier
                and policy.may_see_token(user, token_agent_id=token.agent_id)
            )
        except (NoChatAccess, ChatError) as failure:
            problem = str(failure.explanation)
    return ClientPage(client, name, email, tokens, problem)


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


@dataclass(frozen=True)
class DeletePreview:
    """Several clients about to be deleted: each one's impact, and the ids that are not there."""

    items: tuple[ClientImpact, ...]
    missing: tuple[int, ...]
    tokens_problem: str = ""

    @property
    def external(self) -> tuple[ClientImpact, ...]:
        return tuple(item for item in self.items if item.is_external)


def clients_delete_preview(user: User, client_ids: Iterable[int]) -> DeletePreview:
    """What deleting these clients would break (one token list for all of them)."""
    items: list[ApiClient] = []
    missing: list[int] = []
    for client_id in client_ids:
        try:
            client = client_get(user, client_id)
        except ClientNotFound:
            missing.append(client_id)
            continue
        if policy.may_change_client(user, client_agent_id=client.agent_id):
            items.append(client)
        else:
            missing.append(client_id)
    tokens: tuple[Token, ...] = ()
    problem = ""
    if items and policy.has_tokens(user):
        try:
            tokens = tuple(person_chat(user).token_list())
        except (NoChatAccess, ChatError) as failure:
            problem = str(failure.explanation)
    now = timezone.now()

    def live(client: ApiClient) -> tuple[Token, ...]:
        return tuple(
            token
            for token in tokens
            if token.client_identifier == client.client_identifier
            and policy.may_see_token(user, token_agent_id=token.agent_id)
            and (token.expire_date is None or token.expire_date > now)
        )

    impacts = tuple(ClientImpact(client, live(client), problem) for client in items)
    return DeletePreview(impacts, tuple(missing), problem)
