"""The timeline picture: tokens placed by creation date, one lane per client.

Zendesk's help tells people to find a token by when they created it; this draws that. It is
geometry only: the template renders it as SVG (presentation attributes and classes, no inline
styles), and the table beside it stays the source of truth for assistive technology.
"""

from __future__ import annotations

from collections.abc import Sequence
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


@dataclass(frozen=True)
class Lane:
    y: float
    label: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    status: TokenStatus
    title: str
    token_id: int

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

    @property
    def label_x(self) -> int:
        return self.plot_left - 12

    @property
    def tick_end(self) -> float:
        return self.axis_y + 6

    @property
    def tick_label_y(self) -> float:
        return self.axis_y + 22


def _tick_label(moment: datetime, span: timedelta) -> str:
    if span <= timedelta(days=2):
        return moment.strftime("%d %b %H:%M")
    if span <= timedelta(days=300):
        return moment.strftime("%d %b")
    return moment.strftime("%b %Y")


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

    ticks = tuple(
        Tick(
            x=x_of(start + span * (index / (TICKS - 1))),
            label=_tick_label(start + span * (index / (TICKS - 1)), span),
        )
        for index in range(TICKS)
    )
    marks = tuple(
        Mark(
            x=x_of(row.create_date),
            y=lane_y[row.client_name],
            status=row.status,
            title=(
                f"{row.label}, created {row.create_date:%d %b %Y %H:%M} UTC, "
                f"{row.status.label.lower()}"
            ),
            token_id=row.id,
        )
        for row in dated
        if row.create_date is not None
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
