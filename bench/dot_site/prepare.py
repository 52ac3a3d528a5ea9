"""Give the bench's user exactly N applications and print a signed-in session cookie.

    BENCH_SECRET_KEY=... BENCH_DOT_DATABASE=... BENCH_DOT_CACHE=... \
        var/bench/dot-venv/bin/python -m dot_site.prepare N      (from bench/)
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dot_site.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from oauth2_provider.models import Application, generate_client_id  # noqa: E402


def main() -> None:
    count = int(sys.argv[1])
    call_command("migrate", verbosity=0)
    user, _ = get_user_model().objects.get_or_create(username="bench")
    Application.objects.all().delete()
    secret = make_password("bench-secret")  # hashed once: save() would hash each one again
    Application.objects.bulk_create(
        Application(
            user=user,
            name=f"Generated application {number}",
            client_id=generate_client_id(),
            client_secret=secret,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris="https://integrations.example.com/callback",
        )
        for number in range(1, count + 1)
    )
    browser = Client()
    browser.force_login(user)
    print(f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}")


main()
