"""The OAuth endpoints: authorize (sign-in, consent, redirect) and token.

oauthlib parses and checks every OAuth parameter; these views only carry the HTTP request to
it and its answer back, and render the consent page in between.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from oauthlib.common import add_params_to_uri
from oauthlib.oauth2.rfc6749 import errors

from chatadmin.sandbox.models import Account, Agent, OAuthClient
from chatadmin.sandbox.oauth.server import server

SCOPE_HELP = {
    "read": "Read your account's data: agents, chats, API clients and tokens.",
    "write": "Change your account's data: create, edit and delete API clients, revoke tokens.",
    "chat": "Take part in chats as you (the Conversations API).",
}


def _oauthlib_uri(request: HttpRequest) -> str:
    """The request's URL with its query re-encoded from Django's parse, which never fails
    (oauthlib raises on characters a raw query string may contain)."""
    query = urlencode([(key, value) for key, values in request.GET.lists() for value in values])
    base = request.build_absolute_uri(request.path)
    return f"{base}?{query}" if query else base


def _error_page(request: HttpRequest, title: str, message: str, status: int = 400) -> HttpResponse:
    return render(
        request, "sandbox/error.html", {"title": title, "message": message}, status=status
    )


def _error_redirect(error: errors.OAuth2Error, redirect_uri: str) -> HttpResponse:
    # RFC 6749 4.2.2.1: the implicit grant reports errors in the fragment, like its tokens.
    fragment = error.response_type == "token" or error.response_mode == "fragment"
    return HttpResponseRedirect(add_params_to_uri(redirect_uri, error.twotuples, fragment))


@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    """GET: sign in if needed, then the consent page. POST: the agent's Allow or Deny."""
    account = Account.load()
    subdomain = request.GET.get("subdomain")
    if subdomain is not None and subdomain.strip().lower() != account.subdomain:
        return _error_page(
            request,
            "Wrong account",
            f"This sandbox's account is {account.subdomain!r}; the link asks for "
            f"{subdomain!r}. Fix the subdomain parameter, or leave it out.",
        )
    uri = _oauthlib_uri(request)
    try:
        scopes, details = server().validate_authorization_request(uri, http_method="GET")
    except errors.FatalClientError as error:
        # Unknown client or redirect URI: never redirect to an address nobody vouched for.
        return _error_page(request, "This authorization link is not valid", error.description)
    except errors.OAuth2Error as error:
        return _error_redirect(error, error.redirect_uri)

    if not request.user.is_authenticated:
        return redirect(
            f"{reverse('sandbox:signin')}?{urlencode({'next': request.get_full_path()})}"
        )
    agent = request.user
    assert isinstance(agent, Agent)  # noqa: S101 - AUTH_USER_MODEL

    if request.method == "POST":
        return _decide(request, uri, agent, scopes, details)
    client: OAuthClient = details["request"].client
    response = render(
        request,
        "sandbox/consent.html",
        {
            "client": client,
            "agent": agent,
            "scopes": [(scope, SCOPE_HELP.get(scope, "")) for scope in scopes],
            "redirect_host": urlsplit(details["redirect_uri"]).netloc,
            "implicit": details["response_type"] == "token",
        },
    )
    # Allow goes on to the client's redirect URI, which form-action must name (browsers apply
    # it to the redirect that follows a form submission).
    redirect_origin = "{0.scheme}://{0.netloc}".format(urlsplit(details["redirect_uri"]))
    response._csp_config = {  # type: ignore[attr-defined]
        **settings.SECURE_CSP,
        "form-action": [CSP.SELF, redirect_origin],
    }
    return response


def _decide(
    request: HttpRequest, uri: str, agent: Agent, scopes: list[str], details: dict[str, Any]
) -> HttpResponse:
    if request.POST.get("decision") != "allow":
        denied = errors.AccessDeniedError(
            description="The agent denied access.",
            state=details.get("state"),
        )
        denied.response_type = details["response_type"]
        return _error_redirect(denied, details["redirect_uri"])
    with transaction.atomic():
        headers, _, status = server().create_authorization_response(
            uri, http_method="GET", scopes=scopes, credentials={"user": agent}
        )
    response = HttpResponse(status=status)
    response["Location"] = headers["Location"]
    return response


@csrf_exempt
@never_cache
def token(request: HttpRequest) -> HttpResponse:
    """The token endpoint: a form POST in, RFC 6749 JSON out."""
    if request.method != "POST":
        return JsonResponse(
            {
                "error": "invalid_request",
                "error_description": "The token endpoint only accepts POST (form-encoded).",
            },
            status=405,
            headers={"Allow": "POST"},
        )
    body = [(key, value) for key, values in request.POST.lists() for value in values]
    headers = (
        {"Authorization": request.headers["Authorization"]}
        if "Authorization" in (request.headers)
        else {}
    )
    # One transaction, committed on OAuth errors too: a burnt code or a revoked refresh-token
    # chain must stay burnt and revoked.
    with transaction.atomic():
        try:
            answer_headers, answer, status = server().create_token_response(
                _oauthlib_uri(request), http_method="POST", body=body, headers=headers
            )
        except errors.OAuth2Error as error:
            answer_headers, answer, status = error.headers, error.json, error.status_code
    response = HttpResponse(answer, status=status, content_type="application/json")
    for name, value in answer_headers.items():
        if name.lower() != "content-type":
            response[name] = value
    return response
