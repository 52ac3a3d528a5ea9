"""Every page under /clients/ comes whole, or as its #client-page region when htmx targets it."""

from __future__ import annotations

import pytest
import responses
from django.test import Client

from tests.fixtures.chat_payloads import CLIENTS, TOKENS, client_json
from tests.fixtures.pages import htmx, is_fragment, text

pytestmark = pytest.mark.django_db

PAGES = {
    "/clients/7/": "Your tokens from this client",
    "/clients/new/": "Create API client",
    "/clients/7/edit/": "Save changes",
    "/clients/7/secret/": "The old secret stops working at once.",
    "/clients/7/delete/": "Your live tokens from this client",
    "/clients/9/": "This API client does not exist, or it is not one you can see.",
}


@pytest.mark.parametrize("path", PAGES)
def test_each_page_whole_and_as_its_region(
    as_agent: Client, http_mock: responses.RequestsMock, path: str
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=client_json(7))
    http_mock.get(f"{CLIENTS}/9", status=404, json={"error": "Not Found"})
    http_mock.get(TOKENS, json=[])
    whole = as_agent.get(path)
    assert "<html" in text(whole) and PAGES[path] in text(whole)
    assert '<nav aria-label="Main">' in text(whole)

    region = as_agent.get(path, headers=htmx("client-page"))
    assert region.status_code == 200 and is_fragment(region, "client-page")
    assert PAGES[path] in text(region)
