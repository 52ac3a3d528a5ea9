"""The Redis cache keeps one client per server, and works as Django's does (real Redis)."""

from __future__ import annotations

import os
import threading

import pytest
import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from chatadmin import config
from chatadmin.core.redis_cache import RedisCache

REDIS_URL = os.environ.get("CHATADMIN_SPEED_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


@pytest.fixture
def redis_cache() -> RedisCache:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    entry = config.cache_from_url(REDIS_URL)
    cache = RedisCache(entry["LOCATION"], {"KEY_PREFIX": "chatadmin-test-reuse"})
    cache.delete_many(["counter", *(f"key-{n}" for n in range(8))])
    return cache


def test_the_configured_backend_is_this_one() -> None:
    backend = config.cache_from_url(REDIS_URL)["BACKEND"]
    assert backend == "chatadmin.core.redis_cache.RedisCache"
    assert issubclass(RedisCache, DjangoRedisCache)


def test_one_client_serves_every_call(redis_cache: RedisCache) -> None:
    client = redis_cache._cache
    first = client.get_client("a")
    assert client.get_client("b") is first
    assert client.get_client("c", write=True) is first  # one server: reads and writes alike


def test_reads_writes_and_counters_work_from_many_threads(redis_cache: RedisCache) -> None:
    redis_cache.set("counter", 0)
    failures: list[BaseException] = []

    def work(number: int) -> None:
        try:
            for step in range(20):
                redis_cache.set(f"key-{number}", {"step": step})
                assert redis_cache.get(f"key-{number}") == {"step": step}
                redis_cache.incr("counter")
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert failures == []
    assert redis_cache.get("counter") == 160
    assert redis_cache.get_many([f"key-{n}" for n in range(8)]) == {
        f"key-{n}": {"step": 19} for n in range(8)
    }
