"""Whole days: finished days are pulled as one interval each, hours only where
evaluation needs them, against the real Prometheus and the synthetic truth."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pull_synthetic as ps
import pytest
from pull_support import make_agreement, make_settings
from test_pull_prometheus import BERLIN, EVENTS, NOW, SLICES, START, series, tolerance

from slacode.durations import Duration
from slacode.model import Agreement, Maintenance, MaintenancePolicy, Objective, Window
from slacode.pull import pull

pytestmark = pytest.mark.prometheus

# the local days of the test data in Berlin (the third lasts 25 hours)
DAYS = [
    (ps.ts("2026-10-22T22:00:00"), ps.ts("2026-10-23T22:00:00")),
    (ps.ts("2026-10-23T22:00:00"), ps.ts("2026-10-24T22:00:00")),
    (ps.ts("2026-10-24T22:00:00"), ps.ts("2026-10-25T23:00:00")),
    (ps.ts("2026-10-25T23:00:00"), ps.ts("2026-10-26T23:00:00")),
]
ROLLING = Objective("availability-2d", "availability", 99.9, Window("rolling", 2),
                    EVENTS.source, method="events")


def run(agr: Agreement, url: str, root: Path, whole_days: bool = True, now: int = NOW):
    return pull([agr], make_settings(root, url, whole_days=whole_days), now, start=START)


def test_finished_days_are_one_interval_each_and_match_the_hours(
    engine, truth, tmp_path
) -> None:
    agr = make_agreement(EVENTS, tz=BERLIN)
    days = series(run(agr, engine.url, tmp_path / "d"), "availability")
    hours = series(run(agr, engine.url, tmp_path / "h", whole_days=False), "availability")
    assert [(p.start, p.end) for p in days.points] == DAYS
    assert len(hours.points) == 97
    for p in days.points:
        good, total = truth.events(p.start, p.end)
        assert p.has_data
        if p.start <= ps.GAP[0] < p.end:
            # the scrape gap: hours without samples have no data, while the day's
            # increase spans the gap and still counts the requests made during it
            hourly = sum(h.total for h in hours.points if p.start <= h.start < p.end
                         and h.has_data)
            assert hourly < p.total <= total + tolerance(total)
            continue
        assert abs(p.total - total) <= tolerance(total), p
        assert abs(p.good - good) <= tolerance(good), p


def test_time_slices_by_whole_days_match_the_truth(engine, truth, tmp_path) -> None:
    m = series(run(make_agreement(SLICES, tz=BERLIN), engine.url, tmp_path), "slices")
    assert [(p.start, p.end) for p in m.points] == DAYS
    for p in m.points:
        if p.start <= ps.GAP[0] < p.end:
            continue  # slices without samples are not counted
        want = truth.slices(p.start, p.end, 300, 0.05)
        assert want is not None
        assert (p.good, p.total) == pytest.approx(want, abs=1), p


def test_a_rolling_window_starts_exactly_at_an_interval_boundary(
    engine, tmp_path
) -> None:
    now = NOW - 3 * 3600 + 1234  # a day still running, at no round time
    res = run(make_agreement(EVENTS, ROLLING, tz=BERLIN), engine.url, tmp_path, now=now)
    cut = now - 2 * 86400  # 24 October 22:20:34 in Berlin
    m = series(res, "availability-2d")
    assert [(p.start, p.end) for p in m.points] == [
        DAYS[0], (DAYS[1][0], cut), (cut, DAYS[1][1]), DAYS[2], (DAYS[3][0], now)
    ]
    assert all(p.has_data for p in m.points)
    # a month and a rolling window of one measurement: one fetch answers both
    assert series(res, "availability").points == m.points
    alone = run(make_agreement(ROLLING, tz=BERLIN), engine.url, tmp_path / "alone", now=now)
    assert res.queries == alone.queries


def test_a_maintenance_window_splits_its_day(engine, truth, tmp_path) -> None:
    w = Maintenance(datetime.fromisoformat("2026-10-24T02:00:00+02:00"),
                    datetime.fromisoformat("2026-10-24T03:30:00+02:00"),
                    datetime.fromisoformat("2026-10-01T00:00:00+02:00"))
    agr = make_agreement(EVENTS, tz=BERLIN)
    agr = Agreement(**{**agr.__dict__, "maintenance": (w,)})
    m = series(run(agr, engine.url, tmp_path), "availability")
    w0, w1 = int(w.start.timestamp()), int(w.end.timestamp())
    assert [(p.start, p.end) for p in m.points] == [
        DAYS[0], (DAYS[1][0], w0), (w0, w1), (w1, DAYS[1][1]), DAYS[2], DAYS[3]
    ]
    inside = m.points[2]
    good, total = truth.events(w0, w1)
    assert abs(inside.total - total) <= tolerance(total)
    assert abs(inside.good - good) <= tolerance(good)


def test_the_next_night_from_the_cache_equals_a_cold_pull(engine, tmp_path) -> None:
    """A day later the rolling window's cut has moved and yesterday is whole: the cached
    pull asks only for what changed and hands evaluation exactly what a cold pull does."""
    agr = make_agreement(EVENTS, ROLLING, SLICES, tz=BERLIN)
    night1 = NOW - 30 * 3600 + 777
    night2 = night1 + 86400
    run(agr, engine.url, tmp_path / "cache", now=night1)
    warm = run(agr, engine.url, tmp_path / "cache", now=night2)
    cold = run(agr, engine.url, tmp_path / "fresh", now=night2)
    assert warm.queries < cold.queries
    assert warm.measurements == cold.measurements


def test_a_past_versions_maintenance_window_splits_its_day_too(
    engine, truth, tmp_path
) -> None:
    """A period evaluated against an older version excludes that version's window: the
    day is cut at its edges as for the current version's own windows."""
    w = Maintenance(datetime.fromisoformat("2026-10-24T02:00:00+02:00"),
                    datetime.fromisoformat("2026-10-24T03:30:00+02:00"),
                    datetime.fromisoformat("2026-10-01T00:00:00+02:00"))
    current = make_agreement(EVENTS, tz=BERLIN)
    old = Agreement(**{**current.__dict__, "version": 0, "maintenance": (w,)})
    m = series(pull([current], make_settings(tmp_path, engine.url, whole_days=True), NOW,
                    start=START, versions={"api": (old,)}), "availability")
    w0, w1 = int(w.start.timestamp()), int(w.end.timestamp())
    assert [(p.start, p.end) for p in m.points] == [
        DAYS[0], (DAYS[1][0], w0), (w0, w1), (w1, DAYS[1][1]), DAYS[2], DAYS[3]
    ]
    good, total = truth.events(w0, w1)  # the window's own events, exactly
    assert abs(m.points[2].total - total) <= tolerance(total)
    assert abs(m.points[2].good - good) <= tolerance(good)
    # another agreement's past versions do not cut this one's days
    other = series(pull([current], make_settings(tmp_path / "o", engine.url,
                                                 whole_days=True), NOW, start=START,
                        versions={"web": (old,)}), "availability")
    assert [(p.start, p.end) for p in other.points] == DAYS


