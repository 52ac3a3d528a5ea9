"""The Chat API's answers read: JSON, or the right ChatError (and whether a change was made)."""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import orjson
import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

from chatadmin.chat import explanations
from chatadmin.chat.errors import ChatBadResponse, ChatRefused, ChatUnavailable
from chatadmin.chat.explanations import Grant

# After these a change may have been made: the request reached a server that then failed, or a
# gateway that lost the answer (RFC 9110 section 15.6). 429 and 503 say it was not taken.
MAYBE_DONE_STATUSES = frozenset({500, 502, 504})
SECONDS = re.compile(r"^\s*[0-9]+\s*$")
# What turns a 2xx body into a result: orjson.loads (several times faster than json on big
# lists) unless a call reads its answer straight into its own types.
type Decode = Callable[[bytes], object]


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
    decode: Decode = orjson.loads,
    grant: Grant | None = None,
    basic_auth: bool = False,
    expect_body: bool = True,
    maybe_done: bool = False,
    changes: bool = False,
    attempts: int = 1,
) -> object:
    """Turn an HTTP answer into parsed JSON, or the right ChatError.

    `decode` reads a 2xx body (JSON into Python's types unless told otherwise; a ValueError
    means it is not JSON); `changes`: the call asks for a change (not GET or HEAD);
    `maybe_done`: an earlier attempt of it may have been carried out; `attempts`: how many were
    made (this answer is the last).
    """
    status = response.status_code
    if 200 <= status < 300:
        if not expect_body:
            return None
        try:
            return decode(response.content)
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
