"""Settings are read from the environment; mistakes stop the start with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from chatadmin import config

ROOT = Path(__file__).resolve().parent.parent
VALID_FERNET = "kYtbfk5xzHEVOqnxIOVbGMTpHOD7SxJm0CXd1Kvx1OQ="


def test_sqlite_url_gives_a_file_path() -> None:
    assert config.database_from_url("sqlite:////tmp/x.db") == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/tmp/x.db",
    }
    assert config.database_from_url("sqlite:///var/x.db")["NAME"] == "var/x.db"


def test_postgres_url_gives_every_part() -> None:
    result = config.database_from_url(
        "postgres://bob:s%40cret@db.example:6543/chat?sslmode=require"
    )
    assert result["ENGINE"] == "django.db.backends.postgresql"
    assert (result["NAME"], result["USER"], result["PASSWORD"]) == ("chat", "bob", "s@cret")
    assert (result["HOST"], result["PORT"]) == ("db.example", 6543)
    assert result["OPTIONS"] == {"sslmode": "require"}


def test_postgres_url_with_pool_sets_psycopg_pool() -> None:
    result = config.database_from_url("postgres://u@h/db?pool=8")
    assert result["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8}
    assert "CONN_MAX_AGE" not in result


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://u@h/db", "is not a database URL chatadmin understands"),
        ("nonsense", "is not a database URL chatadmin understands"),
        ("postgres://u:pw@host:notaport/db", "is not a number"),
        ("postgres://u@host/", "names no database"),
        ("sqlite://host/file.db", "a SQLite URL has no host"),
    ],
)
def test_bad_database_url_is_refused_clearly(url: str, says: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=says):
        config.database_from_url(url)


def test_error_message_hides_the_password() -> None:
    with pytest.raises(ImproperlyConfigured) as error:
        config.database_from_url("mysql://bob:hunter2@h/db")
    assert "hunter2" not in str(error.value)


def test_cache_url() -> None:
    assert config.cache_from_url("redis://127.0.0.1:6379/1")["BACKEND"].endswith("RedisCache")
    assert config.cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ImproperlyConfigured, match="not a cache URL"):
        config.cache_from_url("memcached://x")


def test_env_bool_refuses_what_is_not_yes_or_no() -> None:
    assert config.env_bool({"X": "yes"}, "X") is True
    assert config.env_bool({"X": "0"}, "X", default=True) is False
    with pytest.raises(ImproperlyConfigured, match="X='maybe' is not a yes/no value"):
        config.env_bool({"X": "maybe"}, "X")


def _start(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("CHAT", "DJANGO", "DATABASE"))
    }
    for name in ("SECRET_KEY", "FERNET_KEYS", "MAIL_URL", "CACHE_URL", "DEBUG", "ALLOWED_HOSTS"):
        clean.pop(name, None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *(args or ("check",))],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "chatadmin.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "SECRET_KEY": "p" * 20 + "roduction-secret-key-with-enough-variety-0123456789",
    "FERNET_KEYS": VALID_FERNET,
    "ALLOWED_HOSTS": "chatadmin.example.com",
    "MAIL_URL": "smtp+tls://mailer:pw@smtp.example.com:587",
    "CHAT_SUBDOMAIN": "acme",
    "CHATADMIN_VAR_DIR": "/tmp/chatadmin-config-test",
    # More than one process shares the cache (the check does not connect to it).
    "CACHE_URL": "redis://redis.example.com:6379/0",
}


def test_bad_database_url_stops_the_start_with_a_clear_error() -> None:
    result = _start({**PRODUCTION, "DATABASE_URL": "mysql://u:hunter2@h/db"})
    assert result.returncode != 0
    assert "DATABASE_URL=" in result.stderr
    assert "is not a database URL chatadmin understands" in result.stderr
    assert "hunter2" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _start(env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_bad_fernet_key_is_refused() -> None:
    result = _start({**PRODUCTION, "FERNET_KEYS": "not-a-key"})
    assert result.returncode != 0
    assert "FERNET_KEYS: key number 1 is not a valid Fernet key" in result.stderr


def test_production_settings_pass_the_deploy_check_with_no_warnings() -> None:
    result = _start(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_warns_when_production_caches_in_local_memory() -> None:
    env = {name: value for name, value in PRODUCTION.items() if name != "CACHE_URL"}
    result = _start(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    output = result.stderr + result.stdout
    assert "chatadmin.W001" in output and "CACHE_URL=redis://" in output
    assert "System check identified 1 issue" in output
    assert _start({**env, "CACHE_URL": "locmem://"}, "check", "--deploy").stderr.count("W001") == 1


def test_demo_mode_gets_no_cache_warning() -> None:
    env = {"CHATADMIN_DEMO": "1", "CHATADMIN_VAR_DIR": "/tmp/chatadmin-config-test"}
    result = _start(env, "check", "--deploy")
    assert "chatadmin.W001" not in result.stderr + result.stdout


def test_demo_mode_starts_without_secrets() -> None:
    result = _start({"CHATADMIN_DEMO": "1", "CHATADMIN_VAR_DIR": "/tmp/chatadmin-config-test"})
    assert result.returncode == 0, result.stderr


def test_env_int_reads_whole_numbers_only() -> None:
    assert config.env_int({}, "N", default=12) == 12
    assert config.env_int({"N": " 3 "}, "N", default=12) == 3
    for bad in ("0", "-1", "1.5", "twelve", "\u0661\u0662"):
        with pytest.raises(ImproperlyConfigured, match="is not a whole number of at least 1"):
            config.env_int({"N": bad}, "N", default=12)


def test_session_limits_come_from_the_environment() -> None:
    demo = {"CHATADMIN_DEMO": "1", "CHATADMIN_VAR_DIR": "/tmp/chatadmin-config-test"}
    show = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_AGE, s.CHATADMIN_SESSION_HOURS, s.CHATADMIN_SESSION_IDLE_MINUTES)"
    )
    result = _start(demo, "shell", "--no-imports", "-c", show)
    assert result.stdout.split() == ["43200", "12", "60"], result.stderr
    limits = {"CHATADMIN_SESSION_HOURS": "2", "CHATADMIN_SESSION_IDLE_MINUTES": "15"}
    result = _start({**demo, **limits}, "shell", "--no-imports", "-c", show)
    assert result.stdout.split() == ["7200", "2", "15"], result.stderr
    result = _start({**demo, "CHATADMIN_SESSION_IDLE_MINUTES": "soon"})
    assert result.returncode != 0
    assert "CHATADMIN_SESSION_IDLE_MINUTES='soon' is not a whole number" in result.stderr
