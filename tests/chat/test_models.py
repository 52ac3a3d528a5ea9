"""Parsing at the boundary: tolerant of what the Chat API really sends, strict on types."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatadmin.chat import (
    Agent,
    ApiClient,
    ChatBadResponse,
    ClientInput,
    IssuedSecret,
    Token,
    TokenGrant,
)
from chatadmin.chat.parsing import parse_date, split_uris
from chatadmin.chat.resources import token_hint
from tests.chat import payloads
from tests.chat.payloads import ACCESS_TOKEN, CLIENT_SECRET, REFRESH_TOKEN

KNOWN_FIELDS = (
    set(payloads.client_with_secret())
    | set(payloads.agent())
    | set(payloads.token())
    | set(payloads.grant())
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3)
    ),
    max_leaves=6,
)
extra_fields = st.dictionaries(
    st.text(min_size=1).filter(lambda name: name not in KNOWN_FIELDS), json_values, max_size=5
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2014-09-01T10:29:59Z", datetime(2014, 9, 1, 10, 29, 59, tzinfo=UTC)),
        # Seen live without the Z (chat-api.md 2.1): naive values are UTC.
        ("2018-10-17T02:32:45", datetime(2018, 10, 17, 2, 32, 45, tzinfo=UTC)),
        ("2018-10-17T02:32:45.123456Z", datetime(2018, 10, 17, 2, 32, 45, 123456, tzinfo=UTC)),
        ("2018-10-17T04:32:45+02:00", datetime(2018, 10, 17, 2, 32, 45, tzinfo=UTC)),
    ],
)
def test_dates_with_and_without_z(text: str, expected: datetime) -> None:
    parsed = parse_date(text)

    assert parsed == expected
    assert parsed.tzinfo is UTC


@given(st.datetimes(timezones=st.just(UTC) | st.none()))
def test_any_iso_date_reads_back_as_utc(moment: datetime) -> None:
    as_sent = moment.replace(tzinfo=None).isoformat()

    assert parse_date(as_sent) == moment.replace(tzinfo=UTC)
    assert parse_date(as_sent + "Z") == moment.replace(tzinfo=UTC)


@given(st.datetimes(), st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_dates_with_an_offset_become_the_same_instant_in_utc(
    moment: datetime, minutes: int
) -> None:
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))

    assert parse_date(aware.isoformat()) == aware


@pytest.mark.parametrize(
    "sent",
    [
        "https://a.example/cb http://localhost:8080/cb",
        "https://a.example/cb\nhttp://localhost:8080/cb",
        "https://a.example/cb\r\n  http://localhost:8080/cb\n",
        "https://a.example/cb,http://localhost:8080/cb",
        "https://a.example/cb, http://localhost:8080/cb,",
        '["https://a.example/cb", "http://localhost:8080/cb"]',
        ["https://a.example/cb", "http://localhost:8080/cb"],
        "https://a.example/cb https://a.example/cb http://localhost:8080/cb",
    ],
    ids=[
        "spaces",
        "newline",
        "crlf",
        "comma",
        "comma-space",
        "json-string",
        "json-array",
        "repeat",
    ],
)
def test_redirect_uri_variants(sent: object) -> None:
    client = ApiClient.from_json(payloads.client(redirect_uris=sent))

    assert client.redirect_uris == ("https://a.example/cb", "http://localhost:8080/cb")


def test_a_comma_inside_a_uri_is_kept() -> None:
    assert split_uris("https://a.example/cb?ids=1,2 http://localhost/x") == (
        "https://a.example/cb?ids=1,2",
        "http://localhost/x",
    )


@given(
    st.lists(
        st.from_regex(
            r"https?://[a-z0-9.-]{1,20}(:[0-9]{2,5})?(/[A-Za-z0-9._~%-]{0,10}){0,3}", fullmatch=True
        ),
        min_size=1,
        max_size=4,
        unique=True,
    )
)
def test_uris_sent_by_create_read_back_the_same(uris: list[str]) -> None:
    sent = ClientInput(name="n", redirect_uris=uris, scopes=["read"]).to_json()

    assert ApiClient.from_json(
        payloads.client(redirect_uris=sent["redirect_uris"])
    ).redirect_uris == tuple(uris)


@pytest.mark.parametrize(
    ("uris", "internal"),
    [
        ("http://localhost:8080", True),
        ("http://127.0.0.1:9000/cb http://[::1]:8000/cb https://LOCALHOST/cb", True),
        ("http://localhost:8080 https://app.example.com/cb", False),
        ("http://localhost.example.com/cb", False),
        ("http://127.0.0.2/cb", False),
        ("not a uri", False),
        ("", True),
    ],
)
def test_internal_means_every_redirect_uri_is_this_machine(uris: str, internal: bool) -> None:
    assert ApiClient.from_json(payloads.client(redirect_uris=uris)).is_internal is internal


@pytest.mark.parametrize(
    ("enabled", "roles", "expected"),
    [
        (1, {"owner": True, "administrator": False}, (True, True)),
        (True, {"owner": False, "administrator": True}, (True, True)),
        (0, {"owner": False, "administrator": False}, (False, False)),
        (False, None, (False, False)),
    ],
)
def test_agent_enabled_and_admin(
    enabled: object, roles: object, expected: tuple[bool, bool]
) -> None:
    agent = Agent.from_json(payloads.agent(enabled=enabled, roles=roles))

    assert (agent.enabled, agent.is_admin) == expected


def test_agent_optional_fields_may_be_null() -> None:
    agent = Agent.from_json(
        {
            "id": 3,
            "email": "a@example.com",
            "first_name": None,
            "role_id": None,
            "create_date": None,
        }
    )

    assert (agent.first_name, agent.role_id, agent.create_date, agent.enabled) == (
        "",
        None,
        None,
        True,
    )


@given(extra_fields)
def test_unknown_fields_are_ignored(extra: dict[str, Any]) -> None:
    assert Agent.from_json({**payloads.agent(), **extra}) == Agent.from_json(payloads.agent())
    assert ApiClient.from_json({**payloads.client(), **extra}) == ApiClient.from_json(
        payloads.client()
    )
    assert Token.from_json({**payloads.token(), **extra}) == Token.from_json(payloads.token())
    assert TokenGrant.from_json({**payloads.grant(), **extra}) == TokenGrant.from_json(
        payloads.grant()
    )


@given(st.sampled_from(sorted(payloads.client())), json_values)
def test_any_client_payload_either_parses_or_is_a_bad_response(field: str, value: object) -> None:
    failure: ChatBadResponse | None = None
    try:
        ApiClient.from_json(payloads.client(**{field: value}))
    except ChatBadResponse as error:
        failure = error

    assert failure is None or repr(field) in str(failure)


@pytest.mark.parametrize(
    ("sent", "hint"),
    [
        (ACCESS_TOKEN, ACCESS_TOKEN[:8] + "…"),
        # The sandbox (and maybe the API) lists an 8-character prefix and an ellipsis.
        ("abcdef12…", "abcdef12…"),
        ("abcdef1234…", "abcdef12…"),
        ("abcdef1234567890abcd...", "abcdef12…"),
        ("shorttoken", "short…"),
        ("", ""),
    ],
)
def test_token_hint_never_keeps_the_whole_value(sent: str, hint: str) -> None:
    assert token_hint(sent) == hint


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1)
)
def test_token_hint_is_short_and_never_the_token(value: str) -> None:
    hint = token_hint(value)

    assert len(hint) <= 9
    assert hint.rstrip("…") != value


def test_token_drops_the_refresh_token_and_most_of_the_access_token() -> None:
    token = Token.from_json(payloads.token())

    assert ACCESS_TOKEN not in repr(token) and REFRESH_TOKEN not in repr(token)
    assert not any(ACCESS_TOKEN in str(value) for value in vars(token).values())


def test_an_issued_secret_is_kept_and_its_repr_hides_it() -> None:
    issued = IssuedSecret.from_json(payloads.client_with_secret())

    assert issued.secret == CLIENT_SECRET
    assert issued.client.id == 7
    assert CLIENT_SECRET not in repr(issued)
    assert "secret=<hidden>" in repr(issued)


def test_a_listed_or_shown_client_never_holds_a_secret_even_when_the_answer_has_one() -> None:
    # The public docs' list example carries every client's full client_secret.
    client = ApiClient.from_json(payloads.client_with_secret())

    assert not hasattr(client, "client_secret")
    assert CLIENT_SECRET not in repr(client)
    assert all(CLIENT_SECRET not in str(value) for value in vars(client).values())


def test_a_create_or_generate_answer_without_its_secret_is_a_bad_response() -> None:
    with pytest.raises(ChatBadResponse, match="without its secret"):
        IssuedSecret.from_json(payloads.client())


def test_client_defaults_to_public_when_the_type_is_missing() -> None:
    sent = payloads.client()
    del sent["client_type"]

    assert ApiClient.from_json(sent).client_type == "public"


def test_grant_reads_scope_and_hides_tokens() -> None:
    grant = TokenGrant.from_json(payloads.grant(scope="read  write chat"))

    assert grant.scopes == ("read", "write", "chat")
    assert ACCESS_TOKEN not in repr(grant) and REFRESH_TOKEN not in repr(grant)
    assert "refresh_token=None" in repr(TokenGrant.from_json(payloads.grant(refresh_token=None)))


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"name": " "}, "name"),
        ({"client_type": "private"}, "client_type"),
        ({"redirect_uris": ["http://a.example/cb http://b.example/cb"]}, "redirect URI"),
        ({"scopes": ["read write"]}, "scope"),
    ],
)
def test_client_input_refuses_what_the_api_could_not_store(
    changes: dict[str, Any], complaint: str
) -> None:
    values: dict[str, Any] = {
        "name": "n",
        "redirect_uris": ["http://localhost/cb"],
        "scopes": ["read"],
        **changes,
    }

    with pytest.raises(ValueError, match=complaint):
        ClientInput(**values)


def test_client_input_body_is_a_bare_object_with_joined_strings() -> None:
    body = ClientInput(
        name="Dash", redirect_uris="http://localhost/a http://localhost/b", scopes="read write"
    ).to_json()

    assert body == {
        "name": "Dash",
        "company": "",
        "redirect_uris": "http://localhost/a http://localhost/b",
        "scopes": "read write",
        "client_type": "public",
    }
    assert json.loads(json.dumps(body)) == body
