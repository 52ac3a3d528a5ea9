"""Fragments: a piece of a page drawn from values alone, once per process for each set of them."""

from __future__ import annotations

from unittest import mock

import pytest

from chatadmin.clients.selectors import ClientQuery
from chatadmin.core import rendering
from chatadmin.core.rendering import fragment
from tests.fixtures.html import parsed


@pytest.fixture(autouse=True)
def _none_drawn_yet() -> None:
    rendering._fragment.cache_clear()


def filters(text: str) -> str:
    return fragment(
        "clients/_filters.html",
        query=ClientQuery(text=text),
        list_url="/clients/",
        type_select="",
        use_select="",
        sort_select="",
    )


def test_the_same_values_are_drawn_once() -> None:
    with mock.patch.object(rendering, "get_template", wraps=rendering.get_template) as loads:
        first = filters("crm")
        again = filters("crm")

    assert again is first
    assert loads.call_count == 1


def test_other_values_draw_anew_and_are_escaped() -> None:
    crm, other = filters("crm"), filters('<b>"x"</b>')

    assert parsed(crm).one("input", id="id_q").attrs["value"] == "crm"
    assert parsed(other).one("input", id="id_q").attrs["value"] == '<b>"x"</b>'
    assert '<b>"x"</b>' not in other  # escaped, never markup


def test_nothing_of_the_request_reaches_a_fragment() -> None:
    # No context processors: a CSRF token or nonce kept in a fragment would be shown to others.
    drawn = fragment("clients/_table_head.html", columns=None, any_selectable=True, can_change=True)

    assert "csrf" not in drawn.lower() and "nonce" not in drawn.lower()
