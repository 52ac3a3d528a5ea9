"""Delete Selected: one confirmation for the ticked clients, then a result per client."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from chatadmin.accounts.sign_in_client import DELETE_REFUSED, is_sign_in_client
from chatadmin.clients import selectors, services
from chatadmin.clients.forms import (
    MAX_TEXT,
    ClientIdsForm,
)
from chatadmin.clients.views.common import (
    field_problems,
    go_to,
    problems_explained,
    require_may_change,
)
from chatadmin.core.http import AuthedRequest
from chatadmin.core.problems import (
    InvalidInput,
)
from chatadmin.core.rendering import render_page


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
                user, action=services.DELETE, problems=field_problems(form), request=request
            )
        messages.error(request, reason or "Select at least one client to delete.")
        return go_to(request, reverse("clients:list"))
    client_ids: list[int] = form.cleaned_data["client"]
    require_may_change(request)
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
