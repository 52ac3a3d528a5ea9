"""Token and client ids in the token forms are ASCII digits only: Arabic-Indic 10 is not 10."""

from __future__ import annotations

import pytest
import responses
from django.test import Client

from chatadmin.audit.models import Outcome
from chatadmin.tokens.forms import ClientChoiceForm, RevokeManyForm, WizardForm
from tests.fixtures.pages import events, htmx, writes
from tests.tokens.payloads import CLIENTS, TOKENS, client_json

pytestmark = pytest.mark.django_db

ARABIC_TEN = "\u0661\u0660"


def test_the_forms_refuse_non_ascii_digits() -> None:
    assert not RevokeManyForm({"token_ids": [ARABIC_TEN]}).is_valid()
    assert not RevokeManyForm({"token_ids": ["3", "\uff14"]}).is_valid()
    assert RevokeManyForm({"token_ids": ["3", "10"]}).is_valid()
    assert not ClientChoiceForm({"client": ARABIC_TEN}).is_valid()
    chosen = ClientChoiceForm({"client": "10"})
    assert chosen.is_valid()
    assert chosen.cleaned_data == {"client": 10}
    wizard = WizardForm({"client": ARABIC_TEN, "scopes": ["read"], "mode": "testing"})
    assert "client" in wizard.errors


def test_bulk_revoke_of_arabic_ten_revokes_nothing_and_is_audited(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(TOKENS, json=[])
    http_mock.get(CLIENTS, json=[])
    response = as_agent.post(
        "/tokens/revoke/", {"token_ids": [ARABIC_TEN], "confirm": "yes"}, headers=htmx("inventory")
    )
    assert "digits 0 to 9" in response["HX-Trigger"]
    assert writes(http_mock) == []
    [event] = events("token.revoke")
    assert event.outcome == Outcome.FAILURE


def test_adding_the_wizard_url_to_client_arabic_ten_changes_nothing(
    as_agent: Client, http_mock: responses.RequestsMock
) -> None:
    http_mock.get(CLIENTS, json=[client_json(10)])
    response = as_agent.post("/tokens/new/redirect-url/", {"client": ARABIC_TEN})
    assert response.status_code in (200, 302)
    assert writes(http_mock) == []
    assert [e.outcome for e in events("token.mint_start")] == [Outcome.FAILURE]
    assert not events("client.update")
