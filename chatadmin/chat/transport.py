"""The HTTP layer: one connection pool per Chat host, retries, one deadline, error mapping.

This is the only module in chatadmin that touches `requests` and urllib3. A process keeps one
pooled `requests.Session` per Chat host, whoever calls: the credential goes on each request,
never on the pool, and the pool keeps no cookies, so nothing of one person's call reaches
another's. Retries follow urllib3's `Retry` (its public API decides which method and status may
be tried again and how long to back off); the loop around it is here so that every attempt,
and every wait between attempts, fits in the page view's deadline (chatadmin.chat.deadline).
"""

from __future__ import annotations

import email.utils
import functools
import http.cookiejar
import importlib.metadata
import logging
import re
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.util.retry import Retry

from chatadmin.chat import deadline, explanations
from chatadmin.chat.config import ChatConfig
from chatadmin.chat.credentials import BasicCredential, Credential
from chatadmin.chat.errors import ChatBadResponse, ChatRefused, ChatUnavailable
from chatadmin.chat.explanations import Grant

logger = logging.getLogger("chatadmin.chat")

# RFC 9110 section 9.2.2: the idempotent methods, the only ones ever sent twice.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})
SAFE_METHODS = frozenset({"GET", "HEAD"})
# 429 and the gateway errors are worth another try (chat-api.md section 7: integrators retry on
# 429 honouring Retry-After, and back off on 502).
RETRY_STATUSES = frozenset({429, 502, 503, 504})
# After these a change may have been made: the request reached a server that then failed, or a
# gateway that lost the answer (RFC 9110 section 15.6). 429 and 503 say it was not taken.
MAYBE_DONE_STATUSES = frozenset({500, 502, 504})
# Connections kept per host: at least one per gunicorn thread (4), with room to spare.
POOL_SIZE = 10
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


class _CredentialAuth(requests.auth.AuthBase):
    """Sets the Authorization header (and, being set, keeps requests from reading ~/.netrc)."""

    def __init__(self, credential: Credential | None) -> None:
        self._credential = credential

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self._credential is not None:
            request.headers["Authorization"] = self._credential.authorization_header()
        return request


def _new_pool() -> requests.Session:
    session = requests.Session()
    # One pool serves every person's calls: it must never carry a cookie from one to another.
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    session.headers["User-Agent"] = f"chatadmin/{chatadmin_version()}"
    session.headers["Accept"] = "application/json"
    # Attempts are made one at a time by ChatTransport.send (so each fits the deadline).
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=POOL_SIZE, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


_pools: dict[str, requests.Session] = {}
_pools_lock = threading.Lock()


def pool_for(url: str) -> requests.Session:
    """The process's one pooled session for the host of `url` (scheme, host and port)."""
    parts = urlsplit(url)
    key = f"{parts.scheme}://{parts.netloc}".lower()
    with _pools_lock:
        session = _pools.get(key)
        if session is None:
            session = _pools[key] = _new_pool()
        return session


def connections_opened() -> int:
    """How many TCP (and TLS) connections this process has opened to Chat hosts so far."""
    total = 0
    with _pools_lock:
        sessions = list(_pools.values())
    for session in sessions:
        for adapter in {id(a): a for a in session.adapters.values()}.values():
            pools = getattr(adapter, "poolmanager", None)
            if pools is None:
                continue
            for key in list(pools.pools.keys()):
                pool = pools.pools.get(key)
                total += getattr(pool, "num_connections", 0)
    return total


def pools_close() -> None:
    """Close every pooled connection (tests, and a process that forks)."""
    with _pools_lock:
        sessions = list(_pools.values())
        _pools.clear()
    for session in sessions:
        session.close()


@dataclass(frozen=True)
class _Failure:
    """A failed attempt: what to tell the person, and whether the change may have been made."""

    error: ChatUnavailable
    cause: Exception


def _retry_policy(config: ChatConfig, method: str) -> Retry:
    """urllib3's Retry with the configured attempts; a call that is not idempotent gets one."""
    retries = config.max_attempts - 1 if method.upper() in IDEMPOTENT_METHODS else 0
    return Retry(
        total=retries,
        redirect=False,
        allowed_methods=IDEMPOTENT_METHODS,
        status_forcelist=RETRY_STATUSES,
        backoff_factor=config.backoff_factor,
        respect_retry_after_header=True,
        retry_after_max=config.retry_after_limit,
        raise_on_status=False,
    )


