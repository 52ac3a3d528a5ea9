"""What every page of the shell needs: the navigation and the signed-in person's role."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.http import HttpRequest
from django.utils.safestring import SafeString

from chatadmin.core.http import fixed_url
from chatadmin.core.rendering import fragment

NAVIGATION = (  # (label, URL name)
    ("Overview", "home"),
    ("API clients", "clients:list"),
    ("Tokens", "tokens:list"),
    ("Audit log", "audit:list"),
    ("Settings", "settings"),
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


class NavigationItem(NamedTuple):
    label: str
    url: str
    current: bool


def _navigation(path: str) -> SafeString:
    """The main navigation with the section `path` is in marked as current (drawn once per
    process and section, as a fragment)."""
    items = []
    for label, url_name in NAVIGATION:
        url = fixed_url(url_name)
        # The overview is "/", which every path starts with: only "/" itself is the overview.
        current = (path == url) if url == "/" else path.startswith(url)
        items.append(NavigationItem(label, url, current))
    return fragment("includes/navigation.html", navigation=tuple(items))
