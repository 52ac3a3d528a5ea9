"""The Chat API connection settings, read from Django settings in one place, and the host map."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from chatadmin.chat.errors import ChatConfigurationError
from chatadmin.vocabulary import (
    ACCOUNT_TYPES,
    BASIC_AUTH_ACCOUNT_TYPES,
    HOST_STYLES,
    AccountType,
    HostStyle,
)

# Where each host style keeps the REST API and the OAuth endpoints (chat-api.md section 1):
# https://www.zopim.com/api/v2/... and /oauth2/..., or https://{subdomain}.zendesk.com/api/v2/chat/...
# and /oauth2/chat/...
REST_ROOTS: dict[HostStyle, str] = {"legacy": "/api/v2", "subdomain": "/api/v2/chat"}
OAUTH_ROOTS: dict[HostStyle, str] = {"legacy": "/oauth2", "subdomain": "/oauth2/chat"}
AUTHORIZE_PATH = "/authorizations/new"
TOKEN_PATH = "/token"  # noqa: S105 (a URL path, not a secret)


@dataclass(frozen=True)
class ChatConfig:
    """Where the Chat API lives, what kind of account it is, and how patiently to call it."""

    base_url: str
    host_style: HostStyle = "subdomain"
    # Where browsers reach the same server, when it differs from where chatadmin's own
    # process does (docker compose: http://sandbox:8001 inside, http://localhost:8001 outside).
    browser_base_url: str = ""
    subdomain: str = ""
    account_type: AccountType = "phase4"
    timeout: tuple[float, float] = (3.05, 10.0)
    oauth_client_id: str = ""
    oauth_client_secret: str = field(default="", repr=False)
    # Retries (idempotent calls only): at most this many attempts in all, ...
    max_attempts: int = 3
    # ... waiting backoff_factor * 2**(n-1) seconds between them (0 in tests), ...
    backoff_factor: float = 0.5
    # ... and giving up at once when a 429/503 asks to wait longer than this (seconds).
    retry_after_limit: int = 10
    # One page view waits on Chat at most this long in all: calls, retries and waits (seconds).
    page_deadline: float = 8.0

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ChatConfigurationError(
                f"The Chat API address {self.base_url!r} is not an http(s) URL; "
                "set CHAT_BASE_URL to something like https://example.zendesk.com."
            )
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ChatConfigurationError(
                "The Chat API address must be a plain URL, without credentials, query or fragment."
            )
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        browser = self.browser_base_url or self.base_url
        if urlsplit(browser).scheme not in {"http", "https"} or not urlsplit(browser).hostname:
            raise ChatConfigurationError(
                f"The browser-facing Chat address {browser!r} is not an http(s) URL."
            )
        object.__setattr__(self, "browser_base_url", browser.rstrip("/"))
        if self.host_style not in HOST_STYLES:
            raise ChatConfigurationError(
                f"Unknown Chat host style {self.host_style!r}: use one of {', '.join(HOST_STYLES)}."
            )
        if self.account_type not in ACCOUNT_TYPES:
            raise ChatConfigurationError(
                f"Unknown Chat account type {self.account_type!r}: "
                f"use one of {', '.join(ACCOUNT_TYPES)}."
            )
        connect, read = self.timeout
        if connect <= 0 or read <= 0:
            raise ChatConfigurationError("The Chat API timeouts must be positive seconds.")
        object.__setattr__(self, "timeout", (float(connect), float(read)))
        if self.max_attempts < 1:
            raise ChatConfigurationError("max_attempts must be at least 1.")
        if self.backoff_factor < 0 or self.retry_after_limit < 0:
            raise ChatConfigurationError("backoff_factor and retry_after_limit cannot be negative.")
        if self.page_deadline <= 0:
            raise ChatConfigurationError("The page deadline (CHAT_PAGE_DEADLINE) must be positive.")

    @property
    def allows_basic_auth(self) -> bool:
        """Only Legacy Chat-only accounts accept email + password on the API (chat-api.md 5)."""
        return self.account_type in BASIC_AUTH_ACCOUNT_TYPES

    def api_url(self, path: str) -> str:
        """The full URL of a REST resource path such as `/agents/me`."""
        return f"{self.base_url}{REST_ROOTS[self.host_style]}{path}"

    @property
    def authorize_endpoint(self) -> str:
        """The OAuth authorize page for this host style, as a browser reaches it."""
        return f"{self.browser_base_url}{OAUTH_ROOTS[self.host_style]}{AUTHORIZE_PATH}"

    @property
    def token_endpoint(self) -> str:
        """The OAuth token endpoint for this host style."""
        return f"{self.base_url}{OAUTH_ROOTS[self.host_style]}{TOKEN_PATH}"


@functools.cache
def chat_config() -> ChatConfig:
    """The configuration from the `CHAT_*` settings (the only place that reads them).

    Built once per process (a page asks for it several times) and again when a `CHAT_*`
    setting changes (tests).
    """
    connect, read = settings.CHAT_TIMEOUT
    return ChatConfig(
        base_url=settings.CHAT_BASE_URL,
        browser_base_url=settings.CHAT_BROWSER_BASE_URL,
        # Both are checked against their choices by settings and again by ChatConfig.
        host_style=cast(HostStyle, settings.CHAT_HOST_STYLE),
        subdomain=settings.CHAT_SUBDOMAIN,
        account_type=cast(AccountType, settings.CHAT_ACCOUNT_TYPE),
        timeout=(connect, read),
        oauth_client_id=settings.CHAT_OAUTH_CLIENT_ID,
        oauth_client_secret=settings.CHAT_OAUTH_CLIENT_SECRET,
        page_deadline=settings.CHAT_PAGE_DEADLINE,
    )


@receiver(setting_changed)
def _forget_config(setting: str, **kwargs: object) -> None:
    if setting.startswith("CHAT_"):
        chat_config.cache_clear()