def test_where_the_monthly_maximum_of_maintenance_is_reached_splits_the_day(
    engine, truth, tmp_path
) -> None:
    """With at most 1h of maintenance a month, a 90-minute window is excluded for its
    first hour only: the day is cut there too, so the counted half hour is exact."""
    w = Maintenance(datetime.fromisoformat("2026-10-24T02:00:00+02:00"),
                    datetime.fromisoformat("2026-10-24T03:30:00+02:00"),
                    datetime.fromisoformat("2026-10-01T00:00:00+02:00"))
    agr = make_agreement(EVENTS, tz=BERLIN)
    agr = Agreement(**{**agr.__dict__, "maintenance": (w,),
                       "maintenance_policy": MaintenancePolicy(max_per_month=Duration(1, "h"))})
    m = series(run(agr, engine.url, tmp_path), "availability")
    w0, w1 = int(w.start.timestamp()), int(w.end.timestamp())
    cap = w0 + 3600
    assert [(p.start, p.end) for p in m.points] == [
        DAYS[0], (DAYS[1][0], w0), (w0, cap), (cap, w1), (w1, DAYS[1][1]), DAYS[2], DAYS[3]
    ]
    good, total = truth.events(cap, w1)
    assert abs(m.points[3].total - total) <= tolerance(total)
    assert abs(m.points[3].good - good) <= tolerance(good)
