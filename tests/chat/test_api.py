"""Every Chat API operation, against `responses`, with exact method, URL, headers and body."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import responses
from requests import PreparedRequest
from responses import matchers

from chatadmin.chat import (
    Agent,
    ApiClient,
    ChatApi,
    ChatConfig,
    ClientInput,
    Token,
)
from tests.chat import payloads
from tests.chat.conftest import TIMEOUT, sent_timeout
from tests.chat.operations import client_update
from tests.chat.payloads import ACCESS_TOKEN, CLIENT_SECRET

# Written out rather than taken from the code, so that a wrong mapping fails here.
REST_ROOTS = {
    "subdomain": "https://acme.zendesk.com/api/v2/chat",
    "legacy": "https://www.zopim.com/api/v2",
}
VERSION = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"][
    "version"
]
BEARER_HEADERS = {
    "Authorization": f"Bearer {ACCESS_TOKEN}",
    "Accept": "application/json",
    "User-Agent": f"chatadmin/{VERSION}",
}


def no_body(request: PreparedRequest) -> tuple[bool, str]:
    """Matches a request that sends no body at all."""
    return request.body is None, f"expected no body, got {request.body!r}"


def expect(
    http: responses.RequestsMock,
    config: ChatConfig,
    method: str,
    path: str,
    *,
    status: int = 200,
    reply: Any = None,
    match: tuple[Any, ...] = (),
) -> None:
    """Register the one call an operation must make."""
    http.add(
        method,
        REST_ROOTS[config.host_style] + path,
        json=reply,
        status=status,
        match=[matchers.header_matcher(BEARER_HEADERS), *match],
    )


def test_agent_me(http: responses.RequestsMock, config: ChatConfig, api: ChatApi) -> None:
    expect(http, config, "GET", "/agents/me", reply=payloads.agent(), match=(no_body,))

    agent = api.agent_me()

    assert agent == Agent(
        id=361234,
        email="jdoe@example.com",
        display_name="John D.",
        first_name="John",
        last_name="Doe",
        enabled=True,
        role_id=1,
        is_owner=False,
        is_administrator=True,
        create_date=datetime(2014, 9, 30, 8, 16, 9, tzinfo=UTC),
    )
    assert agent.is_admin
    assert len(http.calls) == 1
    assert sent_timeout(http.calls[0]) == TIMEOUT


@pytest.mark.parametrize(
    ("role_name", "admin"),
    [
        ("Owner", True),
        ("Admin", True),
        ("Administrator", True),
        ("Agent", False),
        ("Helper", False),
    ],
)
def test_without_the_deprecated_roles_object_the_role_id_tells_an_admin(
    http: responses.RequestsMock, config: ChatConfig, api: ChatApi, role_name: str, admin: bool
) -> None:
    sent = payloads.agent(role_id=4)
    del sent["roles"]
    expect(http, config, "GET", "/agents/me", reply=sent)
    role = {"id": 4, "name": role_name, "enabled": True, "permissions": {}}
    expect(http, config, "GET", "/roles/4", reply=role)

    assert api.agent_me().is_admin is admin
    assert [call.request.path_url.rsplit("/", 2)[-2:] for call in http.calls] == [
        ["agents", "me"],
        ["roles", "4"],
    ]


def test_a_role_the_credential_cannot_read_grants_no_admin(
    http: responses.RequestsMock, config: ChatConfig, api: ChatApi
) -> None:
    sent = payloads.agent(role_id=4)
    del sent["roles"]
    expect(http, config, "GET", "/agents/me", reply=sent)
    expect(http, config, "GET", "/roles/4", status=403, reply={"error": "Forbidden"})

    assert api.agent_me().is_admin is False


def test_agent_list_pages_with_since_id_and_limit(
    http: responses.RequestsMock, config: ChatConfig, api: ChatApi
) -> None:
    owner = payloads.agent(id=1, roles={"owner": True, "administrator": False}, enabled=True)
    plain = payloads.agent(
        id=2, email="a@example.com", roles={"owner": False, "administrator": False}, enabled=0
    )
    expect(
        http,
        config,
        "GET",
        "/agents",
        reply=[owner, plain],
        match=(matchers.query_param_matcher({"since_id": "1", "limit": "100"}),),
    )

    agents = api.agent_list(since_id=1, limit=100)

    assert [(item.id, item.is_admin, item.enabled) for item in agents] == [
        (1, True, True),
        (2, False, False),
    ]


def test_agent_list_without_paging_sends_no_query(
    http: responses.RequestsMock, config: ChatConfig, api: ChatApi
) -> None:
    expect(http, config, "GET", "/agents", reply=[], match=(matchers.query_param_matcher({}),))

    assert api.agent_list() == []
    assert http.calls[0].request.url == REST_ROOTS[config.host_style] + "/agents"


def test_agent_get(http: responses.RequestsMock, config: ChatConfig, api: ChatApi) -> None:
    expect(http, config, "GET", "/agents/361234", reply=payloads.agent(), match=(no_body,))

    assert api.agent_get(361234).email == "jdoe@example.com"


def test_client_list(http: responses.RequestsMock, config: ChatConfig, api: ChatApi) -> None:
    internal = payloads.client(id=8, redirect_uris="http://localhost:8080", client_type="public")
    expect(http, config, "GET", "/oauth/clients", reply=[payloads.client(), internal])

    clients = api.client_list()

    assert [(item.id, item.is_internal) for item in clients] == [(7, False), (8, True)]
    assert clients[0].redirect_uris == ("https://app.example.com/cb",)
    assert clients[0].scopes == ("read", "write")


def test_client_get(http: responses.RequestsMock, config: ChatConfig, api: ChatApi) -> None:
    expect(http, config, "GET", "/oauth/clients/7", reply=payloads.client())

    assert api.client_get(7) == ApiClient(
        id=7,
        name="Reporting dashboard",
        company="Acme",
        redirect_uris=("https://app.example.com/cb",),
        scopes=("read", "write"),
        client_type="confidential",
        client_identifier=payloads.CLIENT_IDENTIFIER,
        agent_id=361234,
        create_date=datetime(2014, 9, 1, 10, 29, 59, tzinfo=UTC),
        update_date=datetime(2014, 9, 11, 18, 36, 29, tzinfo=UTC),
    )


def test_client_create_sends_a_bare_object_and_returns_the_secret(
    http: responses.RequestsMock, config: ChatConfig, api: ChatApi
) -> None:
    body = {
        "name": "Reporting dashboard",
        "company": "Acme",
        "redirect_uris": "https://app.example.com/cb http://localhost:8080/cb",
        "scopes": "read write chat",
        "client_type": "confidential",
    }
    expect(
        http,
        config,
        "POST",
        "/oauth/clients",
        status=201,
        reply=payloads.client_with_secret(redirect_uris=body["redirect_uris"]),
        match=(matchers.json_params_matcher(body),),
    )

    created = api.client_create(
        ClientInput(
            name="Reporting dashboard",
            company="Acme",
            redirect_uris=["https://app.example.com/cb", "http://localhost:8080/cb"],
            scopes=["read", "write", "chat"],
            client_type="confidential",
        )
    )

    assert created.secret == CLIENT_SECRET
    assert created.client.redirect_uris == (
        "https://app.example.com/cb",
        "http://localhost:8080/cb",
    )
    assert http.calls[0].request.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("changes", "body"),
    [
        ({"client_type": "confidential"}, {"client_type": "confidential"}),
        ({"scopes": ["read", "write", "chat"]}, {"scopes": "read write chat"}),
        (
            {
                "name": "Renamed",
                "company": "",
                "redirect_uris": ["https://a.example/cb", "https://b.example/cb"],
            },
            {
                "name": "Renamed",
                "company": "",
                "redirect_uris": "https://a.example/cb https://b.example/cb",
            },
        ),
    ],
)
def test_client_update_sends_only_what_changes(
    http: responses.RequestsMock,
    config: ChatConfig,
    api: ChatApi,
    changes: dict[str, Any],
    body: dict[str, str],
) -> None:
    expect(
        http,
        config,
        "PUT",
        "/oauth/clients/7",
        reply=payloads.client(),
        match=(matchers.json_params_matcher(body, strict_match=True),),
    )

    updated = client_update(api, 7, **changes)

    assert updated.client_type == "confidential"
    assert len(http.calls) == 1


def test_client_update_with_nothing_to_change_calls_nothing(
    http: responses.RequestsMock, api: ChatApi
) -> None:
    with pytest.raises(ValueError, match="at least one"):
        client_update(api, 7)
    with pytest.raises(ValueError, match="client_type"):
        client_update(api, 7, client_type="secret-ish")
    assert len(http.calls) == 0


def test_client_delete(http: responses.RequestsMock, config: ChatConfig, api: ChatApi) -> None:
    expect(http, config, "DELETE", "/oauth/clients/7", status=204, match=(no_body,))

    api.client_delete(7)
    assert len(http.calls) == 1


def test_client_secret_generate_posts_and_returns_the_new_secret(
    http: responses.RequestsMock, config: ChatConfig, api: ChatApi
) -> None:
    expect(
        http,
        config,
        "POST",
        "/oauth/clients/7/generate_secret",
        reply=payloads.client_with_secret(),
        match=(no_body,),
    )

    assert api.client_secret_generate(7).secret == CLIENT_SECRET


def test_token_list_keeps_only_a_hint_of_each_token(
    http: responses.RequestsMock, config: ChatConfig, api: ChatApi
) -> None:
    expect(http, config, "GET", "/oauth/tokens", reply=[payloads.token()])

    [token] = api.token_list()

    assert token == Token(
        id=14,
        access_token_hint=ACCESS_TOKEN[:8] + "…",
        agent_id=361234,
        client_identifier="zopim",
        scopes=("read", "write", "chat"),
        create_date=datetime(2014, 9, 9, 7, 49, 20, tzinfo=UTC),
        expire_date=datetime(2014, 9, 9, 17, 49, 20, tzinfo=UTC),
        token_type="Bearer",
    )
    assert ACCESS_TOKEN not in repr(token)
    assert payloads.REFRESH_TOKEN not in repr(token)


def test_token_get(http: responses.RequestsMock, config: ChatConfig, api: ChatApi) -> None:
    expect(http, config, "GET", "/oauth/tokens/14", reply=payloads.token())

    assert api.token_get(14).id == 14


def test_token_revoke(http: responses.RequestsMock, config: ChatConfig, api: ChatApi) -> None:
    expect(http, config, "DELETE", "/oauth/tokens/14", status=204, match=(no_body,))

    api.token_revoke(14)
    assert len(http.calls) == 1


@pytest.mark.parametrize("bad_id", [0, -3, True, "7", "../agents"])
def test_ids_must_be_positive_integers(
    http: responses.RequestsMock, api: ChatApi, bad_id: Any
) -> None:
    with pytest.raises(ValueError, match="positive integers"):
        api.client_get(bad_id)
    assert len(http.calls) == 0
