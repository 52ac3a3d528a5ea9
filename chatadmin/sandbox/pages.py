"""The sandbox's few pages: a front page, agent sign-in and sign-out, and a health check."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chatadmin.sandbox import demo
from chatadmin.sandbox.models import Account, Agent
from chatadmin.sandbox.signin_limits import Refusal, limits

PAUSED = "signin_paused"  # the error code of a refused attempt


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the browser hints an email field deserves; while sign-in
    is paused (`refusal`) it refuses before checking any password."""

    def __init__(self, *args: Any, refusal: Refusal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refusal = refusal
        self.fields["username"].label = "Email"
        self.fields["username"].widget.input_type = "email"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self) -> dict[str, Any]:
        if self.refusal is not None:
            raise ValidationError(self.refusal.message, code=PAUSED)
        return super().clean()

    def pause(self, refusal: Refusal) -> None:
        """This failure started a pause: say so beside the wrong-password message."""
        self.refusal = refusal
        self.add_error(None, ValidationError(refusal.message, code=PAUSED))


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("sandbox:home")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "sandbox/home.html",
        {
            "account": Account.load(),
            "base_url": request.build_absolute_uri("/").rstrip("/"),
            "demo": demo,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    """Sign an agent in; wrong passwords count towards a pause (chatadmin.sandbox.signin_limits)."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method != "POST":
        return _signin_page(request, SignInForm(request), next_url)
    email, ip = request.POST.get("username", ""), request.META.get("REMOTE_ADDR", "")
    form = SignInForm(request, data=request.POST, refusal=limits.refusal(email=email, ip=ip))
    if form.is_valid():
        agent = form.get_user()
        login(request, agent)
        Agent.objects.filter(pk=agent.pk).update(login_count=F("login_count") + 1)
        limits.succeeded(email=email)
        return redirect(next_url)
    if form.has_error(NON_FIELD_ERRORS, "invalid_login"):
        refusal = limits.failed(email=email, ip=ip)
        if refusal is not None:
            form.pause(refusal)
    return _signin_page(request, form, next_url)


def _signin_page(request: HttpRequest, form: SignInForm, next_url: str) -> HttpResponse:
    """The page; 429 with Retry-After while sign-in is paused, 400 for other errors."""
    status = 429 if form.refusal is not None else 400 if form.errors else 200
    response = render(
        request, "sandbox/signin.html", {"form": form, "next": next_url}, status=status
    )
    if form.refusal is not None:
        response["Retry-After"] = str(form.refusal.retry_after)
    return response


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(_safe_next(request, request.POST.get("next")))


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database answers (docker's health check, the test fixture's readiness)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            healthy = cursor.fetchone() == (1,)
    except Exception:  # any failure means "not healthy", reported as such
        healthy = False
    status = "ok" if healthy else "unavailable"
    return JsonResponse({"status": status}, status=200 if healthy else 503)
