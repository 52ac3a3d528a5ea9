"""The timeline picture: tokens placed by creation date, one lane per client.

Zendesk's help tells people to find a token by when they created it; this draws that. It is
geometry only: the template renders it as SVG (presentation attributes and classes, no inline
styles), and the table beside it stays the source of truth for assistive technology.

Axis labels never repeat (their format follows the distance between ticks), the last one is
anchored at its end so it is not clipped, and tokens of one client that would be drawn on top
of each other (created the same day on an axis of days, or within a mark's width) are one mark
with their count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from chatadmin.tokens.selectors import EXPIRING_WITHIN_TEXT, TokenRow, TokenStatus

WIDTH = 800
LANE_HEIGHT = 36
TOP = 16
AXIS_SPACE = 40
PLOT_LEFT = 220
PLOT_RIGHT = WIDTH - 24
LABEL_LENGTH = 26
MARK_SIZE = 7
TICKS = 5
MIN_SPAN = timedelta(hours=1)
# Marks closer than this (in the picture's units) would cover each other.
MIN_GAP = 2 * MARK_SIZE + 2
GROUP_SIZE = MARK_SIZE + 4


@dataclass(frozen=True)
class Lane:
    y: float
    label: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    status: TokenStatus | str  # "mixed" for a group whose tokens differ
    title: str
    token_id: int
    count: int = 1

    @property
    def is_group(self) -> bool:
        return self.count > 1

    @property
    def diamond(self) -> str:
        """The `points` of an expiring token's diamond (shape as well as colour tells status)."""
        size = MARK_SIZE + 1
        return (
            f"{self.x:.1f},{self.y - size:.1f} {self.x + size:.1f},{self.y:.1f} "
            f"{self.x:.1f},{self.y + size:.1f} {self.x - size:.1f},{self.y:.1f}"
        )


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    plot_left: int
    plot_right: int
    axis_y: float
    lanes: tuple[Lane, ...]
    ticks: tuple[Tick, ...]
    marks: tuple[Mark, ...]
    summary: str
    mark_size: int = MARK_SIZE
    group_size: int = GROUP_SIZE

    @property
    def label_x(self) -> int:
        return self.plot_left - 12

    @property
    def tick_end(self) -> float:
        return self.axis_y + 6

    @property
    def tick_label_y(self) -> float:
        return self.axis_y + 22


def _tick_label(moment: datetime, step: timedelta) -> str:
    """A label precise enough that ticks `step` apart never read the same."""
    if step < timedelta(days=1):
        return f"{moment.day} {moment:%b %H:%M}"
    if step < timedelta(days=31):
        return f"{moment.day} {moment:%b}"
    return moment.strftime("%b %Y")


def _rounded(moment: datetime, step: timedelta, *, start: datetime, end: datetime) -> datetime:
    """A tick's moment on a round time when its label shows the time (whole hours, or five
    minutes on an axis of a few hours), inside the axis; an axis of days keeps it as it is."""
    if step >= timedelta(days=1):
        return moment
    unit = timedelta(hours=1) if step >= timedelta(hours=1) else timedelta(minutes=5)
    floor = moment.replace(minute=0, second=0, microsecond=0)
    rounded = floor + round((moment - floor) / unit) * unit
    if rounded < start:
        rounded += unit
    if rounded > end:
        rounded -= unit
    return rounded if start <= rounded <= end else moment


def _ticks(start: datetime, end: datetime, x_of: Callable[[datetime], float]) -> tuple[Tick, ...]:
    step = (end - start) / (TICKS - 1)
    ticks: list[Tick] = []
    for index in range(TICKS):
        moment = _rounded(start + step * index, step, start=start, end=end)
        label = _tick_label(moment, step)
        if ticks and ticks[-1].label == label:
            continue  # never the same label twice
        x = x_of(moment)
        # A label near the right edge ends at its tick, so the picture never clips it.
        ticks.append(Tick(x=x, label=label, anchor="end" if x > PLOT_RIGHT - 40 else "middle"))
    return tuple(ticks)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def _summary(rows: Sequence[TokenRow], drawn: int, start: datetime, end: datetime) -> str:
    counts = {status: sum(1 for r in rows if r.status == status) for status in TokenStatus}
    noun = "token" if drawn == 1 else "tokens"
    text = (
        f"{drawn} {noun} by creation date, from {start:%d %b %Y %H:%M} "
        f"to {end:%d %b %Y %H:%M} UTC: "
        f"{counts[TokenStatus.ACTIVE]} active, {counts[TokenStatus.EXPIRING]} expiring within "
        f"{EXPIRING_WITHIN_TEXT}, {counts[TokenStatus.EXPIRED]} expired."
    )
    undated = len(rows) - drawn
    if undated:
        text += f" {undated} without a creation date are not drawn."
    return text + " The table lists each token."


