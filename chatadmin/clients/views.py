"""API clients pages: list, detail, create, edit, regenerate the secret, delete.

Each page works as a plain form without JavaScript; with htmx, the swappable region
(`#clients` on the list, `#client-page` elsewhere) comes back alone when it is the target.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from chatadmin.accounts import policy
from chatadmin.accounts.access import NoChatAccess
from chatadmin.chat import ApiClient, ChatError, ChatRefused, ChatUnavailable
from chatadmin.clients import selectors, services
from chatadmin.clients.forms import ClientFilterForm, ClientForm, DeleteForm
from chatadmin.clients.selectors import ClientNotFound
from chatadmin.clients.services import KNOWN_SCOPES, ClientDenied, ConfirmationMismatch
from chatadmin.core.http import AuthedRequest

PAGE = "client-page"
CLIENTS_PER_PAGE = 50


@dataclass(frozen=True)
class Row:
    client: ApiClient
    may_change: bool


def _render(
    request: AuthedRequest,
    template: str,
    context: dict[str, Any],
    *,
    region: str = PAGE,
    status: int = 200,
) -> HttpResponse:
    """The region alone when htmx targets it (always 200, so htmx swaps it); else the page."""
    if request.htmx and request.htmx.target == region:
        return render(request, f"{template}#{region}", context)
    return render(request, template, context, status=status)


def _problem(request: AuthedRequest, title: str, problem: str, *, status: int) -> HttpResponse:
    context = {"title": title, "problem": problem, "retry_url": request.path}
    return _render(request, "clients/problem.html", context, status=status)


def _explains_problems(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """What a person can meet (not found, read-only, no Chat access, Chat failing) as a page."""

    @functools.wraps(view)
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ClientNotFound as missing:
            return _problem(request, "API client not found", str(missing), status=404)
        except ClientDenied as denied:
            return _problem(request, "Read-only access", str(denied), status=403)
        except NoChatAccess as problem:
            return _problem(request, "No access to Zendesk Chat", str(problem), status=403)
        except ChatError as error:
            status = 503 if isinstance(error, ChatUnavailable) else 502
            return _problem(request, "Zendesk Chat did not do it", error.explanation, status=status)

    return wrapper


def _go(request: AuthedRequest, url: str) -> HttpResponse:
    """After a change: a full page load of `url` (an htmx redirect for htmx)."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _require_may_change(request: AuthedRequest, client: ApiClient | None = None) -> None:
    user = request.user
    allowed = (
        policy.may_change_client(user, client_agent_id=client.agent_id)
        if client is not None
        else policy.can_change_clients(user)
    )
    if not allowed:
        raise ClientDenied(services.READ_ONLY)


def _upstream_errors(form: ClientForm, problem: NoChatAccess | ChatError) -> None:
    """Put Chat's per-field messages next to the fields, and the explanation above them."""
    details = problem.details if isinstance(problem, ChatRefused) else {}
    placed = [name for name in details if name in form.fields]
    for name in placed:
        form.add_error(name, list(details[name]))
    if placed and len(placed) == len(details):
        form.add_error(None, "Zendesk Chat did not accept some values: see the fields below.")
    else:
        form.add_error(
            None, problem.explanation if isinstance(problem, ChatError) else str(problem)
        )


def _problems(form: ClientForm) -> dict[str, list[str]]:
    return {name: [str(error) for error in errors] for name, errors in form.errors.items()}


def _form_page(request: AuthedRequest, form: ClientForm, client_id: int | None) -> HttpResponse:
    action = reverse("clients:edit", args=[client_id]) if client_id else reverse("clients:create")
    context = {"form": form, "client_id": client_id, "action": action}
    return _render(request, "clients/form.html", context)


@sensitive_variables()
def _reveal(request: AuthedRequest, client: ApiClient, *, created: bool) -> HttpResponse:
    """The one-time secret reveal, rendered straight into the POST's answer and never cached."""
    response = _render(request, "clients/reveal.html", {"client": client, "created": created})
    add_never_cache_headers(response)
    return response


