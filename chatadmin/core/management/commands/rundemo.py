"""Run chatadmin on the embedded default: migrate, seed demo people, start the sandbox, serve."""

from __future__ import annotations

import os
import secrets
import signal
import sys
from typing import Any
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from chatadmin.accounts.models import User
from chatadmin.accounts.roles import Role
from chatadmin.sandbox import demo as sandbox_demo
from chatadmin.sandbox.launcher import SandboxNotReady, SandboxProcess, answers

DEMO_PASSWORD = "chatadmin-demo"  # noqa: S105 - demo mode only, printed on start
DEMO_PEOPLE = (
    ("admin@chatadmin.test", Role.ADMIN, "Demo Admin"),
    ("support@chatadmin.test", Role.SUPPORT, "Demo Support"),
)
LOCAL_HOSTS = ("127.0.0.1", "localhost")


class Command(BaseCommand):
    help = (
        "Start the dashboard in demo mode with local demo accounts and the Chat API sandbox "
        "(CHATADMIN_DEMO=1 only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-sandbox",
            action="store_true",
            help="Do not start the sandbox (CHAT_BASE_URL points elsewhere, or it runs already).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("rundemo only runs in demo mode: set CHATADMIN_DEMO=1.")
        call_command("migrate", interactive=False, verbosity=0)
        self._seed_people()
        sandbox = None if options["no_sandbox"] else self._start_sandbox()
        # `kill` (SIGTERM) ends the dashboard through the same path as Ctrl+C, so the sandbox
        # is stopped with it instead of being left running.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            host, _, port = options["addrport"].rpartition(":")
            url = f"http://{host or '127.0.0.1'}:{port}/"
            self.stdout.write(self.style.SUCCESS(f"\nchatadmin is starting at {url}"))
            self.stdout.write(f"Local demo sign-in (password for both: {DEMO_PASSWORD}):")
            for email, role, _ in DEMO_PEOPLE:
                self.stdout.write(f"  {email:<28} {role.label}")
            self.stdout.write(
                f"\nChat API: {settings.CHAT_BASE_URL} "
                '("Sign in with Zendesk Chat" uses these agents)'
            )
            for line in sandbox_demo.sign_in_lines():
                self.stdout.write(line)
            self.stdout.write("")
            call_command("runserver", options["addrport"], use_reloader=False, use_threading=True)
        finally:
            if sandbox is not None:
                sandbox.stop()

    def _start_sandbox(self) -> SandboxProcess | None:
        """The sandbox on CHAT_BASE_URL's host and port, seeded; None if not ours to start."""
        base = urlsplit(settings.CHAT_BASE_URL)
        if base.scheme != "http" or base.hostname not in LOCAL_HOSTS:
            self.stdout.write(f"CHAT_BASE_URL is {settings.CHAT_BASE_URL}: no sandbox started.")
            return None
        if answers(f"{settings.CHAT_BASE_URL.rstrip('/')}/health/"):
            self.stdout.write(f"A sandbox already answers at {settings.CHAT_BASE_URL}: using it.")
            return None
        control_key = os.environ.get("SANDBOX_CONTROL_KEY") or secrets.token_urlsafe(16)
        log_path = settings.VAR_DIR / "sandbox.log"
        self.stdout.write(f"Starting the Chat API sandbox (log: {log_path}) ...")
        with log_path.open("ab") as log:
            sandbox = SandboxProcess(
                host=base.hostname or "127.0.0.1",
                port=base.port or 80,
                env={"SANDBOX_CONTROL_KEY": control_key},
                log=log,
            )
            try:
                sandbox.start()
            except SandboxNotReady as error:
                raise CommandError(
                    f"The sandbox did not start ({error}); see {log_path}."
                ) from error
        self.stdout.write(
            f"Sandbox control API key for this run (X-Sandbox-Control-Key): {control_key}"
        )
        return sandbox

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