class ChatTransport:
    """Sends Chat API requests over the host's pool, with retries inside the page's deadline."""

    def __init__(self, config: ChatConfig) -> None:
        self.config = config
        self._pool = pool_for(config.base_url)

    def send(
        self,
        method: str,
        url: str,
        *,
        credential: Credential | None,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        data: dict[str, str] | None = None,
        grant: Grant | None = None,
        expect_body: bool = True,
        retry: bool = True,
    ) -> object:
        """Make one call (retried if idempotent) and return its parsed JSON, or raise ChatError.

        A ChatUnavailable says in `maybe_done` whether any attempt may have been carried out;
        a ChatRefused says in `after_retry` whether it answered a second or later attempt.
        """
        policy = _retry_policy(self.config, method if retry else "POST")
        auth = _CredentialAuth(credential)
        # Only a change can have an unknown outcome; a read that failed just failed.
        changes = method.upper() not in SAFE_METHODS
        maybe_done = False
        attempts = 0
        while True:
            timeout = deadline.capped(self.config.timeout)
            if timeout is None:
                raise ChatUnavailable(
                    explanations.out_of_time(), maybe_done=maybe_done, attempts=attempts
                )
            attempts += 1
            started = time.monotonic()
            try:
                response = self._pool.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    data=data,
                    auth=auth,
                    timeout=timeout,
                    allow_redirects=False,
                )
            except requests.RequestException as error:
                failure = _failure(error, url, started=started, method=method)
                maybe_done = changes and (maybe_done or failure.error.maybe_done)
                failure.error.maybe_done = maybe_done
                failure.error.attempts = attempts
                try:
                    policy = policy.increment(method, url, error=failure.cause)
                except Exception:
                    raise failure.error from error
                if not self._pause(policy.get_backoff_time()):
                    raise failure.error from error
                _log_retry(method, url, attempts, type(error).__name__)
                continue
            status = response.status_code
            logger.info(
                "chat %s %s %s %.0f ms",
                method,
                urlsplit(url).path,
                status,
                (time.monotonic() - started) * 1000,
            )
            maybe_done = changes and (maybe_done or status in MAYBE_DONE_STATUSES)
            wait = self._wait_before_retry(policy, method, response)
            if wait is not None:
                try:
                    policy = policy.increment(method, url, response=response.raw)
                except MaxRetryError:
                    pass
                else:
                    response.close()
                    if self._pause(max(wait, policy.get_backoff_time())):
                        _log_retry(method, url, attempts, f"HTTP {status}")
                        continue
                    raise ChatUnavailable(
                        explanations.out_of_time(), maybe_done=maybe_done, attempts=attempts
                    )
            with response:
                return read(
                    response,
                    grant=grant,
                    basic_auth=isinstance(credential, BasicCredential),
                    expect_body=expect_body,
                    maybe_done=maybe_done,
                    changes=changes,
                    attempts=attempts,
                )

    def _wait_before_retry(
        self, policy: Retry, method: str, response: requests.Response
    ) -> float | None:
        """How long to wait before trying again after this answer; None: do not try again."""
        retry_after = requested_wait(response.headers.get("Retry-After"))
        if not policy.is_retry(method, response.status_code, retry_after is not None):
            return None
        if retry_after is not None and retry_after > self.config.retry_after_limit:
            return None  # asked to wait longer than we are willing to: hand it back at once
        return retry_after or 0.0

    @staticmethod
    def _pause(seconds: float) -> bool:
        """Wait before another attempt, if the deadline leaves time for it after the wait."""
        if not deadline.may_wait(seconds):
            return False
        if seconds > 0:
            time.sleep(seconds)
        return True


def _log_retry(method: str, url: str, attempts: int, reason: str) -> None:
    logger.info("chat %s %s retry %d after %s", method, urlsplit(url).path, attempts + 1, reason)


def _failure(
    error: requests.RequestException, url: str, *, started: float, method: str
) -> _Failure:
    elapsed = (time.monotonic() - started) * 1000
    logger.warning(
        "chat %s %s failed: %s after %.0f ms",
        method,
        urlsplit(url).path,
        type(error).__name__,
        elapsed,
    )
    unavailable_error = unavailable(error, url)
    reason: object = error.args[0] if error.args else error
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    cause = reason if isinstance(reason, Exception) else error
    return _Failure(unavailable_error, cause)


def unavailable(error: requests.RequestException, url: str) -> ChatUnavailable:
    """Map a transport failure to ChatUnavailable, saying whether the request may have arrived.

    A connection that was never made (refused, or timed out while connecting) carried nothing;
    a read timeout or a connection dropped mid-answer may have carried the whole request.
    """
    reason: object = error.args[0] if error.args else error
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    connect_timeout = isinstance(error, requests.ConnectTimeout) or (
        isinstance(reason, ConnectTimeoutError) and not isinstance(reason, NewConnectionError)
    )
    if connect_timeout:
        return ChatUnavailable(explanations.timed_out(), maybe_done=False)
    if isinstance(error, requests.Timeout) or isinstance(reason, ReadTimeoutError):
        return ChatUnavailable(explanations.timed_out(), maybe_done=True)
    if isinstance(reason, ProtocolError):
        return ChatUnavailable(explanations.dropped(), maybe_done=True)
    return ChatUnavailable(explanations.unreachable(urlsplit(url).netloc), maybe_done=False)


def read(
    response: requests.Response,
    *,
    grant: Grant | None = None,
    basic_auth: bool = False,
    expect_body: bool = True,
    maybe_done: bool = False,
    changes: bool = False,
    attempts: int = 1,
) -> object:
    """Turn an HTTP answer into parsed JSON, or the right ChatError.

    `changes`: the call asks for a change (not GET or HEAD); `maybe_done`: an earlier attempt
    of it may have been carried out; `attempts`: how many were made (this answer is the last).
    """
    status = response.status_code
    if 200 <= status < 300:
        if not expect_body:
            return None
        try:
            return orjson.loads(response.content)  # several times faster than json on big lists
        except ValueError as error:
            # Chat did it (2xx) but its answer cannot be read: what was done is not known.
            raise ChatBadResponse(
                explanations.bad_response("the body is not JSON"),
                status=status,
                maybe_done=changes,
            ) from error
    if status == 429:
        retry_after = requested_wait(response.headers.get("Retry-After"))
        raise ChatUnavailable(
            explanations.rate_limited(retry_after),
            status=status,
            retry_after=retry_after,
            maybe_done=maybe_done,
            attempts=attempts,
        )
    if status >= 500:
        raise ChatUnavailable(
            explanations.server_error(status),
            status=status,
            retry_after=requested_wait(response.headers.get("Retry-After")),
            maybe_done=maybe_done or (changes and status in MAYBE_DONE_STATUSES),
            attempts=attempts,
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
            maybe_done=maybe_done,
            attempts=attempts,
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
