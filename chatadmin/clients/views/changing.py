"""Creating, editing, regenerating the secret of, and deleting one API client."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from chatadmin.accounts.sign_in_client import DELETE_REFUSED, is_sign_in_client
from chatadmin.chat import Removal
from chatadmin.clients import selectors, services
from chatadmin.clients.forms import (
    ClientForm,
    ConfirmNameForm,
)
from chatadmin.clients.services import ConfirmationMismatch, SignInClientKept
from chatadmin.clients.views.common import (
    field_problems,
    form_page,
    go_to,
    problems_explained,
    require_may_change,
    secret_reveal,
    upstream_errors,
)
from chatadmin.core.http import AuthedRequest
from chatadmin.core.problems import (
    ChatProblem,
    OutcomeUnknown,
)
from chatadmin.core.rendering import render_page
from chatadmin.vocabulary import SCOPES


@require_http_methods(["GET", "POST"])
@problems_explained
def client_create(request: AuthedRequest) -> HttpResponse:
    if request.method == "GET":
        require_may_change(request)
        return form_page(request, ClientForm())
    form = ClientForm(request.POST)
    if not form.is_valid():
        services.client_input_rejected(
            request.user,
            action=services.CREATE,
            problems=field_problems(form),
            name=form.data.get("name", ""),
            request=request,
        )
        return form_page(request, form)
    try:
        issued = services.client_create(request.user, wanted=form.client_input(), request=request)
    except OutcomeUnknown:
        raise  # the problem page says to check the list, not to send the form again
    except ChatProblem as problem:
        upstream_errors(form, problem)
        return form_page(request, form)
    return secret_reveal(request, issued, created=True)


@require_http_methods(["GET", "POST"])
@problems_explained
def client_edit(request: AuthedRequest, client_id: int) -> HttpResponse:
    if request.method == "GET":
        client = selectors.client_get(request.user, client_id)
        require_may_change(request, client)
        initial = {
            "name": client.name,
            "company": client.company,
            "redirect_uris": client.redirect_uris,
            "scopes": [scope for scope in client.scopes if scope in SCOPES],
            "client_type": client.client_type,
        }
        return form_page(request, ClientForm(initial=initial), client)
    form = ClientForm(request.POST)
    if not form.is_valid():
        rejected = services.client_input_rejected(
            request.user,
            action=services.UPDATE,
            problems=field_problems(form),
            client_id=client_id,
            request=request,
        )
        return form_page(request, form, rejected)
    try:
        update = services.client_update(
            request.user, client_id, wanted=form.client_input(), request=request
        )
    except OutcomeUnknown:
        raise
    except ChatProblem as problem:
        upstream_errors(form, problem)
        return form_page(request, form, selectors.client_get(request.user, client_id))
    said = f"Saved: {', '.join(update.changed)}." if update.changed else "Nothing to change."
    messages.success(request, f"“{update.client.label}”: {said}")
    return go_to(request, reverse("clients:detail", args=[client_id]))


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
            problems=field_problems(form),
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
        return secret_reveal(request, issued, created=False)
    impact = selectors.client_impact(request.user, client_id, with_tokens=False)
    require_may_change(request, impact.client)
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
        return go_to(request, reverse("clients:list"))
    impact = selectors.client_impact(request.user, client_id)
    require_may_change(request, impact.client)
    form.confirm_for(impact.client)
    refusal = DELETE_REFUSED if is_sign_in_client(impact.client) else ""
    context = {"impact": impact, "form": form, "refusal": refusal}
    return render_page(request, "clients/delete.html", context)
