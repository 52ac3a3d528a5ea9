"""Each request's session and Chat access, and sign-out when either is over.

A session ends at its bounded lifetime (CHATADMIN_SESSION_HOURS after sign-in, or
CHATADMIN_SESSION_IDLE_MINUTES without a request); every request gets one Chat deadline and
one ChatApi per person; a dead Chat sign-in signs the person out. Each says why.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user, logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from chatadmin.accounts.chat_access import ChatSignInRequired, chat_access_scope
from chatadmin.accounts.chat_identity import chat_identity_refresh
from chatadmin.audit.models import Outcome
from chatadmin.audit.services import audit_record
from chatadmin.chat import chat_config, chat_deadline

SIGNED_IN_AT = "chatadmin.signed_in_at"
LAST_SEEN_AT = "chatadmin.last_seen_at"
# Activity is noted at most once a minute, so a busy page does not write the session each time.
TOUCH_EVERY_SECONDS = 60


def _to_sign_in(request: HttpRequest, *, next_url: str = "") -> HttpResponse:
    login_url = reverse("account_login")
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(login_url)
    if next_url:
        login_url = f"{login_url}?{urlencode({'next': next_url})}"
    return redirect(login_url)


def session_start(session: SessionBase) -> None:
    """Note when this session signed in: its absolute and idle limits count from here."""
    now = time.time()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now


def session_end_reason(session: SessionBase, *, now: float) -> str | None:
    """Why this signed-in session is over, in words for the person; None while it is not."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT, signed_in_at)
    if signed_in_at is None or last_seen_at is None:
        return None
    hours = settings.CHATADMIN_SESSION_HOURS
    minutes = settings.CHATADMIN_SESSION_IDLE_MINUTES
    if now - float(signed_in_at) >= hours * 3600:
        return f"You were signed out: sessions end {hours} hours after sign-in. Sign in again."
    if now - float(last_seen_at) >= minutes * 60:
        return f"You were signed out after {minutes} minutes without activity. Sign in again."
    return None


class SessionLifetimeMiddleware:
    """End sessions past their absolute or idle limit: audited, then back to sign-in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Every request needs the person here: resolve them once in place of the lazy wrapper
        # AuthenticationMiddleware put on the request (nothing before this reads it), so the
        # hundreds of reads a page makes of the person skip the wrapper's indirection.
        request.user = user = get_user(request)
        if not user.is_authenticated:
            return self.get_response(request)
        session, now = request.session, time.time()
        if SIGNED_IN_AT not in session:  # a session from before these limits: count from now
            session_start(session)
        reason = session_end_reason(session, now=now)
        if reason is not None:
            return self._end(request, reason)
        if now - float(session.get(LAST_SEEN_AT, 0)) >= TOUCH_EVERY_SECONDS:
            session[LAST_SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def _end(request: HttpRequest, reason: str) -> HttpResponse:
        user = request.user
        audit_record(
            "auth.session_expired",
            outcome=Outcome.SUCCESS,
            actor=user,  # type: ignore[arg-type]
            target_type="user",
            target_id=user.pk,
            target_label=str(getattr(user, "email", "")),
            message=reason,
            request=request,
        )
        logout(request)
        messages.warning(request, reason)
        next_url = request.get_full_path() if request.method == "GET" else ""
        return _to_sign_in(request, next_url=next_url)


# Pages that must work whatever Chat says of the person: sign-in and sign-out, health, files.
UNCHECKED_PREFIXES = ("/accounts/", "/health/", "/static/")


class ChatAccessMiddleware:
    """Open the request's Chat deadline and access scope; Chat's word on the person; sign-out.

    Every Chat call of the request shares one deadline (CHAT_PAGE_DEADLINE) and each person's
    ChatApi is built once (its credential decrypted once). A person signed in with Chat is
    asked about again at least every CHATADMIN_CHAT_RECHECK_SECONDS (chat_identity). When Chat
    disables them, or refuses to renew their sign-in, they are signed out and told why.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with chat_deadline(chat_config().page_deadline), chat_access_scope():
            if not request.path.startswith(UNCHECKED_PREFIXES):
                try:
                    chat_identity_refresh(request.user, request=request)  # type: ignore[arg-type]
                except ChatSignInRequired as ended:
                    return self._sign_out(request, ended)
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ChatSignInRequired):
            return None
        return self._sign_out(request, exception)

    @staticmethod
    def _sign_out(request: HttpRequest, ended: ChatSignInRequired) -> HttpResponse:
        logout(request)
        messages.warning(request, ended.explanation)
        return _to_sign_in(request)
