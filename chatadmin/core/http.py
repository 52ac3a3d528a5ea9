"""Request types for views: what the middleware stack guarantees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from chatadmin.accounts.models import User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxRequest):
    """A request behind LoginRequiredMiddleware: the user is signed in."""

    user: User  # type: ignore[assignment]
