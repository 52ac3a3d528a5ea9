"""One pooled requests.Session per Chat host for the whole process (no cookies, no credential)."""

from __future__ import annotations

import functools
import http.cookiejar
import importlib.metadata
import threading
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

# Connections kept per host: at least one per gunicorn thread (4), with room to spare.
POOL_SIZE = 10


@functools.cache
def chatadmin_version() -> str:
    """chatadmin's version, for the User-Agent."""
    try:
        return importlib.metadata.version("chatadmin")
    except importlib.metadata.PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        return str(tomllib.loads(pyproject.read_text())["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _new_pool() -> requests.Session:
    session = requests.Session()
    # One pool serves every person's calls: it must never carry a cookie from one to another.
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    session.headers["User-Agent"] = f"chatadmin/{chatadmin_version()}"
    session.headers["Accept"] = "application/json"
    # Attempts are made one at a time by ChatTransport.send (so each fits the deadline).
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=POOL_SIZE, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


_pools: dict[str, requests.Session] = {}
_pools_lock = threading.Lock()


def pool_for(url: str) -> requests.Session:
    """The process's one pooled session for the host of `url` (scheme, host and port)."""
    parts = urlsplit(url)
    key = f"{parts.scheme}://{parts.netloc}".lower()
    with _pools_lock:
        session = _pools.get(key)
        if session is None:
            session = _pools[key] = _new_pool()
        return session


def connections_opened() -> int:
    """How many TCP (and TLS) connections this process has opened to Chat hosts so far."""
    total = 0
    with _pools_lock:
        sessions = list(_pools.values())
    for session in sessions:
        for adapter in {id(a): a for a in session.adapters.values()}.values():
            pools = getattr(adapter, "poolmanager", None)
            if pools is None:
                continue
            for key in list(pools.pools.keys()):
                pool = pools.pools.get(key)
                total += getattr(pool, "num_connections", 0)
    return total


def pools_close() -> None:
    """Close every pooled connection (tests, and a process that forks)."""
    with _pools_lock:
        sessions = list(_pools.values())
        _pools.clear()
    for session in sessions:
        session.close()
