"""The control API for tests and demos: knobs, account type, token minting, reset.

`/_sandbox/control/...`, JSON in and out, guarded by the `X-Sandbox-Control-Key` header. When
SANDBOX_CONTROL_KEY is not set it does not exist (404). Faults never apply to it.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from dataclasses import asdict
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from chatadmin.sandbox import knobs, seed
from chatadmin.sandbox.errors import ApiError, Unprocessable, error_response
from chatadmin.sandbox.faults import limiter
from chatadmin.sandbox.models import Account, Agent, OAuthClient
from chatadmin.sandbox.signin_limits import limits as signin_limits
from chatadmin.sandbox.tokens import token_mint

KEY_HEADER = "X-Sandbox-Control-Key"

View = Callable[..., HttpResponse]


def control(*methods: str) -> Callable[[View], View]:
    """Key check, allowed methods, JSON body parsing and ApiError answers, for every view."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @never_cache
        @wraps(view)
        def wrapped(request: HttpRequest) -> HttpResponse:
            # getattr: the dashboard settings that mypy reads do not define it.
            key = getattr(settings, "SANDBOX_CONTROL_KEY", "")
            if not key:
                return error_response(404)
            if not hmac.compare_digest(request.headers.get(KEY_HEADER, ""), key):
                return error_response(403, f"Send the control key in {KEY_HEADER}.")
            if request.method not in methods:
                return error_response(405, headers={"Allow": ", ".join(methods)})
            try:
                return view(request, _body(request))
            except ApiError as error:
                return error.response()

        return wrapped

    return decorate


def _body(request: HttpRequest) -> dict[str, Any]:
    if request.method == "GET" or not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise Unprocessable({"body": ["The body must be a JSON object."]})
    return data


def _knobs_view(
    request: HttpRequest, data: dict[str, Any], group: tuple[knobs.Knob, ...]
) -> JsonResponse:
    if request.method == "PUT":
        values, problems = knobs.clean(data, group)
        if problems:
            raise Unprocessable(problems)
        with transaction.atomic():
            Account.load()
            Account.objects.filter(pk=Account.SINGLETON_ID).update(**values)
        limiter.clear()  # a new limit starts a new window
    account = Account.load()
    return JsonResponse({knob.name: getattr(account, knob.name) for knob in group})


@control("GET", "PUT")
def faults(request: HttpRequest, data: dict[str, Any]) -> JsonResponse:
    """latency_ms, failure_rate (0..1), rate_limit (requests per window, 0 = off), rate_window."""
    return _knobs_view(request, data, knobs.FAULTS)


@control("GET", "PUT")
def account(request: HttpRequest, data: dict[str, Any]) -> JsonResponse:
    """account_type (legacy_chat_only | chat_support | phase4) and subdomain."""
    return _knobs_view(request, data, knobs.ACCOUNT)


@control("GET", "PUT")
def token_ttl(request: HttpRequest, data: dict[str, Any]) -> JsonResponse:
    """access_token_ttl, refresh_token_ttl, code_ttl, in seconds; for tokens issued from now."""
    return _knobs_view(request, data, knobs.TOKEN_TTLS)


@control("POST")
def mint_token(request: HttpRequest, data: dict[str, Any]) -> JsonResponse:
    """A token for `email` from `client_identifier` with `scopes`, without the browser flow."""
    problems = {
        field: ["This field is required and must be a string."]
        for field in ("email", "client_identifier")
        if not isinstance(data.get(field), str) or not data[field].strip()
    }
    if "scopes" in data and not isinstance(data["scopes"], str):
        problems["scopes"] = ["Must be a string."]
    if problems:
        raise Unprocessable(problems)
    agent = Agent.objects.select_related("role").filter(email__iexact=data["email"].strip()).first()
    client = OAuthClient.objects.filter(client_identifier=data["client_identifier"]).first()
    if agent is None or client is None:
        raise ApiError(404, "No agent with that email, or no client with that identifier.")
    with transaction.atomic():
        minted = token_mint(agent, client, data.get("scopes", client.scopes))
    return JsonResponse(minted, status=201)


@control("POST")
def reset(request: HttpRequest, data: dict[str, Any]) -> JsonResponse:
    """Wipe everything and seed the demo account again; knobs return to their start values,
    and the sign-in page forgets every failed attempt and pause."""
    report = seed.reset()
    limiter.clear()
    signin_limits.clear()
    return JsonResponse({"status": "reset", **asdict(report)})
