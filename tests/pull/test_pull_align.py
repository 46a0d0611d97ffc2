"""Intervals in the agreement's timezone: days of 23 and 25 hours, steps that do not
divide a day, months."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from slacode.pull.align import intervals, layout, local_midnight, month_start, uniform_runs


def ts(text: str) -> int:
    dt = datetime.fromisoformat(text)
    return int((dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp())


@pytest.mark.parametrize(
    ("day", "hours"),
    [("2026-03-29", 23), ("2026-10-25", 25), ("2026-10-26", 24)],
)
def test_hourly_intervals_on_dst_days_in_berlin(day: str, hours: int) -> None:
    start = local_midnight(ts(f"{day}T12:00:00+01:00"), "Europe/Berlin")
    end = start + 30 * 3600
    spans = intervals(start, end, 3600, "Europe/Berlin")
    day_spans = [s for s in spans if s[0] < local_midnight(start + 26 * 3600, "Europe/Berlin")]
    assert len(day_spans) == hours
    assert all(e - s == 3600 for s, e in day_spans)


def test_a_step_that_does_not_divide_the_day_ends_each_day_short() -> None:
    start = ts("2026-10-24T22:00:00")  # midnight, Berlin, on the 25-hour day
    spans = intervals(start, start + 25 * 3600 + 24 * 3600, 7 * 3600, "Europe/Berlin")
    lengths = [(e - s) // 3600 for s, e in spans]
    assert lengths == [7, 7, 7, 4, 7, 7, 7, 3]
    assert all(b[0] == a[1] for a, b in itertools.pairwise(spans))


def test_intervals_stop_at_the_end() -> None:
    start = ts("2026-01-01T00:00:00")
    spans = intervals(start, start + 5400, 3600, "UTC")
    assert spans == [(start, start + 3600), (start + 3600, start + 5400)]


def test_daily_steps_follow_local_days() -> None:
    start = ts("2026-10-24T00:00:00+02:00")
    spans = intervals(start, ts("2026-10-27T00:00:00+01:00"), 86400, "Europe/Berlin")
    assert [(e - s) // 3600 for s, e in spans] == [24, 25, 24]


def test_month_start_in_the_agreement_timezone() -> None:
    now = ts("2026-11-26T00:00:00")
    assert month_start(now, "UTC", 13) == ts("2025-10-01T00:00:00")
    assert month_start(now, "Asia/Shanghai", 13) == ts("2025-10-01T00:00:00+08:00")
    assert month_start(now, "Europe/Berlin", 0) == ts("2026-11-01T00:00:00+01:00")


def test_uniform_runs_split_where_the_length_changes() -> None:
    spans = [(0, 10), (10, 20), (20, 25), (25, 35), (35, 45), (45, 145), (145, 245)]
    assert uniform_runs(spans) == [
        [(0, 10), (10, 20)], [(20, 25)], [(25, 35), (35, 45)], [(45, 145), (145, 245)]
    ]


def test_layout_is_local_days_split_at_the_cuts() -> None:
    tz = "Europe/Berlin"
    start = ts("2026-10-20T00:00:00+02:00")
    now = ts("2026-10-28T13:30:00+01:00")
    m0, m1 = ts("2026-10-22T02:00:00+02:00"), ts("2026-10-22T03:30:00+02:00")  # maintenance
    cut = ts("2026-10-26T09:20:00+01:00")  # a rolling window's start
    spans = layout(start, now, 3600, tz, (cut, m1, m0))
    assert spans[0][0] == start and spans[-1][1] == now
    assert all(b[0] == a[1] for a, b in itertools.pairwise(spans))  # contiguous, no overlap
    assert [(e - s) / 3600 for s, e in spans] == [
        24, 24, 2, 1.5, 20.5, 24, 24, 25, 9 + 1 / 3, 14 + 2 / 3, 24, 13.5,
    ]
    assert spans[8][1] == cut and spans[2][1] == m0 and spans[3][1] == m1


def test_layout_at_the_objective_resolution_when_days_are_not_whole() -> None:
    start = ts("2026-01-01T00:00:00")
    cut = start + 5400
    spans = layout(start, start + 4 * 3600, 3600, "UTC", (cut,), whole_days=False)
    assert [(e - s) // 60 for s, e in spans] == [60, 30, 30, 60, 60]
