"""Real dashboard processes for the tests in tests/procs/: databases they share, workers, gunicorn.

- `Database`: a dashboard database several processes share (a SQLite file, or a PostgreSQL
  database of its own, `chatadmin_procs_<random>`), migrated once.
- `worker(...)` / `worker_start(...)`: `python -m tests.procs.worker COMMAND` with a JSON
  argument on stdin and one JSON answer on stdout.
- `Gunicorn`: `gunicorn chatadmin.wsgi` with chatadmin's own config, N workers, on a free port.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

import requests

from chatadmin.sandbox.launcher import answers, free_port

ROOT = Path(__file__).resolve().parent.parent.parent
SETTINGS = "tests.procs.settings"
# Every process a test starts must be done within this (they take seconds).
PROCESS_SECONDS = 45
# Variables of the test run the child processes must not inherit.
DROPPED = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CACHE_URL", "CHATADMIN_TEST_KEY_PREFIX")


def postgres_admin_url() -> str:
    """Where to create the tests' own PostgreSQL databases (the server of DATABASE_URL in CI)."""
    given = os.environ.get("CHATADMIN_TEST_POSTGRES_URL")
    if given:
        return given
    database_url = os.environ.get("DATABASE_URL", "")
    if urlsplit(database_url).scheme in {"postgres", "postgresql"}:
        return urlunsplit(urlsplit(database_url)._replace(path="/postgres", query=""))
    return "postgres://postgres@127.0.0.1:5432/postgres"


def redis_url() -> str:
    """The Redis database the tests' processes share (their keys under a prefix of their own)."""
    return os.environ.get("CHATADMIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


def redis_unreachable() -> str | None:
    """Why Redis cannot be used, or None when it answers."""
    import redis

    try:
        redis.Redis.from_url(redis_url(), socket_timeout=2, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis is not reachable at {redis_url()} ({error})"
    return None


def key_prefix() -> str:
    """A cache key prefix for one test's processes alone."""
    return f"chatadmin-procs-{secrets.token_hex(6)}"


def dashboard_env(
    *,
    database_url: str,
    chat_base_url: str,
    var_dir: Path,
    cache_url: str = "locmem://",
    **extra: str,
) -> dict[str, str]:
    """The environment of a dashboard process: test settings, this database, cache and Chat."""
    env = {name: value for name, value in os.environ.items() if name not in DROPPED}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        CHAT_BASE_URL=chat_base_url,
        CHATADMIN_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@dataclass
class Database:
    """A migrated dashboard database that several processes share."""

    url: str
    engine: str  # "sqlite" or "postgres"


def migrate(database_url: str, var_dir: Path) -> None:
    env = dashboard_env(
        database_url=database_url, chat_base_url="http://127.0.0.1:9", var_dir=var_dir
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=PROCESS_SECONDS * 2,
        check=False,
    )
    assert done.returncode == 0, f"migrate failed:\n{done.stdout}\n{done.stderr}"


def postgres_create() -> tuple[str, str]:
    """A new, empty database `chatadmin_procs_<random>`: (its URL, its name).

    Raises when no server answers.
    """
    import psycopg

    name = f"chatadmin_procs_{secrets.token_hex(4)}"
    admin = postgres_admin_url()
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(admin)._replace(path=f"/{name}")), name


def postgres_drop(name: str) -> None:
    import psycopg

    with psycopg.connect(postgres_admin_url(), autocommit=True, connect_timeout=3) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def worker_start(
    command: str, args: Mapping[str, Any], env: Mapping[str, str]
) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.procs.worker", command],
        cwd=ROOT,
        env=dict(env),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    process.stdin.write(json.dumps(args))
    process.stdin.close()
    process.stdin = None  # communicate() would flush it again
    return process


def worker_result(process: subprocess.Popen[str]) -> dict[str, Any]:
    """The worker's answer; fails the test if it crashed or hung."""
    try:
        stdout, stderr = process.communicate(timeout=PROCESS_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        raise AssertionError(f"the worker did not finish:\n{stderr[-3000:]}") from None
    assert process.returncode == 0, f"the worker failed ({process.returncode}):\n{stderr[-3000:]}"
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return result


def worker(command: str, args: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    """Run one worker command to its end."""
    return worker_result(worker_start(command, args, env))


class Gunicorn:
    """chatadmin under gunicorn (chatadmin/gunicorn_conf.py: gthread), `workers` processes."""

    def __init__(self, env: Mapping[str, str], *, workers: int = 2, log: IO[str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": "2",
        }
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> Gunicorn:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "chatadmin.wsgi",
                "-c",
                "python:chatadmin.gunicorn_conf",
                # A connection stays with the worker that accepted it (tests pin workers so).
                "--keep-alive",
                "60",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + PROCESS_SECONDS
        while not answers(f"{self.url}/health/"):
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited with status {self.process.returncode}")
            if time.monotonic() > deadline:
                raise AssertionError("gunicorn did not answer")
            time.sleep(0.1)
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def sessions_on_distinct_workers(url: str, count: int = 2) -> list[requests.Session]:
    """`count` sessions, each with one keep-alive connection held by a different worker.

    Each new session opens a new connection; gunicorn's workers compete to accept it (a worker
    still starting accepts nothing). Sessions whose connection landed on a worker already held
    are closed, until every worker is held.
    """
    from tests.procs.middleware import PID_HEADER

    held: dict[str, requests.Session] = {}
    deadline = time.monotonic() + PROCESS_SECONDS
    while time.monotonic() < deadline:
        session = requests.Session()
        answer = session.get(f"{url}/health/", timeout=10)
        answer.raise_for_status()
        pid = answer.headers[PID_HEADER]
        if pid in held:
            session.close()
            time.sleep(0.05)
            continue
        held[pid] = session
        if len(held) == count:
            return list(held.values())
    raise AssertionError(f"in {PROCESS_SECONDS} s, connections reached only {len(held)} worker(s)")
