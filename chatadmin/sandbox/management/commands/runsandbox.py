"""python manage.py runsandbox [addr:port]: migrate, seed a fresh database, serve the sandbox."""

from __future__ import annotations

import socket
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.servers.basehttp import WSGIServer, run
from django.core.wsgi import get_wsgi_application

from chatadmin.sandbox import demo, seed
from chatadmin.sandbox.models import Account

DEFAULT_ADDRPORT = "127.0.0.1:8001"


def parse_addrport(value: str) -> tuple[str, int, bool]:
    """("127.0.0.1", 8001, ipv6?) from "8001", "0.0.0.0:8001" or "[::1]:8001"."""
    host, _, port = value.rpartition(":")
    host = host or "127.0.0.1"
    ipv6 = host.startswith("[") and host.endswith("]")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"{value!r} is not addr:port (e.g. 127.0.0.1:8001).")
    return (host[1:-1] if ipv6 else host), int(port), ipv6


class NoDelayServer(WSGIServer):
    """Django's server with Nagle's algorithm off on each connection, as API servers have it.

    Its handler writes the headers and the body of an answer in two sends; with Nagle on, the
    second waits for the client to acknowledge the first, which a client delays by up to 40 ms
    (delayed ACK): every small answer on a kept-alive connection took some 45 ms instead of 2.
    """

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class Command(BaseCommand):
    help = "Run the Chat API sandbox (its own process, port and database)."
    requires_system_checks = []  # checked once below, after migrating

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRPORT)
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--seed", action="store_true", help="Seed the demo account even if data exists."
        )
        group.add_argument("--no-seed", action="store_true", help="Never seed.")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port, ipv6 = parse_addrport(options["addrport"])
        self.check(display_num_errors=False)
        call_command("migrate", interactive=False, verbosity=0)
        fresh = not Account.objects.exists()
        if options["seed"] or (fresh and not options["no_seed"]):
            seed.seed()
        shown = f"[{host}]" if ipv6 else host
        self.stdout.write(f"Chat API sandbox at http://{shown}:{port}/ (not Zendesk)")
        for line in demo.sign_in_lines():
            self.stdout.write(line)
        if getattr(settings, "SANDBOX_CONTROL_KEY", ""):  # absent from the settings mypy reads
            self.stdout.write("Control API: /_sandbox/control/... (X-Sandbox-Control-Key)")
        self.stdout.flush()
        try:
            run(
                host,
                port,
                get_wsgi_application(),
                ipv6=ipv6,
                threading=True,
                server_cls=NoDelayServer,
            )
        except OSError as error:
            raise CommandError(f"Cannot serve on {options['addrport']}: {error}") from error
        except KeyboardInterrupt:
            sys.exit(0)
