"""ChatApi: the Chat REST operations chatadmin uses, acting as one credential."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from types import TracebackType
from typing import Any, Protocol, Self, cast

import orjson

from chatadmin.chat.answers import Decode
from chatadmin.chat.config import ChatConfig, chat_config
from chatadmin.chat.credentials import BasicCredential, BearerCredential, Credential
from chatadmin.chat.errors import ChatBadResponse, ChatConfigurationError, ChatRefused
from chatadmin.chat.parsing import object_list
from chatadmin.chat.resources import (
    Agent,
    ApiClient,
    ClientInput,
    ClientRow,
    IssuedSecret,
    Role,
    Token,
    client_rows,
)
from chatadmin.chat.transport import ChatTransport

# Resource paths under the REST root that the host style picks (ChatConfig.api_url).
AGENT_ME_PATH = "/agents/me"
AGENTS_PATH = "/agents"
ROLES_PATH = "/roles"
CLIENTS_PATH = "/oauth/clients"
TOKENS_PATH = "/oauth/tokens"
# UNCONFIRMED upstream (chat-api.md section 2.2): the public docs name a "generate" operation but
# not its path or method. DESIGN.md chooses POST .../oauth/clients/{id}/generate_secret; a POST is
# never retried, since two calls would leave two different secrets.
GENERATE_SECRET = ("POST", "/oauth/clients/{client_id}/generate_secret")

BASIC_AUTH_REFUSED = (
    "Basic auth (an email and password) works only on Legacy Chat-only accounts, and this "
    "account is set up as {account_type!r} (CHAT_ACCOUNT_TYPE). Use a Chat OAuth token instead."
)


class Removal(StrEnum):
    """What a DELETE did: removed the thing, or found it gone after an attempt that failed."""

    DELETED = "deleted"
    # A retried DELETE answered 404: the attempt that failed on the way had done it.
    ALREADY_GONE = "already gone"


class CredentialSource(Protocol):
    """Where a ChatApi gets the credential for each call, and a renewed one after a 401."""

    def credential(self) -> Credential:
        """The credential to send now."""

    def renewed(self, refused: Credential) -> Credential | None:
        """A fresh credential to try once more after `refused` got a 401; None if there is none."""


class FixedCredential:
    """A credential that is what it is: never renewed."""

    def __init__(self, credential: Credential) -> None:
        self._credential = credential

    def __repr__(self) -> str:
        return f"FixedCredential({self._credential!r})"

    def credential(self) -> Credential:
        return self._credential

    def renewed(self, refused: Credential) -> Credential | None:
        return None


def _done[Result](parse: Callable[[object], Result], answer: object) -> Result:
    """Read the 2xx answer to a change: Chat has made the change, whatever the answer holds.

    An answer that lacks what it should (a create without its secret, say) is no failure: the
    change may well have been made (ChatError.maybe_done), so its outcome is unknown.
    """
    try:
        return parse(answer)
    except ChatBadResponse as unreadable:
        unreadable.maybe_done = True
        raise


def identifier(value: int) -> int:
    """A positive integer id, safe to put in a path."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"Chat ids are positive integers, not {value!r}.")
    return value


