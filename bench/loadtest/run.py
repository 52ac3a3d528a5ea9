"""Running people against the stack: the load run, and the fault runs knob by knob."""

from __future__ import annotations

import random
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from bench.loadtest import report
from bench.loadtest.ledger import Ledger, TokenFacts
from bench.loadtest.people import NoAnswer, SignedOut, Visitor
from bench.loadtest.stack import Stack
from bench.loadtest.verify import Findings, initial_facts, verify

# How often a person does each thing (relative weights).
WEIGHTS = {
    "list": 26,
    "open": 10,
    "create": 10,
    "edit": 10,
    "regenerate": 8,
    "delete": 7,
    "delete selected": 4,
    "tokens": 10,
    "revoke": 7,
}


def _do(visitor: Visitor, action: str, htmx: bool) -> None:
    actions: dict[str, Callable[[], object]] = {
        "list": lambda: visitor.client_list(htmx),
        "open": visitor.client_open,
        "create": lambda: visitor.client_create(htmx),
        "edit": lambda: visitor.client_edit(htmx),
        "regenerate": lambda: visitor.client_regenerate(htmx),
        "delete": lambda: visitor.client_delete(htmx),
        "delete selected": lambda: visitor.clients_delete_selected(htmx),
        "tokens": lambda: visitor.token_list(htmx),
        "revoke": lambda: visitor.token_revoke(htmx),
    }
    actions[action]()


def _choose(visitor: Visitor) -> str:
    with visitor.ledger.lock:
        usable = sum(
            1
            for client_id in visitor.person.clients
            if (facts := visitor.ledger.clients.get(client_id)) is not None
            and facts.exists
            and not facts.retired
        )
    if usable < 3:
        return "create"
    names = list(WEIGHTS)
    return visitor.rng.choices(names, weights=[WEIGHTS[name] for name in names])[0]


def person_loop(visitor: Visitor, until: float, think: float) -> None:
    """Do things until `until` (time.monotonic); the one in progress is finished."""
    while time.monotonic() < until:
        action = _choose(visitor)
        htmx = visitor.rng.random() < 0.5
        try:
            _do(visitor, action, htmx)
        except SignedOut as sent:
            visitor.ledger.anomaly(f"{visitor.email} was signed out during {action} ({sent})")
            try:
                visitor.sign_in()
            except Exception as error:
                visitor.ledger.anomaly(f"{visitor.email} could not sign in again: {error!r}")
                return
        except NoAnswer:
            pass  # recorded as a reset; a page that was only read changed nothing
        except requests.RequestException as error:
            visitor.ledger.anomaly(f"{visitor.email} {action}: no answer from chatadmin: {error!r}")
        except Exception as error:
            where = traceback.extract_tb(error.__traceback__)[-1]
            visitor.ledger.anomaly(
                f"{visitor.email} {action}: {error!r} at {where.filename}:{where.lineno}"
            )
        if think:
            time.sleep(visitor.rng.uniform(0, 2 * think))


def run_people(
    visitors: list[Visitor], seconds: float, think: float, during: Callable[[], None] | None = None
) -> float:
    """Every person at once for `seconds`; `during` runs beside them. The time it took."""
    started = time.monotonic()
    until = started + seconds
    threads = [
        threading.Thread(target=person_loop, args=(visitor, until, think), daemon=True)
        for visitor in visitors
    ]
    for thread in threads:
        thread.start()
    if during is not None:
        during()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


@dataclass
class Phase:
    """One stretch of the run: the load, or one fault knob."""

    name: str
    seconds: float
    knobs: dict[str, object] = field(default_factory=dict)
    restart_after: float | None = None  # stop the sandbox this long into the phase...
    stopped_for: float = 5.0  # ...for this long, then start it again on its port and data
    settle: float = 0.0  # wait this long after the knob is off (slow calls still in Chat)


@dataclass
class PhaseResult:
    phase: Phase
    duration: float
    samples: list = field(default_factory=list)
    acts: list = field(default_factory=list)
    findings: Findings | None = None
    new_problems: list[str] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)
    unknown_done: Counter[str] = field(default_factory=Counter)
    unknown_not_done: Counter[str] = field(default_factory=Counter)
    worker_ms: list[int] = field(default_factory=list)  # gunicorn's own time per request

    @property
    def server_errors(self) -> int:
        return sum(1 for sample in self.samples if sample.status == 500)

    @property
    def bare_5xx(self) -> int:
        """5xx answers that are not chatadmin's plain problem page."""
        return sum(1 for s in self.samples if s.status >= 500 and not s.problem_page)

    @property
    def problem_pages(self) -> int:
        return sum(1 for s in self.samples if s.problem_page)


