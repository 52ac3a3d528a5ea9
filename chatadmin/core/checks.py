"""chatadmin's own system checks (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

LOCAL_MEMORY = "django.core.cache.backends.locmem.LocMemCache"


@checks.register(checks.Tags.caches, deploy=True)
def cache_shared_by_processes(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """In production the cache must be one that every process shares (Redis), not local memory."""
    if settings.DEVELOPMENT or settings.CACHES["default"]["BACKEND"] != LOCAL_MEMORY:
        return []
    return [
        checks.Warning(
            "The cache is this process's own memory (CACHE_URL is not set, or locmem://).",
            hint=(
                "That is right for one process only. With more than one (gunicorn's workers, "
                "several containers) sign-in rate limits, the client list's snapshot and its "
                "invalidation, sessions and Chat role re-checks are not shared between them: "
                "set CACHE_URL=redis://host:6379/0."
            ),
            id="chatadmin.W001",
        )
    ]
