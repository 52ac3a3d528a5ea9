"""API clients pages: list, detail, create, edit, regenerate the secret, delete.

Each page works as a plain form without JavaScript; with htmx, the region the request targets
(`#clients` on the list, `#client-page` elsewhere) comes back alone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from chatadmin.accounts import policy
from chatadmin.accounts.chat_access import READ_ONLY
from chatadmin.accounts.sign_in_client import DELETE_REFUSED, is_sign_in_client
from chatadmin.chat import ApiClient, ChatError, ChatRefused, IssuedSecret, Removal
from chatadmin.chat.resources import ClientRow
from chatadmin.clients import selectors, services
from chatadmin.clients.forms import (
    MAX_TEXT,
    ClientFilterForm,
    ClientForm,
    ClientIdsForm,
    ConfirmNameForm,
)
from chatadmin.clients.services import ConfirmationMismatch, SignInClientKept
from chatadmin.clients.table import as_of, query_without, sort_columns, table_rows
from chatadmin.core.http import AuthedRequest
from chatadmin.core.problems import (
    ChatProblem,
    InvalidInput,
    OutcomeUnknown,
    Problem,
    ReadOnly,
    problem_of,
)
from chatadmin.core.rendering import explains_problems, render_page
from chatadmin.vocabulary import SCOPES

CLIENTS_PER_PAGE = 50
problems_explained = explains_problems(back=("clients:list", "API clients"))


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
        raise ReadOnly(READ_ONLY)


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


def _problems(form: forms.Form) -> dict[str, list[str]]:
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
@problems_explained
def client_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = ClientFilterForm(request.GET or None)
    query = form.query()
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        "filtered": query.filtered,
        "can_change": policy.can_change_clients(user),
        "sees_all": policy.sees_all_clients(user),
        "read_only": policy.is_read_only(user),
        "rows": [],
        "problem": "",
        "columns": sort_columns(request.GET, query.sort),
        "refresh_url": f"?{query_without(request.GET, 'refresh', 'page')}&refresh=1",
        "finding_label": selectors.FINDINGS.get(query.finding, ""),
    }
    try:
        listing = selectors.client_listing(user, query, fresh=bool(request.GET.get("refresh")))
    except (Problem, ChatError) as failure:
        problem = problem_of(failure)
        if problem.signs_out:
            raise
        context["problem"] = problem.explanation  # the list explains it in place of the rows
    else:
        # The Chat API has no paging; the page does, and builds only the rows it shows.
        page = Paginator(listing.rows, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
        context.update(
            page=page,
            as_of=as_of(listing.taken_at),
            agents_problem=listing.agents_problem,
            rows=table_rows(
                shown,
                agents=listing.agents,
                me=user.chat_agent_id,
                may_change=_changeable(request, shown),
                sign_in_identifier=settings.CHAT_OAUTH_CLIENT_ID,
            ),
        )
    count = context["page"].paginator.count if "page" in context else 0
    context["summary"] = f"{count} API client{'s' if count != 1 else ''}"
    context["any_selectable"] = any(row.selectable for row in context["rows"])
    return render_page(request, "clients/list.html", context)


def _changeable(request: AuthedRequest, rows: list[ClientRow]) -> set[int]:
    """The ids among this page's rows this person may change."""
    user = request.user
    return {row.id for row in rows if policy.may_change_client(user, client_agent_id=row.agent_id)}


@require_GET
@problems_explained
def client_detail(request: AuthedRequest, client_id: int) -> HttpResponse:
    user = request.user
    page = selectors.client_page(user, client_id)
    context = {
        "page": page,
        "client": page.client,
        "may_change": policy.may_change_client(user, client_agent_id=page.client.agent_id),
        "may_mint": policy.may_mint_token(user, client_agent_id=page.client.agent_id),
        "has_tokens": policy.has_tokens(user),
        "sign_in": is_sign_in_client(page.client),
    }
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


