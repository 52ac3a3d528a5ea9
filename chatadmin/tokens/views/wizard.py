"""The token wizard: choose a client, scopes and a mode; go to Zendesk Chat; see the token once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from chatadmin.accounts import policy
from chatadmin.chat import ApiClient, ChatError, explanations
from chatadmin.core.http import AuthedRequest, never_stale
from chatadmin.core.problems import Problem, problem_of
from chatadmin.core.rendering import render_page
from chatadmin.tokens import selectors, wizard
from chatadmin.tokens.forms import ClientChoiceForm, WizardClientForm, WizardForm
from chatadmin.tokens.wizard import flow

PAGE = "tokens/wizard.html"
REGION = "wizard-step"
# The implicit grant reports refusals in the fragment; the landing page explains these codes.
FRAGMENT_ERRORS = (
    ("access_denied", explanations.ACCESS_DENIED),
    ("invalid_scope", explanations.INVALID_SCOPE),
    ("unauthorized_client", explanations.UNAUTHORIZED_CLIENT),
)


def _step(
    request: AuthedRequest, client: ApiClient, form: WizardForm | None = None
) -> dict[str, Any]:
    """What step 2 and 3 show for a chosen client."""
    redirect_uri = wizard.wizard_redirect_uri(request)
    if form is None:
        form = WizardForm(client=client)
    else:
        form.offer(client)
    return {
        "selected": client,
        "form": form,
        "redirect_uri": redirect_uri,
        "registered": wizard.redirect_registered(client, redirect_uri),
    }


def _wizard_context(
    request: AuthedRequest, *, client_id: object, form: WizardForm | None = None
) -> dict[str, Any]:
    """The wizard page for this person, with `client_id` chosen if it is one of theirs."""
    try:
        clients = selectors.token_wizard_client_list(request.user)
    except selectors.NoTokens as no_tokens:
        return {"no_tokens": str(no_tokens)}
    except (Problem, ChatError) as failure:
        problem = problem_of(failure)
        if problem.signs_out:
            raise
        return {
            "problem": problem.explanation,
            "needs_chat_identity": policy.needs_chat_identity(request.user),
        }
    choose = WizardClientForm({"client": client_id} if client_id else None, clients=clients)
    context: dict[str, Any] = {"choose": choose, "clients": clients}
    if choose.is_bound and choose.is_valid():
        chosen = next(c for c in clients if c.id == choose.cleaned_data["client"])
        context.update(_step(request, chosen, form if form is not None and form.is_bound else None))
    return context


def _render(request: AuthedRequest, context: dict[str, Any]) -> HttpResponse:
    if "no_tokens" in context:
        return render(request, "tokens/support.html", {"message": context["no_tokens"]})
    return render_page(request, PAGE, context)


@require_GET
@never_stale
def token_wizard(request: AuthedRequest) -> HttpResponse:
    return _render(request, _wizard_context(request, client_id=request.GET.get("client", "")))


@sensitive_post_parameters("client_secret")
@require_POST
def token_wizard_start(request: AuthedRequest) -> HttpResponse:
    """Check the choices and send the person to Zendesk Chat (a redirect after this POST)."""
    form = WizardForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            started = wizard.token_wizard_start(
                request.user,
                request=request,
                client_id=data["client"],
                scopes=data["scopes"],
                mode=data["mode"],
                client_secret=data["client_secret"],
            )
        except Problem as problem:
            if problem.signs_out:
                raise
            form.add_error(None, str(problem))
        else:
            url = started.authorize_url
            response = HttpResponseClientRedirect(url) if request.htmx else redirect(url)
            landing = reverse("tokens:landing")
            if started.sealed_secret:
                flow.seal_cookie_set(response, started.sealed_secret, path=landing)
            else:
                flow.seal_cookie_clear(response, path=landing)
            return response
    else:
        wizard.token_wizard_refused(request.user, request=request, message=_errors_text(form))
    context = _wizard_context(request, client_id=request.POST.get("client", ""), form=form)
    if "choose" in context and "selected" not in context:
        # No client of theirs to show the form under: say what was wrong above the choice.
        context["start_problem"] = _errors_text(form)
    return _render(request, context)


def _errors_text(form: WizardForm) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@require_POST
def token_wizard_redirect_add(request: AuthedRequest) -> HttpResponse:
    """Add the wizard's landing page to the chosen client's redirect URLs."""
    form = ClientChoiceForm(request.POST)
    updated: ApiClient | None = None
    if not form.is_valid():
        message = "Choose one of your clients first."
        wizard.token_wizard_refused(request.user, request=request, message=message)
        messages.error(request, message)
    else:
        try:
            updated = wizard.token_wizard_redirect_add(
                request.user, request=request, client_id=form.cleaned_data["client"]
            )
        except Problem as problem:
            if problem.signs_out:
                raise
            messages.error(request, str(problem))
        else:
            messages.success(
                request,
                f"chatadmin's wizard URL is now one of the redirect URLs of {updated.name}.",
            )
    client_id = form.cleaned_data.get("client") or ""
    if not request.htmx:
        return redirect(f"{reverse('tokens:new')}?client={client_id}")
    if updated is not None:
        return render(request, f"{PAGE}#{REGION}", _step(request, updated))
    return _render(request, _wizard_context(request, client_id=client_id))


@never_cache
@require_GET
def token_wizard_landing(request: AuthedRequest) -> HttpResponse:
    """Where Zendesk Chat sends the person back: a code in the query, or a token in the fragment.

    Either way the answer is shown once and kept nowhere (Cache-Control: no-store).
    """
    landing = reverse("tokens:landing")
    if any(key in request.GET for key in ("code", "state", "error")):
        try:
            minted = wizard.token_wizard_finish(
                request.user,
                request=request,
                code=request.GET.get("code", ""),
                state=request.GET.get("state", ""),
                error=request.GET.get("error", ""),
                sealed_secret=request.COOKIES.get(flow.SEAL_COOKIE, ""),
            )
        except Problem as problem:
            if problem.signs_out:
                raise
            context = {"problem": str(problem), "unknown": problem.outcome == "unknown"}
            response = render(request, "tokens/landing.html", context)
        else:
            response = render(request, "tokens/minted.html", {"minted": minted})
        flow.seal_cookie_clear(response, path=landing)
        return response
    pending = wizard.token_wizard_landing(request.user, request=request)
    response = render(
        request,
        "tokens/landing.html",
        {"flow": pending, "fragment_errors": FRAGMENT_ERRORS},
    )
    flow.seal_cookie_clear(response, path=landing)
    return response
