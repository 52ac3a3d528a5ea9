"""What the API clients pages share: going on after a change, the reveal, errors by the fields."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_variables
from django_htmx.http import HttpResponseClientRedirect

from chatadmin.accounts import policy
from chatadmin.accounts.chat_access import cannot_change
from chatadmin.chat import ApiClient, ChatRefused, IssuedSecret
from chatadmin.clients.forms import (
    ClientForm,
)
from chatadmin.core.http import AuthedRequest
from chatadmin.core.problems import (
    ChatProblem,
    Problem,
    ReadOnly,
)
from chatadmin.core.rendering import explains_problems, render_page

CLIENTS_PER_PAGE = 50
problems_explained = explains_problems(back=("clients:list", "API clients"))


def go_to(request: AuthedRequest, url: str) -> HttpResponse:
    """After a change: a full page load of `url` (an htmx redirect for htmx)."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def require_may_change(request: AuthedRequest, client: ApiClient | None = None) -> None:
    user = request.user
    allowed = (
        policy.may_change_client(user, client_agent_id=client.agent_id)
        if client is not None
        else policy.can_change_clients(user)
    )
    if not allowed:
        raise cannot_change(user)


def upstream_errors(form: ClientForm, problem: Problem) -> None:
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


def field_problems(form: forms.Form) -> dict[str, list[str]]:
    return {name: [str(error) for error in errors] for name, errors in form.errors.items()}


def form_page(
    request: AuthedRequest, form: ClientForm, client: ApiClient | None = None
) -> HttpResponse:
    action = reverse("clients:edit", args=[client.id]) if client else reverse("clients:create")
    context = {"form": form, "client": client, "action": action}
    return render_page(request, "clients/form.html", context)


@sensitive_variables("issued")
def secret_reveal(request: AuthedRequest, issued: IssuedSecret, *, created: bool) -> HttpResponse:
    """The one-time secret reveal, rendered straight into the POST's answer and never cached."""
    if not policy.may_see_secrets(request.user):
        raise ReadOnly("Support staff never see a client secret.")
    context = {"client": issued.client, "secret": issued.secret, "created": created}
    response = render_page(request, "clients/reveal.html", context)
    add_never_cache_headers(response)
    return response
