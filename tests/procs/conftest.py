"""Fixtures of the multi-process tests: databases that several real processes share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.procs.processes import (
    Database,
    key_prefix,
    migrate,
    postgres_admin_url,
    postgres_create,
    postgres_drop,
    redis_unreachable,
    redis_url,
)


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """A dashboard database in a SQLite file (the embedded default), migrated."""
    folder = tmp_path_factory.mktemp("procs-sqlite")
    url = f"sqlite:///{folder / 'dashboard.sqlite3'}"
    migrate(url, folder)
    return Database(url, "sqlite")


@pytest.fixture(scope="session")
def postgres_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A PostgreSQL database of its own (`chatadmin_procs_<random>`), migrated, dropped at the end.

    Skipped, saying why, only when no PostgreSQL server answers (CI has one).
    """
    try:
        url, name = postgres_create()
    except Exception as error:
        pytest.skip(f"PostgreSQL is not reachable at {_shown(postgres_admin_url())}: {error}")
    try:
        migrate(url, tmp_path_factory.mktemp("procs-postgres"))
        yield Database(url, "postgres")
    finally:
        postgres_drop(name)


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest) -> Database:
    """Each engine in turn: the embedded SQLite default and PostgreSQL."""
    chosen: Database = request.getfixturevalue(f"{request.param}_database")
    return chosen


@pytest.fixture
def redis_needed() -> None:
    reason = redis_unreachable()
    if reason:
        pytest.skip(reason)


@pytest.fixture
def cache_prefix(redis_needed: None) -> Iterator[str]:
    """The Redis key prefix of this test's processes; their keys are deleted afterwards."""
    import redis

    prefix = key_prefix()
    yield prefix
    store = redis.Redis.from_url(redis_url(), socket_timeout=5)
    keys = list(store.scan_iter(match=f"{prefix}:*", count=500))
    if keys:
        store.delete(*keys)


def _shown(url: str) -> str:
    from chatadmin.config import redact_url

    return redact_url(url)