@require_GET
def client_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = ClientFilterForm(request.GET or None)
    filters = form.filters()
    context: dict[str, Any] = {
        "form": form,
        "filtered": any(filters.values()),
        "can_change": policy.can_change_clients(user),
        "sees_all": policy.sees_all_clients(user),
        "read_only": policy.is_read_only(user),
        "rows": [],
        "problem": "",
    }
    try:
        clients = selectors.client_list(user, **filters)
    except NoChatAccess as problem:
        context["problem"] = str(problem)
    except ChatError as error:
        context["problem"] = error.explanation
    else:
        # The Chat API has no paging; the page does, so a big account stays quick to render.
        page = Paginator(clients, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
        context["page"] = page
        context["rows"] = [
            Row(c, policy.may_change_client(user, client_agent_id=c.agent_id))
            for c in page.object_list
        ]
    count = context["page"].paginator.count if "page" in context else 0
    context["summary"] = f"{count} API client{'s' if count != 1 else ''}"
    return _render(request, "clients/list.html", context, region="clients")


@require_GET
@_explains_problems
def client_detail(request: AuthedRequest, client_id: int) -> HttpResponse:
    client = selectors.client_get(request.user, client_id)
    may_change = policy.may_change_client(request.user, client_agent_id=client.agent_id)
    return _render(request, "clients/detail.html", {"client": client, "may_change": may_change})


@require_http_methods(["GET", "POST"])
@_explains_problems
def client_create(request: AuthedRequest) -> HttpResponse:
    if request.method == "GET":
        _require_may_change(request)
        return _form_page(request, ClientForm(), None)
    form = ClientForm(request.POST)
    if not form.is_valid():
        services.client_input_rejected(
            request.user,
            action=services.CREATE,
            problems=_problems(form),
            name=form.data.get("name", ""),
            request=request,
        )
        return _form_page(request, form, None)
    try:
        client = services.client_create(request.user, **form.cleaned_data, request=request)
    except (NoChatAccess, ChatError) as problem:
        _upstream_errors(form, problem)
        return _form_page(request, form, None)
    return _reveal(request, client, created=True)


@require_http_methods(["GET", "POST"])
@_explains_problems
def client_edit(request: AuthedRequest, client_id: int) -> HttpResponse:
    if request.method == "GET":
        client = selectors.client_get(request.user, client_id)
        _require_may_change(request, client)
        initial = {
            "name": client.name,
            "company": client.company,
            "redirect_uris": client.redirect_uris,
            "scopes": [scope for scope in client.scopes if scope in KNOWN_SCOPES],
            "client_type": client.client_type,
        }
        return _form_page(request, ClientForm(initial=initial), client_id)
    form = ClientForm(request.POST)
    if not form.is_valid():
        services.client_input_rejected(
            request.user,
            action=services.UPDATE,
            problems=_problems(form),
            client_id=client_id,
            request=request,
        )
        return _form_page(request, form, client_id)
    try:
        update = services.client_update(
            request.user, client_id, **form.cleaned_data, request=request
        )
    except (NoChatAccess, ChatError) as problem:
        _upstream_errors(form, problem)
        return _form_page(request, form, client_id)
    said = f"Saved: {', '.join(update.changed)}." if update.changed else "Nothing to change."
    messages.success(request, f"“{update.client.name}”: {said}")
    return _go(request, reverse("clients:detail", args=[client_id]))


@require_http_methods(["GET", "POST"])
@_explains_problems
def client_secret(request: AuthedRequest, client_id: int) -> HttpResponse:
    if request.method == "GET":
        impact = selectors.client_impact(request.user, client_id, with_tokens=False)
        _require_may_change(request, impact.client)
        return _render(request, "clients/secret.html", {"impact": impact})
    client = services.client_secret_regenerate(request.user, client_id, request=request)
    return _reveal(request, client, created=False)


@require_http_methods(["GET", "POST"])
@_explains_problems
def client_delete(request: AuthedRequest, client_id: int) -> HttpResponse:
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        confirm_name = form.cleaned_data["confirm_name"]
        try:
            deleted = services.client_delete(
                request.user, client_id, confirm_name=confirm_name, request=request
            )
        except ConfirmationMismatch as mismatch:
            form.add_error("confirm_name", str(mismatch))
        else:
            messages.success(request, f"Deleted the API client “{deleted.name}”.")
            return _go(request, reverse("clients:list"))
    impact = selectors.client_impact(request.user, client_id)
    _require_may_change(request, impact.client)
    return _render(request, "clients/delete.html", {"impact": impact, "form": form})
