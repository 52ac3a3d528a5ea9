"""The token wizard with a mocked Chat API: choose, check the redirect URL, start, come back."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from responses import matchers

from chatadmin.accounts.models import User
from chatadmin.audit.models import AuditEvent, Outcome
from chatadmin.tokens.wizard.finish import duration_words
from chatadmin.tokens.wizard.flow import SEAL_COOKIE, SESSION_KEY
from tests.fixtures.html import parsed
from tests.fixtures.pages import events, htmx, is_fragment, text, writes
from tests.tokens.helpers import bearer
from tests.tokens.payloads import (
    AGENT_ID,
    AGENT_TOKEN,
    AUTHORIZE,
    CLIENT_SECRET,
    CLIENTS,
    LANDING,
    ME,
    MINTED_ACCESS,
    MINTED_REFRESH,
    OTHER_AGENT_ID,
    TOKEN_ENDPOINT,
    agent_json,
    client_json,
    grant_json,
)

pytestmark = pytest.mark.django_db

LOCAL_URI = "http://localhost:8080"
NEW = client_json(7, name="Local tool", redirect_uris=LOCAL_URI, scopes="read write chat")
READY = client_json(
    7, name="Local tool", redirect_uris=f"{LOCAL_URI} {LANDING}", scopes="read write chat"
)
IDENTIFIER = READY["client_identifier"]
CODE = "auth-code-0123456789abcdefghij"


def _start(client: Client, **data: object) -> Any:
    form = {"client": "7", "scopes": ["read", "write"], "mode": "testing", **data}
    return client.post("/tokens/new/start/", form)


def _pending_state(client: Client) -> str:
    return str(client.session[SESSION_KEY]["state"])


def test_the_wizard_page_offers_only_clients_the_person_may_change(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, json=[NEW, client_json(9, name="Not mine", agent_id=OTHER_AGENT_ID)])
    page = text(as_agent.get("/tokens/new/"))
    assert "<html" in page and ">Local tool</option>" in page and "Not mine" not in page
    assert 'id="wizard-step"' in page and "Scopes and mode" not in page


def test_choosing_a_client_with_htmx_returns_the_step_and_says_the_url_is_missing(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, json=[NEW])
    response = as_agent.get("/tokens/new/?client=7", headers=htmx("wizard-step"))
    assert is_fragment(response, "wizard-step")
    body = text(response)
    assert LANDING in body and "not one of the redirect URLs" in body
    assert "Add chatadmin's wizard URL to this client's redirect URLs" in body
    assert "changes the client" in body
    assert 'value="chat"' in body and "read write chat" in body


def test_a_ready_client_offers_only_its_own_scopes(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, json=[{**READY, "scopes": "read"}])
    page = text(as_agent.get("/tokens/new/?client=7"))
    assert "It is one of the redirect URLs" in page
    assert 'value="read"' in page and 'value="chat"' not in page
    assert "cannot grant write or chat" in page


def test_adding_the_wizard_url_is_a_partial_put_and_audited(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=NEW, match=bearer(AGENT_TOKEN))
    http_mock.put(
        f"{CLIENTS}/7",
        json=READY,
        match=[
            *bearer(AGENT_TOKEN),
            matchers.json_params_matcher({"redirect_uris": f"{LOCAL_URI} {LANDING}"}),
        ],
    )
    response = as_agent.post(
        "/tokens/new/redirect-url/", {"client": "7"}, headers=htmx("wizard-step")
    )
    assert is_fragment(response, "wizard-step")
    assert "It is one of the redirect URLs" in text(response)
    assert "now one of the redirect URLs of Local tool" in response["HX-Trigger"]
    (event,) = events("client.update")
    assert (event.outcome, event.target_id, event.target_label) == (
        Outcome.SUCCESS,
        "7",
        "Local tool",
    )


def test_adding_the_url_to_someone_elses_client_changes_nothing(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/9", json=client_json(9, agent_id=OTHER_AGENT_ID))
    http_mock.get(CLIENTS, json=[NEW])
    response = as_agent.post(
        "/tokens/new/redirect-url/", {"client": "9"}, headers=htmx("wizard-step")
    )
    assert "not an API client you can mint tokens for" in response["HX-Trigger"]
    assert writes(http_mock) == []
    assert events("client.update")[0].outcome == Outcome.DENIED


def test_a_refused_change_is_explained_and_audited(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=NEW)
    http_mock.put(
        f"{CLIENTS}/7",
        status=422,
        json={"error": "invalid", "details": {"redirect_uris": ["plain http only for localhost"]}},
    )
    response = as_agent.post("/tokens/new/redirect-url/", {"client": "7"})
    assert response.status_code == 302 and response["Location"] == "/tokens/new/?client=7"
    assert events("client.update")[0].outcome == Outcome.FAILURE
    assert "plain http only for localhost" in events("client.update")[0].message


def test_the_redirect_form_enforces_csrf(
    csrf_client: Client, chat_agent: User, http_mock: responses.RequestsMock
) -> None:
    csrf_client.force_login(chat_agent)
    assert csrf_client.post("/tokens/new/redirect-url/", {"client": "7"}).status_code == 403
    assert csrf_client.post("/tokens/new/start/", {"client": "7"}).status_code == 403
    assert len(http_mock.calls) == 0


def test_testing_mode_sends_the_person_to_an_implicit_authorize_url_with_state(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=READY)
    response = _start(as_agent)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == AUTHORIZE
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query == {
        "response_type": "token",
        "client_id": IDENTIFIER,
        "redirect_uri": LANDING,
        "scope": "read write",
        "state": _pending_state(as_agent),
    }
    assert response.cookies[SEAL_COOKIE].value == ""  # nothing sealed for testing
    assert events("token.mint_start")[0].outcome == Outcome.SUCCESS


def test_htmx_start_redirects_the_whole_page(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=READY)
    response = as_agent.post(
        "/tokens/new/start/",
        {"client": "7", "scopes": ["read"], "mode": "testing"},
        headers=htmx("wizard-step"),
    )
    assert response.status_code == 200 and response["HX-Redirect"].startswith(AUTHORIZE)


def test_production_mode_seals_the_secret_for_the_round_trip_and_stores_it_nowhere(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=READY)
    response = _start(as_agent, mode="production", client_secret=CLIENT_SECRET)
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["response_type"] == ["code"]
    cookie = response.cookies[SEAL_COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/tokens/new/landing/"
    assert cookie["samesite"] == "Lax" and int(cookie["max-age"]) == 600
    assert CLIENT_SECRET not in cookie.value
    stored = " ".join(s.session_data + str(s.get_decoded()) for s in Session.objects.all())
    assert stored and CLIENT_SECRET not in stored
    assert CLIENT_SECRET not in str(dict(as_agent.session.items()))
    assert all(CLIENT_SECRET not in e.message for e in AuditEvent.objects.all())


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"scopes": ["chat"]}, "read write chat"),
        ({"scopes": []}, "Choose at least one scope"),
        ({"mode": "production", "client_secret": ""}, "paste it here"),
        ({"mode": "sideways"}, "Select a valid choice"),
    ],
)
def test_bad_wizard_input_is_explained_and_nothing_starts(
    as_agent: Client, http_mock: responses.RequestsMock, data: dict[str, object], error: str
) -> None:
    http_mock.get(CLIENTS, json=[READY])
    response = _start(as_agent, **data)
    assert response.status_code == 200 and error in text(response)
    assert SESSION_KEY not in as_agent.session
    assert [c.request.method for c in http_mock.calls] == ["GET"]  # the list, to draw the page
    assert events("token.mint_start")[0].outcome == Outcome.FAILURE


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (NEW, "is not one of the redirect URLs"),
        ({**READY, "scopes": "read"}, "so it cannot grant"),
        (client_json(7, agent_id=OTHER_AGENT_ID), "not an API client you can mint tokens for"),
    ],
)
def test_the_service_refuses_a_start_it_cannot_honour(
    as_agent: Client, http_mock: responses.RequestsMock, answer: dict[str, object], error: str
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=answer)
    http_mock.get(CLIENTS, json=[READY])
    response = _start(as_agent)
    assert response.status_code == 200 and error in text(response)
    assert SESSION_KEY not in as_agent.session
    assert events("token.mint_start")[0].outcome in {Outcome.FAILURE, Outcome.DENIED}


def _production_flow_started(client: Client, mock: responses.RequestsMock) -> str:
    mock.get(f"{CLIENTS}/7", json=READY)
    started = _start(client, mode="production", client_secret=CLIENT_SECRET)
    client.cookies[SEAL_COOKIE] = started.cookies[SEAL_COOKIE].value
    return _pending_state(client)


def test_the_callback_exchanges_the_code_at_once_and_shows_the_tokens_once(
    as_agent: Client, http_mock: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    state = _production_flow_started(as_agent, http_mock)
    http_mock.post(
        TOKEN_ENDPOINT,
        json=grant_json(scope="read write"),
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "grant_type": "authorization_code",
                    "code": CODE,
                    "client_id": IDENTIFIER,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uri": LANDING,
                }
            )
        ],
    )
    http_mock.get(ME, json=agent_json(AGENT_ID), match=bearer(MINTED_ACCESS))

    with caplog.at_level(logging.DEBUG):
        response = as_agent.get(f"/tokens/new/landing/?code={CODE}&state={state}")

    page = text(response)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert MINTED_ACCESS in page and MINTED_REFRESH in page
    assert "John D. (agent1@example.com)" in page and "not as you" not in page
    assert response.cookies[SEAL_COOKIE].value == ""  # the sealed secret is dropped
    assert SESSION_KEY not in as_agent.session
    (event,) = events("token.mint")
    assert event.outcome == Outcome.SUCCESS
    secrets_seen = (MINTED_ACCESS, MINTED_REFRESH, CLIENT_SECRET, CODE)
    audit = " ".join(f"{e.message} {e.target_label}" for e in AuditEvent.objects.all())
    logged = "\n".join(record.getMessage() for record in caplog.records)
    stored = " ".join(s.session_data + str(s.get_decoded()) for s in Session.objects.all())
    assert caplog.records, "nothing was logged: the check below would prove nothing"
    for secret in secrets_seen:
        assert secret not in audit and secret not in logged and secret not in stored
    # Coming back again with the same answer shows nothing and calls nothing.
    exchanges = len(http_mock.calls)
    again = text(as_agent.get(f"/tokens/new/landing/?code={CODE}&state={state}"))
    assert MINTED_ACCESS not in again and "does not match" in again
    assert len(http_mock.calls) == exchanges


def test_a_forged_state_calls_nothing(as_agent: Client, http_mock: responses.RequestsMock) -> None:
    _production_flow_started(as_agent, http_mock)
    before = len(http_mock.calls)
    response = as_agent.get(f"/tokens/new/landing/?code={CODE}&state=forged-by-someone")
    assert "does not match a token request you started" in text(response)
    assert len(http_mock.calls) == before
    assert events("token.mint")[0].outcome == Outcome.FAILURE
    assert SESSION_KEY not in as_agent.session


def test_a_slow_exchange_gets_invalid_grant_explained(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    state = _production_flow_started(as_agent, http_mock)
    http_mock.post(
        TOKEN_ENDPOINT,
        status=400,
        json={"error": "invalid_grant", "error_description": "Invalid code"},
    )
    page = text(as_agent.get(f"/tokens/new/landing/?code={CODE}&state={state}"))
    assert "The authorization code expired or was already used" in page
    assert "Start the token wizard again" in page
    event = events("token.mint")[0]
    assert event.outcome == Outcome.FAILURE and "expired or was already used" in event.message


def test_an_exchange_answered_without_a_token_is_of_unknown_outcome(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    state = _production_flow_started(as_agent, http_mock)
    http_mock.post(TOKEN_ENDPOINT, json={"token_type": "Bearer", "scope": "read"})

    page = text(as_agent.get(f"/tokens/new/landing/?code={CODE}&state={state}"))

    assert "cannot tell whether Chat minted a token" in page
    assert "Tokens page" in page
    assert "Did Chat mint a token?" in page and "message--warning" in page
    assert "try again later" not in page
    (event,) = events("token.mint")
    assert event.outcome == Outcome.UNKNOWN
    assert SESSION_KEY not in as_agent.session


def test_a_refusal_on_chats_page_is_explained_and_nothing_is_exchanged(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    state = _production_flow_started(as_agent, http_mock)
    before = len(http_mock.calls)
    page = text(as_agent.get(f"/tokens/new/landing/?error=access_denied&state={state}"))
    assert "Access was denied" in page
    assert len(http_mock.calls) == before


def test_a_lost_seal_cookie_exchanges_nothing(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    state = _production_flow_started(as_agent, http_mock)
    del as_agent.cookies[SEAL_COOKIE]
    before = len(http_mock.calls)
    page = text(as_agent.get(f"/tokens/new/landing/?code={CODE}&state={state}"))
    assert "did not survive the trip" in page
    assert len(http_mock.calls) == before


def test_a_token_that_acts_as_someone_else_is_flagged(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    state = _production_flow_started(as_agent, http_mock)
    http_mock.post(TOKEN_ENDPOINT, json=grant_json(scope="read"))
    http_mock.get(ME, json=agent_json(OTHER_AGENT_ID, email="agent2@example.com"))
    page = text(as_agent.get(f"/tokens/new/landing/?code={CODE}&state={state}"))
    assert "acts as John D. (agent2@example.com), not as you" in page


def test_the_implicit_landing_page_carries_the_expected_state_once(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(f"{CLIENTS}/7", json=READY)
    _start(as_agent)
    state = _pending_state(as_agent)
    landing = as_agent.get("/tokens/new/landing/")
    page = text(landing)
    assert f'data-expected-state="{state}"' in page
    assert "no-store" in landing["Cache-Control"]
    assert 'src="/static/js/tokens.js"' in page and "<script>" not in page
    assert "Access was denied" in page  # fragment errors are explained by the script
    # The answer is used once: the next visit expects nothing, so no token would be shown.
    assert 'data-expected-state=""' in text(as_agent.get("/tokens/new/landing/"))


def test_support_staff_get_no_wizard_and_no_call(
    as_support: Client, http_mock: responses.RequestsMock
) -> None:
    for headers in ({}, htmx("wizard-step")):
        assert "Support staff have no tokens" in text(
            as_support.get("/tokens/new/", headers=headers)
        )
    response = _start(as_support)
    assert "Support staff have no tokens" in text(response)
    assert len(http_mock.calls) == 0
    assert events("token.mint_start")[0].outcome == Outcome.DENIED


def test_a_start_without_a_client_of_theirs_says_so(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, json=[READY])
    page = text(as_agent.post("/tokens/new/start/", {"scopes": ["read"], "mode": "testing"}))
    assert "This field is required" in page
    assert writes(http_mock) == [] and SESSION_KEY not in as_agent.session


def test_a_failed_exchange_takes_the_code_out_of_the_address_bar(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    state = _production_flow_started(as_agent, http_mock)
    http_mock.post(TOKEN_ENDPOINT, status=400, json={"error": "invalid_grant"})
    page = parsed(as_agent.get(f"/tokens/new/landing/?code={CODE}&state={state}"))
    # tokens.js replaces the address with the bare path for anything marked data-clear-address
    assert "No token this time" in page.one("div", data_clear_address="").text
    assert page.one("script", src="/static/js/tokens.js").attrs["nonce"]


def test_both_modes_say_when_the_token_expires_the_same_way(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    state = _production_flow_started(as_agent, http_mock)
    http_mock.post(TOKEN_ENDPOINT, json=grant_json(scope="write"))  # 36000 s, as Chat's example
    minted = parsed(as_agent.get(f"/tokens/new/landing/?code={CODE}&state={state}"))
    facts = dict(
        zip(
            [dt.text for dt in minted.one("dl").find("dt")],
            [dd.text for dd in minted.one("dl").find("dd")],
            strict=True,
        )
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 10 hours\)", facts["Expires"])
    # The testing mode's page fills the same fact in the same words (static/js/tokens.js).
    testing = parsed(as_agent.get("/tokens/new/landing/"))
    assert testing.one("dd", data_landing_field="expires") is not None
    script = Path(settings.BASE_DIR, "static/js/tokens.js").read_text()
    assert '" UTC (in " + duration(seconds) + ")"' in script
    assert duration_words(36000) == "10 hours" and duration_words(5400) == "1 hour 30 minutes"
    assert duration_words(3 * 86400) == "about 3 days" and duration_words(60) == "1 minute"


def test_an_unknown_client_is_refused_without_naming_it_by_number(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, json=[NEW])
    page = parsed(as_agent.get("/tokens/new/?client=999"))
    assert (
        page.one(css_class="field-error").text == "That is not one of your API clients: choose one."
    )
    assert "999" not in page.one("main").text
