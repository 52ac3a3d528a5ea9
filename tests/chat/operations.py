"""Representative Chat API calls, grouped by retry policy, and `responses` helpers for them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import responses

from chatadmin.chat import ApiClient, ChatApi, ClientInput
from tests.chat.conftest import TIMEOUT, sent_timeout

ROOT = "https://acme.zendesk.com/api/v2/chat"

Operation = Callable[[ChatApi], object]
# What a partial PUT starts from in these tests; only the fields named in `changes` are sent.
BASE_INPUT = ClientInput(name="Unchanged", redirect_uris=["http://localhost/cb"], scopes=["read"])


def client_update(api: ChatApi, client_id: int, **changes: Any) -> ApiClient:
    """A partial PUT of just `changes` (the dashboard sends what an edit changed, the same way)."""
    return api.client_update(client_id, BASE_INPUT.but(**changes), fields=tuple(changes))


IDEMPOTENT: list[tuple[str, str, Operation]] = [
    ("GET", "/agents/me", lambda api: api.agent_me()),
    ("PUT", "/oauth/clients/7", lambda api: client_update(api, 7, client_type="confidential")),
    ("DELETE", "/oauth/tokens/14", lambda api: api.token_revoke(14)),
]
NOT_IDEMPOTENT: list[tuple[str, str, Operation]] = [
    (
        "POST",
        "/oauth/clients",
        lambda api: api.client_create(
            ClientInput(name="x", redirect_uris=["http://localhost/cb"], scopes=["read"])
        ),
    ),
    ("POST", "/oauth/clients/7/generate_secret", lambda api: api.client_secret_generate(7)),
]
EVERY_OPERATION: list[tuple[str, str, Operation]] = [
    *IDEMPOTENT,
    *NOT_IDEMPOTENT,
    ("GET", "/agents", lambda api: api.agent_list()),
    ("GET", "/agents/5", lambda api: api.agent_get(5)),
    ("GET", "/oauth/clients", lambda api: api.client_list()),
    ("GET", "/oauth/clients/7", lambda api: api.client_get(7)),
    ("DELETE", "/oauth/clients/7", lambda api: api.client_delete(7)),
    ("GET", "/oauth/tokens", lambda api: api.token_list()),
    ("GET", "/oauth/tokens/14", lambda api: api.token_get(14)),
]


def call_id(case: tuple[str, str, Operation]) -> str:
    return f"{case[0]} {case[1]}"


def answer(
    http: responses.RequestsMock,
    method: str,
    path: str,
    *,
    status: int,
    times: int = 1,
    **reply: Any,
) -> None:
    for _ in range(times):
        http.add(method, ROOT + path, status=status, **reply)


def assert_timeout_on_every_call(http: responses.RequestsMock) -> None:
    assert [sent_timeout(call) for call in http.calls] == [TIMEOUT] * len(http.calls)
