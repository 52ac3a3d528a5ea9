"""A client secret is shown once, in the answer to create or regenerate, and kept nowhere.

Not in a later page, the audit log, a log line, the session, the cache, a cookie, or any row of
the dashboard's database.
"""

from __future__ import annotations

import logging

import pytest
import responses
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client

from chatadmin.audit.models import AuditEvent
from tests.fixtures.chat_payloads import CLIENTS, NEW_SECRET, SECRET, TOKENS, client_json
from tests.fixtures.pages import htmx, text

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Reporting",
    "redirect_uris": "https://app.example.com/cb",
    "scopes": ["read"],
    "client_type": "confidential",
}


def cached_bytes() -> bytes:
    """Every value in the cache, raw (local memory or Redis)."""
    cache = caches["default"]
    backend = type(cache).__name__
    if backend == "LocMemCache":
        return b"".join(cache._cache.values())  # type: ignore[attr-defined]
    if backend == "RedisCache":
        redis = cache._cache.get_client()  # type: ignore[attr-defined]
        return b"".join(redis.get(key) or b"" for key in redis.keys("*"))
    raise AssertionError(f"cannot look inside a {backend}")


def database_text() -> str:
    """Every row of every dashboard table, as text."""
    rows: list[str] = []
    for model in apps.get_models():
        rows.extend(str(row) for row in model._default_manager.values())
    return "\n".join(rows)


def test_the_secret_is_shown_once_and_kept_nowhere(
    as_agent: Client, http_mock: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    http_mock.post(CLIENTS, status=201, json=client_json(12, name="Reporting", secret=SECRET))
    http_mock.post(f"{CLIENTS}/12/generate_secret", json=client_json(12, secret=NEW_SECRET))
    # Older Chat docs show full secrets in list and show answers: the pages must still hide them.
    http_mock.get(CLIENTS, json=[client_json(12, secret=NEW_SECRET)])
    http_mock.get(f"{CLIENTS}/12", json=client_json(12, secret=NEW_SECRET))
    http_mock.get(TOKENS, json=[])

    with caplog.at_level(logging.DEBUG):
        created = as_agent.post("/clients/new/", FORM)
        renewed = as_agent.post("/clients/12/secret/", headers=htmx("client-page"))
        later = [
            as_agent.get(path)
            for path in (
                "/clients/",
                "/clients/12/",
                "/clients/12/edit/",
                "/clients/12/secret/",
                "/clients/12/delete/",
                "/audit/",
            )
        ]
    assert SECRET in text(created) and NEW_SECRET in text(renewed)
    assert AuditEvent.objects.count() == 2, "the check below must look at real events"
    assert caplog.records, "the check below must look at real log lines"
    assert cached_bytes(), "the check below must look at a real cache (sessions live there)"

    logged = "\n".join(record.getMessage() for record in caplog.records)
    audited = "\n".join(str(list(vars(event).values())) for event in AuditEvent.objects.all())
    sessions = "\n".join(str(session.get_decoded()) for session in Session.objects.all())
    cookies = "\n".join(str(response.cookies) for response in (created, renewed, *later)) + str(
        as_agent.cookies
    )
    for secret in (SECRET, NEW_SECRET):
        for page in later:
            assert page.status_code == 200 and secret not in text(page), page.request["PATH_INFO"]
        assert secret not in logged
        assert secret not in audited
        assert secret not in sessions
        assert secret not in cookies
        assert secret.encode() not in cached_bytes()
        assert secret not in database_text()
