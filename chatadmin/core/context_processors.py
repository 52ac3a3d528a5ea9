"""What every page of the shell needs: the navigation and the signed-in person's role."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString

from chatadmin.core.http import fixed_url

NAVIGATION = (
    ("home", "Overview", "home"),
    ("clients", "API clients", "clients:list"),
    ("tokens", "Tokens", "tokens:list"),
    ("audit", "Audit log", "audit:list"),
    ("settings", "Settings", "settings"),
)


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    home_url = fixed_url("home")
    if user is None or not user.is_authenticated:
        return {"navigation": "", "home_url": home_url}
    return {
        "navigation": _navigation(request.path),
        "home_url": home_url,
        "sign_out_url": fixed_url("account_logout"),
    }


def _navigation(path: str) -> SafeString:
    """The main navigation with the section `path` is in marked as current."""
    current = ""
    for key, _label, url_name in NAVIGATION:
        url = fixed_url(url_name)
        # The overview is "/", which every path starts with: only "/" itself is the overview.
        if (path == url) if url == "/" else path.startswith(url):
            current = key
    return _navigation_html(current, get_script_prefix(), get_urlconf())


@functools.cache
def _navigation_html(current: str, script_prefix: str, urlconf: str | None) -> SafeString:
    """The navigation as includes/navigation.html draws it: once per process and section."""
    items = [
        {"label": label, "url": fixed_url(url_name), "current": key == current}
        for key, label, url_name in NAVIGATION
    ]
    return render_to_string("includes/navigation.html", {"navigation": items})
