"""What every page of the shell needs: the navigation and the signed-in person's role."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

NAVIGATION = (
    ("home", "Overview", "home"),
    ("clients", "API clients", "clients:list"),
    ("tokens", "Tokens", "tokens:list"),
    ("audit", "Audit log", "audit:list"),
    ("settings", "Settings", "settings"),
)


@functools.cache
def _navigation_urls(script_prefix: str) -> tuple[tuple[str, str, str], ...]:
    """Each navigation entry with its URL, worked out once per process (and script prefix)."""
    return tuple((key, label, reverse(url_name)) for key, label, url_name in NAVIGATION)


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    path = request.path
    navigation = []
    for key, label, url in _navigation_urls(get_script_prefix()):
        # The overview is "/", which every path starts with: only "/" itself is the overview.
        current = path == url if url == "/" else path.startswith(url)
        navigation.append({"key": key, "label": label, "url": url, "current": current})
    return {"navigation": navigation}
