"""How the API answers failures: the Chat error shape, with the right status, never a page."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from chatadmin.sandbox.api.schemas import FIELD_PROBLEMS
from chatadmin.sandbox.errors import ApiError, Unprocessable, error_response
from chatadmin.sandbox.models import Account

# pydantic's error types, in words an integrator can act on.
_MESSAGES = {
    "missing": "This field is required.",
    "string_type": "Must be a string.",
    "string_unicode": "Must be valid Unicode text.",
    "int_type": "Must be a whole number.",
    "int_parsing": "Must be a whole number.",
    "int_from_float": "Must be a whole number.",
    "model_type": "The body must be a JSON object.",
    "model_attributes_type": "The body must be a JSON object.",
    "dict_type": "The body must be a JSON object.",
}


def not_an_object() -> Unprocessable:
    return Unprocessable({"body": [_MESSAGES["dict_type"]]})


def _messages(error: dict[str, Any]) -> list[str]:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == FIELD_PROBLEMS:
        return [str(problem) for problem in context.get("problems", ())]
    if kind in _MESSAGES:
        return [_MESSAGES[kind]]
    if kind == "string_too_long":
        return [f"Must be at most {context.get('max_length')} characters."]
    if kind == "literal_error":
        return [f"Must be one of: {context.get('expected')}."]
    if kind == "greater_than_equal":
        return [f"Must be at least {context.get('ge')}."]
    if kind == "less_than_equal":
        return [f"Must be at most {context.get('le')}."]
    return [str(error.get("msg", "Is not valid."))]


def _field(location: Iterable[Any]) -> str:
    # ("body", "payload", "name") -> "name"; ("body", "payload") -> "body"; ("query", "limit").
    parts = [str(part) for part in location]
    if not parts:
        return "body"
    if parts[0] == "body":
        return ".".join(parts[2:]) or "body"
    return ".".join(parts[1:]) or parts[0]


def _challenge(request: HttpRequest) -> dict[str, str]:
    schemes = ['Bearer realm="Chat API sandbox"']
    if Account.for_request(request).allows_basic_auth:
        schemes.append('Basic realm="Chat API sandbox"')
    return {"WWW-Authenticate": ", ".join(schemes)}


def on_api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
    if error.status == 401 and "WWW-Authenticate" not in error.headers:
        error.headers.update(_challenge(request))
    return error.response()


def on_unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return error_response(401, headers=_challenge(request))


def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if error.status_code == 400:
        # ninja's only 400: the body could not be parsed.
        return error_response(400, "The request body is not valid JSON.")
    return error_response(error.status_code)


def on_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    problems = list(error.errors)
    if any(tuple(problem.get("loc", ()))[:1] == ("path",) for problem in problems):
        # An id that cannot exist (too large, say) is simply not found, as with Flask routes.
        return error_response(404)
    if body_is_not_an_object(request):
        # ninja reads a JSON array or string as an empty object: say what is really wrong.
        return not_an_object().response()
    details: dict[str, list[str]] = {}
    for problem in problems:
        details.setdefault(_field(problem.get("loc", ())), []).extend(_messages(problem))
    return Unprocessable(details).response()


def body_is_not_an_object(request: HttpRequest) -> bool:
    """Whether the body is JSON but not an object (ninja would read it as `{}`)."""
    if not request.body:
        return False
    try:
        return not isinstance(json.loads(request.body), dict)
    except ValueError:
        return False


def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return error_response(404)


def install(api: NinjaAPI) -> None:
    # ninja types a handler's argument as "the exception or its class"; it always passes the
    # exception, hence the ignores.
    api.add_exception_handler(ApiError, on_api_error)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, on_unauthenticated)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, on_http_error)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, on_validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, on_not_found)  # type: ignore[arg-type]
