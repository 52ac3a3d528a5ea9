"""The sandbox's few pages: a front page, agent sign-in and sign-out, and a health check."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
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


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the browser hints an email field deserves."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = "Email"
        self.fields["username"].widget.input_type = "email"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


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
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        agent = form.get_user()
        login(request, agent)
        Agent.objects.filter(pk=agent.pk).update(login_count=F("login_count") + 1)
        return redirect(next_url)
    return render(
        request,
        "sandbox/signin.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


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
