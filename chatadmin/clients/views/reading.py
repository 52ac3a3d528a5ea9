"""The API clients list (from the snapshot, sorted, paged) and one client's page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from chatadmin.accounts import policy
from chatadmin.accounts.sign_in_client import is_sign_in_client
from chatadmin.chat import ChatError
from chatadmin.chat.resources import ClientRow
from chatadmin.clients import selectors
from chatadmin.clients.forms import (
    ClientFilterForm,
)
from chatadmin.clients.table import as_of, query_without, rows_html, sort_columns, table_rows
from chatadmin.clients.views.common import (
    CLIENTS_PER_PAGE,
    problems_explained,
)
from chatadmin.core.http import AuthedRequest, fixed_url, never_stale
from chatadmin.core.problems import (
    Problem,
    problem_of,
)
from chatadmin.core.rendering import fragment, render_page


@require_GET
@never_stale
@problems_explained
def client_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = ClientFilterForm(request.GET or None)
    query = form.query()
    list_url = fixed_url("clients:list")
    context: dict[str, Any] = {
        "query": query,
        "filters": fragment(
            "clients/_filters.html", query=query, list_url=list_url, **form.selects(query)
        ),
        "filtered": query.filtered,
        "can_change": policy.can_change_clients(user),
        "sees_all": policy.sees_all_clients(user),
        "read_only": policy.is_read_only(user),
        "rows": [],
        "problem": "",
        "refresh_url": f"?{query_without(request.GET, 'refresh', 'page')}&refresh=1",
        "finding_label": selectors.FINDINGS.get(query.finding, ""),
        "list_url": list_url,
        "create_url": fixed_url("clients:create"),
        "delete_many_url": fixed_url("clients:delete_many"),
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
    context["table_head"] = fragment(
        "clients/_table_head.html",
        columns=sort_columns(request.GET, query.sort),
        any_selectable=context["any_selectable"],
        can_change=context["can_change"],
    )
    context["rows_html"] = rows_html(
        context["rows"],
        any_selectable=context["any_selectable"],
        can_change=context["can_change"],
    )
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
