"""API clients pages: list, detail, create, edit, regenerate the secret, delete.

Each page works as a plain form without JavaScript; with htmx, the region the request targets
(`#clients` on the list, `#client-page` elsewhere) comes back alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from chatadmin.accounts import policy
from chatadmin.accounts.chat_access import cannot_change
from chatadmin.accounts.sign_in_client import DELETE_REFUSED, is_sign_in_client
from chatadmin.chat import ApiClient, ChatError, ChatRefused, IssuedSecret, Removal
from chatadmin.clients import selectors, services
from chatadmin.clients.forms import ClientFilterForm, ClientForm, ConfirmNameForm
from chatadmin.clients.services import ConfirmationMismatch, SignInClientKept
from chatadmin.core.http import AuthedRequest, never_stale
from chatadmin.core.problems import ChatProblem, OutcomeUnknown, Problem, ReadOnly, problem_of
from chatadmin.core.rendering import explains_problems, render_page
from chatadmin.vocabulary import SCOPES

CLIENTS_PER_PAGE = 50
problems_explained = explains_problems(back=("clients:list", "API clients"))


@dataclass(frozen=True)
class Row:
    client: ApiClient
    may_change: bool
    sign_in: bool = False


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
        raise cannot_change(user)


def _upstream_errors(form: ClientForm, problem: Problem) -> None:
    """Put Chat's per-field messages next to the fields, and the explanation above them."""
    error = problem.error if isinstance(problem, ChatProblem) else None
    details = error.details if isinstance(error, ChatRefused) else {}
    placed = [name for name in details if name in form.fields]
    for name in placed:
        form.add_error(name, list(details[name]))
    if placed and len(placed) == len(details):
        form.add_error(None, "Zendesk Chat did not accept some values: see the fields below.")
    else:
        form.add_error(None, problem.explanation)


def _problems(form: ClientForm | ConfirmNameForm) -> dict[str, list[str]]:
    return {name: [str(error) for error in errors] for name, errors in form.errors.items()}


def _form_page(
    request: AuthedRequest, form: ClientForm, client: ApiClient | None = None
) -> HttpResponse:
    action = reverse("clients:edit", args=[client.id]) if client else reverse("clients:create")
    context = {"form": form, "client": client, "action": action}
    return render_page(request, "clients/form.html", context)


@sensitive_variables("issued")
def _reveal(request: AuthedRequest, issued: IssuedSecret, *, created: bool) -> HttpResponse:
    """The one-time secret reveal, rendered straight into the POST's answer and never cached."""
    if not policy.may_see_secrets(request.user):
        raise ReadOnly("Support staff never see a client secret.")
    context = {"client": issued.client, "secret": issued.secret, "created": created}
    response = render_page(request, "clients/reveal.html", context)
    add_never_cache_headers(response)
    return response


