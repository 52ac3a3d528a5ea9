"""Answers the Chat API refuses or that cannot be read, against `responses`: the error
raised, its plain explanation, and no retry.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import responses

from chatadmin.chat import ChatApi, ChatBadResponse, ChatRefused, ClientInput
from tests.chat import payloads
from tests.chat.operations import Operation, answer, client_update


@pytest.fixture
def api(subdomain_api: ChatApi) -> ChatApi:
    return subdomain_api


@pytest.mark.parametrize(
    ("status", "body", "error", "explained"),
    [
        (
            400,
            {"error": "Bad Request", "description": "The browser sent a bad request."},
            "Bad Request",
            "The browser sent a bad request",
        ),
        (
            401,
            {
                "error": "Unauthorized",
                "description": "The server could not verify that you are authorized to access "
                "the requested resource",
            },
            "Unauthorized",
            "Support API tokens and Support OAuth tokens do not work",
        ),
        (403, {"error": "insufficient_scope"}, "insufficient_scope", "lacks a scope"),
        (403, {"error": "Forbidden"}, "Forbidden", "read write chat"),
        (404, {"error": "Not Found"}, "Not Found", "belongs to another agent"),
        (
            405,
            {
                "description": "The method is not allowed for the requested URL.",
                "error": "Method Not Allowed",
            },
            "Method Not Allowed",
            "host style is probably wrong",
        ),
        (409, {"error": "Conflict", "description": "already exists"}, "Conflict", "already exists"),
    ],
)
def test_4xx_is_refused_with_a_plain_explanation_and_no_retry(
    http: responses.RequestsMock,
    api: ChatApi,
    status: int,
    body: dict[str, str],
    error: str,
    explained: str,
) -> None:
    answer(http, "GET", "/oauth/clients/7", status=status, times=3, json=body)

    with pytest.raises(ChatRefused) as caught:
        api.client_get(7)

    refused = caught.value
    assert (refused.status, refused.error) == (status, error)
    assert refused.description == body.get("description", "")
    assert explained in refused.explanation
    assert str(refused).startswith(f"[{status} {error}]")
    assert len(http.calls) == 1


def test_422_lists_the_upstream_field_messages(http: responses.RequestsMock, api: ChatApi) -> None:
    answer(
        http,
        "POST",
        "/oauth/clients",
        status=422,
        json={
            "error": "invalid",
            "description": "The client is not valid.",
            "details": {
                "redirect_uris": ["must be https unless localhost"],
                "name": ["is required", "is too short"],
            },
        },
    )

    with pytest.raises(ChatRefused) as caught:
        api.client_create(
            ClientInput(name="x", redirect_uris=["http://example.com/cb"], scopes=["read"])
        )

    refused = caught.value
    assert refused.status == 422
    assert refused.details == {
        "redirect_uris": ("must be https unless localhost",),
        "name": ("is required", "is too short"),
    }
    assert "redirect_uris: must be https unless localhost" in refused.explanation
    assert "name: is required, is too short" in refused.explanation
    assert len(http.calls) == 1


def test_422_without_details_uses_the_description(
    http: responses.RequestsMock, api: ChatApi
) -> None:
    answer(http, "PUT", "/oauth/clients/7", status=422, json={"description": "scopes: bad"})

    with pytest.raises(ChatRefused, match="rejected the values: scopes: bad"):
        client_update(api, 7, scopes=["read"])


def test_a_4xx_without_a_json_body_still_reads(http: responses.RequestsMock, api: ChatApi) -> None:
    answer(http, "GET", "/oauth/clients/7", status=404, body="<h1>Not Found</h1>")

    with pytest.raises(ChatRefused) as caught:
        api.client_get(7)

    assert (caught.value.error, caught.value.description) == ("Not Found", "")


@pytest.mark.parametrize(
    "body", ['{"id": 7, "name": ', "<html>maintenance</html>", ""], ids=["cut", "html", "empty"]
)
@pytest.mark.parametrize(
    ("path", "operation"),
    [
        ("/oauth/clients/7", lambda api: api.client_get(7)),
        # The list is read by its own decoder (straight into rows): the same answer.
        ("/oauth/clients", lambda api: api.client_rows()),
    ],
    ids=["client", "client rows"],
)
def test_malformed_json_is_a_bad_response(
    http: responses.RequestsMock,
    api: ChatApi,
    body: str,
    path: str,
    operation: Callable[[ChatApi], object],
) -> None:
    answer(http, "GET", path, status=200, times=3, body=body)

    with pytest.raises(ChatBadResponse, match="not JSON"):
        operation(api)

    assert len(http.calls) == 1


@pytest.mark.parametrize(
    ("path", "reply", "operation", "complaint"),
    [
        # The Support API's envelope, not the Chat API's bare array.
        ("/oauth/clients", {"clients": []}, lambda api: api.client_list(), "JSON array"),
        ("/oauth/clients", [1, 2], lambda api: api.client_list(), "client to be a JSON object"),
        ("/oauth/clients", {"clients": []}, lambda api: api.client_rows(), "Expected `array`"),
        ("/oauth/clients", [1, 2], lambda api: api.client_rows(), "Expected `object`"),
        (
            "/oauth/clients",
            [payloads.client(id="7")],
            lambda api: api.client_rows(),
            re.escape("`$[0].id`"),
        ),
        (
            "/oauth/clients",
            [payloads.client(), payloads.client(client_identifier=None)],
            lambda api: api.client_rows(),
            "'client_identifier'",
        ),
        ("/oauth/clients/7", payloads.client(id="7"), lambda api: api.client_get(7), "'id'"),
        (
            "/oauth/clients/7",
            payloads.client(client_identifier=None),
            lambda api: api.client_get(7),
            "'client_identifier'",
        ),
        ("/agents/me", payloads.agent(email=None), lambda api: api.agent_me(), "'email'"),
        ("/agents/me", payloads.agent(enabled="yes"), lambda api: api.agent_me(), "'enabled'"),
        ("/agents/me", payloads.agent(roles=["owner"]), lambda api: api.agent_me(), "'roles'"),
        (
            "/oauth/tokens/14",
            payloads.token(create_date="yesterday"),
            lambda api: api.token_get(14),
            "'create_date'",
        ),
        ("/oauth/tokens/14", payloads.token(scopes=7), lambda api: api.token_get(14), "'scopes'"),
    ],
)
def test_an_unexpected_shape_is_a_bad_response(
    http: responses.RequestsMock,
    api: ChatApi,
    path: str,
    reply: object,
    operation: Operation,
    complaint: str,
) -> None:
    answer(http, "GET", path, status=200, json=reply)

    with pytest.raises(ChatBadResponse, match=complaint) as caught:
        operation(api)

    assert payloads.ACCESS_TOKEN not in str(caught.value)
    assert len(http.calls) == 1


def test_a_created_client_without_its_secret_is_a_bad_response(
    http: responses.RequestsMock, api: ChatApi
) -> None:
    answer(http, "POST", "/oauth/clients/7/generate_secret", status=200, json=payloads.client())

    with pytest.raises(ChatBadResponse, match="without its secret"):
        api.client_secret_generate(7)


def test_a_redirect_is_not_followed(http: responses.RequestsMock, api: ChatApi) -> None:
    answer(
        http,
        "GET",
        "/agents/me",
        status=302,
        headers={"Location": "https://elsewhere.example/login"},
    )

    with pytest.raises(ChatBadResponse, match="redirect"):
        api.agent_me()

    assert len(http.calls) == 1
