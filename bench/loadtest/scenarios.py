"""The two runs, start to finish: the stack, signing in, the phases, the checks, the text."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.loadtest import report
from bench.loadtest.run import Phase, PhaseResult, Run, fault_table, load_summary
from bench.loadtest.stack import Plan, Settings, running_stack

# The dashboard's own defaults (settings.py): the slow knob must be slower than the read timeout.
READ_TIMEOUT = 10.0


@dataclass
class Outcome:
    text: str
    ok: bool
    results: list[PhaseResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores{f' ({model})' if model else ''}, {platform.system()} " + (
        f"{platform.release()}, Python {platform.python_version()}"
    )


def _header(title: str) -> list[str]:
    return [f"## {title}", f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}", ""]


def _closing(run: Run, lines: list[str]) -> tuple[list[str], list[str]]:
    last = run.results[-1].findings
    problems = list(last.problems) if last else []
    signed_out = run.still_signed_in()
    problems += [f"{email} is no longer signed in" for email in signed_out]
    anomalies = list(run.ledger.anomalies)
    if last:
        checked = ", ".join(f"{count} {what}" for what, count in sorted(last.checked.items()))
        lines.append(f"Checked: {checked}.")
    lines.append(
        f"Problems: {len(problems)}; anomalies: {len(anomalies)}; requests gunicorn dropped "
        f"without an answer: {len(run.ledger.resets)}."
    )
    lines += [f"- dropped: {line}" for line in run.ledger.resets[:20]]
    lines += [f"- problem: {line}" for line in problems[:50]]
    lines += [f"- anomaly: {line}" for line in anomalies[:50]]
    return problems, anomalies


def told_lines(run: Run) -> list[str]:
    """Each distinct thing a person was told, per phase, action and outcome, with a count."""
    seen: dict[tuple[str, str, str, str], int] = {}
    for act in run.ledger.acts:
        if act.outcome == "success":
            continue
        key = (act.phase, act.action, act.outcome, act.said)
        seen[key] = seen.get(key, 0) + 1
    return [
        f"- {phase} · {action} · {outcome} ({count} times): {said}"
        for (phase, action, outcome, said), count in seen.items()
    ]


def load_run(
    settings: Settings,
    *,
    people: int = 20,
    seconds: float = 60,
    think: float = 0.3,
    seed: int = 1,
    keep: Path | None = None,
    bulk_clients: int = 300,
    overrides: dict[str, str] | None = None,
) -> Outcome:
    plan = Plan(people=max(people, 20), bulk_clients=bulk_clients)
    with running_stack(settings, plan, keep_folder=keep, overrides=overrides) as stack:
        run = Run(stack, people=people, seed=seed, think=think)
        run.sign_in_everyone()
        result = run.phase(Phase("load", seconds))
        lines = _header(f"Load: {people} people for {seconds:g} s")
        lines += [
            load_summary(result, people),
            "",
            report.action_table(result.samples, result.duration),
            "",
        ]
        problems, anomalies = _closing(run, lines)
        five = sum(1 for sample in result.samples if sample.status >= 500)
        if five:
            problems.append(f"{five} answers were 5xx")
        ok = not problems and not anomalies
        return Outcome("\n".join(lines), ok, run.results, problems, anomalies)


def fault_phases(seconds: float, read_timeout: float = READ_TIMEOUT) -> list[Phase]:
    slow_ms = int((read_timeout + 2) * 1000)
    return [
        Phase(
            f"calls {slow_ms / 1000:g} s slow (read timeout {read_timeout:g} s)",
            seconds,
            {"latency_ms": slow_ms},
            settle=slow_ms / 1000 + 3,
        ),
        Phase("20% of calls answer 503", seconds, {"failure_rate": 0.2}),
        Phase(
            "rate limit: 429 with Retry-After",
            seconds,
            {"rate_limit": 25, "rate_window": max(2, round(seconds / 6))},
        ),
        Phase(
            "sandbox stopped, started again",
            seconds,
            restart_after=seconds / 4,
            stopped_for=5.0,
        ),
    ]


def fault_run(
    settings: Settings,
    *,
    people: int = 10,
    seconds: float = 30,
    think: float = 0.3,
    seed: int = 1,
    keep: Path | None = None,
    bulk_clients: int = 300,
    overrides: dict[str, str] | None = None,
) -> Outcome:
    plan = Plan(people=max(people, 20), bulk_clients=bulk_clients)
    read_timeout = float((overrides or {}).get("CHAT_READ_TIMEOUT", READ_TIMEOUT))
    with running_stack(settings, plan, keep_folder=keep, overrides=overrides) as stack:
        run = Run(stack, people=people, seed=seed, think=think)
        run.sign_in_everyone()
        for phase in fault_phases(seconds, read_timeout):
            run.phase(phase)
        lines = _header(f"Faults: {people} people, {seconds:g} s per fault")
        lines += [fault_table(run.results), ""]
        for result in run.results:
            slowest = max((s.seconds for s in result.samples), default=0.0)
            held = max(result.worker_ms, default=0) / 1000
            lines.append(
                f"- {result.phase.name}: slowest answer {slowest:.1f} s as the person waited; "
                f"longest a gunicorn thread held one request {held:.1f} s"
            )
        lines += ["", "What people were told when a change did not simply succeed:", ""]
        lines += told_lines(run)
        lines.append("")
        problems, anomalies = _closing(run, lines)
        five = sum(1 for r in run.results for s in r.samples if s.status == 500)
        bare = sum(r.bare_5xx for r in run.results)
        if five or bare:
            problems.append(f"{five} answers were HTTP 500, {bare} 5xx not a problem page")
        ok = not problems and not anomalies
        return Outcome("\n".join(lines), ok, run.results, problems, anomalies)
