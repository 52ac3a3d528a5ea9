"""Run chatadmin on the embedded default: migrate, seed demo people, serve."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from chatadmin.accounts.models import User
from chatadmin.accounts.roles import Role

DEMO_PASSWORD = "chatadmin-demo"  # noqa: S105 - demo mode only, printed on start
DEMO_PEOPLE = (
    ("admin@chatadmin.test", Role.ADMIN, "Demo Admin"),
    ("support@chatadmin.test", Role.SUPPORT, "Demo Support"),
)


class Command(BaseCommand):
    help = "Start the dashboard in demo mode with local demo accounts (CHATADMIN_DEMO=1 only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("rundemo only runs in demo mode: set CHATADMIN_DEMO=1.")
        call_command("migrate", interactive=False, verbosity=0)
        self._seed_people()
        host, _, port = options["addrport"].rpartition(":")
        url = f"http://{host or '127.0.0.1'}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\nchatadmin is starting at {url}"))
        self.stdout.write(f"Local demo sign-in (password for both: {DEMO_PASSWORD}):")
        for email, role, _ in DEMO_PEOPLE:
            self.stdout.write(f"  {email:<28} {role.label}")
        self.stdout.write("")
        call_command("runserver", options["addrport"], use_reloader=False, use_threading=True)

    @staticmethod
    @transaction.atomic
    def _seed_people() -> None:
        for email, role, name in DEMO_PEOPLE:
            user, created = User.objects.get_or_create(
                email=email, defaults={"role": role, "display_name": name}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"primary": True, "verified": True}
            )
