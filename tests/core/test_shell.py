"""The shell: sign-in required everywhere, CSP with nonces, navigation, messages for htmx."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from chatadmin.accounts.models import User

PUBLIC_PREFIXES = ("/health/", "/accounts/", "/admin/")


def _sample_path(prefix: str, pattern: URLPattern | URLResolver) -> list[str]:
    route = str(pattern.pattern)
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(?:str|slug):[^>]+>", "x", route)
    route = route.lstrip("^").rstrip("$")
    if isinstance(pattern, URLResolver):
        paths = []
        for child in pattern.url_patterns:
            paths += _sample_path(prefix + route, child)
        return paths
    return [prefix + route]


def _own_paths() -> list[str]:
    paths = []
    for pattern in get_resolver().url_patterns:
        paths += _sample_path("/", pattern)
    return sorted({p for p in paths if not p.startswith(PUBLIC_PREFIXES)})


def test_every_page_is_listed() -> None:
    # Guards the test below: it must see the shell's pages.
    paths = _own_paths()
    assert {"/", "/clients/", "/tokens/", "/audit/", "/settings/"} <= set(paths)


@pytest.mark.django_db
@pytest.mark.parametrize("path", _own_paths())
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_people_are_sent_to_sign_in(client: Client, path: str, method: str) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_signed_in_admin_sees_the_shell(admin_client: Client, admin_user: User) -> None:
    response = admin_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("API clients", "Tokens", "Audit log", "Settings"):
        assert f">{label}</a>" in html
    assert admin_user.email in html
    assert 'class="badge badge--admin"' in html


@pytest.mark.django_db
def test_pages_carry_a_csp_header_with_a_nonce_used_by_every_script(admin_client: Client) -> None:
    response = admin_client.get("/")
    header = response["Content-Security-Policy"]
    match = re.search(r"script-src 'self' 'nonce-([^']+)'", header)
    assert match, header
    nonce = match.group(1)
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert len(scripts) >= 2  # htmx and ours
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert "frame-ancestors 'none'" in header
    # Sign-in forms are redirected to the Chat account's authorize page: form-action allows it.
    assert "form-action 'self' http://127.0.0.1:8001" in header
    assert "style-src 'self'" in header and "unsafe-inline" not in header


@pytest.mark.django_db
def test_nonce_changes_per_response(admin_client: Client) -> None:
    first = admin_client.get("/")["Content-Security-Policy"]
    second = admin_client.get("/")["Content-Security-Policy"]
    assert first != second


@pytest.mark.django_db
def test_sign_in_page_also_carries_the_csp(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "'nonce-" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_htmx_responses_carry_messages_as_a_client_event(
    admin_client: Client, make_user: object
) -> None:
    target = make_user("user", email="someone@example.com")  # type: ignore[operator]
    response = admin_client.post(
        f"/settings/people/{target.pk}/role/",
        {"role": "support"},
        headers={"HX-Request": "true", "HX-Target": "people"},
    )
    assert response.status_code == 200
    trigger = json.loads(response["HX-Trigger"])
    assert trigger["messages"] == [
        {"level": "success", "text": "someone@example.com is now Support."}
    ]
    # The partial only: no page chrome.
    assert b"<html" not in response.content
    assert b'id="people"' in response.content