def _created(row: TokenRow) -> datetime:
    assert row.create_date is not None  # noqa: S101 - only dated rows are drawn
    return row.create_date


def _groups(
    rows: Sequence[TokenRow], *, x_of: Callable[[datetime], float], by_day: bool
) -> list[list[TokenRow]]:
    """The tokens drawn as one mark: one client's, the same day (on an axis of days) or so
    close that their marks would cover each other."""
    groups: list[list[TokenRow]] = []
    for row in sorted(rows, key=lambda r: (r.client_name.lower(), _created(r), r.id)):
        if groups and groups[-1][0].client_name == row.client_name:
            group = groups[-1]
            same_day = by_day and _created(group[0]).date() == _created(row).date()
            covered = x_of(_created(row)) - x_of(_created(group[-1])) < MIN_GAP
            if same_day or covered:
                group.append(row)
                continue
        groups.append([row])
    return groups


def _mark(group: list[TokenRow], *, x: float, y: float) -> Mark:
    first = group[0]
    if len(group) == 1:
        return Mark(
            x=x,
            y=y,
            status=first.status,
            title=(
                f"{first.label}, created {_created(first):%d %b %Y %H:%M} UTC, "
                f"{first.status.label.lower()}"
            ),
            token_id=first.id,
        )
    statuses = Counter(row.status for row in group)
    said = ", ".join(
        f"{statuses[status]} {status.label.lower()}" for status in TokenStatus if statuses[status]
    )
    return Mark(
        x=x,
        y=y,
        status=first.status if len(statuses) == 1 else "mixed",
        title=(
            f"{len(group)} tokens from {first.client_name}, created "
            f"{_created(first):%d %b %Y %H:%M} to {_created(group[-1]):%d %b %Y %H:%M} UTC: {said}"
        ),
        token_id=first.id,
        count=len(group),
    )


def timeline_build(rows: Sequence[TokenRow], *, now: datetime) -> Timeline | None:
    """Lay the tokens out by creation date; None when there is nothing to draw."""
    dated = [row for row in rows if row.create_date is not None]
    if not dated:
        return None
    created = [row.create_date for row in dated if row.create_date is not None]
    end = max([now, *created])
    start = min(created)
    if end - start < MIN_SPAN:
        start = end - MIN_SPAN
    span = end - start
    names = sorted({row.client_name for row in dated}, key=str.lower)
    lane_y = {name: TOP + LANE_HEIGHT * (index + 0.5) for index, name in enumerate(names)}
    axis_y = TOP + LANE_HEIGHT * len(names) + 4
    width = PLOT_RIGHT - PLOT_LEFT

    def x_of(moment: datetime) -> float:
        return round(PLOT_LEFT + width * ((moment - start) / span), 1)

    ticks = _ticks(start, end, x_of)
    by_day = span / (TICKS - 1) >= timedelta(days=1)
    marks = tuple(
        _mark(
            group,
            x=round(sum(x_of(_created(row)) for row in group) / len(group), 1),
            y=lane_y[group[0].client_name],
        )
        for group in _groups(dated, x_of=x_of, by_day=by_day)
    )
    return Timeline(
        width=WIDTH,
        height=int(axis_y + AXIS_SPACE),
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        axis_y=axis_y,
        lanes=tuple(Lane(y=lane_y[name], label=_short(name)) for name in names),
        ticks=ticks,
        marks=marks,
        summary=_summary(rows, len(dated), start, end),
    )
