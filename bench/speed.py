"""Issue 10's numbers in one command: each view's time split into Chat's and chatadmin's own, and
requests per second under gunicorn beside a bare Django view and Django OAuth Toolkit.

    flock /tmp/machine.lock .venv/bin/python bench/speed.py              # about 7 minutes
    .venv/bin/python bench/speed.py --sizes 1000 --runs 20 --no-load      # one size, views only

For each size (10, 1,000 and 10,000 clients by default):

1. **The sandbox**, seeded with that many clients in all (the demo's and generated ones, all
   the owner's), runs as its own process on a free port, with its own SQLite database; the
   owner gets a real Chat token from it (the control API mints it, as a sign-in would).
2. **Views**: a child process runs the dashboard with production settings (DEBUG off, HTTPS on,
   PostgreSQL from BENCH_DATABASE_URL, Redis from BENCH_CACHE_URL, collected static files), the
   owner signed in with that token, and asks it through Django's test client (in the process:
   no network between browser and dashboard; the Chat API is real HTTP):
   - *first view*: `/clients/` with the snapshot dropped before each run (clients_changed());
   - *repeat view*: `/clients/` again; *page 2*: `?page=2`; *search*: `?q=` matching one client;
   - `/tokens/`: the owner's tokens (one call) with client names from the snapshot.
   Every view is timed in all, and the time spent inside Chat API calls is timed apart by
   wrapping `send` on the pooled session (chatadmin/chat/pools.py): *upstream* is that (request
   and the whole answer read off the socket), *own* is the rest (parsing included). Each view
   also counts its upstream calls, new connections (`connections_opened()`) and database
   queries (CaptureQueriesContext). p50 and p95 over `--runs` runs after warm-up runs.
3. **Load** (sizes 10 and 1,000, and 10,000 for chatadmin alone): gunicorn with 2 workers x
   4 threads (gthread, chatadmin/gunicorn_conf.py for every site, access log to a file) serves
   chatadmin's `/clients/` (signed in as the owner, behind a pretend TLS proxy:
   X-Forwarded-Proto), and a throwaway site (bench/dot_site) serves a bare Django view and
   Django OAuth Toolkit's `/o/applications/` for a user with as many applications, on the same
   PostgreSQL and Redis. The same load generator (8 threads, one keep-alive connection each,
   `--load-seconds` after a warm-up) asks each in turn, `--rounds` times (both sites up side
   by side), and keeps each page's median round; beside requests per second it reports the
   server's CPU time per request (from /proc), steadier on a machine others share. DOT lives
   only in the bench's own virtualenv, var/bench/dot-venv, which this script makes with uv
   (never a product dependency).

It prints markdown tables. It drops and re-creates the databases named by BENCH_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/chatadmin_speed) and BENCH_DOT_DATABASE_URL
(default .../chatadmin_speed_dot), and empties the Redis databases BENCH_CACHE_URL
(default redis://127.0.0.1:6379/5) and BENCH_DOT_CACHE_URL (default .../6). Scratch files,
logs and the venv live under var/bench/ (ignored by git).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VAR = ROOT / "var" / "bench"
DOT_VENV = VAR / "dot-venv"
DOT_VERSION = "3.4.1"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

DEFAULTS = {
    "BENCH_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/chatadmin_speed",
    "BENCH_DOT_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/chatadmin_speed_dot",
    "BENCH_CACHE_URL": "redis://127.0.0.1:6379/5",
    "BENCH_DOT_CACHE_URL": "redis://127.0.0.1:6379/6",
}
VIEWS = ("first view", "repeat view", "page 2", "search", "/tokens/")
SEARCHED = "Reporting script"  # a demo client's name: exactly one match at any size
LOAD_THREADS = 8  # as many as gunicorn's 2 workers x 4 threads serve at once


def setting(name: str) -> str:
    return os.environ.get(name) or DEFAULTS[name]


# --- The dashboard's production environment ------------------------------------------------


def dashboard_env(sandbox_url: str) -> dict[str, str]:
    """Production settings (no demo defaults) against the bench's database, Redis and sandbox."""
    from cryptography.fernet import Fernet

    from chatadmin.sandbox import demo

    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHAT", "DEBUG"))}
    env.update(
        DJANGO_SETTINGS_MODULE="chatadmin.settings",
        DEBUG="0",
        CHATADMIN_DEMO="0",
        SECRET_KEY=_bench_secret("secret_key", lambda: secrets.token_urlsafe(50)),
        FERNET_KEYS=_bench_secret("fernet_key", lambda: Fernet.generate_key().decode()),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        MAIL_URL="console://",
        DATABASE_URL=setting("BENCH_DATABASE_URL"),
        CACHE_URL=setting("BENCH_CACHE_URL"),
        STATIC_ROOT=str(VAR / "static"),
        CHATADMIN_BEHIND_PROXY="1",
        CHAT_BASE_URL=sandbox_url,
        CHAT_SUBDOMAIN="demo",
        CHAT_OAUTH_CLIENT_ID=demo.DASHBOARD_CLIENT_ID,
        CHAT_OAUTH_CLIENT_SECRET=demo.DASHBOARD_CLIENT_SECRET,
        LOG_LEVEL="INFO",
    )
    return env


