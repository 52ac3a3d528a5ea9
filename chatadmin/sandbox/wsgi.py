"""WSGI entry point of the sandbox (its own settings, its own process)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "chatadmin.sandbox.settings"
application = get_wsgi_application()
