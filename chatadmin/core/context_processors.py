"""What every page of the shell needs: the navigation and the signed-in person's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

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
        return {"navigation": [], "home_url": home_url}
    path = request.path
    navigation = []
    for key, label, url_name in NAVIGATION:
        url = fixed_url(url_name)
        # The overview is "/", which every path starts with: only "/" itself is the overview.
        current = path == url if url == "/" else path.startswith(url)
        navigation.append({"key": key, "label": label, "url": url, "current": current})
    return {
        "navigation": navigation,
        "home_url": home_url,
        "sign_out_url": fixed_url("account_logout"),
    }
