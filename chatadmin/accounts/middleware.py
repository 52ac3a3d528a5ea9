"""Each request's Chat access: one deadline and one ChatApi per person; sign-out when it ends."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from chatadmin.accounts.chat_access import ChatSignInRequired, chat_access_scope
from chatadmin.chat import chat_config, chat_deadline


class ChatAccessMiddleware:
    """Open the request's Chat deadline and access scope; a dead Chat sign-in signs out.

    Every Chat call of the request shares one deadline (CHAT_PAGE_DEADLINE) and each person's
    ChatApi is built once (its credential decrypted once). When Chat refuses to renew the
    person's sign-in, they are signed out and the sign-in page says why.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with chat_deadline(chat_config().page_deadline), chat_access_scope():
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
