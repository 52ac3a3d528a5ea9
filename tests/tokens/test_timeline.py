"""The timeline picture's geometry: tokens placed by creation date, one lane per client."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from chatadmin.tokens.selectors import TokenRow, TokenStatus
from chatadmin.tokens.timeline import PLOT_LEFT, PLOT_RIGHT, timeline_build

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def row(token_id: int, *, client: str, hours_ago: float | None, status: TokenStatus) -> TokenRow:
    return TokenRow(
        id=token_id,
        hint=f"tok{token_id}…",
        client_identifier=client.lower(),
        client_name=client,
        scopes=("read",),
        create_date=None if hours_ago is None else NOW - timedelta(hours=hours_ago),
        expire_date=None,
        status=status,
        is_sign_in=False,
        may_revoke=True,
    )


def test_marks_fall_on_their_creation_dates_and_client_lanes() -> None:
    rows = [
        row(1, client="Local tool", hours_ago=0, status=TokenStatus.ACTIVE),
        row(2, client="CRM bridge", hours_ago=96, status=TokenStatus.EXPIRED),
        row(3, client="CRM bridge", hours_ago=48, status=TokenStatus.EXPIRING),
    ]
    timeline = timeline_build(rows, now=NOW)
    assert timeline is not None
    marks = {mark.token_id: mark for mark in timeline.marks}
    assert marks[2].x == PLOT_LEFT  # the oldest token starts the axis
    assert marks[1].x == PLOT_RIGHT  # now ends it
    assert marks[3].x == (PLOT_LEFT + PLOT_RIGHT) / 2
    assert [lane.label for lane in timeline.lanes] == ["CRM bridge", "Local tool"]
    assert marks[2].y == marks[3].y != marks[1].y
    assert [tick.label for tick in timeline.ticks] == [
        "25 Nov",
        "26 Nov",
        "27 Nov",
        "28 Nov",
        "29 Nov",
    ]
    assert timeline.height > timeline.axis_y
    assert marks[3].diamond.count(",") == 4  # expiring tokens are diamonds, not circles
    assert "3 tokens by creation date" in timeline.summary
    assert "1 active, 1 expiring within 2 hours, 1 expired" in timeline.summary


def test_a_single_new_token_gets_an_hour_of_axis_with_times() -> None:
    timeline = timeline_build([row(1, client="A", hours_ago=0, status=TokenStatus.ACTIVE)], now=NOW)
    assert timeline is not None
    assert timeline.ticks[0].label == "29 Nov 11:00" and timeline.ticks[-1].label == "29 Nov 12:00"
    assert timeline.marks[0].x == PLOT_RIGHT


def test_tokens_without_a_creation_date_are_left_out_and_said() -> None:
    dated = row(1, client="A", hours_ago=5, status=TokenStatus.ACTIVE)
    undated = replace(dated, id=2, create_date=None)
    timeline = timeline_build([dated, undated], now=NOW)
    assert timeline is not None
    assert [mark.token_id for mark in timeline.marks] == [1]
    assert "1 without a creation date are not drawn" in timeline.summary
    assert timeline_build([undated], now=NOW) is None
    assert timeline_build([], now=NOW) is None


def test_long_client_names_are_shortened_in_the_picture_only() -> None:
    name = "An integration with a very long descriptive name"
    timeline = timeline_build(
        [row(1, client=name, hours_ago=1, status=TokenStatus.ACTIVE)], now=NOW
    )
    assert timeline is not None
    assert timeline.lanes[0].label.endswith("…") and len(timeline.lanes[0].label) == 26
    assert name in timeline.marks[0].title


def test_axis_labels_never_repeat_and_the_last_one_is_not_clipped() -> None:
    for hours in (0.5, 1, 3, 7, 20, 30, 49, 60, 75, 100, 24 * 12, 24 * 45, 24 * 200, 24 * 700):
        rows = [
            row(1, client="A", hours_ago=hours, status=TokenStatus.ACTIVE),
            row(2, client="A", hours_ago=0, status=TokenStatus.ACTIVE),
        ]
        timeline = timeline_build(rows, now=NOW)
        assert timeline is not None
        labels = [tick.label for tick in timeline.ticks]
        assert len(labels) == len(set(labels)) >= 2, (hours, labels)
        last = timeline.ticks[-1]
        assert last.anchor == "end" and last.x <= PLOT_RIGHT, (hours, last)
        assert all(tick.anchor == "middle" for tick in timeline.ticks[:-1])
        assert [tick.x for tick in timeline.ticks] == sorted(tick.x for tick in timeline.ticks)


def test_ticks_on_an_axis_of_hours_fall_on_whole_hours() -> None:
    rows = [row(1, client="A", hours_ago=60.2, status=TokenStatus.ACTIVE)]
    timeline = timeline_build(rows, now=NOW - timedelta(minutes=11))
    assert timeline is not None
    assert all(tick.label.endswith(":00") for tick in timeline.ticks)


def test_tokens_of_one_client_on_the_same_day_are_one_mark_with_their_count() -> None:
    rows = [
        row(1, client="Local tool", hours_ago=100, status=TokenStatus.EXPIRED),
        row(2, client="Local tool", hours_ago=99, status=TokenStatus.ACTIVE),
        row(3, client="Local tool", hours_ago=98.5, status=TokenStatus.ACTIVE),
        row(4, client="CRM bridge", hours_ago=99, status=TokenStatus.ACTIVE),  # another lane
        row(5, client="Local tool", hours_ago=1, status=TokenStatus.ACTIVE),  # another day
    ]
    timeline = timeline_build(rows, now=NOW)
    assert timeline is not None
    groups = [mark for mark in timeline.marks if mark.is_group]
    (group,) = groups
    assert group.count == 3 and group.status == "mixed"
    assert "3 tokens from Local tool" in group.title
    assert group.title.endswith("UTC: 2 active, 1 expired")
    singles = sorted(mark.token_id for mark in timeline.marks if not mark.is_group)
    assert singles == [4, 5]
    assert sum(mark.count for mark in timeline.marks) == len(rows)  # every token is counted


def test_on_an_axis_of_hours_only_marks_that_would_cover_each_other_are_counted() -> None:
    rows = [
        row(1, client="A", hours_ago=10, status=TokenStatus.ACTIVE),
        row(2, client="A", hours_ago=9.99, status=TokenStatus.ACTIVE),  # on top of the first
        row(3, client="A", hours_ago=2, status=TokenStatus.ACTIVE),  # same day, far right
    ]
    timeline = timeline_build(rows, now=NOW)
    assert timeline is not None
    assert sorted(mark.count for mark in timeline.marks) == [1, 2]
