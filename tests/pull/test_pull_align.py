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


def test_layout_keeps_hours_only_where_evaluation_needs_them() -> None:
    tz = "Europe/Berlin"
    start = ts("2026-10-20T00:00:00+02:00")
    now = ts("2026-10-28T13:30:00+01:00")
    maintenance = (ts("2026-10-22T02:00:00+02:00"), ts("2026-10-22T03:30:00+02:00"))
    cut = ts("2026-10-26T09:20:00+01:00")  # a rolling window's start
    spans = layout(start, now, 3600, tz, (maintenance,), (cut,))
    assert spans[0][0] == start and spans[-1][1] == now
    assert all(b[0] == a[1] for a, b in itertools.pairwise(spans))  # contiguous, no overlap
    hours = [(e - s) / 3600 for s, e in spans]
    # 20, 21 whole; 22 hourly (maintenance); 23, 24 whole; 25 whole (25 h, DST ends);
    # 26 hourly with 09:00-10:00 cut at 09:20; 27 whole; 28 running: hourly up to 13:30
    assert hours[:2] == [24, 24]
    assert hours[2:26] == [1] * 24
    assert hours[26:29] == [24, 24, 25]
    assert hours[29:38] == [1] * 9
    assert spans[38] == (ts("2026-10-26T09:00:00+01:00"), cut)
    assert spans[39] == (cut, ts("2026-10-26T10:00:00+01:00"))
    assert hours[40:54] == [1] * 14
    assert hours[54] == 24
    assert hours[55:] == [1] * 13 + [0.5]


def test_layout_of_a_running_day_near_its_end_stays_hourly() -> None:
    start = ts("2026-01-01T00:00:00")
    spans = layout(start, start + 86400 + 23 * 3600 + 1800, 3600, "UTC")
    assert spans[0] == (start, start + 86400)
    assert len(spans) == 1 + 24
