"""Request types for views (what the middleware stack guarantees), one caching rule, and the
URLs that never change."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from chatadmin.accounts.models import User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxRequest):
    """A request behind LoginRequiredMiddleware: the user is signed in."""

    user: User  # type: ignore[assignment]


def never_stale[**P](view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Pages that show what changes (lists of clients and tokens): never from a cache.

    After a create, edit or delete, Back must show the change: `Cache-Control: no-store`
    keeps the page out of the HTTP cache (and, in Chromium, out of the back/forward cache),
    and `Vary: HX-Request` stops a browser from ever serving the htmx region a URL answered
    with as the page itself (htmx asks for the region and the page on the same URL).
    """

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        response = view(*args, **kwargs)
        add_never_cache_headers(response)
        patch_vary_headers(response, ("HX-Request",))
        return response

    return wrapper


def fixed_url(name: str) -> str:
    """reverse(name) of a URL without arguments, worked out once per process.

    Every page links the same few fixed URLs (the header's, the list's forms); `{% url %}`
    reverses each on every render, some 25 µs apiece. Keyed on the script prefix and URLconf,
    as reverse() itself depends on them.
    """
    return _fixed_url(name, get_script_prefix(), get_urlconf())


@functools.cache
def _fixed_url(name: str, script_prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf)
