"""ChatConfig: read from the CHAT_* settings in one place, checked, and the host map."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from chatadmin.chat import ChatConfig, ChatConfigurationError, chat_config


@override_settings(
    CHAT_BASE_URL="https://acme.zendesk.com/",
    CHAT_HOST_STYLE="subdomain",
    CHAT_SUBDOMAIN="acme",
    CHAT_ACCOUNT_TYPE="chat_support",
    CHAT_OAUTH_CLIENT_ID="dashboard",
    CHAT_OAUTH_CLIENT_SECRET="dashboard-secret-value",
    CHAT_TIMEOUT=(1.5, 4),
)
def test_chat_config_reads_the_settings() -> None:
    config = chat_config()

    assert config == ChatConfig(
        base_url="https://acme.zendesk.com",
        host_style="subdomain",
        subdomain="acme",
        account_type="chat_support",
        timeout=(1.5, 4.0),
        oauth_client_id="dashboard",
        oauth_client_secret="dashboard-secret-value",
    )
    assert "dashboard-secret-value" not in repr(config)
    assert not config.allows_basic_auth


@pytest.mark.parametrize(
    ("host_style", "api", "authorize", "token"),
    [
        (
            "subdomain",
            "https://acme.zendesk.com/api/v2/chat/agents/me",
            "https://acme.zendesk.com/oauth2/chat/authorizations/new",
            "https://acme.zendesk.com/oauth2/chat/token",
        ),
        (
            "legacy",
            "https://acme.zendesk.com/api/v2/agents/me",
            "https://acme.zendesk.com/oauth2/authorizations/new",
            "https://acme.zendesk.com/oauth2/token",
        ),
    ],
)
def test_host_styles_map_to_their_paths(
    host_style: str, api: str, authorize: str, token: str
) -> None:
    config = ChatConfig(base_url="https://acme.zendesk.com", host_style=host_style)  # type: ignore[arg-type]

    assert (config.api_url("/agents/me"), config.authorize_endpoint, config.token_endpoint) == (
        api,
        authorize,
        token,
    )


def test_a_base_url_with_a_path_prefix_keeps_it() -> None:
    config = ChatConfig(base_url="http://127.0.0.1:8001/sandbox/", host_style="legacy")

    assert config.api_url("/agents") == "http://127.0.0.1:8001/sandbox/api/v2/agents"


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"base_url": "www.zopim.com"}, "not an http"),
        ({"base_url": "ftp://www.zopim.com"}, "not an http"),
        ({"base_url": "https://user:pw@www.zopim.com"}, "without credentials"),
        ({"base_url": "https://www.zopim.com?x=1"}, "without credentials, query"),
        ({"host_style": "zopim"}, "host style"),
        ({"account_type": "enterprise"}, "account type"),
        ({"timeout": (0, 10)}, "timeouts"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"backoff_factor": -1}, "negative"),
    ],
)
def test_config_refuses_what_cannot_work(changes: dict[str, Any], complaint: str) -> None:
    values: dict[str, Any] = {"base_url": "https://www.zopim.com", **changes}

    with pytest.raises(ChatConfigurationError, match=complaint):
        ChatConfig(**values)


@pytest.mark.parametrize(
    ("account_type", "allowed"), [("legacy_chat_only", True), ("phase4", False)]
)
def test_only_legacy_chat_only_allows_basic_auth(account_type: str, allowed: bool) -> None:
    config = ChatConfig(base_url="https://www.zopim.com", account_type=account_type)  # type: ignore[arg-type]

    assert config.allows_basic_auth is allowed


def test_browsers_may_reach_the_authorize_page_at_another_address() -> None:
    config = ChatConfig(base_url="http://sandbox:8001", browser_base_url="http://localhost:8001/")

    assert config.authorize_endpoint == "http://localhost:8001/oauth2/chat/authorizations/new"
    # chatadmin's own calls still go to the inside address.
    assert config.token_endpoint == "http://sandbox:8001/oauth2/chat/token"
    assert config.api_url("/agents/me") == "http://sandbox:8001/api/v2/chat/agents/me"


def test_the_browser_address_defaults_to_the_base_url() -> None:
    assert ChatConfig(base_url="https://acme.zendesk.com").browser_base_url == (
        "https://acme.zendesk.com"
    )


@override_settings(CHAT_BROWSER_BASE_URL="http://localhost:8001")
def test_chat_config_reads_the_browser_address() -> None:
    assert chat_config().authorize_endpoint.startswith("http://localhost:8001/oauth2/")


def test_a_bad_browser_address_is_refused() -> None:
    with pytest.raises(ChatConfigurationError, match="browser-facing"):
        ChatConfig(base_url="https://acme.zendesk.com", browser_base_url="localhost:8001")


def test_chat_config_is_built_once_and_again_when_a_chat_setting_changes() -> None:
    before = chat_config()
    assert chat_config() is before  # once per process: a page asks for it several times

    with override_settings(CHAT_SUBDOMAIN="elsewhere"):
        assert chat_config().subdomain == "elsewhere"
    with override_settings(CHATADMIN_CLIENTS_SNAPSHOT_SECONDS=1):
        assert chat_config() == before  # other settings leave it be

    assert chat_config() == before
