"""Credentials: bearer and basic auth headers, basic auth only on Legacy Chat-only accounts,
and reprs that never show a secret."""

from __future__ import annotations

import base64

import pytest
import responses
from responses import matchers

from chatadmin.chat import (
    BasicCredential,
    BearerCredential,
    ChatApi,
    ChatConfig,
    ChatConfigurationError,
    ChatRefused,
)
from tests.chat import payloads
from tests.chat.conftest import make_config
from tests.chat.payloads import ACCESS_TOKEN


def test_basic_auth_on_a_legacy_chat_only_account(http: responses.RequestsMock) -> None:
    config = make_config("legacy", account_type="legacy_chat_only")
    expected = "Basic " + base64.b64encode(b"jdoe@example.com:pa:ss w0rd").decode()
    http.add(
        "GET",
        "https://www.zopim.com/api/v2/agents/me",
        json=payloads.agent(),
        match=[matchers.header_matcher({"Authorization": expected})],
    )

    with ChatApi(BasicCredential("jdoe@example.com", "pa:ss w0rd"), config=config) as api:
        assert api.agent_me().id == 361234


def test_a_wrong_password_is_explained_as_such(http: responses.RequestsMock) -> None:
    config = make_config("legacy", account_type="legacy_chat_only")
    http.add(
        "GET", "https://www.zopim.com/api/v2/agents/me", status=401, json={"error": "Unauthorized"}
    )

    with (
        ChatApi(BasicCredential("jdoe@example.com", "wrong"), config=config) as api,
        pytest.raises(ChatRefused, match="did not accept this email and password"),
    ):
        api.agent_me()

    assert len(http.calls) == 1


@pytest.mark.parametrize("account_type", ["chat_support", "phase4"])
def test_basic_auth_is_refused_before_any_call_elsewhere(
    http: responses.RequestsMock, account_type: str
) -> None:
    config = make_config("legacy", account_type=account_type)

    with pytest.raises(ChatConfigurationError, match="only on Legacy Chat-only") as caught:
        ChatApi(BasicCredential("jdoe@example.com", "secret-password"), config=config)

    assert account_type in caught.value.explanation
    assert "secret-password" not in str(caught.value)
    assert len(http.calls) == 0


def test_reprs_hide_credentials(config: ChatConfig) -> None:
    bearer = BearerCredential(ACCESS_TOKEN)
    basic = BasicCredential("jdoe@example.com", "hunter2-password")
    api = ChatApi(bearer, config=config)

    for shown in (repr(bearer), str(bearer), repr(basic), repr(api)):
        assert ACCESS_TOKEN not in shown
        assert "hunter2-password" not in shown
    assert "jdoe@example.com" in repr(basic)


@pytest.mark.parametrize("token", ["", "two words", "line\nbreak", "tab\t"])
def test_a_bearer_token_that_cannot_be_a_header_is_refused(token: str) -> None:
    with pytest.raises(ValueError, match="access token"):
        BearerCredential(token)
