"""The HTTP layer: one requests.Session per credential, retries, timeouts, logging, error mapping.

This is the only module in chatadmin that touches `requests` and urllib3.
"""

from __future__ import annotations

import email.utils
import functools
import importlib.metadata
import logging
import re
import time
import tomllib
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    ResponseError,
)
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from chatadmin.chat import explanations
from chatadmin.chat.config import ChatConfig
from chatadmin.chat.credentials import BasicCredential, Credential
from chatadmin.chat.errors import ChatBadResponse, ChatRefused, ChatUnavailable
from chatadmin.chat.explanations import Grant

logger = logging.getLogger("chatadmin.chat")

# RFC 9110 section 9.2.2: the idempotent methods, the only ones ever sent twice.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})
# 429 and the gateway errors are worth another try (chat-api.md section 7: integrators retry on
# 429 honouring Retry-After, and back off on 502).
RETRY_STATUSES = frozenset({429, 502, 503, 504})
SECONDS = re.compile(r"^\s*[0-9]+\s*$")


@functools.cache
def chatadmin_version() -> str:
    """chatadmin's version, for the User-Agent."""
    try:
        return importlib.metadata.version("chatadmin")
    except importlib.metadata.PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        return str(tomllib.loads(pyproject.read_text())["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def requested_wait(value: str | None) -> float | None:
    """Seconds a `Retry-After` header asks for (delta-seconds or an HTTP date); None if unusable."""
    if value is None:
        return None
    if SECONDS.match(value):
        return float(int(value))
    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    return max(0.0, email.utils.mktime_tz(parsed) - time.time())


class ChatRetry(Retry):
    """urllib3 Retry that never resends a non-idempotent call and gives up on a long Retry-After."""

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        """Count one more attempt, or give up (MaxRetryError) when another would be wrong."""
        idempotent = method is not None and method.upper() in IDEMPOTENT_METHODS
        if error is not None and not idempotent and not self._is_read_error(error):
            # urllib3 retries connection errors whatever the method; a POST is never resent.
            raise MaxRetryError(_pool, url, error) from error  # type: ignore[arg-type]
        if error is None and response is not None:
            wait = requested_wait(response.headers.get("Retry-After"))
            if wait is not None and wait > self.retry_after_max:
                # Asked to wait longer than we are willing to: hand the 429/503 back at once.
                raise MaxRetryError(_pool, url, ResponseError("Retry-After beyond the limit"))  # type: ignore[arg-type]
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        """The wait a response asks for, capped; an unreadable header counts as none."""
        wait = requested_wait(response.headers.get("Retry-After"))
        return None if wait is None else min(wait, float(self.retry_after_max))


class _CredentialAuth(requests.auth.AuthBase):
    """Sets the Authorization header (and, being set, keeps requests from reading ~/.netrc)."""

    def __init__(self, credential: Credential | None) -> None:
        self._credential = credential

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self._credential is not None:
            request.headers["Authorization"] = self._credential.authorization_header()
        return request


def build_session(config: ChatConfig, credential: Credential | None) -> requests.Session:
    """The one place a session is made: auth, headers, and retries for idempotent calls."""
    session = requests.Session()
    session.auth = _CredentialAuth(credential)
    session.headers["User-Agent"] = f"chatadmin/{chatadmin_version()}"
    session.headers["Accept"] = "application/json"
    retry = ChatRetry(
        total=config.max_attempts - 1,
        allowed_methods=IDEMPOTENT_METHODS,
        status_forcelist=RETRY_STATUSES,
        backoff_factor=config.backoff_factor,
        retry_after_max=config.retry_after_limit,
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class ChatSession:
    """Sends requests for one credential with the configured timeout, and reads the answers."""

    def __init__(self, config: ChatConfig, credential: Credential | None = None) -> None:
        self.config = config
        self._session = build_session(config, credential)
        self._basic_auth = isinstance(credential, BasicCredential)

    def close(self) -> None:
        """Release the connections."""
        self._session.close()

    def send(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        data: dict[str, str] | None = None,
        grant: Grant | None = None,
        expect_body: bool = True,
    ) -> object:
        """Make one call (retried if idempotent) and return its parsed JSON, or raise ChatError."""
        path = urlsplit(url).path
        started = time.monotonic()
        try:
            response = self._session.request(
                method,
                url,
                params=params,
                json=json,
                data=data,
                timeout=self.config.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            elapsed = (time.monotonic() - started) * 1000
            logger.warning(
                "chat %s %s failed: %s after %.0f ms", method, path, type(error).__name__, elapsed
            )
            raise unavailable(error, url) from error
        elapsed = (time.monotonic() - started) * 1000
        logger.info("chat %s %s %s %.0f ms", method, path, response.status_code, elapsed)
        with response:
            return read(response, grant=grant, basic_auth=self._basic_auth, expect_body=expect_body)


def unavailable(error: requests.RequestException, url: str) -> ChatUnavailable:
    """Map a transport failure (after any retries) to ChatUnavailable."""
    reason: object = error.args[0] if error.args else error
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    timed_out = isinstance(error, requests.Timeout) or (
        isinstance(reason, (ReadTimeoutError, ConnectTimeoutError))
        and not isinstance(reason, NewConnectionError)
    )
    if timed_out:
        return ChatUnavailable(explanations.timed_out())
    if isinstance(reason, ProtocolError):
        return ChatUnavailable(explanations.dropped())
    return ChatUnavailable(explanations.unreachable(urlsplit(url).netloc))


def read(
    response: requests.Response,
    *,
    grant: Grant | None = None,
    basic_auth: bool = False,
    expect_body: bool = True,
) -> object:
    """Turn an HTTP answer into parsed JSON, or the right ChatError."""
    status = response.status_code
    if 200 <= status < 300:
        if not expect_body:
            return None
        try:
            return response.json()
        except ValueError as error:
            raise ChatBadResponse(
                explanations.bad_response("the body is not JSON"), status=status
            ) from error
    if status == 429:
        retry_after = requested_wait(response.headers.get("Retry-After"))
        raise ChatUnavailable(
            explanations.rate_limited(retry_after), status=status, retry_after=retry_after
        )
    if status >= 500:
        raise ChatUnavailable(
            explanations.server_error(status),
            status=status,
            retry_after=requested_wait(response.headers.get("Retry-After")),
        )
    if 400 <= status < 500:
        code, description, details = error_body(response)
        raise ChatRefused(
            explanations.refusal(
                status=status,
                error=code,
                description=description,
                details=details,
                grant=grant,
                basic_auth=basic_auth,
            ),
            status=status,
            error=code or response.reason or "",
            description=description,
            details=details,
        )
    raise ChatBadResponse(
        explanations.bad_response(f"an unexpected HTTP {status}; a redirect means a wrong address"),
        status=status,
    )


def error_body(response: requests.Response) -> tuple[str, str, dict[str, tuple[str, ...]]]:
    """The upstream error code, description and per-field messages, as far as they can be read."""
    try:
        body = response.json()
    except ValueError:
        return "", "", {}
    if not isinstance(body, dict):
        return "", "", {}
    error = body.get("error")
    description = next(
        (
            body[key]
            for key in ("description", "error_description", "message")
            if isinstance(body.get(key), str)
        ),
        "",
    )
    details: dict[str, tuple[str, ...]] = {}
    raw_details = body.get("details")
    if isinstance(raw_details, dict):
        for name, messages in raw_details.items():
            if isinstance(messages, str):
                details[str(name)] = (messages,)
            elif isinstance(messages, list):
                details[str(name)] = tuple(str(message) for message in messages)
    return (error if isinstance(error, str) else ""), description, details
