"""python manage.py sandbox_openapi [--style chat|legacy]: print the API's OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chatadmin.sandbox.api import chat_api, legacy_api


class Command(BaseCommand):
    help = "Print the sandbox API's OpenAPI document (the one served at .../openapi.json)."
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--style", choices=("chat", "legacy"), default="chat")

    def handle(self, *args: Any, **options: Any) -> None:
        api = chat_api if options["style"] == "chat" else legacy_api
        self.stdout.write(json.dumps(api.get_openapi_schema(), indent=2))
