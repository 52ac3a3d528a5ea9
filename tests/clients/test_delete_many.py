"""Delete Selected: one confirmation with each client's impact, then a result per client."""

from __future__ import annotations

import pytest
import responses
from django.test import Client

from chatadmin.audit.models import Outcome
from chatadmin.clients import services
from tests.fixtures.chat_payloads import (
    CLIENTS,
    LOCAL_URI,
    OTHER_AGENT_ID,
    TOKENS,
    client_json,
)
from tests.fixtures.pages import events, text, writes

pytestmark = pytest.mark.django_db

LOCAL_ONE = client_json(1, name="Script one", redirect_uris=LOCAL_URI)
LOCAL_TWO = client_json(2, name="Script two", redirect_uris=LOCAL_URI)
EXTERNAL = client_json(3, name="CRM bridge")


def listed(mock: responses.RequestsMock, *clients: dict[str, object]) -> None:
    mock.get(CLIENTS, json=list(clients))
    for client in clients:
        mock.get(f"{CLIENTS}/{client['id']}", json=client)
    mock.get(TOKENS, json=[])


def test_the_confirmation_lists_each_client_and_asks_for_external_names(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    listed(http_mock, LOCAL_ONE, LOCAL_TWO, EXTERNAL)

    page = as_agent.post("/clients/delete/", {"client": ["1", "2", "3"]})

    html = text(page)
    assert page.status_code == 200 and "Delete 3 API clients?" in html
    for name in ("Script one", "Script two", "CRM bridge"):
        assert name in html
    assert html.count('name="confirm_name_') == 1 and 'name="confirm_name_3"' in html
    assert "https://app.example.com/oauth/callback" in html
    assert writes(http_mock) == [] and events(services.DELETE) == []


def test_each_client_gets_its_result_and_its_audit_record(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    listed(http_mock, LOCAL_ONE, LOCAL_TWO, EXTERNAL)
    http_mock.delete(f"{CLIENTS}/1", status=204)
    http_mock.delete(f"{CLIENTS}/2", status=503)

    results = as_agent.post(
        "/clients/delete/",
        {"client": ["1", "2", "3"], "confirm": "yes", "confirm_name_3": "crm bridge"},
    )

    html = text(results)
    assert writes(http_mock) == [
        "DELETE /api/v2/chat/oauth/clients/1",
        "DELETE /api/v2/chat/oauth/clients/2",
        "DELETE /api/v2/chat/oauth/clients/2",
        "DELETE /api/v2/chat/oauth/clients/2",
    ]  # the wrongly typed name kept client 3 from any DELETE
    assert "result--deleted" in html and "result--failed" in html and "result--refused" in html
    assert "Type the client" in html and "HTTP 503" in html
    outcomes = {event.target_label: event.outcome for event in events(services.DELETE)}
    assert outcomes == {
        "Script one": Outcome.SUCCESS,
        "Script two": Outcome.FAILURE,
        "CRM bridge": Outcome.FAILURE,
    }


def test_someone_elses_client_is_left_out_and_never_deleted(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    theirs = client_json(4, name="Theirs", agent_id=OTHER_AGENT_ID, redirect_uris=LOCAL_URI)
    listed(http_mock, LOCAL_ONE, theirs)
    http_mock.delete(f"{CLIENTS}/1", status=204)

    preview = as_agent.post("/clients/delete/", {"client": ["1", "4"]})
    results = as_agent.post("/clients/delete/", {"client": ["1", "4"], "confirm": "yes"})

    assert "Theirs" not in text(preview) and "not yours to delete" in text(preview)
    assert writes(http_mock) == ["DELETE /api/v2/chat/oauth/clients/1"]
    assert "result--refused" in text(results)
    assert {e.outcome for e in events(services.DELETE) if e.target_id == "4"} == {Outcome.FAILURE}


@pytest.mark.parametrize("ids", [[], ["\u0661\u0660"], ["0"], ["x"]])
def test_a_selection_that_is_not_one_is_refused_audited_and_nothing_sent(
    as_agent: Client, http_mock: responses.RequestsMock, ids: list[str]
) -> None:
    response = as_agent.post("/clients/delete/", {"client": ids, "confirm": "yes"})

    assert response.status_code == 302
    assert len(http_mock.calls) == 0
    (event,) = events(services.DELETE)
    assert event.outcome == Outcome.FAILURE


def test_support_staff_delete_nothing(
    as_support: Client, http_mock: responses.RequestsMock
) -> None:
    response = as_support.post("/clients/delete/", {"client": ["1"], "confirm": "yes"})

    assert response.status_code == 403
    assert writes(http_mock) == []
