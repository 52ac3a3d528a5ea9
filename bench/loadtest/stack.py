"""The production setup on loopback: PostgreSQL, Redis, the sandbox and gunicorn.

`Stack` creates its own databases (dropped first), empties its Redis database, seeds and
starts the sandbox (`manage.py runsandbox`, its own process), prepares the account for the
people of the run (agents, their clients, tokens to revoke, the dashboard's callback on this
port), migrates and serves the dashboard with gunicorn (2 workers x 4 threads, DEBUG off,
production settings except HTTPS, which loopback has not), and stops everything at the end.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
import requests
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from chatadmin.sandbox import demo  # noqa: E402 - needs the path above
from chatadmin.sandbox.launcher import (  # noqa: E402
    DROPPED,
    MANAGE_PY,
    SandboxProcess,
    answers,
    free_port,
)

CONTROL = "X-Sandbox-Control-Key"
# The end of an access log line of chatadmin/gunicorn_conf.py: `... %(s)s %(b)s %(M)sms`.
ACCESS_TIME = re.compile(r'" \d{3} \S+ (\d+)ms$', re.M)
TIMEOUT = 30
CALLBACK = "/accounts/zendeskchat/login/callback/"


class StackError(RuntimeError):
    pass


@dataclass(frozen=True)
class Plan:
    """Who takes part and what the account holds before the run."""

    people: int = 20
    admins: int = 4  # the first ones are Chat administrators (chatadmin admins)
    bulk_clients: int = 300  # owned by the account owner: "others'" clients for admins
    clients_each: int = 5  # each person's own clients before the run
    tokens_each: int = 12  # tokens each person may revoke
    prefix: str = "load"

    def email(self, number: int) -> str:
        kind = "admin" if number < self.admins else "agent"
        return f"{self.prefix}-{kind}-{number:02d}@sandbox.test"

    def is_admin(self, number: int) -> bool:
        return number < self.admins


@dataclass(frozen=True)
class Settings:
    """Where the stack keeps its data: PostgreSQL databases and Redis databases."""

    dashboard_db: str  # postgres://... of the dashboard
    sandbox_db: str  # postgres://... of the sandbox
    dashboard_cache: str  # redis://.../n
    sandbox_cache: str = ""  # redis://.../n, or "" for the sandbox's local memory

    @classmethod
    def from_environment(cls, default_name: str = "chatadmin_load") -> Settings:
        base = os.environ.get("CHATADMIN_LOAD_DATABASE_URL") or (
            f"postgres://postgres@127.0.0.1:5432/{default_name}"
        )
        return cls(
            dashboard_db=base,
            sandbox_db=os.environ.get("CHATADMIN_LOAD_SANDBOX_DATABASE_URL")
            or _renamed(base, f"{_db_name(base)}_sandbox"),
            dashboard_cache=os.environ.get("CHATADMIN_LOAD_CACHE_URL")
            or "redis://127.0.0.1:6379/7",
            sandbox_cache=os.environ.get("CHATADMIN_LOAD_SANDBOX_CACHE_URL", ""),
        )


def _db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _renamed(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_url(url: str) -> str:
    return _renamed(url, "postgres")


def database_recreate(url: str) -> None:
    """Drop and create the database `url` names (it must be ours: the name says so)."""
    name = _db_name(url)
    with psycopg.connect(_admin_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def database_drop(url: str) -> None:
    name = _db_name(url)
    with psycopg.connect(_admin_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def cache_flush(url: str) -> None:
    if url:
        client = redis.Redis.from_url(url)
        try:
            client.flushdb()
        finally:
            client.close()


@dataclass
class Person:
    """One person of the run, as the stack prepared them."""

    number: int
    email: str
    admin: bool
    agent_id: int = 0
    clients: dict[int, dict[str, Any]] = field(default_factory=dict)  # their own, by id
    tokens: list[int] = field(default_factory=list)  # theirs to revoke
    others: list[int] = field(default_factory=list)  # admins: others' clients to change


def _clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    # Nothing of the developer's shell (demo mode, debug, test settings) may leak in.
    for name in ("CHATADMIN_DEMO", "DEBUG", "PYTEST_CURRENT_TEST", "PYTEST_XDIST_WORKER"):
        env.pop(name, None)
    env.update(extra)
    return env


class Stack:
    def __init__(
        self,
        settings: Settings,
        plan: Plan,
        *,
        folder: Path,
        overrides: dict[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self.plan = plan
        self.folder = folder
        self.control_key = secrets.token_urlsafe(24)
        self.sandbox_port = free_port()
        self.dashboard_port = free_port()
        self.sandbox_url = f"http://127.0.0.1:{self.sandbox_port}"
        self.url = f"http://127.0.0.1:{self.dashboard_port}"
        self.sandbox: SandboxProcess | None = None
        self.gunicorn: subprocess.Popen[bytes] | None = None
        self.people: list[Person] = []
        self._sandbox_secret = secrets.token_urlsafe(50)
        self._control = requests.Session()
        self._control.headers[CONTROL] = self.control_key
        self._logs: list[Any] = []
        self.dashboard_env = _clean_env(
            {
                "DJANGO_SETTINGS_MODULE": "chatadmin.settings",
                "DATABASE_URL": settings.dashboard_db,
                "CACHE_URL": settings.dashboard_cache,
                "SECRET_KEY": secrets.token_urlsafe(50),
                "FERNET_KEYS": Fernet.generate_key().decode(),
                "ALLOWED_HOSTS": "127.0.0.1",
                "MAIL_URL": "console://",
                # Loopback has no TLS: secure cookies and the HTTPS redirect would lock us out.
                "CHATADMIN_HTTPS": "0",
                "CHAT_SUBDOMAIN": demo.SUBDOMAIN,
                "CHAT_BASE_URL": self.sandbox_url,
                "CHAT_OAUTH_CLIENT_ID": demo.DASHBOARD_CLIENT_ID,
                "CHAT_OAUTH_CLIENT_SECRET": demo.DASHBOARD_CLIENT_SECRET,
                "STATIC_ROOT": str(folder / "static"),
                "CHATADMIN_VAR_DIR": str(folder),
                "GUNICORN_BIND": f"127.0.0.1:{self.dashboard_port}",
                "GUNICORN_WORKERS": "2",
                "GUNICORN_THREADS": "4",
                "LOG_LEVEL": "WARNING",
                **(overrides or {}),
            }
        )

    # --- the sandbox ---------------------------------------------------------------------
    def _sandbox_env(self) -> dict[str, str]:
        env = {
            "SANDBOX_DATABASE_URL": self.settings.sandbox_db,
            "SANDBOX_CONTROL_KEY": self.control_key,
            "SANDBOX_SECRET_KEY": self._sandbox_secret,
            "SANDBOX_LOG_LEVEL": "INFO",
            "CHATADMIN_VAR_DIR": str(self.folder),
        }
        if self.settings.sandbox_cache:
            env["SANDBOX_CACHE_URL"] = self.settings.sandbox_cache
        return env

    def _log(self, name: str) -> Any:
        handle = (self.folder / name).open("ab")
        self._logs.append(handle)
        return handle

    def sandbox_start(self, *, seed: bool) -> None:
        self.sandbox = SandboxProcess(
            port=self.sandbox_port,
            env=self._sandbox_env(),
            log=self._log("sandbox.log"),
            extra_args=("--seed",) if seed else ("--no-seed",),
        )
        self.sandbox.start(timeout=60)

    def sandbox_stop(self) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()

    def control(self, method: str, path: str, body: Any = None) -> Any:
        response = self._control.request(
            method, f"{self.sandbox_url}/_sandbox/control/{path}", json=body, timeout=TIMEOUT
        )
        if not response.ok:
            raise StackError(f"control {method} {path}: {response.status_code} {response.text}")
        return response.json()

    def faults(self, **knobs: Any) -> Any:
        return self.control("PUT", "faults", knobs)

    def api(self, method: str, path: str, token: str, body: Any = None) -> Any:
        response = requests.request(
            method,
            f"{self.sandbox_url}/api/v2/chat/{path}",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
        )
        if not response.ok:
            raise StackError(f"API {method} {path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def mint(self, email: str, client_identifier: str) -> dict[str, Any]:
        body = {"email": email, "client_identifier": client_identifier, "scopes": "read write"}
        minted: dict[str, Any] = self.control("POST", "tokens", body)
        return minted

    # --- preparing the account -----------------------------------------------------------
    def _seed_bulk(self) -> None:
        subprocess.run(  # noqa: S603 - our interpreter, our manage.py
            [
                sys.executable,
                str(MANAGE_PY),
                "seed_sandbox",
                "--bulk-clients",
                str(self.plan.bulk_clients),
            ],
            env=_clean_env(self._sandbox_env()),
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def _prepare_account(self) -> None:
        plan = self.plan
        wanted = [
            {
                "email": plan.email(number),
                "display_name": f"Load person {number:02d}",
                "role": "administrator" if plan.is_admin(number) else "agent",
            }
            for number in range(plan.people)
        ]
        added = self.control("POST", "agents", {"agents": wanted})["agents"]
        owner = self.mint(demo.OWNER, demo.DASHBOARD_CLIENT_ID)["access_token"]
        listed = self.api("GET", "oauth/clients", owner)
        dashboard = next(c for c in listed if c["client_identifier"] == demo.DASHBOARD_CLIENT_ID)
        uris = f"{dashboard['redirect_uris']} {self.url}{CALLBACK}"
        self.api("PUT", f"oauth/clients/{dashboard['id']}", owner, {"redirect_uris": uris})
        self.api(
            "POST",
            "oauth/clients",
            owner,
            {
                "name": "Load token source",
                "company": "Load",
                "redirect_uris": demo.LOCALHOST,
                "scopes": "read write",
                "client_type": "confidential",
            },
        )
        source = next(
            c for c in self.api("GET", "oauth/clients", owner) if c["name"] == ("Load token source")
        )
        self.token_source = source["client_identifier"]
        bulk = sorted(c["id"] for c in listed if c["name"].startswith("Generated client "))
        with ThreadPoolExecutor(max_workers=6) as pool:
            self.people = list(pool.map(self._prepare_person, range(len(added)), added))
        admins = [p for p in self.people if p.admin]
        for index, client_id in enumerate(bulk[: len(admins) * 40]):
            admins[index % len(admins)].others.append(client_id)

    def _prepare_person(self, number: int, agent: dict[str, Any]) -> Person:
        """A person's own clients (made through the API, as them) and tokens to revoke."""
        plan = self.plan
        person = Person(number, agent["email"], plan.is_admin(number), agent_id=agent["id"])
        setup = self.mint(person.email, self.token_source)
        for index in range(plan.clients_each):
            external = index % 2 == 0
            made = self.api(
                "POST",
                "oauth/clients",
                setup["access_token"],
                {
                    "name": f"{plan.prefix} p{number:02d} seed {index}",
                    "company": f"Person {number:02d}",
                    "redirect_uris": demo.EXTERNAL if external else demo.LOCALHOST,
                    "scopes": "read write",
                    "client_type": "confidential" if index % 3 == 0 else "public",
                },
            )
            person.clients[made["id"]] = made
        self.api("DELETE", f"oauth/tokens/{setup['id']}", setup["access_token"])
        person.tokens = [
            self.mint(person.email, self.token_source)["id"] for _ in range(plan.tokens_each)
        ]
        return person

    # --- the dashboard -------------------------------------------------------------------
    def _dashboard_prepare(self) -> None:
        self._manage("migrate", "--noinput")
        self._manage("collectstatic", "--noinput")

    def _manage(self, *args: str) -> None:
        result = subprocess.run(  # noqa: S603 - our interpreter, our manage.py
            [sys.executable, str(MANAGE_PY), *args],
            env=self.dashboard_env,
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        if result.returncode:
            raise StackError(
                f"manage.py {' '.join(args)} failed:\n{result.stderr.decode(errors='replace')}"
            )

    def dashboard_start(self) -> None:
        log = self._log("gunicorn.log")
        self.gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "chatadmin.wsgi",
                "-c",
                "python:chatadmin.gunicorn_conf",
            ],
            cwd=ROOT,
            env=self.dashboard_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.gunicorn.poll() is not None:
                raise StackError(f"gunicorn exited with {self.gunicorn.returncode}")
            if answers(f"{self.url}/health/"):
                return
            time.sleep(0.2)
        raise StackError("gunicorn did not answer /health/ within 60 s")

    def dashboard_stop(self) -> None:
        if self.gunicorn is None or self.gunicorn.poll() is not None:
            return
        self.gunicorn.send_signal(signal.SIGTERM)
        try:
            self.gunicorn.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.gunicorn.kill()
            self.gunicorn.wait()

    # --- all of it -----------------------------------------------------------------------
    def start(self) -> Stack:
        for url in (self.settings.dashboard_db, self.settings.sandbox_db):
            database_recreate(url)
        cache_flush(self.settings.dashboard_cache)
        cache_flush(self.settings.sandbox_cache)
        with ThreadPoolExecutor(max_workers=1) as pool:
            # The dashboard's migrations and static files, beside the sandbox's preparation.
            dashboard = pool.submit(self._dashboard_prepare)
            self._seed_bulk()
            self.sandbox_start(seed=False)
            self._prepare_account()
            dashboard.result()
        self.dashboard_start()
        return self

    def stop(self, *, drop: bool = False) -> None:
        self.dashboard_stop()
        self.sandbox_stop()
        for handle in self._logs:
            handle.close()
        if drop:
            for url in (self.settings.dashboard_db, self.settings.sandbox_db):
                database_drop(url)
            cache_flush(self.settings.dashboard_cache)
            cache_flush(self.settings.sandbox_cache)

    def log_size(self, name: str) -> int:
        path = self.folder / name
        return path.stat().st_size if path.exists() else 0

    def request_times(self, name: str, *, since: int = 0) -> list[int]:
        """gunicorn's own time (ms) for each request logged after byte `since` of its log: the
        time a worker thread held the request, without the wait for a free thread."""
        with (self.folder / name).open("rb") as log:
            log.seek(since)
            tail = log.read().decode(errors="replace")
        return [int(found) for found in ACCESS_TIME.findall(tail)]

    def log_tail(self, name: str, lines: int = 60) -> str:
        path = self.folder / name
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def running_stack(
    settings: Settings,
    plan: Plan,
    *,
    keep_folder: Path | None = None,
    drop: bool = False,
    overrides: dict[str, str] | None = None,
) -> Iterator[Stack]:
    with tempfile.TemporaryDirectory(prefix="chatadmin-load-") as scratch:
        folder = keep_folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        stack = Stack(settings, plan, folder=folder, overrides=overrides)
        try:
            stack.start()
            yield stack
        finally:
            stack.stop(drop=drop)
