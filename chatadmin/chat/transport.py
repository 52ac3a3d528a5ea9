"""The HTTP layer: one connection pool per Chat host, retries, one deadline, error mapping.

This is the only module in chatadmin that touches `requests` and urllib3. A process keeps one
pooled `requests.Session` per Chat host, whoever calls: the credential goes on each request,
never on the pool, and the pool keeps no cookies, so nothing of one person's call reaches
another's. Retries follow urllib3's `Retry` (its public API decides which method and status may
be tried again and how long to back off); the loop around it is here so that every attempt,
and every wait between attempts, fits in the page view's deadline (chatadmin.chat.deadline).
"""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import orjson
import requests
from urllib3.exceptions import (
    MaxRetryError,
)
from urllib3.util.retry import Retry

from chatadmin.chat import deadline, explanations
from chatadmin.chat.answers import (
    MAYBE_DONE_STATUSES,
    Decode,
    read,
    requested_wait,
    unavailable,
)
from chatadmin.chat.config import ChatConfig
from chatadmin.chat.credentials import BasicCredential, Credential
from chatadmin.chat.errors import ChatUnavailable
from chatadmin.chat.explanations import Grant
from chatadmin.chat.pools import pool_for

logger = logging.getLogger("chatadmin.chat")

# RFC 9110 section 9.2.2: the idempotent methods, the only ones ever sent twice.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})
SAFE_METHODS = frozenset({"GET", "HEAD"})
# 429 and the gateway errors are worth another try (chat-api.md section 7: integrators retry on
# 429 honouring Retry-After, and back off on 502).
RETRY_STATUSES = frozenset({429, 502, 503, 504})


@functools.cache
class _CredentialAuth(requests.auth.AuthBase):
    """Sets the Authorization header (and, being set, keeps requests from reading ~/.netrc)."""

    def __init__(self, credential: Credential | None) -> None:
        self._credential = credential

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self._credential is not None:
            request.headers["Authorization"] = self._credential.authorization_header()
        return request


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
        decode: Decode = orjson.loads,
    ) -> object:
        """Make one call (retried if idempotent) and return its answer read by `decode` (parsed
        JSON by default), or raise ChatError.

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
                    decode=decode,
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
