"""python manage.py seed_sandbox: create the sandbox's demo account (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from chatadmin.sandbox import demo, seed


class Command(BaseCommand):
    help = (
        "Create the Chat API sandbox's demo account: agents, clients, tokens and the "
        "dashboard's sign-in client. Safe to run again; --reset wipes everything first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Wipe all sandbox data first.")
        parser.add_argument(
            "--bulk-clients",
            type=int,
            default=0,
            metavar="N",
            help="Also add N generated clients owned by the owner (benchmarks, paging).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        report = seed.reset() if options["reset"] else seed.seed()
        self.stdout.write(
            f"Sandbox seeded: {report.agents} agents, {report.clients} clients and "
            f"{report.tokens} tokens created."
        )
        if options["bulk_clients"] > 0:
            total = seed.bulk_clients(options["bulk_clients"])
            self.stdout.write(
                f"Added {options['bulk_clients']} generated clients ({total} in all)."
            )
        for line in demo.sign_in_lines():
            self.stdout.write(line)
