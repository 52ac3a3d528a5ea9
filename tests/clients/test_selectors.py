"""Reading clients: filters, the policy applied again, and the impact preview."""

from __future__ import annotations

import pytest
import responses

from chatadmin.accounts.models import User
from chatadmin.clients.selectors import ClientNotFound, client_get, client_impact, client_list
from tests.fixtures.chat_payloads import (
    CLIENTS,
    LOCAL_URI,
    OTHER_AGENT_ID,
    TOKENS,
    client_json,
    refusal,
    token_json,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_clients(http_mock: responses.RequestsMock) -> None:
    http_mock.get(
        CLIENTS,
        json=[
            client_json(1, name="CRM bridge", company="Example Ltd"),
            client_json(2, name="Local tool", redirect_uris=LOCAL_URI, client_type="public"),
            client_json(3, name="Their app", agent_id=OTHER_AGENT_ID),
        ],
    )


@pytest.mark.usefixtures("three_clients")
def test_filters_by_text_type_and_use(chat_admin: User) -> None:
    def names(**filters: str) -> list[str]:
        return [c.name for c in client_list(chat_admin, **filters)]

    assert names() == ["Their app", "Local tool", "CRM bridge"]  # same date: newest id first
    assert names(text="example ltd") == ["Their app", "Local tool", "CRM bridge"]
    assert names(text="BRIDGE") == ["CRM bridge"]
    assert names(text="localhost:8080") == ["Local tool"]
    assert names(text="identifier-3") == ["Their app"]
    assert names(client_type="public") == ["Local tool"]
    assert names(use="internal") == ["Local tool"]
    assert names(use="external", client_type="confidential") == ["Their app", "CRM bridge"]


@pytest.mark.usefixtures("three_clients")
def test_a_user_never_sees_another_agents_client_even_if_chat_sends_it(chat_agent: User) -> None:
    assert [c.id for c in client_list(chat_agent)] == [2, 1]


def test_a_client_id_below_one_is_not_found_without_a_call(
    chat_admin: User, http_mock: responses.RequestsMock
) -> None:
    with pytest.raises(ClientNotFound):
        client_get(chat_admin, 0)
    assert len(http_mock.calls) == 0


def test_another_agents_client_is_not_found(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/3", json=client_json(3, agent_id=OTHER_AGENT_ID))
    http_mock.get(f"{CLIENTS}/9", status=404, json=refusal(404, "Not Found"))
    for client_id in (3, 9):
        with pytest.raises(ClientNotFound, match="does not exist, or it is not one you can see"):
            client_get(chat_agent, client_id)


def test_impact_lists_only_the_persons_live_tokens_from_that_client(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    client = client_json(7, redirect_uris=f"{LOCAL_URI} https://app.example.com/cb")
    http_mock.get(f"{CLIENTS}/7", json=client)
    identifier = client["client_identifier"]
    http_mock.get(
        TOKENS,
        json=[
            token_json(1, client_identifier=identifier),
            token_json(2, client_identifier=identifier, expired=True),
            token_json(3, client_identifier="another-client"),
        ],
    )
    impact = client_impact(chat_agent, 7)
    assert impact.is_external
    assert impact.external_uris == ("https://app.example.com/cb",)
    assert [t.id for t in impact.live_tokens] == [1]
    assert impact.tokens_problem == ""


def test_impact_still_shows_when_tokens_cannot_be_listed(
    chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=client_json(7, redirect_uris=LOCAL_URI))
    http_mock.get(TOKENS, status=403, json=refusal(403, "Forbidden"))
    impact = client_impact(chat_agent, 7)
    assert not impact.is_external
    assert impact.live_tokens == ()
    assert "lacks a scope" in impact.tokens_problem


def test_impact_for_support_lists_no_tokens(
    support: User, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=client_json(7))
    impact = client_impact(support, 7)
    assert impact.live_tokens == () and impact.tokens_problem == ""
    assert [call.request.path_url for call in http_mock.calls] == ["/api/v2/chat/oauth/clients/7"]
