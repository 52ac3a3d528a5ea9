"""The token inventory: your tokens, filters, the timeline, revoke one or several."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from chatadmin.accounts import policy
from chatadmin.chat import ChatError
from chatadmin.core.http import AuthedRequest, never_stale
from chatadmin.core.problems import Problem, problem_of
from chatadmin.core.rendering import render_page
from chatadmin.tokens import selectors, services
from chatadmin.tokens.forms import FILTERS, RevokeManyForm, TokenFilterForm
from chatadmin.tokens.timeline import timeline_build

PAGE = "tokens/list.html"
REGION = "inventory"


def _filter_values(data: QueryDict) -> dict[str, str]:
    """The filters a request carries (a GET query, or the filter form a POST included)."""
    return {name: str(data.get(name)) for name in FILTERS if data.get(name)}


def _inventory_context(request: AuthedRequest, data: QueryDict) -> dict[str, Any]:
    form = TokenFilterForm(_filter_values(data) or None)
    filters = form.filters()
    user = request.user
    context: dict[str, Any] = {
        "form": form,
        "filtered": any(filters.values()),
        "can_mint": policy.can_mint_tokens(user),
        "needs_chat_identity": policy.needs_chat_identity(user),
    }
    try:
        tokens = selectors.token_list(request.user, **filters)
    except selectors.NoTokens as no_tokens:
        context["no_tokens"] = str(no_tokens)
        return context
    except (Problem, ChatError) as failure:
        problem = problem_of(failure)
        if problem.signs_out:
            raise
        context["problem"] = problem.explanation
        return context
    form.client_choices_set(tokens.client_choices)
    context.update(
        tokens=tokens,
        timeline=timeline_build(tokens.rows, now=tokens.now),
        expiring_within=selectors.EXPIRING_WITHIN_TEXT,
    )
    return context


def _render(request: AuthedRequest, context: dict[str, Any]) -> HttpResponse:
    if "no_tokens" in context:
        return render(request, "tokens/support.html", {"message": context["no_tokens"]})
    return render_page(request, PAGE, context)


def _after_change(request: AuthedRequest) -> HttpResponse:
    """Back where the revoke was asked: the page in `next` (a client's page), else the list.

    htmx on the tokens page gets the inventory again, fresh from Chat.
    """
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return HttpResponseClientRedirect(back) if request.htmx else redirect(back)
    if request.htmx:
        return _render(request, _inventory_context(request, request.POST))
    return redirect(_list_url(request.POST))


def _list_url(data: QueryDict) -> str:
    query = urlencode(_filter_values(data))
    return f"{reverse('tokens:list')}{'?' + query if query else ''}"


def _confirm_page(request: AuthedRequest, *, action: str, token_ids: list[int]) -> HttpResponse:
    """Without JavaScript there is no confirm dialog: ask on a page of its own."""
    return render(
        request,
        "tokens/revoke_confirm.html",
        {
            "action": action,
            "token_ids": token_ids,
            "token_labels": selectors.token_labels(request.user, token_ids),
            "filters": _filter_values(request.POST),
            "back": _list_url(request.POST),
        },
    )


@require_GET
@never_stale
def token_list(request: AuthedRequest) -> HttpResponse:
    return _render(request, _inventory_context(request, request.GET))


@require_POST
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        if request.htmx:
            messages.error(request, "Nothing was revoked: confirm first.")
            return _after_change(request)
        return _confirm_page(
            request, action=reverse("tokens:revoke", args=[token_id]), token_ids=[token_id]
        )
    try:
        outcome = services.token_revoke(request.user, token_id=token_id, request=request)
    except Problem as problem:
        if problem.signs_out:
            raise
        messages.error(request, problem.explanation)
    else:
        messages.success(request, outcome.message)
    return _after_change(request)


@require_POST
def token_revoke_many(request: AuthedRequest) -> HttpResponse:
    form = RevokeManyForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(error) for error in form.errors.get("token_ids", []))
        services.token_revoke_refused(request.user, message=message, request=request)
        messages.error(request, message)
        return _after_change(request)
    token_ids: list[int] = form.cleaned_data["token_ids"]
    if request.POST.get("confirm") != "yes":
        if request.htmx:
            messages.error(request, "Nothing was revoked: confirm first.")
            return _after_change(request)
        return _confirm_page(request, action=reverse("tokens:revoke_many"), token_ids=token_ids)
    try:
        result = services.token_revoke_many(request.user, token_ids=token_ids, request=request)
    except Problem as problem:
        if problem.signs_out:
            raise
        messages.error(request, problem.explanation)
    else:
        level = (
            messages.success
            if not result.failed
            else messages.warning
            if result.revoked
            else messages.error
        )
        level(request, result.summary)
    return _after_change(request)
