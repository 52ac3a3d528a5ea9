"""The client list read lightly (ClientRow): the same clients the full parse reads, never a
secret, and rows the garbage collector does not have to track."""

from __future__ import annotations

import gc
import json
import pickle
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from chatadmin.chat import ApiClient, ChatBadResponse
from chatadmin.chat.resources import client_rows
from chatadmin.clients.snapshot import ClientSnapshot
from tests.chat import payloads
from tests.chat.payloads import CLIENT_SECRET
from tests.chat.test_models import json_values

# What the public docs and real accounts send besides the plain example (chat-api.md 2.1).
VARIANTS: list[dict[str, Any]] = [
    payloads.client(),
    payloads.client_with_secret(id=8),  # the docs' list carries every client's full secret
    payloads.client(id=9, company=None, name=None, agent_id=None),
    payloads.client(id=10, create_date="2018-10-17T02:32:45", update_date=None),
    payloads.client(id=11, scopes=["read", "write"], client_type=None),
    payloads.client(id=12, redirect_uris=["http://localhost/cb", "https://app.example.com/cb"]),
    payloads.client(id=13, redirect_uris="https://a.example.com/cb, https://b.example.com/cb"),
    payloads.client(id=14, redirect_uris='["http://127.0.0.1:8000/cb"]'),
    payloads.client(id=15, redirect_uris=None, unknown_field={"nested": [1, 2]}),
]


def body(*clients: dict[str, Any]) -> bytes:
    # Any integer, as a server may send one; never Infinity, which is not JSON.
    return json.dumps(list(clients), allow_nan=False).encode()


def test_each_row_is_the_client_the_full_parse_reads() -> None:
    rows = client_rows(body(*VARIANTS))

    assert [row.client() for row in rows] == [ApiClient.from_json(item) for item in VARIANTS]
    assert [row.internal for row in rows] == [False] * 5 + [False, False, True, True]


def test_a_listed_secret_is_never_read_nor_stored_with_the_snapshot() -> None:
    rows = client_rows(body(*VARIANTS))
    snapshot = ClientSnapshot(tuple(rows), datetime.now(UTC))

    assert not any(hasattr(row, "client_secret") for row in rows)
    assert all(CLIENT_SECRET not in repr(row) for row in rows)
    assert CLIENT_SECRET.encode() not in pickle.dumps(snapshot)


def test_a_snapshot_comes_back_from_the_cache_with_the_same_rows() -> None:
    snapshot = ClientSnapshot(tuple(client_rows(body(*VARIANTS))), datetime.now(UTC))

    back = pickle.loads(pickle.dumps(snapshot))  # noqa: S301 - our own bytes, as the cache does

    assert back.rows == snapshot.rows and back.taken_at == snapshot.taken_at
    assert back.find(12) == snapshot.find(12)


def test_rows_are_not_tracked_by_the_garbage_collector() -> None:
    # A tracked row lives as long as its snapshot and makes every full collection slower.
    rows = client_rows(body(*VARIANTS))
    back = pickle.loads(pickle.dumps(ClientSnapshot(tuple(rows), datetime.now(UTC))))  # noqa: S301

    assert not any(gc.is_tracked(row) for row in (*rows, *back.rows))


@given(st.sampled_from(sorted(payloads.client())), json_values)
def test_rows_read_whatever_the_full_parse_reads_and_refuse_by_field(
    field: str, value: object
) -> None:
    sent = payloads.client(**{field: value})
    try:
        sent_body = body(sent)
    except ValueError:
        assume(False)  # an infinity somewhere in the value: no server can send it as JSON
    try:
        expected: ApiClient | None = ApiClient.from_json(sent)
    except ChatBadResponse:
        expected = None
    failure: ChatBadResponse | None = None
    try:
        rows = client_rows(sent_body)
    except ChatBadResponse as error:
        failure = error

    if failure is not None:
        assert expected is None  # never stricter than the full parse
        assert field in str(failure)
    elif expected is not None:
        assert rows[0].client() == expected


@pytest.mark.parametrize(
    "sent",
    [
        payloads.client(client_identifier=[CLIENT_SECRET]),
        payloads.client(name={"secret": CLIENT_SECRET}),
        payloads.client(scopes=[CLIENT_SECRET, 5]),
    ],
    ids=["identifier", "name", "scopes"],
)
def test_a_refusal_names_the_field_but_never_its_value(sent: dict[str, Any]) -> None:
    with pytest.raises(ChatBadResponse) as caught:
        client_rows(body(sent))

    assert CLIENT_SECRET not in str(caught.value)
    assert CLIENT_SECRET not in repr(caught.value.__cause__)
