"""Test settings: chatadmin's real settings, with test-only secrets and fast hashing.

DATABASE_URL and CACHE_URL still come from the environment, so CI runs on PostgreSQL and Redis.
"""

import os

os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-0123"
)
# A fixed, test-only Fernet key (never used outside tests).
os.environ.setdefault("FERNET_KEYS", "kYtbfk5xzHEVOqnxIOVbGMTpHOD7SxJm0CXd1Kvx1OQ=")
os.environ.setdefault("MAIL_URL", "console://")
os.environ.setdefault("CHATADMIN_HTTPS", "0")
os.environ.setdefault("CHAT_SUBDOMAIN", "demo")
os.environ.setdefault("CHAT_BASE_URL", "http://127.0.0.1:8001")
# The sandbox seeds the dashboard's own client with these (see chatadmin/sandbox/seed.py).
os.environ.setdefault("CHAT_OAUTH_CLIENT_ID", "chatadmin-dashboard")
os.environ.setdefault("CHAT_OAUTH_CLIENT_SECRET", "chatadmin-dashboard-demo-secret")
# Sign-in tests present the dashboard as 127.0.0.1:8000, the address the sandbox's seed registers.
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from chatadmin.settings import *  # noqa: F403
from chatadmin.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# pytest-django's live_server serves static files from the finders under their plain names.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
