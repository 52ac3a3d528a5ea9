#!/usr/bin/env python
"""Django's command-line utility for chatadmin.

The sandbox is a separate application with its own settings: its commands (`runsandbox`,
`seed_sandbox`, and any `sandbox_*`) run with chatadmin.sandbox.settings, every other
command with the dashboard's settings.
"""

import os
import sys

SANDBOX_COMMANDS = {"runsandbox", "seed_sandbox"}


def settings_module(argv: list[str]) -> str | None:
    """The settings a sandbox command must use, or None to keep the usual choice."""
    command = argv[1] if len(argv) > 1 else ""
    if command in SANDBOX_COMMANDS or command.startswith("sandbox_"):
        return "chatadmin.sandbox.settings"
    return None


def main() -> None:
    sandbox = settings_module(sys.argv)
    if sandbox:
        # Forced, not defaulted: pytest and shells often export the dashboard's settings.
        os.environ["DJANGO_SETTINGS_MODULE"] = sandbox
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatadmin.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
