"""The shell's own pages: home and the health check."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from chatadmin.accounts import policy
from chatadmin.core.http import AuthedRequest, never_stale
from chatadmin.core.overview import overview_get
from chatadmin.core.rendering import render_page

logger = logging.getLogger(__name__)


@require_GET
@never_stale
def home(request: AuthedRequest) -> HttpResponse:
    """The overview: numbers at a glance, findings worth acting on, recent events."""
    user = request.user
    context = {
        "overview": overview_get(user),
        "can_change_clients": policy.can_change_clients(user),
        "can_mint_tokens": policy.can_mint_tokens(user),
    }
    return render_page(request, "core/home.html", context)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health: the database did not answer")
        return False


def _cache_answers() -> bool:
    try:
        cache.set("health:probe", "ok", timeout=5)
        return cache.get("health:probe") == "ok"
    except Exception:
        logger.exception("health: the cache did not answer")
        return False


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database and the cache answer, 503 otherwise; says which."""
    checks = {"database": _database_answers(), "cache": _cache_answers()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {name: "ok" if ok else "unavailable" for name, ok in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