def _confirmed[Result](
    request: AuthedRequest,
    client_id: int,
    form: ConfirmNameForm,
    *,
    action: str,
    act: Callable[[str], Result],
) -> Result | None:
    """A POST of a change confirmed by the client's name: the result, or None to show the form.

    An invalid form is audited and sends nothing; a name that does not match puts the
    explanation next to the field (the service audited it).
    """
    if request.method != "POST":
        return None
    if not form.is_valid():
        services.client_input_rejected(
            request.user,
            action=action,
            problems=_problems(form),
            client_id=client_id,
            request=request,
        )
        return None
    try:
        return act(form.cleaned_data["confirm_name"])
    except ConfirmationMismatch as mismatch:
        form.add_error("confirm_name", str(mismatch))
    except SignInClientKept:
        pass  # the page says why (and it was audited)
    return None


@require_http_methods(["GET", "POST"])
@problems_explained
def client_secret(request: AuthedRequest, client_id: int) -> HttpResponse:
    form = ConfirmNameForm(request.POST if request.method == "POST" else None)
    issued = _confirmed(
        request,
        client_id,
        form,
        action=services.REGENERATE,
        act=lambda name: services.client_secret_regenerate(
            request.user, client_id, confirm_name=name, request=request
        ),
    )
    if issued is not None:
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
    deletion = _confirmed(
        request,
        client_id,
        form,
        action=services.DELETE,
        act=lambda name: services.client_delete(
            request.user, client_id, confirm_name=name, request=request
        ),
    )
    if deletion is not None:
        said = (
            " (Chat had already deleted it on a first try that got no answer)"
            if deletion.removal is Removal.ALREADY_GONE
            else ""
        )
        messages.success(request, f"Deleted the API client “{deletion.client.label}”{said}.")
        return _go(request, reverse("clients:list"))
    impact = selectors.client_impact(request.user, client_id)
    _require_may_change(request, impact.client)
    form.confirm_for(impact.client)
    refusal = DELETE_REFUSED if is_sign_in_client(impact.client) else ""
    context = {"impact": impact, "form": form, "refusal": refusal}
    return render_page(request, "clients/delete.html", context)


@require_POST
@problems_explained
def client_delete_many(request: AuthedRequest) -> HttpResponse:
    """Delete Selected: one confirmation for the ticked clients, then a result per client."""
    user = request.user
    form = ClientIdsForm(request.POST)
    if not form.is_valid():
        reason = " ".join(str(error) for error in form.errors.get("client", []))
        if any(error.code == "required" for error in form.errors.as_data().get("client", [])):
            with contextlib.suppress(InvalidInput):  # recorded; the list says so below
                services.client_delete_many(
                    user, client_ids=[], confirm_names={}, labels={}, request=request
                )
        else:
            services.client_input_rejected(
                user, action=services.DELETE, problems=_problems(form), request=request
            )
        messages.error(request, reason or "Select at least one client to delete.")
        return _go(request, reverse("clients:list"))
    client_ids: list[int] = form.cleaned_data["client"]
    _require_may_change(request)
    preview = selectors.clients_delete_preview(user, client_ids)
    if request.POST.get("confirm") != "yes":
        context = {"preview": preview, "refusal": DELETE_REFUSED, "sign_in": _sign_in_ids(preview)}
        return render_page(request, "clients/delete_many.html", context)
    confirm_names = {
        item.client.id: request.POST.get(f"confirm_name_{item.client.id}", "")[:MAX_TEXT]
        for item in preview.items
    }
    labels = {item.client.id: item.client.label for item in preview.items}
    results = services.client_delete_many(
        user,
        client_ids=client_ids,
        confirm_names=confirm_names,
        labels=labels,
        request=request,
    )
    response = render_page(request, "clients/delete_results.html", {"results": results})
    add_never_cache_headers(response)
    return response


def _sign_in_ids(preview: selectors.DeletePreview) -> set[int]:
    return {item.client.id for item in preview.items if is_sign_in_client(item.client)}
