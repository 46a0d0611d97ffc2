"""Daily figures and breach days, computed without a tally per day: same rules as periods."""

from __future__ import annotations

import math

from evalkit import DAY, HOUR, agreement, series, ts

from slacode.evaluate import evaluate
from slacode.evaluate.budget import r6

NOW = ts("2026-11-26T00:00:00+00:00")


def test_figures_keep_six_decimals_and_whole_numbers_exactly() -> None:
    assert r6(1 / 3) == 0.333333 and r6(2 / 3) == 0.666667
    assert r6(123456789.0) == 123456789.0 and r6(7) == 7.0
    assert math.copysign(1.0, r6(-0.0)) == 1.0  # no "-0.0" in JSON
    assert r6(None) is None


def test_days_without_measurements_show_no_figure() -> None:
    (out,) = evaluate([agreement()], {}, NOW)
    days = out.daily["availability"]
    assert len(days) == 90 and all(d.value is d.good is d.total is None for d in days)


def test_days_with_a_gap_show_no_figure_and_bad_days_are_listed_as_misses() -> None:
    start = NOW - 40 * DAY
    gap = (NOW - 10 * DAY, NOW - 8 * DAY)
    bad = (NOW - 5 * DAY, NOW - 5 * DAY + 2 * HOUR)

    def good(t: int) -> float | None:
        if gap[0] <= t < gap[1]:
            return None
        return 30.0 if bad[0] <= t < bad[1] else 60.0

    data = series("svc", "availability", start, NOW, good=good,
                  total=lambda t: None if gap[0] <= t < gap[1] else 60.0)
    (out,) = evaluate([agreement()], {("svc", "availability"): data}, NOW, history_months=1)
    daily = {d.date: d for d in out.daily["availability"]}
    assert daily["2026-11-16"].value is None and daily["2026-11-17"].value is None
    assert daily["2026-11-21"].value == r6(100 * (24 * 60 - 60) / (24 * 60))
    assert daily["2026-11-20"].value == 100.0 and daily["2026-11-20"].total == 24 * 60
    november = next(p for p in out.periods if p.period == "2026-11")
    assert [m.what for m in november.misses] == ["2026-11-21: 95.833% (target 99.9%)"]
    assert november.misses[0].start == "2026-11-21T00:00:00+00:00"
    assert all(d.value is None for d in out.daily["availability"] if d.date < "2026-10-17")
