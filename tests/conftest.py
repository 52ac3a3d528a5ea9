"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import responses
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client

from chatadmin.accounts.chat_identity import forget_local_checks
from chatadmin.accounts.models import User
from chatadmin.accounts.roles import Role
from chatadmin.chat.pools import pools_close
from chatadmin.clients.snapshot import forget_local_snapshots
from tests.chat.scripted_server import ScriptedServer

pytest_plugins = ["tests.fixtures.sandbox", "tests.fixtures.people"]

PASSWORD = "correct horse battery staple 42"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """allauth's rate-limit counters live in the cache; with Redis they would outlive a test.

    Each process's own copies of client-list snapshots and identity checks go with it.
    """
    cache.clear()
    forget_local_snapshots()
    forget_local_checks()
    yield
    cache.clear()
    forget_local_snapshots()
    forget_local_checks()


@pytest.fixture(autouse=True)
def _no_outbound_http(request: pytest.FixtureRequest) -> Iterator[responses.RequestsMock | None]:
    """Unit tests never reach the network; tests marked `live` talk to real local servers."""
    if request.node.get_closest_marker("live"):
        yield None
        return
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def http_mock(_no_outbound_http: responses.RequestsMock | None) -> responses.RequestsMock:
    """The outbound-HTTP mock of this test, to register the answers the Chat API gives."""
    assert _no_outbound_http is not None, "a live test talks to real servers, not to a mock"
    return _no_outbound_http


@pytest.fixture(autouse=True)
def _fresh_chat_pools() -> Iterator[None]:
    """Each test starts with no pooled Chat connection (the pool is process-wide)."""
    yield
    pools_close()


@pytest.fixture
def scripted_server(http_mock: responses.RequestsMock) -> Iterator[ScriptedServer]:
    """A real local server playing scripted answers; the outbound mock lets calls through."""
    server = ScriptedServer()
    server.start()
    http_mock.add_passthru(server.url)
    yield server
    server.stop()


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """A person with a verified email who can sign in with PASSWORD."""
    counter = {"n": 0}

    def make(role: str = Role.USER, email: str | None = None, **extra: object) -> User:
        counter["n"] += 1
        email = email or f"{role}{counter['n']}@example.com"
        user = User.objects.create_user(email=email, password=PASSWORD, role=role, **extra)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        return user

    return make


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMIN, email="admin@example.com")


@pytest.fixture
def plain_user(make_user: Callable[..., User]) -> User:
    return make_user(Role.USER, email="agent@example.com")


@pytest.fixture
def support_user(make_user: Callable[..., User]) -> User:
    return make_user(Role.SUPPORT, email="support@example.com")


@pytest.fixture
def admin_client(client: Client, admin_user: User) -> Client:
    client.force_login(admin_user)
    return client


@pytest.fixture
def csrf_client() -> Client:
    """A client that enforces CSRF like a browser would."""
    return Client(enforce_csrf_checks=True)