class Run:
    def __init__(self, stack: Stack, *, people: int, seed: int = 1, think: float = 0.3) -> None:
        self.stack = stack
        self.ledger = Ledger()
        self.think = think
        for facts in initial_facts(stack.settings.sandbox_db):
            self.ledger.client_add(facts)
        for person in stack.people:
            for token_id in person.tokens:
                self.ledger.tokens[token_id] = TokenFacts(token_id, person.email)
        chosen = stack.people[:people]
        self.visitors = [
            Visitor(
                stack.url,
                person,
                self.ledger,
                random.Random(seed * 1000 + person.number),
                prefix=stack.plan.prefix,
            )
            for person in chosen
        ]
        self.results: list[PhaseResult] = []
        self._problems_before: set[str] = set()

    def sign_in_everyone(self) -> None:
        """Everyone signs in with Zendesk Chat, a few at a time."""
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda visitor: visitor.sign_in(), self.visitors))

    def phase(self, phase: Phase) -> PhaseResult:
        ledger = self.ledger
        ledger.phase = phase.name
        samples_at, acts_at, anomalies_at = (
            len(ledger.samples),
            len(ledger.acts),
            len(ledger.anomalies),
        )
        log_at = self.stack.log_size("gunicorn.log")
        if phase.knobs:
            self.stack.faults(**phase.knobs)
        during = None
        if phase.restart_after is not None:
            restart_after, stopped_for = phase.restart_after, phase.stopped_for

            def during() -> None:
                time.sleep(restart_after)
                self.stack.sandbox_stop()
                time.sleep(stopped_for)
                self.stack.sandbox_start(seed=False)

        duration = run_people(self.visitors, phase.seconds, self.think, during)
        if phase.knobs:
            self.stack.faults(latency_ms=0, failure_rate=0, rate_limit=0)
        if phase.settle:
            time.sleep(phase.settle)
        findings = verify(
            ledger,
            sandbox_db=self.stack.settings.sandbox_db,
            dashboard_db=self.stack.settings.dashboard_db,
            people=[visitor.email for visitor in self.visitors],
        )
        previous = self.results[-1].findings if self.results else None
        result = PhaseResult(
            phase,
            duration,
            samples=ledger.samples[samples_at:],
            acts=ledger.acts[acts_at:],
            findings=findings,
            new_problems=[p for p in findings.problems if p not in self._problems_before],
            anomalies=ledger.anomalies[anomalies_at:],
            unknown_done=findings.unknown_done - (previous.unknown_done if previous else Counter()),
            unknown_not_done=findings.unknown_not_done
            - (previous.unknown_not_done if previous else Counter()),
            worker_ms=self.stack.request_times("gunicorn.log", since=log_at),
        )
        self._problems_before |= set(findings.problems)
        self.results.append(result)
        return result

    def still_signed_in(self) -> list[str]:
        """The people whose session no longer works (each should still be signed in)."""
        out = []
        for visitor in self.visitors:
            try:
                visitor.send("overview", "GET", "/")
            except SignedOut:
                out.append(visitor.email)
        return out


def load_summary(result: PhaseResult, people: int) -> str:
    counts = report.outcome_counts(result.acts)
    return (
        f"{people} people, {result.duration:.0f} s: {len(result.samples)} requests "
        f"({len(result.samples) / result.duration:.1f}/s), "
        f"{sum(1 for s in result.samples if s.status >= 500)} answered 5xx; "
        f"changes: {report.outcome_words(counts)}"
    )


def fault_table(results: list[PhaseResult]) -> str:
    lines = [
        "| fault | requests | HTTP 500 | 5xx not a problem page | problem pages | "
        "changes (as told) | unknown: done by Chat / not | verification |",
        "|---|---:|---:|---:|---:|---|---|---|",
    ]
    for result in results:
        counts = report.outcome_counts(result.acts)
        done, not_done = sum(result.unknown_done.values()), sum(result.unknown_not_done.values())
        ok = (
            "ok"
            if not result.new_problems and not result.anomalies
            else (f"{len(result.new_problems)} problems, {len(result.anomalies)} anomalies")
        )
        lines.append(
            f"| {result.phase.name} | {len(result.samples)} | {result.server_errors} | "
            f"{result.bare_5xx} | {result.problem_pages} | {report.outcome_words(counts)} | "
            f"{done} / {not_done} | {ok} |"
        )
    return "\n".join(lines)