@require_GET
@never_stale
@problems_explained
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
    except (Problem, ChatError) as failure:
        problem = problem_of(failure)
        if problem.signs_out:
            raise
        context["problem"] = problem.explanation  # the list explains it in place of the rows
    else:
        # The Chat API has no paging; the page does, so a big account stays quick to render.
        page = Paginator(clients, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
        context["page"] = page
        context["rows"] = [
            Row(c, policy.may_change_client(user, client_agent_id=c.agent_id), is_sign_in_client(c))
            for c in page.object_list
        ]
    count = context["page"].paginator.count if "page" in context else 0
    context["summary"] = f"{count} API client{'s' if count != 1 else ''}"
    return render_page(request, "clients/list.html", context)


@require_GET
@problems_explained
def client_detail(request: AuthedRequest, client_id: int) -> HttpResponse:
    client = selectors.client_get(request.user, client_id)
    may_change = policy.may_change_client(request.user, client_agent_id=client.agent_id)
    context = {"client": client, "may_change": may_change, "sign_in": is_sign_in_client(client)}
    return render_page(request, "clients/detail.html", context)


@require_http_methods(["GET", "POST"])
@problems_explained
def client_create(request: AuthedRequest) -> HttpResponse:
    if request.method == "GET":
        _require_may_change(request)
        return _form_page(request, ClientForm())
    form = ClientForm(request.POST)
    if not form.is_valid():
        services.client_input_rejected(
            request.user,
            action=services.CREATE,
            problems=_problems(form),
            name=form.data.get("name", ""),
            request=request,
        )
        return _form_page(request, form)
    try:
        issued = services.client_create(request.user, wanted=form.client_input(), request=request)
    except OutcomeUnknown:
        raise  # the problem page says to check the list, not to send the form again
    except ChatProblem as problem:
        _upstream_errors(form, problem)
        return _form_page(request, form)
    return _reveal(request, issued, created=True)


@require_http_methods(["GET", "POST"])
@problems_explained
def client_edit(request: AuthedRequest, client_id: int) -> HttpResponse:
    if request.method == "GET":
        client = selectors.client_get(request.user, client_id)
        _require_may_change(request, client)
        initial = {
            "name": client.name,
            "company": client.company,
            "redirect_uris": client.redirect_uris,
            "scopes": [scope for scope in client.scopes if scope in SCOPES],
            "client_type": client.client_type,
        }
        return _form_page(request, ClientForm(initial=initial), client)
    form = ClientForm(request.POST)
    if not form.is_valid():
        rejected = services.client_input_rejected(
            request.user,
            action=services.UPDATE,
            problems=_problems(form),
            client_id=client_id,
            request=request,
        )
        return _form_page(request, form, rejected)
    try:
        update = services.client_update(
            request.user, client_id, wanted=form.client_input(), request=request
        )
    except OutcomeUnknown:
        raise
    except ChatProblem as problem:
        _upstream_errors(form, problem)
        return _form_page(request, form, selectors.client_get(request.user, client_id))
    said = f"Saved: {', '.join(update.changed)}." if update.changed else "Nothing to change."
    messages.success(request, f"“{update.client.label}”: {said}")
    return _go(request, reverse("clients:detail", args=[client_id]))


@require_http_methods(["GET", "POST"])
@problems_explained
def client_secret(request: AuthedRequest, client_id: int) -> HttpResponse:
    form = ConfirmNameForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            services.client_input_rejected(
                request.user,
                action=services.REGENERATE,
                problems=_problems(form),
                client_id=client_id,
                request=request,
            )
        else:
            try:
                issued = services.client_secret_regenerate(
                    request.user,
                    client_id,
                    confirm_name=form.cleaned_data["confirm_name"],
                    request=request,
                )
            except ConfirmationMismatch as mismatch:
                form.add_error("confirm_name", str(mismatch))
            else:
                return _reveal(request, issued, created=False)
    impact = selectors.client_impact(request.user, client_id, with_tokens=False)
    _require_may_change(request, impact.client)
    form.confirm_for(impact.client)
    context = {"impact": impact, "form": form, "sign_in": is_sign_in_client(impact.client)}
    return render_page(request, "clients/secret.html", context)


@require_http_methods(["GET", "POST"])
@problems_explained
def client_delete(request: AuthedRequest, client_id: int) -> HttpResponse:
    form = ConfirmNameForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":  # the client is looked up by the service, then again below
        if not form.is_valid():
            services.client_input_rejected(
                request.user,
                action=services.DELETE,
                problems=_problems(form),
                client_id=client_id,
                request=request,
            )
        else:
            try:
                deletion = services.client_delete(
                    request.user,
                    client_id,
                    confirm_name=form.cleaned_data["confirm_name"],
                    request=request,
                )
            except ConfirmationMismatch as mismatch:
                form.add_error("confirm_name", str(mismatch))
            except SignInClientKept:
                pass  # the page below says why (and it was audited)
            else:
                said = (
                    " (Chat had already deleted it on a first try that got no answer)"
                    if deletion.removal is Removal.ALREADY_GONE
                    else ""
                )
                messages.success(
                    request, f"Deleted the API client “{deletion.client.label}”{said}."
                )
                return _go(request, reverse("clients:list"))
    impact = selectors.client_impact(request.user, client_id)
    _require_may_change(request, impact.client)
    form.confirm_for(impact.client)
    refusal = DELETE_REFUSED if is_sign_in_client(impact.client) else ""
    context = {"impact": impact, "form": form, "refusal": refusal}
    return render_page(request, "clients/delete.html", context)
