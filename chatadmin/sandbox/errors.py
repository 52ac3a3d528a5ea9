"""Error answers shaped like the Chat API's: `{"error": "<reason phrase>", "description": "…"}`.

The Chat API is a Flask application: its error bodies carry Werkzeug's reason phrases and
default descriptions (chat-api.md section 4.5), so the sandbox uses the same texts when it has
nothing more specific to say. API paths never answer with an HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
TOKEN_PATHS = ("/oauth2/token", "/oauth2/chat/token")

# The 401 text is the one the real API sends (chat-api.md 4.5); the others are Werkzeug's.
DESCRIPTIONS = {
    400: "The browser (or proxy) sent a request that this server could not understand.",
    401: "The server could not verify that you are authorized to access the requested resource",
    403: (
        "You don't have the permission to access the requested resource. It is either "
        "read-protected or not readable by the server."
    ),
    404: (
        "The requested URL was not found on the server. If you entered the URL manually please "
        "check your spelling and try again."
    ),
    405: "The method is not allowed for the requested URL.",
    413: "The data value transmitted exceeds the capacity limit.",
    415: "The server does not support the media type transmitted in the request.",
    422: "The request was well-formed but was unable to be followed due to semantic errors.",
    429: "This user has exceeded an allotted request count. Try again later.",
    500: (
        "The server encountered an internal error and was unable to complete your request. "
        "Either the server is overloaded or there is an error in the application."
    ),
    503: (
        "The server is temporarily unable to service your request due to maintenance downtime "
        "or capacity problems. Please try again later."
    ),
}
# Headers worth keeping when an error answer is reshaped.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


# Werkzeug's names where Python's differ (RFC 9110 renamed them; the Chat API did not).
REASONS = {413: "Request Entity Too Large", 422: "Unprocessable Entity"}


def reason(status: int) -> str:
    if status in REASONS:
        return REASONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_body(status: int, description: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "error": reason(status),
        "description": description or DESCRIPTIONS.get(status, reason(status)),
    }
    body.update(extra)
    return body


def error_response(
    status: int,
    description: str | None = None,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JsonResponse:
    return JsonResponse(error_body(status, description, **extra), status=status, headers=headers)


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX)


def is_token_path(path: str) -> bool:
    return path.rstrip("/") in TOKEN_PATHS


class ApiErrorMiddleware:
    """On API paths, any error answer that is not JSON (405 from routing, 404, CSRF...) is
    replaced by the Chat shape, keeping the status and the headers clients act on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            is_api_path(request.path)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            return error_response(response.status_code, headers=headers)
        return response


def _page_or_json(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if is_api_path(request.path) or is_token_path(request.path):
        return error_response(status)
    return render(
        request,
        "sandbox/error.html",
        {"title": reason(status), "message": message},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page_or_json(request, 400, "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page_or_json(request, 403, "You may not open this page.")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page_or_json(request, 404, "There is no page at this address.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _page_or_json(request, 500, "The sandbox failed to answer; its log says why.")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the sign-in and consent forms expired or came from elsewhere."""
    return render(
        request,
        "sandbox/error.html",
        {
            "title": "This form has expired",
            "message": "Go back, reload the page and submit the form again.",
        },
        status=403,
    )


class ApiError(Exception):
    """Raised by the sandbox's services; the API and the control API answer it as is."""

    def __init__(
        self,
        status: int,
        description: str | None = None,
        *,
        details: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status = status
        self.description = description or DESCRIPTIONS.get(status, reason(status))
        self.details = details
        self.headers = headers or {}
        super().__init__(status, self.description)

    def response(self) -> JsonResponse:
        extra: dict[str, Any] = {"details": self.details} if self.details is not None else {}
        return error_response(self.status, self.description, headers=self.headers, **extra)


class Unprocessable(ApiError):
    """A 422 naming each field that is wrong; the description sums them up in one sentence."""

    def __init__(self, details: dict[str, list[str]]) -> None:
        summary = " ".join(f"{field}: {' '.join(messages)}" for field, messages in details.items())
        super().__init__(422, f"The request is not valid. {summary}", details=details)
