"""Periods in the agreement's timezone: ids, boundaries, DST days, history range."""

from __future__ import annotations

from datetime import date

from evalkit import DAY, HOUR, agreement, objective, series, ts

from slacode.evaluate import evaluate
from slacode.evaluate.periods import days_between, periods_for
from slacode.model import Window


def test_month_periods_cover_history_plus_the_open_one() -> None:
    now = ts("2026-11-26T00:00:00+00:00")
    ps = periods_for(Window("month"), "UTC", now, 13)
    # 13 closed months (2025-10 .. 2026-10) and the open 2026-11
    assert [p.id for p in ps][:2] == ["2025-10", "2025-11"]
    assert ps[-1].id == "2026-11" and not ps[-1].closed(now)
    assert len(ps) == 14 and all(p.closed(now) for p in ps[:-1])


def test_quarter_year_and_rolling_ids() -> None:
    now = ts("2026-11-26T00:00:00+00:00")
    assert [p.id for p in periods_for(Window("quarter"), "UTC", now, 13)] == [
        "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [p.id for p in periods_for(Window("year"), "UTC", now, 13)] == ["2026"]
    (r,) = periods_for(Window("rolling", 28), "UTC", now, 13)
    assert (r.id, r.end - r.start, r.end) == ("rolling-28d", 28 * DAY, now)


def test_month_boundary_in_shanghai_is_eight_hours_before_utc() -> None:
    # One bad hour at 2026-10-31T20:00Z, which is 2026-11-01 04:00 in Shanghai.
    bad = ts("2026-10-31T20:00:00+00:00")
    start, now = ts("2026-09-01T00:00:00+00:00"), ts("2026-12-05T00:00:00+00:00")
    data = series("svc", "availability", start, now,
                  good=lambda t: 0.0 if t == bad else 1000.0, total=lambda t: 1000.0)
    res = {}
    for tz in ("UTC", "Asia/Shanghai"):
        ag = agreement(timezone=tz)
        (out,) = evaluate([ag], {("svc", "availability"): data}, now, history_months=2)
        res[tz] = {p.period: p for p in out.periods}
    sh_nov = res["Asia/Shanghai"]["2026-11"]
    assert sh_nov.start == "2026-11-01T00:00:00+08:00"  # = 2026-10-31T16:00Z
    assert sh_nov.end == "2026-12-01T00:00:00+08:00"
    # Shanghai: the bad hour is in November: 720 hours x 1000 events, 1000 bad.
    assert sh_nov.value == round(100 * (720_000 - 1000) / 720_000, 6) == 99.861111
    assert res["Asia/Shanghai"]["2026-10"].value == 100.0
    # UTC: the same hour is in October: 744 hours, 1000 bad.
    assert res["UTC"]["2026-10"].value == round(100 * (744_000 - 1000) / 744_000, 6) == 99.865591
    assert res["UTC"]["2026-11"].value == 100.0


def test_day_at_end_of_dst_in_berlin_has_25_hours() -> None:
    tz = "Europe/Berlin"
    # 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET.
    (day,) = days_between(ts("2026-10-25T00:00:00+02:00"), ts("2026-10-26T00:00:00+01:00"), tz)
    assert day[0] == date(2026, 10, 25) and day[2] - day[1] == 25 * HOUR
    start, now = ts("2026-09-30T22:00:00+00:00"), ts("2026-11-26T00:00:00+00:00")
    data = series("svc", "availability", start, now)  # 60 good minute-slices per hour
    ag = agreement(timezone=tz, objectives=(objective(method="slices"),))
    (out,) = evaluate([ag], {("svc", "availability"): data}, now, history_months=1)
    daily = {d.date: d for d in out.daily["availability"]}
    assert daily["2026-10-25"].total == 25 * 60  # a 25-hour day: 1500 minute slices
    assert daily["2026-10-24"].total == 24 * 60
    october = next(p for p in out.periods if p.period == "2026-10")
    assert october.start == "2026-10-01T00:00:00+02:00"
    assert october.end == "2026-11-01T00:00:00+01:00"
    assert october.budget is not None
    # 31 days + 1 hour = 745 hours = 44 700 slices; 0.1 % of them may be bad.
    assert october.budget.allowed == round(0.001 * 745 * 60, 6)


def test_daily_strip_is_the_last_90_days() -> None:
    now = ts("2026-11-26T00:00:00+00:00")
    data = series("svc", "availability", now - 100 * DAY, now)
    (out,) = evaluate([agreement()], {("svc", "availability"): data}, now)
    days = out.daily["availability"]
    assert len(days) == 90
    assert days[-1].date == "2026-11-25" and days[0].date == "2026-08-28"
