"""Load and faults against the production setup, on loopback; stops by itself.

    .venv/bin/python bench/load.py                 # 20 people for 60 s
    .venv/bin/python bench/load.py --faults        # 10 people, 30 s per fault knob

Starts PostgreSQL databases of its own (chatadmin_load, chatadmin_load_sandbox; set
CHATADMIN_LOAD_DATABASE_URL to choose), Redis database 7 (CHATADMIN_LOAD_CACHE_URL), the
sandbox (`manage.py runsandbox`, seeded with a few hundred clients and one agent per person)
and gunicorn (2 workers x 4 threads, production settings), signs every person in with
"Sign in with Zendesk Chat", runs them, then checks the sandbox and the audit log against what
each person was told, and prints markdown tables. Exit status 1 if any check fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadtest.scenarios import fault_run, load_run
from bench.loadtest.stack import Settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=None, help="20 (load), 10 (faults)")
    parser.add_argument("--seconds", type=float, default=None, help="60 (load), 30 per knob")
    parser.add_argument("--faults", action="store_true", help="the fault runs instead")
    parser.add_argument("--think", type=float, default=0.3, help="mean pause between actions, s")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the people")
    parser.add_argument("--keep", type=Path, default=None, help="keep the logs in this folder")
    args = parser.parse_args()
    settings = Settings.from_environment()
    if args.faults:
        outcome = fault_run(
            settings,
            people=args.people or 10,
            seconds=args.seconds or 30,
            think=args.think,
            seed=args.seed,
            keep=args.keep,
        )
    else:
        outcome = load_run(
            settings,
            people=args.people or 20,
            seconds=args.seconds or 60,
            think=args.think,
            seed=args.seed,
            keep=args.keep,
        )
    print(outcome.text)
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
