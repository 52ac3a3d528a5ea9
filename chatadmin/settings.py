"""chatadmin's one settings module: what differs between machines comes from the environment.

Modes:
- production (the default): every secret must be given; HTTPS-only cookies and HSTS.
- demo (CHATADMIN_DEMO=1) or debug (DEBUG=1): development defaults for secrets, console mail,
  plain HTTP on localhost, the embedded sandbox as the Chat API.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from chatadmin import config
from chatadmin.vocabulary import ACCOUNT_TYPES, HOST_STYLES

ENV = config.current()
BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(ENV.get("CHATADMIN_VAR_DIR", BASE_DIR / "var"))

DEBUG = config.env_bool(ENV, "DEBUG")
DEMO = config.env_bool(ENV, "CHATADMIN_DEMO")
DEVELOPMENT = DEBUG or DEMO

# --- Secrets -------------------------------------------------------------------------------
SECRET_KEY = ENV.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it (50+ random characters), or run in demo mode "
            "with CHATADMIN_DEMO=1 on your own machine."
        )
    SECRET_KEY = "demo-only-insecure-key-" + "x" * 40
SECRET_KEY_FALLBACKS = config.env_list(ENV, "SECRET_KEY_FALLBACKS", default=[])

# Fernet keys for secrets at rest (Chat tokens, basic-auth passwords). The first key encrypts,
# all keys decrypt: rotate by putting a new key first.
FERNET_KEYS = config.env_list(ENV, "FERNET_KEYS", default=[])
if not FERNET_KEYS:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "FERNET_KEYS is not set. Generate one with: python -c "
            '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
        )
    FERNET_KEYS = [base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode()]
for _index, _key in enumerate(FERNET_KEYS):
    try:
        Fernet(_key)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"FERNET_KEYS: key number {_index + 1} is not a valid Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from _error

ALLOWED_HOSTS = config.env_list(
    ENV, "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEVELOPMENT else []
)
CSRF_TRUSTED_ORIGINS = config.env_list(ENV, "CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications --------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth's WebAuthn and sessions pages load it
    "django.forms",  # the widget templates, for FORM_RENDERER
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "chatadmin.accounts.zendeskchat",
    "chatadmin.core",
    "chatadmin.accounts",
    "chatadmin.audit",
    "chatadmin.clients",
    "chatadmin.tokens",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "chatadmin.core.middleware.HtmxMessagesMiddleware",
    "chatadmin.core.middleware.PrivatePagesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "chatadmin.accounts.middleware.SessionLifetimeMiddleware",
    "chatadmin.accounts.middleware.ChatAccessMiddleware",
]

ROOT_URLCONF = "chatadmin.urls"
WSGI_APPLICATION = "chatadmin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "chatadmin.core.context_processors.shell",
            ],
        },
    },
]

FORM_RENDERER = "chatadmin.core.rendering.FormRenderer"

# --- Data ----------------------------------------------------------------------------------
if not ENV.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": config.database_from_url(
        ENV.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'dashboard.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite has no SELECT ... FOR UPDATE: a transaction that begins IMMEDIATE takes the write
    # lock at once, so a Chat token renewal (accounts/chat_access/credentials.py) in one
    # process makes another process's renewal wait and then read the renewed row, never spend
    # the same refresh token again. The busy timeout covers a renewal's call to Chat; WAL lets
    # reads go on beside it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": config.cache_from_url(ENV.get("CACHE_URL") or "locmem://")}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Sessions end CHATADMIN_SESSION_HOURS after sign-in, or after CHATADMIN_SESSION_IDLE_MINUTES
# without a request, whichever comes first (accounts.middleware.SessionLifetimeMiddleware).
CHATADMIN_SESSION_HOURS = config.env_int(ENV, "CHATADMIN_SESSION_HOURS", default=12)
CHATADMIN_SESSION_IDLE_MINUTES = config.env_int(ENV, "CHATADMIN_SESSION_IDLE_MINUTES", default=60)
SESSION_COOKIE_AGE = CHATADMIN_SESSION_HOURS * 3600

# --- Accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# allauth's email + password backend, refusing Chat identities. Django's ModelBackend is left out:
# it would take an email and password from anyone, a Chat identity included.
AUTHENTICATION_BACKENDS = ["chatadmin.accounts.backends.LocalPasswordBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "chatadmin.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "chatadmin.accounts.forms.LoginForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_SESSION_REMEMBER = None
# Sign-up is closed: admins invite people from Settings > People.
CHATADMIN_SIGNUP_OPEN = config.env_bool(ENV, "CHATADMIN_SIGNUP_OPEN", default=False)
# allauth's defaults, spelled out so they are visible and testable (counters live in the cache).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/180s/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "chatadmin"
# TOTP secrets and recovery-code seeds are stored encrypted with FERNET_KEYS.
MFA_ADAPTER = "chatadmin.accounts.mfa.MFAAdapter"
SOCIALACCOUNT_ADAPTER = "chatadmin.accounts.social.SocialAccountAdapter"
# Tokens are kept encrypted in chatadmin's own ChatCredential, never in allauth's tables.
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
# Never match a Chat identity to a local account by email (see SocialAccountAdapter).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_LOGIN_ON_GET = False

DEFAULT_FROM_EMAIL = ENV.get("DEFAULT_FROM_EMAIL", "chatadmin <chatadmin@localhost>")
MAIL_URL = ENV.get("MAIL_URL", "") or ("console://" if DEVELOPMENT else "")
if not MAIL_URL:
    raise ImproperlyConfigured(
        "MAIL_URL is not set. Set smtp+tls://user:password@host:587 (or smtps://...:465) so "
        "verification and password-reset mail can be sent."
    )
MAILERS = config.mailers_from_url(MAIL_URL)

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "static/"
# In development whitenoise serves from the finders, so there is no collected folder to read.
STATIC_ROOT = (
    Path(ENV["STATIC_ROOT"])
    if ENV.get("STATIC_ROOT")
    else None
    if DEVELOPMENT
    else BASE_DIR / "staticfiles"
)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEVELOPMENT
            else "chatadmin.core.storage.StaticFilesStorage"
        )
    },
}
# In development whitenoise serves straight from the app and project folders: no collectstatic.
WHITENOISE_USE_FINDERS = DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEBUG

# --- Security ------------------------------------------------------------------------------
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF, *config.env_list(ENV, "CSP_FORM_ACTION", default=[])],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
HTTPS = config.env_bool(ENV, "CHATADMIN_HTTPS", default=not DEVELOPMENT)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and config.env_bool(ENV, "SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
if config.env_bool(ENV, "CHATADMIN_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- The Chat API --------------------------------------------------------------------------
# Read through chatadmin.chat.config only; see ../shared/chat-api.md for the hosts.
CHAT_HOST_STYLE = config.choice(ENV, "CHAT_HOST_STYLE", choices=HOST_STYLES, default="subdomain")
CHAT_SUBDOMAIN = ENV.get("CHAT_SUBDOMAIN", "demo" if DEVELOPMENT else "")
CHAT_ACCOUNT_TYPE = config.choice(ENV, "CHAT_ACCOUNT_TYPE", choices=ACCOUNT_TYPES, default="phase4")
CHAT_BASE_URL = ENV.get("CHAT_BASE_URL", "http://127.0.0.1:8001" if DEVELOPMENT else "")
if not CHAT_BASE_URL:
    if CHAT_HOST_STYLE == "legacy":
        CHAT_BASE_URL = "https://www.zopim.com"
    elif CHAT_SUBDOMAIN:
        CHAT_BASE_URL = f"https://{CHAT_SUBDOMAIN}.zendesk.com"
    else:
        raise ImproperlyConfigured(
            "CHAT_SUBDOMAIN is not set: the subdomain host style needs it "
            "(https://{subdomain}.zendesk.com), or set CHAT_BASE_URL."
        )
# Where browsers are sent to authorize, if not CHAT_BASE_URL (docker compose's sandbox).
CHAT_BROWSER_BASE_URL = ENV.get("CHAT_BROWSER_BASE_URL", "")
CHAT_OAUTH_CLIENT_ID = ENV.get("CHAT_OAUTH_CLIENT_ID", "chatadmin-dashboard" if DEVELOPMENT else "")
CHAT_OAUTH_CLIENT_SECRET = ENV.get(
    # The sandbox seeds the dashboard's client with this secret; demo mode only.
    "CHAT_OAUTH_CLIENT_SECRET",
    "chatadmin-dashboard-demo-secret" if DEVELOPMENT else "",
)
CHAT_TIMEOUT = (
    float(ENV.get("CHAT_CONNECT_TIMEOUT", "3.05")),
    float(ENV.get("CHAT_READ_TIMEOUT", "10")),
)
# Chat has the last word on roles: a signed-in agent's role and enabled flag are asked again
# after this long on ordinary pages (and always before a privileged action).
CHATADMIN_CHAT_RECHECK_SECONDS = int(ENV.get("CHATADMIN_CHAT_RECHECK_SECONDS", "300"))
# The client list is fetched once and kept this long (seconds) for every view of it; agents
# (creators' names) longer, since they change rarely and never through chatadmin.
CHATADMIN_CLIENTS_SNAPSHOT_SECONDS = int(ENV.get("CHATADMIN_CLIENTS_SNAPSHOT_SECONDS", "30"))
CHATADMIN_AGENTS_SNAPSHOT_SECONDS = int(ENV.get("CHATADMIN_AGENTS_SNAPSHOT_SECONDS", "300"))
# One page view waits on Chat at most this long in all, retries and Retry-After waits included.
CHAT_PAGE_DEADLINE = float(ENV.get("CHAT_PAGE_DEADLINE", "8"))

# "Sign in with Zendesk Chat" (chatadmin.accounts.zendeskchat) uses the dashboard's own client.
SOCIALACCOUNT_PROVIDERS = {
    "zendeskchat": {
        "APPS": (
            [{"client_id": CHAT_OAUTH_CLIENT_ID, "secret": CHAT_OAUTH_CLIENT_SECRET}]
            if CHAT_OAUTH_CLIENT_ID
            else []
        ),
    }
}
# Sign-in forms post to chatadmin and are redirected to the Chat account's authorize page;
# browsers apply form-action to that redirect too.
SECURE_CSP["form-action"].append(config.origin(CHAT_BROWSER_BASE_URL or CHAT_BASE_URL))

# --- Locale and logging --------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = config.logging_config(
    ENV.get("LOG_LEVEL", "INFO"),
    # urllib3 logs full URLs at DEBUG, which can carry codes and tokens in query strings.
    quiet={"urllib3": "WARNING"},
)
