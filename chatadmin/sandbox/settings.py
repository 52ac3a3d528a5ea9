"""Settings of the sandbox process: its own apps, URLs, database, cache and cookies.

The sandbox is a separate origin, like the real Chat API: `python manage.py runsandbox`
selects this module (manage.py routes sandbox commands here). The dashboard's settings never
install the sandbox app. Everything is read from SANDBOX_* variables; see README "The sandbox".
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.utils.csp import CSP

from chatadmin import config
from chatadmin.sandbox import knobs

ENV = config.current()
BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(ENV.get("CHATADMIN_VAR_DIR", BASE_DIR / "var"))

DEBUG = config.env_bool(ENV, "SANDBOX_DEBUG")
# The key signs only the sandbox's own sign-in sessions and CSRF tokens. A fresh random key
# per start is enough (signing in again after a restart is fine for a test server) and means
# no guessable key ships in the code. Set SANDBOX_SECRET_KEY to keep sessions across restarts.
SECRET_KEY = ENV.get("SANDBOX_SECRET_KEY") or secrets.token_urlsafe(50)
ALLOWED_HOSTS = config.env_list(
    ENV, "SANDBOX_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "sandbox"]
)
CSRF_TRUSTED_ORIGINS = config.env_list(ENV, "SANDBOX_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "chatadmin.sandbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost of ours: API paths answer JSON errors, whatever produced the error.
    "chatadmin.sandbox.errors.ApiErrorMiddleware",
    "chatadmin.sandbox.faults.FaultMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "chatadmin.sandbox.urls"
WSGI_APPLICATION = "chatadmin.sandbox.wsgi.application"
# API paths have no trailing slash, as in the Chat API; never redirect them.
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# --- Data: its own database (SQLite by default) and cache (local memory by default) -------
if not ENV.get("SANDBOX_DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
_database = config.database_from_url(
    ENV.get("SANDBOX_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'sandbox.sqlite3'}",
    name="SANDBOX_DATABASE_URL",
)
if _database["ENGINE"].endswith("sqlite3"):
    # The server is threaded: WAL lets reads run beside a write, IMMEDIATE transactions and a
    # busy timeout make concurrent writers wait instead of failing with "database is locked".
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Local memory by default (the sandbox is one threaded process). Point SANDBOX_CACHE_URL at
# Redis to share the sign-in counters between several sandbox processes; its own key prefix
# keeps them apart from the dashboard's keys if the two share a Redis.
_cache = config.cache_from_url(
    ENV.get("SANDBOX_CACHE_URL") or "locmem://", name="SANDBOX_CACHE_URL"
)
if "KEY_PREFIX" in _cache:
    _cache["KEY_PREFIX"] = "chatadmin-sandbox"  # never the dashboard's keys
else:
    _cache["LOCATION"] = "sandbox"
CACHES = {"default": _cache}

# --- Agents sign in to the sandbox's own pages --------------------------------------------
AUTH_USER_MODEL = "sandbox.Agent"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = ["chatadmin.sandbox.hashers.SandboxPasswordHasher"]
LOGIN_URL = "sandbox:signin"
# Browsers share cookies between ports of one host, and the dashboard runs on the same host:
# the sandbox's cookies must not overwrite the dashboard's `sessionid` and `csrftoken`.
SESSION_COOKIE_NAME = "sandbox_sessionid"
CSRF_COOKIE_NAME = "sandbox_csrftoken"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
HTTPS = config.env_bool(ENV, "SANDBOX_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_AGE = 8 * 3600
CSRF_FAILURE_VIEW = "chatadmin.sandbox.errors.csrf_failure"

# --- Run-time knobs: starting values (SANDBOX_ACCOUNT_TYPE, SANDBOX_LATENCY_MS, ...) -------
SANDBOX_KNOBS = knobs.from_environment(ENV)
# The control API (/_sandbox/control/...) answers 404 unless this key is set and sent.
SANDBOX_CONTROL_KEY = ENV.get("SANDBOX_CONTROL_KEY", "")
# The sign-in page pauses after this many failures per email or per client address within
# the window, for the window (chatadmin.sandbox.signin_limits); 0 turns a limit off.
_signin = knobs.from_environment(ENV, knobs.SIGNIN)
SANDBOX_SIGNIN_FAILURES_PER_EMAIL = _signin["signin_failures_per_email"]
SANDBOX_SIGNIN_FAILURES_PER_IP = _signin["signin_failures_per_ip"]
SANDBOX_SIGNIN_WINDOW = _signin["signin_window"]

# --- Static files and security headers ----------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = None
STATICFILES_DIRS = [("sandbox", BASE_DIR / "static" / "sandbox")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# whitenoise serves the one stylesheet straight from the folder: no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SECURE_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# "no-referrer" would make browsers send `Origin: null` on form posts, which fails CSRF.
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

LOGGING = config.logging_config(
    ENV.get("SANDBOX_LOG_LEVEL", "INFO"),
    # oauthlib logs codes and tokens at DEBUG ("Issuing token %r ...").
    quiet={"oauthlib": "WARNING"},
)
