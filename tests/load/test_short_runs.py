"""Short versions of bench/load.py: a few people, about 15 s, then every check of the long run.

Each starts the whole production setup (PostgreSQL, Redis, the sandbox as its own process,
gunicorn 2 workers x 4 threads), signs every person in with "Sign in with Zendesk Chat", runs
them and checks: no 5xx (under faults: no 500, and every 5xx is chatadmin's plain problem
page), the sandbox's clients and tokens are what each person was told, the audit log holds one
record per change with that outcome, no list view showed a client deleted before it. Nothing
here measures time: durations are bounded, and the checks are about what happened.
"""

from __future__ import annotations

import pytest

from bench.loadtest.scenarios import fault_run, load_run
from bench.loadtest.stack import Settings

pytestmark = [pytest.mark.load, pytest.mark.live]

# Fewer clients than the bench (faster to seed and list on a small CI machine); still several
# pages of them for the people who see everything.
BULK = 120


def _report(outcome_text: str, problems: list[str], anomalies: list[str]) -> str:
    lines = [outcome_text, "", *problems, *anomalies]
    return "\n".join(lines)


def test_a_short_load_run_loses_and_misrecords_nothing(load_stack_settings: Settings) -> None:
    outcome = load_run(
        load_stack_settings, people=8, seconds=15, think=0.2, seed=11, bulk_clients=BULK
    )

    result = outcome.results[-1]
    assert outcome.ok, _report(outcome.text, outcome.problems, outcome.anomalies)
    assert not [sample for sample in result.samples if sample.status >= 500]
    # It did do each thing (a run that did nothing would pass every check).
    labels = {sample.label.removesuffix(" htmx") for sample in result.samples}
    assert {"list", "open", "create", "edit", "regenerate", "delete", "tokens"} <= labels
    assert result.findings is not None
    assert result.findings.checked["changes made"] == result.findings.checked["audit records"]
    assert result.findings.checked["changes made"] > 0


def test_a_short_fault_run_gives_plain_pages_and_honest_records(
    load_stack_settings: Settings,
) -> None:
    # Short timeouts so that "slower than the read timeout" takes seconds, not tens of them:
    # read timeout 2 s, page deadline 3 s, the sandbox answering after 4 s.
    outcome = fault_run(
        load_stack_settings,
        people=6,
        seconds=6,
        think=0.2,
        seed=12,
        bulk_clients=BULK,
        overrides={"CHAT_READ_TIMEOUT": "2", "CHAT_PAGE_DEADLINE": "3"},
    )

    assert outcome.ok, _report(outcome.text, outcome.problems, outcome.anomalies)
    for result in outcome.results:
        assert result.server_errors == 0, result.phase.name
        assert result.bare_5xx == 0, result.phase.name
    # The faults did reach the people (a run the knobs never touched would pass every check):
    # under calls slower than the deadline, pages that need Chat answer with the plain message.
    slow = outcome.results[0]
    assert slow.problem_pages or [act for act in slow.acts if act.outcome != "success"]
