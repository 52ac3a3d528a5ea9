"""Where the short load runs keep their data, or why they cannot run here.

They run the production setup: gunicorn with two worker processes, which share sessions, the
client-list snapshot and rate limits only through Redis, and the dashboard's data only through
PostgreSQL. With the local defaults (SQLite, local memory) that setup does not exist, so they
are skipped with that reason; CI sets DATABASE_URL and CACHE_URL (.ci/run) and runs them.

Their databases are the suite's database name + `_load` (and `_load_sandbox`), and the Redis
database after the suite's; CHATADMIN_LOAD_DATABASE_URL and CHATADMIN_LOAD_CACHE_URL choose
others.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import pytest

from bench.loadtest.stack import Settings

NEEDS = (
    "the load runs start the production setup (gunicorn with 2 workers sharing PostgreSQL and "
    "Redis); set DATABASE_URL=postgres://... and CACHE_URL=redis://... as CI does (.ci/run)"
)


def _next_redis_db(url: str) -> str:
    parts = urlsplit(url)
    number = int(parts.path.lstrip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(number + 1) % 16}"))


def load_settings() -> Settings | None:
    database = os.environ.get("CHATADMIN_LOAD_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    cache = os.environ.get("CHATADMIN_LOAD_CACHE_URL") or (
        _next_redis_db(os.environ["CACHE_URL"]) if os.environ.get("CACHE_URL") else ""
    )
    if not database.startswith(("postgres://", "postgresql://")) or not cache.startswith(
        "redis://"
    ):
        return None
    if not os.environ.get("CHATADMIN_LOAD_DATABASE_URL"):
        parts = urlsplit(database)
        name = f"{parts.path.lstrip('/')}_load"
        database = urlunsplit(parts._replace(path=f"/{name}", query=""))
    parts = urlsplit(database)
    sandbox = urlunsplit(parts._replace(path=f"{parts.path}_sandbox"))
    return Settings(dashboard_db=database, sandbox_db=sandbox, dashboard_cache=cache)


@pytest.fixture
def load_stack_settings() -> Settings:
    settings = load_settings()
    if settings is None:
        pytest.skip(NEEDS)
    return settings
