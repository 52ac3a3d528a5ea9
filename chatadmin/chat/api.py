"""ChatApi: the Chat REST operations chatadmin uses, acting as one credential."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any, Self

from chatadmin.chat import explanations
from chatadmin.chat.config import ChatConfig, chat_config
from chatadmin.chat.credentials import BasicCredential, Credential
from chatadmin.chat.errors import ChatBadResponse, ChatConfigurationError
from chatadmin.chat.models import (
    Agent,
    ApiClient,
    ClientInput,
    Token,
    checked_client_type,
    scope_list,
    uri_list,
)
from chatadmin.chat.parsing import object_list
from chatadmin.chat.transport import ChatSession

# Resource paths under the REST root that the host style picks (ChatConfig.api_url).
AGENT_ME_PATH = "/agents/me"
AGENTS_PATH = "/agents"
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


def identifier(value: int) -> int:
    """A positive integer id, safe to put in a path."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"Chat ids are positive integers, not {value!r}.")
    return value


class ChatApi:
    """The Chat REST API, called as one credential over one session."""

    def __init__(self, credential: Credential, *, config: ChatConfig | None = None) -> None:
        self.config = config or chat_config()
        if isinstance(credential, BasicCredential) and not self.config.allows_basic_auth:
            raise ChatConfigurationError(
                BASIC_AUTH_REFUSED.format(account_type=self.config.account_type)
            )
        self._credential = credential
        self._http = ChatSession(self.config, credential)

    def __repr__(self) -> str:
        return f"ChatApi({self._credential!r}, base_url={self.config.base_url!r})"

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
        """Release the session's connections."""
        self._http.close()

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        expect_body: bool = True,
    ) -> object:
        return self._http.send(
            method, self.config.api_url(path), params=params, json=json, expect_body=expect_body
        )

    # Agents -------------------------------------------------------------------------------

    def agent_me(self) -> Agent:
        """The agent this credential acts as."""
        return Agent.from_json(self._call("GET", AGENT_ME_PATH))

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

    # OAuth clients ------------------------------------------------------------------------

    def client_list(self) -> list[ApiClient]:
        """The OAuth clients this credential may see."""
        data = self._call("GET", CLIENTS_PATH)
        return [ApiClient.from_json(item) for item in object_list(data, what="clients")]

    def client_get(self, client_id: int) -> ApiClient:
        """One OAuth client by id."""
        return ApiClient.from_json(self._call("GET", f"{CLIENTS_PATH}/{identifier(client_id)}"))

    def client_create(self, client: ClientInput) -> ApiClient:
        """Create a client; the answer carries its secret, in full, this once."""
        created = ApiClient.from_json(self._call("POST", CLIENTS_PATH, json=client.to_json()))
        return with_secret(created)

    def client_update(
        self,
        client_id: int,
        *,
        name: str | None = None,
        company: str | None = None,
        redirect_uris: Sequence[str] | None = None,
        scopes: Sequence[str] | None = None,
        client_type: str | None = None,
    ) -> ApiClient:
        """Change only the given fields (a partial PUT, so the client type is never reset)."""
        body: dict[str, str] = {}
        if name is not None:
            if not name.strip():
                raise ValueError("A client needs a name.")
            body["name"] = name
        if company is not None:
            body["company"] = company
        if redirect_uris is not None:
            body["redirect_uris"] = " ".join(uri_list(redirect_uris))
        if scopes is not None:
            body["scopes"] = " ".join(scope_list(scopes))
        if client_type is not None:
            body["client_type"] = checked_client_type(client_type)
        if not body:
            raise ValueError("Nothing to update: give at least one field.")
        path = f"{CLIENTS_PATH}/{identifier(client_id)}"
        return ApiClient.from_json(self._call("PUT", path, json=body))

    def client_delete(self, client_id: int) -> None:
        """Delete a client (its tokens stop working)."""
        self._call("DELETE", f"{CLIENTS_PATH}/{identifier(client_id)}", expect_body=False)

    def client_secret_generate(self, client_id: int) -> ApiClient:
        """Replace a client's secret; the answer carries the new one, in full, this once."""
        method, path = GENERATE_SECRET
        data = self._call(method, path.format(client_id=identifier(client_id)))
        return with_secret(ApiClient.from_json(data))

    # OAuth tokens -------------------------------------------------------------------------

    def token_list(self) -> list[Token]:
        """The access tokens this credential may see."""
        data = self._call("GET", TOKENS_PATH)
        return [Token.from_json(item) for item in object_list(data, what="tokens")]

    def token_get(self, token_id: int) -> Token:
        """One access token by id."""
        return Token.from_json(self._call("GET", f"{TOKENS_PATH}/{identifier(token_id)}"))

    def token_revoke(self, token_id: int) -> None:
        """Revoke an access token."""
        self._call("DELETE", f"{TOKENS_PATH}/{identifier(token_id)}", expect_body=False)


def with_secret(client: ApiClient) -> ApiClient:
    """The client, checked to carry the secret that create and generate must return."""
    if not client.client_secret:
        raise ChatBadResponse(explanations.bad_response("the client came back without its secret"))
    return client
