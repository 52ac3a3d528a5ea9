"""Settings: your account, and for admins the people who use chatadmin."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from chatadmin.accounts import connection, linking, policy, refusals, selectors, services
from chatadmin.accounts.chat_access import no_connection_explanation, person_chat
from chatadmin.accounts.forms import BasicConnectionForm, InviteForm, RoleForm
from chatadmin.accounts.models import User
from chatadmin.accounts.sign_in_client import rotated_secret
from chatadmin.chat import ChatError
from chatadmin.core.http import AuthedRequest
from chatadmin.core.problems import Problem, problem_of
from chatadmin.core.rendering import render_page

PAGE = "accounts/settings.html"


def _settings_context(
    request: AuthedRequest,
    *,
    invite_form: InviteForm | None = None,
    basic_form: BasicConnectionForm | None = None,
) -> dict[str, Any]:
    user: User = request.user
    return {
        "can_manage_people": policy.can_manage_people(user),
        "can_manage_connection": policy.can_manage_connection(user),
        "people": selectors.person_list(user),
        "invite_form": invite_form or InviteForm(),
        "role_form": RoleForm(),
        "summary": connection.connection_summary(),
        "basic_form": basic_form or BasicConnectionForm(),
        "chat_credential": getattr(user, "chat_credential", None) if user.chat_agent_id else None,
        "may_link_chat_identity": policy.may_link_chat_identity(user),
        "chat_sign_in_available": bool(settings.CHAT_OAUTH_CLIENT_ID),
        "uses_local_password": policy.can_use_local_password(user),
        "no_connection_explanation": (
            no_connection_explanation() if policy.reads_through_connection(user) else ""
        ),
        "sign_in_client_id": settings.CHAT_OAUTH_CLIENT_ID,
        "sign_in_rotated": rotated_secret(),
    }


@require_GET
def settings_page(request: AuthedRequest) -> HttpResponse:
    return render(request, PAGE, _settings_context(request))


@require_POST
def person_invite(request: AuthedRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():
        refusals.invite_form_refused(request.user, form=form, request=request)
    else:
        try:
            invitation = services.person_invite(
                request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                request=request,
            )
        except (services.PeopleError, Problem) as error:
            if getattr(error, "signs_out", False):
                raise
            form.add_error("email", str(error))
        else:
            messages.success(
                request, f"Invitation sent to {invitation.user.email}. The link works for 3 days."
            )
            if not request.htmx:
                return redirect("settings")
            form = InviteForm()
    return render_page(request, PAGE, _settings_context(request, invite_form=form))


@require_POST
def person_role_set(request: AuthedRequest, person_id: int) -> HttpResponse:
    form = RoleForm(request.POST)
    if not form.is_valid():
        refusals.role_form_refused(request.user, person_id=person_id, form=form, request=request)
        messages.error(request, "Choose a role: admin, user or support.")
    else:
        try:
            person = services.person_role_set(
                request.user,
                person_id=person_id,
                role=form.cleaned_data["role"],
                request=request,
            )
        except (services.PeopleError, Problem) as error:
            if getattr(error, "signs_out", False):
                raise
            messages.error(request, str(error))
        else:
            messages.success(request, f"{person.email} is now {person.get_role_display()}.")
    if request.htmx:
        return render_page(request, PAGE, _settings_context(request))
    return redirect("settings")


def _connection_section(request: AuthedRequest, **extra: Any) -> HttpResponse:
    if request.htmx:
        return render_page(request, PAGE, _settings_context(request, **extra))
    return redirect("settings")


def _said(problem: Problem) -> str:
    if problem.signs_out:
        raise problem
    return problem.explanation


@require_POST
def connection_connect(request: AuthedRequest) -> HttpResponse:
    """Send the admin to Zendesk Chat to grant the connection a token of their own."""
    try:
        url = connection.connection_oauth_start(request.user, request=request)
    except Problem as problem:
        messages.error(request, _said(problem))
        return redirect("settings")
    return redirect(url)


@require_GET
def connection_callback(request: AuthedRequest) -> HttpResponse:
    try:
        saved = connection.connection_oauth_finish(
            request.user,
            request=request,
            code=request.GET.get("code", ""),
            state=request.GET.get("state", ""),
            error=request.GET.get("error", ""),
        )
    except Problem as problem:
        messages.error(request, _said(problem))
    else:
        messages.success(request, f"Connection saved. {saved.check_message}")
    return redirect("settings")


@require_POST
def connection_basic(request: AuthedRequest) -> HttpResponse:
    form = BasicConnectionForm(request.POST)
    if not form.is_valid():
        refusals.basic_connection_form_refused(request.user, form=form, request=request)
    else:
        try:
            saved = connection.connection_save_basic(
                request.user,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                request=request,
            )
        except Problem as problem:
            form.add_error(None, _said(problem))
        else:
            messages.success(request, f"Connection saved. {saved.check_message}")
            return _connection_section(request)
    return render_page(request, PAGE, _settings_context(request, basic_form=form))


@require_POST
def connection_check(request: AuthedRequest) -> HttpResponse:
    try:
        checked = connection.connection_check(request.user, request=request)
    except Problem as problem:
        messages.error(request, _said(problem))
    else:
        messages.success(request, checked.check_message)
    return _connection_section(request)


@require_POST
def connection_delete(request: AuthedRequest) -> HttpResponse:
    try:
        connection.connection_delete(request.user, request=request)
    except Problem as problem:
        messages.error(request, _said(problem))
    else:
        messages.success(request, "The account connection was removed.")
    return _connection_section(request)


@require_POST
def chat_identity_link(request: AuthedRequest) -> HttpResponse:
    """Link the person's Chat identity: off to Zendesk Chat, back through allauth's connect."""
    try:
        return linking.chat_identity_link_start(
            request.user, confirmed=request.POST.get("confirm") == "yes", request=request
        )
    except linking.LinkRefused as refused:
        messages.error(request, refused.explanation)
        return redirect(f"{reverse('settings')}#chat-identity")


@require_POST
def chat_sign_in_check(request: AuthedRequest) -> HttpResponse:
    """Ask the Chat account who the person's own token acts as (renewing it if needed)."""
    try:
        agent = person_chat(request.user).agent_me()
    except (Problem, ChatError) as failure:
        messages.error(request, _said(problem_of(failure)))
    else:
        role = "an admin" if agent.is_admin else "an agent"
        messages.success(
            request,
            f"Your Chat sign-in works: you act as {agent.email} (agent #{agent.id}, {role}).",
        )
    if request.htmx:
        return render_page(request, PAGE, _settings_context(request))
    return redirect("settings")