def _bench_secret(name: str, make: Any) -> str:
    """One value per bench run, shared by every child process of it."""
    key = f"_BENCH_{name.upper()}"
    if key not in os.environ:
        os.environ[key] = make()
    return os.environ[key]


def run_quietly(command: list[str], *, env: dict[str, str], what: str, cwd: Path = ROOT) -> str:
    done = subprocess.run(  # noqa: S603 - our interpreters and scripts
        command, env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"{what} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def prepare_dashboard() -> None:
    """Fresh database and Redis, migrated, static files collected (production storage)."""
    recreate_database(setting("BENCH_DATABASE_URL"))
    flush_redis(setting("BENCH_CACHE_URL"))
    env = dashboard_env("http://127.0.0.1:9")
    manage = [sys.executable, str(ROOT / "manage.py")]
    run_quietly([*manage, "migrate", "--no-input"], env=env, what="migrate")
    if not (VAR / "static" / "staticfiles.json").exists():
        run_quietly([*manage, "collectstatic", "--no-input"], env=env, what="collectstatic")


# --- Views, measured inside a child process with the dashboard in it -----------------------


@dataclass
class Upstream:
    calls: int = 0
    seconds: float = 0.0


def _instrument_pools(upstream: Upstream) -> None:
    """Time every send on the pooled sessions (the only way chatadmin reaches Chat)."""
    from chatadmin.chat import pools

    new_pool = pools._new_pool

    def timed_pool() -> Any:
        session = new_pool()
        send = session.send

        def timed_send(request: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return send(request, **kwargs)  # the whole answer is read here (no stream)
            finally:
                upstream.calls += 1
                upstream.seconds += time.perf_counter() - began

        session.send = timed_send  # type: ignore[method-assign]
        return session

    pools._new_pool = timed_pool


def views_child(options: dict[str, Any]) -> None:
    """In the child: sign the owner in, time each view, print one JSON line."""
    import django

    django.setup()
    import requests
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from chatadmin.accounts.chat_access import credential_store
    from chatadmin.accounts.models import User
    from chatadmin.accounts.roles import Role
    from chatadmin.chat.pools import connections_opened
    from chatadmin.clients.snapshot import clients_changed
    from chatadmin.sandbox import demo

    upstream = Upstream()
    _instrument_pools(upstream)
    token = os.environ["BENCH_OWNER_TOKEN"]
    me = requests.get(
        f"{options['sandbox_url']}/api/v2/chat/agents/me",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    owner, _ = User.objects.get_or_create(
        email=demo.OWNER, defaults={"role": Role.ADMIN, "chat_agent_id": me["id"]}
    )
    credential_store(
        owner,
        agent_id=me["id"],
        access_token=token,
        refresh_token=os.environ.get("BENCH_OWNER_REFRESH_TOKEN", ""),
        expires_at=None,
        scopes="read write chat",
    )
    browser = Client(HTTP_HOST="127.0.0.1")
    browser.force_login(owner)

    def view(path: str, params: dict[str, str] | None = None) -> dict[str, float]:
        calls, spent, opened = upstream.calls, upstream.seconds, connections_opened()
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = browser.get(path, params or {}, secure=True)
            total = time.perf_counter() - began
        assert response.status_code == 200, (path, response.status_code)
        return {
            "total": total,
            "upstream": upstream.seconds - spent,
            "calls": upstream.calls - calls,
            "connections": connections_opened() - opened,
            "queries": len(queries),
            "body": response.content,  # type: ignore[dict-item]
        }

    runs, warm = options["runs"], options["warmup"]
    plans = {
        "first view": ("/clients/", None, clients_changed),
        "repeat view": ("/clients/", None, None),
        "page 2": ("/clients/", {"page": "2"}, None),
        "search": ("/clients/", {"q": SEARCHED}, None),
        "/tokens/": ("/tokens/", None, None),
    }
    results: dict[str, list[dict[str, float]]] = {}
    for name, (path, params, before) in plans.items():
        if options["clients"] <= 50 and name == "page 2":
            continue  # one page only
        view("/clients/")  # a snapshot to start from (and the agents, the identity check)
        samples = []
        for run in range(warm + runs):
            if before is not None:
                before()
            sample = view(path, params)
            if run >= warm:
                samples.append(sample)
        body = samples[-1].pop("body")
        for sample in samples:
            sample.pop("body", None)
        if name == "search":
            assert b"1 API client<" in body or b"1 API client " in body, "search: not one result"
        results[name] = samples
    for name in options.get("profile", []):
        _profile(name, plans[name], view, size=options["clients"])
    # The cookies a browser that has shown the list holds: the session's, and the CSRF one the
    # page's forms set (without it, every request would make and set a new CSRF secret).
    jar = "; ".join(
        f"{name}={browser.cookies[name].value}"
        for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    )
    print("RESULT " + json.dumps({"views": results, "cookie": jar}))


def _profile(name: str, plan: tuple[str, Any, Any], view: Any, *, size: int) -> None:
    """cProfile 20 runs of one view; the 40 costliest functions to var/bench/profile-*.txt."""
    import cProfile
    import io
    import pstats

    path, params, before = plan
    profiler = cProfile.Profile()
    view("/clients/")
    for _ in range(20):
        if before is not None:
            before()
        profiler.enable()
        view(path, params)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(40)
    slug = name.strip("/").replace(" ", "-")
    (VAR / f"profile-{size}-{slug}.txt").write_text(out.getvalue())


def measure_views(
    sandbox: Any, *, runs: int, warmup: int, profile: list[str] | None = None
) -> dict[str, Any]:
    env = dashboard_env(sandbox.url)
    env.update(
        BENCH_OWNER_TOKEN=sandbox.owner_token,
        BENCH_OWNER_REFRESH_TOKEN=sandbox.owner_refresh_token,
        LOG_LEVEL="WARNING",  # the child prints its result on stdout
    )
    options = {
        "sandbox_url": sandbox.url,
        "clients": sandbox.clients,
        "runs": runs,
        "warmup": warmup,
        "profile": profile or [],
    }
    out = run_quietly(
        [sys.executable, str(Path(__file__)), "--child-views", json.dumps(options)],
        env=env,
        what=f"views at {sandbox.clients} clients",
    )
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))  # type: ignore[no-any-return]


# --- Load ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    port: int
    pid: int  # gunicorn's master

    def cpu_seconds(self) -> float:
        """CPU time (user + system) its workers have used so far, from /proc (Linux)."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        ticks = 0
        for child in children:
            try:
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a worker that has just gone
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (stat fields 14 and 15)
        return ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def gunicorn(
    python: Path, app: str, *, env: dict[str, str], cwd: Path, log_name: str
) -> Iterator[Server]:
    """gunicorn with chatadmin's settings file, 2 workers x 4 threads, on a free port."""
    from chatadmin.sandbox.launcher import free_port

    port = free_port()
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "4",
    }
    log_path = VAR / "logs" / f"{log_name}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    gunicorn_bin = python.parent / "gunicorn"
    conf = ROOT / "chatadmin" / "gunicorn_conf.py"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our gunicorn
            [str(gunicorn_bin), app, "-c", str(conf)],
            env=env,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    sys.exit(f"gunicorn for {log_name} exited; see {log_path}")
                try:
                    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    probe.request("GET", "/health/")
                    probe.getresponse().read()
                    probe.close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        sys.exit(f"gunicorn for {log_name} did not answer; see {log_path}")
                    time.sleep(0.2)
            yield Server(port, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass(frozen=True)
class Load:
    rps: float
    p50_ms: float
    p95_ms: float
    errors: int
    requests: int
    cpu_ms: float  # the server's CPU time per request (all its workers)


def load(
    server: Server, path: str, headers: dict[str, str], *, seconds: float, warmup: float = 3.0
) -> Load:
    """LOAD_THREADS threads, each one keep-alive connection, as fast as answers come back.

    Bounded: it stops after `warmup` + `seconds`, or 500,000 requests, whichever comes first.
    The server's CPU time over the measured seconds, divided by the requests answered in them,
    is the steadier figure on a shared machine: it does not depend on what else gets the cores.
    """
    port = server.port
    started = time.monotonic()
    measure_from = started + warmup
    stop_at = measure_from + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    budget = [500_000]

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        failed = 0
        while True:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            began = time.monotonic()
            if began >= stop_at:
                break
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            ended = time.monotonic()
            if began >= measure_from and ended <= stop_at:
                if ok:
                    mine.append(ended - began)
                else:
                    failed += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=worker) for _ in range(LOAD_THREADS)]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, measure_from - time.monotonic()))
    cpu_from = server.cpu_seconds()
    time.sleep(max(0.0, stop_at - time.monotonic()))
    cpu_used = server.cpu_seconds() - cpu_from
    for thread in threads:
        thread.join()
    ordered = sorted(latencies) or [0.0]
    return Load(
        rps=len(latencies) / seconds,
        p50_ms=ordered[len(ordered) // 2] * 1000,
        p95_ms=ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000,
        errors=errors[0],
        requests=len(latencies),
        cpu_ms=cpu_used * 1000 / max(1, len(latencies)),
    )


def dot_venv() -> Path:
    """The bench's own virtualenv with Django OAuth Toolkit (made once, with uv)."""
    import importlib.metadata as metadata

    python = DOT_VENV / "bin" / "python"
    wanted = {
        "django": metadata.version("django"),
        "django-oauth-toolkit": DOT_VERSION,
        "gunicorn": metadata.version("gunicorn"),
        "psycopg[binary]": metadata.version("psycopg"),
        "redis[hiredis]": metadata.version("redis"),
    }
    marker = DOT_VENV / ".bench-installed"
    pins = [f"{name}=={version}" for name, version in wanted.items()]
    if marker.exists() and marker.read_text() == " ".join(pins):
        return python
    # uv as `make install` has it: on PATH, or a module of the Python the project's venv came from.
    found = shutil.which("uv")
    uv = [found] if found else [getattr(sys, "_base_executable", sys.executable), "-m", "uv"]
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    run_quietly(
        [*uv, "venv", "-q", "--allow-existing", str(DOT_VENV), "--python", sys.executable],
        env=env,
        what="uv venv",
    )
    run_quietly(
        [*uv, "pip", "install", "-q", "--python", str(python), *pins],
        env=env,
        what="uv pip install (the bench's DOT environment)",
    )
    marker.write_text(" ".join(pins))
    return python


def dot_env() -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "BENCH_SECRET_KEY": _bench_secret("dot_secret_key", lambda: secrets.token_urlsafe(50)),
        "BENCH_DOT_DATABASE": setting("BENCH_DOT_DATABASE_URL"),
        "BENCH_DOT_CACHE": setting("BENCH_DOT_CACHE_URL"),
        "PYTHONPATH": str(BENCH),
        "DJANGO_SETTINGS_MODULE": "dot_site.settings",
    }


