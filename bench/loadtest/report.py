"""Numbers from the samples: requests per second and p50/p95/p99 per action, as markdown."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bench.loadtest.ledger import Act, Sample


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not ordered:
        return 0.0
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(len(ordered), rank) - 1]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def action_table(samples: Iterable[Sample], seconds: float) -> str:
    by_label: dict[str, list[Sample]] = {}
    for sample in samples:
        by_label.setdefault(sample.label, []).append(sample)
    lines = [
        "| action | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | 5xx |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total: list[Sample] = []
    for label in sorted(by_label):
        group = by_label[label]
        total.extend(group)
        lines.append(_row(label, group, seconds))
    lines.append(_row("**all**", total, seconds))
    return "\n".join(lines)


def _row(label: str, group: list[Sample], seconds: float) -> str:
    times = sorted(sample.seconds for sample in group)
    errors = sum(1 for sample in group if sample.status >= 500)
    rate = len(group) / seconds if seconds else 0.0
    return (
        f"| {label} | {len(group)} | {rate:.1f} | {_ms(percentile(times, 0.5))} | "
        f"{_ms(percentile(times, 0.95))} | {_ms(percentile(times, 0.99))} | "
        f"{_ms(times[-1] if times else 0)} | {errors} |"
    )


def outcome_counts(acts: Iterable[Act]) -> Counter[str]:
    return Counter(act.outcome for act in acts)


def outcome_words(counts: Counter[str]) -> str:
    order = ("success", "failure", "denied", "refused", "unknown")
    return ", ".join(f"{counts[name]} {name}" for name in order if counts[name]) or "none"
