"""Settings: your account, and for admins the people who use chatadmin."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from chatadmin.accounts import policy, selectors, services
from chatadmin.accounts.forms import InviteForm, RoleForm
from chatadmin.accounts.models import User
from chatadmin.core.http import AuthedRequest


def _people_context(request: AuthedRequest, invite_form: InviteForm | None = None) -> dict:
    user: User = request.user
    return {
        "can_manage_people": policy.can_manage_people(user),
        "people": selectors.person_list(user),
        "invite_form": invite_form or InviteForm(),
        "role_form": RoleForm(),
    }


@require_GET
def settings_page(request: AuthedRequest) -> HttpResponse:
    return render(request, "accounts/settings.html", _people_context(request))


@require_POST
def person_invite(request: AuthedRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.person_invite(
                request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                request=request,
            )
        except services.PeopleError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request, f"Invitation sent to {invitation.user.email}. The link works for 3 days."
            )
            if not request.htmx:
                return redirect("settings")
            form = InviteForm()
    template = "accounts/settings.html#people" if request.htmx else "accounts/settings.html"
    return render(request, template, _people_context(request, invite_form=form))


@require_POST
def person_role_set(request: AuthedRequest, person_id: int) -> HttpResponse:
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role: admin, user or support.")
    else:
        try:
            person = services.person_role_set(
                request.user,
                person_id=person_id,
                role=form.cleaned_data["role"],
                request=request,
            )
        except services.PeopleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{person.email} is now {person.get_role_display()}.")
    if request.htmx:
        return render(request, "accounts/settings.html#people", _people_context(request))
    return redirect("settings")