def dot_applications(python: Path, count: int) -> str:
    """Give the DOT user `count` applications; the signed-in session's Cookie header."""
    out = run_quietly(
        [str(python), "-m", "dot_site.prepare", str(count)],
        env=dot_env(),
        cwd=BENCH,
        what=f"DOT with {count} applications",
    )
    return out.strip().splitlines()[-1]


def measure_load(
    sandbox: Any, dot_python: Path, size: int, *, cookie: str, seconds: float, rounds: int
) -> list[tuple[str, str, Load]]:
    """Each page under the same load, in turn, `rounds` times; each page's median round.

    chatadmin's and DOT's gunicorn run side by side (the idle one uses no CPU), so the pages
    are measured alternately: a machine that is busier for a while (others share it) weighs
    on each of them alike, rather than on whichever ran then.
    """
    chatadmin_headers = {"Host": "127.0.0.1", "Cookie": cookie, "X-Forwarded-Proto": "https"}
    with contextlib.ExitStack() as servers:
        pages: list[tuple[str, Server, str, dict[str, str]]] = []
        chatadmin = servers.enter_context(
            gunicorn(
                Path(sys.executable),
                "chatadmin.wsgi",
                env=dashboard_env(sandbox.url),
                cwd=ROOT,
                log_name=f"gunicorn-chatadmin-{size}",
            )
        )
        pages.append(("chatadmin `/clients/`", chatadmin, "/clients/", chatadmin_headers))
        if size <= 1000:
            session = dot_applications(dot_python, size)
            dot = servers.enter_context(
                gunicorn(
                    dot_python,
                    "dot_site.wsgi",
                    env=dot_env(),
                    cwd=BENCH,
                    log_name=f"gunicorn-dot-{size}",
                )
            )
            pages.append(
                (
                    "DOT `/o/applications/`",
                    dot,
                    "/o/applications/",
                    {"Host": "127.0.0.1", "Cookie": session},
                )
            )
            pages.append(("bare Django view", dot, "/bare/", {"Host": "127.0.0.1"}))
        results: dict[str, list[Load]] = {name: [] for name, *_ in pages}
        for _ in range(rounds):
            for name, server, path, headers in pages:
                results[name].append(load(server, path, headers, seconds=seconds))
    measured = []
    for name, runs in results.items():
        runs.sort(key=lambda run: run.rps)
        measured.append((f"{size:,}", name, runs[len(runs) // 2]))
    return measured


# --- Tables -------------------------------------------------------------------------------


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if q == 0.5:
        return statistics.median(ordered) * 1000
    return ordered[max(0, round(q * len(ordered)) - 1)] * 1000


def _count(samples: list[dict[str, float]], key: str) -> str:
    values = sorted({int(sample[key]) for sample in samples})
    return str(values[0]) if len(values) == 1 else f"{values[0]}-{values[-1]}"


def views_table(by_size: dict[int, dict[str, list[dict[str, float]]]], runs: int) -> str:
    lines = [
        "| clients | view | total p50 / p95 | upstream p50 | own p50 / p95 | upstream calls "
        "| new connections | DB queries |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, views in by_size.items():
        for name in VIEWS:
            samples = views.get(name)
            if not samples:
                continue
            total = [s["total"] for s in samples]
            up = [s["upstream"] for s in samples]
            own = [s["total"] - s["upstream"] for s in samples]
            lines.append(
                f"| {size:,} | {name} | {_ms(total, 0.5):.1f} / {_ms(total, 0.95):.1f} ms "
                f"| {_ms(up, 0.5):.1f} ms | {_ms(own, 0.5):.1f} / {_ms(own, 0.95):.1f} ms "
                f"| {_count(samples, 'calls')} | {_count(samples, 'connections')} "
                f"| {_count(samples, 'queries')} |"
            )
    lines.append("")
    lines.append(f"{runs} runs per view after warm-up runs; counts are per view (min-max).")
    return "\n".join(lines)


def load_table(rows: list[tuple[str, str, Load]], seconds: float, rounds: int) -> str:
    lines = [
        "| size | page | requests/s | server CPU per request | latency p50 / p95 | errors |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for size, page, result in rows:
        lines.append(
            f"| {size} | {page} | {result.rps:,.0f} | {result.cpu_ms:.2f} ms "
            f"| {result.p50_ms:.1f} / {result.p95_ms:.1f} ms | {result.errors} |"
        )
    lines.append("")
    lines.append(
        f"gunicorn 2 workers x 4 threads each; {LOAD_THREADS} keep-alive connections, "
        f"{seconds:.0f} s after a 3 s warm-up; the pages of a size in turn, {rounds} rounds, "
        "the median round of each (by requests/s)."
    )
    return "\n".join(lines)


# --- The run ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,10000", help="clients in the account")
    parser.add_argument("--runs", type=int, default=40, help="timed runs per view")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per view first")
    parser.add_argument("--load-seconds", type=float, default=10.0)
    parser.add_argument(
        "--rounds", type=int, default=3, help="load rounds per page, taken in turn (the median)"
    )
    parser.add_argument("--no-load", action="store_true", help="views only, no gunicorn")
    parser.add_argument(
        "--profile",
        default="",
        help="comma-separated views to cProfile too (e.g. 'first view,search'): "
        "var/bench/profile-SIZE-VIEW.txt",
    )
    parser.add_argument("--child-views", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child_views:
        views_child(json.loads(options.child_views))
        return

    from seeded_sandbox import seeded_sandbox

    from chatadmin.sandbox import demo

    sizes = [int(size) for size in options.sizes.split(",")]
    VAR.mkdir(parents=True, exist_ok=True)
    print(
        f"Preparing (database, static files{', the DOT venv' if not options.no_load else ''})…",
        file=sys.stderr,
    )
    prepare_dashboard()
    dot_python = None
    if not options.no_load:
        dot_python = dot_venv()
        recreate_database(setting("BENCH_DOT_DATABASE_URL"))
        flush_redis(setting("BENCH_DOT_CACHE_URL"))

    views: dict[int, dict[str, list[dict[str, float]]]] = {}
    loads: list[tuple[str, str, Load]] = []
    for size in sizes:
        print(f"{size:,} clients: seeding the sandbox…", file=sys.stderr)
        with seeded_sandbox(max(0, size - len(demo.CLIENTS))) as sandbox:
            print(f"{size:,} clients: views…", file=sys.stderr)
            measured = measure_views(
                sandbox,
                runs=options.runs,
                warmup=options.warmup,
                profile=[name for name in options.profile.split(",") if name],
            )
            views[sandbox.clients] = measured["views"]
            if dot_python is None:
                continue
            print(f"{size:,} clients: load…", file=sys.stderr)
            loads.extend(
                measure_load(
                    sandbox,
                    dot_python,
                    size,
                    cookie=measured["cookie"],
                    seconds=options.load_seconds,
                    rounds=options.rounds,
                )
            )

    print(f"\n## Views ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores)\n")
    print(views_table(views, options.runs))
    if loads:
        print("\n## Requests per second\n")
        print(load_table(loads, options.load_seconds, options.rounds))


if __name__ == "__main__":
    main()