class ChatApi:
    """The Chat REST API, called as one credential over the host's pooled connections."""

    def __init__(
        self, credential: Credential | CredentialSource, *, config: ChatConfig | None = None
    ) -> None:
        self.config = config or chat_config()
        if isinstance(credential, (BearerCredential, BasicCredential)):
            self._checked(credential)
            self._source: CredentialSource = FixedCredential(credential)
        else:
            self._source = credential
        self._transport = ChatTransport(self.config)

    def __repr__(self) -> str:
        return f"ChatApi({self._source!r}, base_url={self.config.base_url!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exception_type: type[BaseException] | None,
        exception: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release: connections belong to the process's pool for the host."""

    def _checked(self, credential: Credential) -> Credential:
        if isinstance(credential, BasicCredential) and not self.config.allows_basic_auth:
            raise ChatConfigurationError(
                BASIC_AUTH_REFUSED.format(account_type=self.config.account_type)
            )
        return credential

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        expect_body: bool = True,
        decode: Decode = orjson.loads,
    ) -> object:
        """One call; a 401 gets one renewed credential and one more try (a 401 did nothing)."""
        url = self.config.api_url(path)
        credential = self._checked(self._source.credential())
        try:
            return self._transport.send(
                method,
                url,
                credential=credential,
                params=params,
                json=json,
                expect_body=expect_body,
                decode=decode,
            )
        except ChatRefused as refused:
            if refused.status != 401:
                raise
            renewed = self._source.renewed(credential)
            if renewed is None:
                raise
        return self._transport.send(
            method,
            url,
            credential=self._checked(renewed),
            params=params,
            json=json,
            expect_body=expect_body,
            decode=decode,
        )

    def _delete(self, path: str) -> Removal:
        try:
            self._call("DELETE", path, expect_body=False)
        except ChatRefused as refused:
            if refused.status == 404 and refused.after_retry:
                return Removal.ALREADY_GONE
            raise
        return Removal.DELETED

    # Agents and roles ---------------------------------------------------------------------

    def agent_me(self) -> Agent:
        """The agent this credential acts as, with its admin standing.

        The deprecated `roles` object says whether the agent is an owner or administrator; when
        Chat stops sending it, the agent's `role_id` is looked up in `roles/{id}` (one more call).
        """
        agent = Agent.from_json(self._call("GET", AGENT_ME_PATH))
        if agent.roles_sent or agent.role_id is None:
            return agent
        try:
            role = self.role_get(agent.role_id)
        except ChatRefused as refused:
            if refused.status in {403, 404}:
                return agent  # a role this credential cannot read grants nothing here
            raise
        return agent.with_role(role)

    def agent_list(self, *, since_id: int | None = None, limit: int | None = None) -> list[Agent]:
        """Agents, optionally from `since_id` on and at most `limit` of them."""
        params: dict[str, Any] = {}
        if since_id is not None:
            params["since_id"] = identifier(since_id)
        if limit is not None:
            params["limit"] = identifier(limit)
        data = self._call("GET", AGENTS_PATH, params=params or None)
        return [Agent.from_json(item) for item in object_list(data, what="agents")]

    def agent_get(self, agent_id: int) -> Agent:
        """One agent by id."""
        return Agent.from_json(self._call("GET", f"{AGENTS_PATH}/{identifier(agent_id)}"))

    def role_get(self, role_id: int) -> Role:
        """One role by id (to tell an admin when an agent comes without `roles`)."""
        return Role.from_json(self._call("GET", f"{ROLES_PATH}/{identifier(role_id)}"))

    # OAuth clients ------------------------------------------------------------------------

    def client_list(self) -> list[ApiClient]:
        """The OAuth clients this credential may see (without secrets, whatever the answer has)."""
        data = self._call("GET", CLIENTS_PATH)
        return [ApiClient.from_json(item) for item in object_list(data, what="clients")]

    def client_rows(self) -> list[ClientRow]:
        """The OAuth clients this credential may see, read lightly (see ClientRow).

        The answer is read straight into rows (no dict per client; a secret in it is skipped).
        """
        return cast(list[ClientRow], self._call("GET", CLIENTS_PATH, decode=client_rows))

    def client_get(self, client_id: int) -> ApiClient:
        """One OAuth client by id (without its secret)."""
        return ApiClient.from_json(self._call("GET", f"{CLIENTS_PATH}/{identifier(client_id)}"))

    def client_create(self, client: ClientInput) -> IssuedSecret:
        """Create a client; the answer carries its secret, in full, this once."""
        answer = self._call("POST", CLIENTS_PATH, json=client.to_json())
        return _done(IssuedSecret.from_json, answer)

    def client_update(
        self, client_id: int, client: ClientInput, *, fields: tuple[str, ...]
    ) -> ApiClient:
        """Send only `fields` of `client` (a partial PUT, so the client type is never reset)."""
        path = f"{CLIENTS_PATH}/{identifier(client_id)}"
        return _done(ApiClient.from_json, self._call("PUT", path, json=client.to_json(fields)))

    def client_delete(self, client_id: int) -> Removal:
        """Delete a client (its tokens stop working)."""
        return self._delete(f"{CLIENTS_PATH}/{identifier(client_id)}")

    def client_secret_generate(self, client_id: int) -> IssuedSecret:
        """Replace a client's secret; the answer carries the new one, in full, this once."""
        method, path = GENERATE_SECRET
        return _done(
            IssuedSecret.from_json, self._call(method, path.format(client_id=identifier(client_id)))
        )

    # OAuth tokens -------------------------------------------------------------------------

    def token_list(self) -> list[Token]:
        """The access tokens this credential may see (only their hints are kept)."""
        data = self._call("GET", TOKENS_PATH)
        return [Token.from_json(item) for item in object_list(data, what="tokens")]

    def token_get(self, token_id: int) -> Token:
        """One access token by id."""
        return Token.from_json(self._call("GET", f"{TOKENS_PATH}/{identifier(token_id)}"))

    def token_revoke(self, token_id: int) -> Removal:
        """Revoke an access token."""
        return self._delete(f"{TOKENS_PATH}/{identifier(token_id)}")
