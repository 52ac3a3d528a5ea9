"""Hand Django messages to htmx as a client event, so partial responses can show toasts."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django_htmx.http import trigger_client_event


class HtmxMessagesMiddleware:
    """On an htmx request that is not a redirect, move pending messages into HX-Trigger."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or 300 <= response.status_code < 400:
            return response
        if "HX-Redirect" in response or "HX-Location" in response:
            # The next full page will show them.
            return response
        pending = [
            {"level": message.level_tag, "text": str(message)}
            for message in messages.get_messages(request)
        ]
        if pending:
            trigger_client_event(response, "messages", pending)  # type: ignore[arg-type]  # htmx accepts any JSON
        return response


class PrivatePagesMiddleware:
    """Pages for a signed-in person are never kept by the browser or anything in between.

    They show someone's clients and tokens and change as soon as something is created or
    deleted: Back must ask again (Cache-Control: no-store keeps them out of the back/forward
    cache too), and no shared cache may hold them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
