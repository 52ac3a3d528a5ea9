"""Send people back to sign-in when their Chat sign-in is gone, with a message saying why."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from chatadmin.accounts.credentials import ChatSignInRequired


class ChatSignInRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ChatSignInRequired):
            return None
        logout(request)
        messages.warning(request, str(exception))
        login_url = reverse("account_login")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(login_url)
        return redirect(login_url)
