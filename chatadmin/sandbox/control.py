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
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from chatadmin.sandbox import demo, knobs, seed
from chatadmin.sandbox.errors import ApiError, Unprocessable, error_response
from chatadmin.sandbox.faults import limiter
from chatadmin.sandbox.models import (
    AccessToken,
    Account,
    Agent,
    OAuthClient,
    RefreshToken,
    Role,
    RoleKind,
)
from chatadmin.sandbox.shapes import agent_shape
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


@control("GET")
def token_chain(request: HttpRequest, data: dict[str, Any]) -> JsonResponse:
    """The rotation chain a token belongs to, `?token_id=N` (the id that minting answers).

    `refreshes`: how many refresh grants the chain has answered (each issues the chain's next
    token); `tokens`: how many tokens it has (1 + refreshes); `live`: how many of them are not
    revoked (0 once a reused refresh token revoked the whole chain). Counts only, never a token.
    """
    raw = request.GET.get("token_id", "")
    if not raw.isdigit():
        raise Unprocessable({"token_id": ["A token id (a whole number) is required."]})
    refresh = RefreshToken.objects.filter(access_token_id=int(raw)).first()
    if refresh is None:
        raise ApiError(404, "No token with that id, or it has no refresh token.")
    chain = AccessToken.objects.filter(refresh__family=refresh.family)
    tokens = chain.count()
    return JsonResponse(
        {
            "refreshes": tokens - 1,
            "tokens": tokens,
            "live": chain.filter(revoked_date__isnull=True).count(),
        }
    )


@control("POST")
def reset(request: HttpRequest, data: dict[str, Any]) -> JsonResponse:
    """Wipe everything and seed the demo account again; knobs return to their start values,
    and the sign-in page forgets every failed attempt and pause."""
    report = seed.reset()
    limiter.clear()
    signin_limits.clear()
    return JsonResponse({"status": "reset", **asdict(report)})


AGENT_ROLES = {kind.value: kind for kind in RoleKind}


def _role_of(data: dict[str, Any], problems: dict[str, list[str]]) -> Role | None:
    if "role" not in data:
        return None
    kind = (
        AGENT_ROLES.get(str(data["role"]).strip().lower())
        if isinstance(data["role"], str)
        else None
    )
    if kind is None:
        problems["role"] = [f"Must be one of: {', '.join(AGENT_ROLES)}."]
        return None
    return Role.objects.get(kind=kind)


@control("PUT")
def agent(request: HttpRequest, data: dict[str, Any]) -> JsonResponse:
    """Change an agent as a Chat admin would: `{"email", "role"?, "enabled"?}`."""
    problems: dict[str, list[str]] = {}
    email = data.get("email")
    if not isinstance(email, str) or not email.strip():
        problems["email"] = ["This field is required and must be a string."]
    if "enabled" in data and not isinstance(data["enabled"], bool):
        problems["enabled"] = ["Must be true or false."]
    role = _role_of(data, problems)
    if problems:
        raise Unprocessable(problems)
    found = Agent.objects.filter(email__iexact=str(email).strip()).first()
    if found is None:
        raise ApiError(404, "No agent with that email.")
    if role is not None:
        found.role = role
    if "enabled" in data:
        found.is_active = data["enabled"]
    found.save()
    return JsonResponse(agent_shape(found))


@control("POST")
def agents_add(request: HttpRequest, data: dict[str, Any]) -> JsonResponse:
    """Add agents for load tests: `{"agents": [{"email", "display_name"?, "role"?}]}`.

    Each signs in with the demo password; an agent that exists already is left as it is.
    """
    wanted = data.get("agents")
    if not isinstance(wanted, list) or not all(
        isinstance(item, dict) and isinstance(item.get("email"), str) for item in wanted
    ):
        raise Unprocessable({"agents": ["A list of objects with an email."]})
    created = []
    with transaction.atomic():
        next_id = (Agent.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        for item in wanted:
            problems: dict[str, list[str]] = {}
            role = _role_of(item, problems) or Role.objects.get(kind=RoleKind.AGENT)
            if problems:
                raise Unprocessable(problems)
            made, was_created = Agent.objects.get_or_create(
                email=item["email"].strip().lower(),
                defaults={
                    "id": next_id,
                    "password": make_password(demo.PASSWORD),
                    "role": role,
                    "display_name": str(item.get("display_name") or ""),
                },
            )
            next_id += was_created
            created.append(agent_shape(made))
    return JsonResponse({"agents": created}, status=201)
