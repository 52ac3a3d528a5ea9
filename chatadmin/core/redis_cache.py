"""Django's Redis cache, with one Redis client per server instead of one per cache call.

Django's RedisCacheClient builds a new `redis.Redis` for every get or set; each build fills
its table of some 170 response callbacks, a fixed cost on every cache read of every request.
A `redis.Redis` over a connection pool is safe to share between threads (redis-py's
documentation), so each server's client is built once and kept; connections still come from
the same pools.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}  # by id of the connection pool (pools are kept)

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient
