"""Reading chatadmin's configuration from the environment, with clear errors at start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(environ_: Mapping[str, str], name: str, *, default: bool = False) -> bool:
    """Read a yes/no variable; anything but a clear yes or no is an error."""
    raw = environ_.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a yes/no value: use 1/0, true/false, yes/no."
    )


def env_list(environ_: Mapping[str, str], name: str, *, default: list[str]) -> list[str]:
    """Read a comma-separated list."""
    raw = environ_.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(environ_: Mapping[str, str], name: str, *, default: int, minimum: int = 1) -> int:
    """Read a whole number of at least `minimum`; anything else is an error."""
    raw = environ_.get(name)
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or int(text) < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number of at least {minimum}.")
    return int(text)


DATABASE_SCHEMES = {
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
    "postgres": "postgres",
    "postgresql": "postgres",
    "pgsql": "postgres",
}


def database_from_url(url: str, *, name: str = "DATABASE_URL") -> dict[str, Any]:
    """Turn a database URL into a Django DATABASES entry, or say plainly what is wrong.

    dj-database-url does the parsing; this checks first what it would not say clearly (and
    never shows the password), and adds psycopg's pool for `?pool=N`.
    """
    parts = urlsplit(url)
    scheme = DATABASE_SCHEMES.get(parts.scheme.lower())
    shown = redact_url(url)
    if scheme is None:
        raise ImproperlyConfigured(
            f"{name}={shown!r} is not a database URL chatadmin understands: "
            "use sqlite:///path.db or postgres://user:password@host:5432/name."
        )
    if scheme == "sqlite":
        if parts.netloc:
            raise ImproperlyConfigured(
                f"{name}: a SQLite URL has no host; write sqlite:///relative.db or "
                f"sqlite:////absolute/path.db (got {shown!r})."
            )
        if not parts.path.lstrip("/"):
            raise ImproperlyConfigured(f"{name}: the SQLite URL names no file ({shown!r}).")
    else:
        try:
            parts.port  # noqa: B018 (reading it checks it)
        except ValueError as error:
            raise ImproperlyConfigured(f"{name}: the port in {shown!r} is not a number.") from error
        if not unquote(parts.path.lstrip("/")):
            raise ImproperlyConfigured(f"{name}: the PostgreSQL URL names no database.")
    query = parse_qs(parts.query)
    pool = query.pop("pool", [None])[-1]
    conn_max_age = int(query.pop("conn_max_age", ["60"])[-1])
    plain = parts._replace(scheme=scheme, query=urlencode(query, doseq=True)).geturl()
    try:
        database: dict[str, Any] = dict(
            dj_database_url.parse(plain, conn_max_age=conn_max_age, conn_health_checks=True)
        )
    except ValueError:
        raise ImproperlyConfigured(f"{name}={shown!r} cannot be read as a database URL.") from None
    if scheme == "sqlite":
        return {"ENGINE": database["ENGINE"], "NAME": database["NAME"]}
    if pool is not None:
        try:
            size = int(pool)
        except ValueError as error:
            raise ImproperlyConfigured(f"{name}: pool= must be a number.") from error
        options: dict[str, Any] = dict(database.get("OPTIONS") or {})
        options["pool"] = {"min_size": 1, "max_size": size}
        database["OPTIONS"] = options
        database.pop("CONN_MAX_AGE", None)  # psycopg's pool keeps the connections instead
    database["PORT"] = parts.port or ""
    return database


def cache_from_url(url: str, *, name: str = "CACHE_URL") -> dict[str, Any]:
    """Turn a cache URL into a Django CACHES entry (Redis or local memory)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"redis", "rediss"}:
        if not parts.hostname:
            raise ImproperlyConfigured(
                f"{name}: a Redis URL needs a host (got {redact_url(url)!r})."
            )
        return {
            "BACKEND": "chatadmin.core.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "chatadmin",
        }
    if scheme in {"locmem", "memory"}:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "chatadmin"}
    raise ImproperlyConfigured(
        f"{name}={redact_url(url)!r} is not a cache URL chatadmin understands: "
        "use redis://host:6379/0 or locmem://."
    )


def mailers_from_url(url: str) -> dict[str, Any]:
    """Turn MAIL_URL (console:// or smtp[s]://user:password@host:port) into Django 6.1 MAILERS."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    if scheme in {"smtp", "smtps", "smtp+tls"}:
        if not parts.hostname:
            raise ImproperlyConfigured("MAIL_URL: an SMTP URL needs a host.")
        options: dict[str, Any] = {
            "host": parts.hostname,
            "port": parts.port or (465 if scheme == "smtps" else 587),
            "use_ssl": scheme == "smtps",
            "use_tls": scheme == "smtp+tls",
            "timeout": 10,
        }
        if parts.username:
            options["username"] = unquote(parts.username)
            options["password"] = unquote(parts.password or "")
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": options,
            }
        }
    raise ImproperlyConfigured(
        "MAIL_URL is not a mail URL chatadmin understands: use console://, "
        "smtp+tls://user:password@host:587 or smtps://user:password@host:465."
    )


def logging_config(level: str, *, quiet: dict[str, str]) -> dict[str, Any]:
    """Plain console logging at `level`, with some loggers held back (`quiet`: name -> level).

    The development server's request log (`django.server`, Django's own format) leaves out
    query strings, where OAuth codes travel.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"no_query_strings": {"()": "chatadmin.core.request_log.QueryStringsDropped"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "django.server": {
                "()": "django.utils.log.ServerFormatter",
                "format": "[{server_time}] {message}",
                "style": "{",
            },
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "plain"},
            "django.server": {
                "level": "INFO",
                "class": "logging.StreamHandler",
                "formatter": "django.server",
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.server": {
                "handlers": ["django.server"],
                "filters": ["no_query_strings"],
                "level": "INFO",
                "propagate": False,
            },
            **{name: {"level": quiet_level} for name, quiet_level in quiet.items()},
        },
    }


def origin(url: str) -> str:
    """scheme://host[:port] of a URL."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise ImproperlyConfigured(f"{url!r} is not an absolute URL.")
    return f"{parts.scheme}://{parts.netloc}"


def redact_url(url: str) -> str:
    """The URL without its password, safe for an error message."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def choice(
    environ_: Mapping[str, str], name: str, *, choices: tuple[str, ...], default: str
) -> str:
    """Read a variable that must be one of a few words."""
    value = environ_.get(name, "").strip() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


def current() -> Mapping[str, str]:
    """The process environment (a seam for tests)."""
    return os.environ
