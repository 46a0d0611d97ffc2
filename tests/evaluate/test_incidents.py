"""Response and resolution times on 24x7 and business-hours clocks (CN holidays)."""

from __future__ import annotations

from datetime import date, time

from evalkit import HOUR, agreement, objective, ts

from slacode.durations import Duration
from slacode.evaluate import evaluate
from slacode.evaluate.clock import BusinessClock
from slacode.load import load_text
from slacode.model import Calendar, Priority
from slacode.pull.base import Incident, IncidentRecords

CN = Calendar(id="cn-business", timezone="Asia/Shanghai", start=time(9), end=time(18),
              holidays="CN")


def records(oid: str, *incidents: Incident) -> IncidentRecords:
    return IncidentRecords("desk", oid, incidents, ts("2026-01-01T00:00:00+08:00"),
                           ts("2026-12-31T00:00:00+08:00"))


def desk(*objectives, **kw):
    return agreement("desk", objectives=objectives, timezone="Asia/Shanghai", calendars=(CN,),
                     **kw)


def by_period(results, oid):
    return {p.period: p for p in results.for_objective(oid)}


def test_cn_working_days_follow_the_holidays_package() -> None:
    clock = BusinessClock(CN)
    assert not clock.is_working_day(date(2026, 4, 6))  # Mon: Tomb-Sweeping Day (observed)
    assert not clock.is_working_day(date(2026, 10, 6))  # Tue: day off moved from 10-10
    assert clock.is_working_day(date(2026, 10, 10))  # Sat: a working day in China
    assert clock.is_working_day(date(2026, 9, 20))  # Sun: a working day in China
    assert not clock.is_working_day(date(2026, 10, 11))  # an ordinary Sunday


def test_extra_days_and_subdivisions() -> None:
    cal = Calendar(id="x", timezone="Europe/Berlin", holidays="DE", subdivision="BY",
                   extra_holidays=(date(2026, 12, 24),), extra_working_days=(date(2026, 12, 26),))
    clock = BusinessClock(cal)
    assert not clock.is_working_day(date(2026, 1, 6))  # Epiphany: a holiday in Bavaria only
    assert BusinessClock(Calendar(id="y", timezone="Europe/Berlin", holidays="DE",
                                  subdivision="BE")).is_working_day(date(2026, 1, 6))
    assert not clock.is_working_day(date(2026, 12, 24))  # extra holiday (a Thursday)
    assert clock.is_working_day(date(2026, 12, 26))  # extra working day (a Saturday holiday)


def test_p3_opened_friday_17h_before_a_holiday_resolved_next_working_day() -> None:
    # Fri 2026-04-03 17:00 Shanghai; Sat, Sun off; Mon 04-06 Tomb-Sweeping (observed) off;
    # next working day Tue 04-07. Target 1d on a 09:00-18:00 clock = 9 working hours.
    o = objective("p3-resolution", "resolution-time", 95.0, priority="P3",
                  within=Duration(1, "d"), clock="cn-business")
    opened = ts("2026-04-03T17:00:00+08:00")
    ok = Incident("INC-1", "P3", opened, resolved=ts("2026-04-07T12:00:00+08:00"))
    late = Incident("INC-2", "P3", opened, resolved=ts("2026-04-07T17:30:00+08:00"))
    clock = BusinessClock(CN)
    # INC-1: Fri 17:00-18:00 (1 h) + Tue 09:00-12:00 (3 h) = 4 working hours (91 h on a 24x7 clock)
    assert clock.elapsed(ok.opened, ok.resolved) == 4 * HOUR
    # deadline: 1 h on Friday + 8 h on Tuesday -> Tue 17:00
    assert clock.deadline(opened, 9 * HOUR) == ts("2026-04-07T17:00:00+08:00")
    # INC-2: 1 h + 8.5 h = 9.5 working hours > 9: missed
    assert clock.elapsed(late.opened, late.resolved) == 9.5 * HOUR
    now = ts("2026-05-10T00:00:00+08:00")
    (out,) = evaluate([desk(o)], {("desk", "p3-resolution"): records("p3-resolution", ok, late)},
                      now, history_months=2)
    april = by_period(out, "p3-resolution")["2026-04"]
    assert april.value == 50.0 and april.verdict == "breached"  # 1 of 2 within target
    (miss,) = april.misses
    assert miss.incident == "INC-2"
    assert miss.what == ("P3 incident INC-2 resolution after 9 hours 30 minutes of cn-business "
                         "working time (target 1 day: 9 hours of working time)")


def test_weekend_working_day_counts_business_hours() -> None:
    # Fri 2026-10-09 17:00 -> Sat 2026-10-10 (a CN working day) 11:00 = 1 h + 2 h.
    clock = BusinessClock(CN)
    assert clock.elapsed(ts("2026-10-09T17:00:00+08:00"), ts("2026-10-10T11:00:00+08:00")) \
        == 3 * HOUR
    # 4 working hours from Friday 17:00 end on that Saturday at 12:00, not on Monday.
    assert clock.deadline(ts("2026-10-09T17:00:00+08:00"), 4 * HOUR) \
        == ts("2026-10-10T12:00:00+08:00")


def test_response_time_24x7_defaults_from_the_priority_matrix() -> None:
    o = objective("p1-response", "response-time", 100.0, window="quarter", priority="P1")
    matrix = (Priority("P1", response=Duration(15, "m"), resolution=Duration(4, "h")),)
    t0 = ts("2026-10-05T03:00:00+08:00")  # a holiday at night: 24x7 does not care
    incs = (
        Incident("A", "P1", t0, first_response=t0 + 15 * 60),  # exactly 15 minutes: met
        Incident("B", "P1", t0 + HOUR, first_response=t0 + HOUR + 42 * 60),  # 42 min: missed
        Incident("C", "P1", t0 + 2 * HOUR),  # no response, deadline long past: missed
        Incident("D", "P2", t0, first_response=t0 + 10 * HOUR),  # other priority: ignored
        Incident("E", "P1", t0, first_response=t0 + 60, service="other"),  # other service
    )
    now = ts("2026-11-26T00:00:00+08:00")
    (out,) = evaluate([desk(o, priorities=matrix)],
                      {("desk", "p1-response"): records("p1-response", *incs)}, now)
    q4 = by_period(out, "p1-response")["2026-Q4"]
    assert not q4.closed
    assert q4.value == round(100 / 3, 6)
    assert q4.verdict == "cannot-recover"  # target 100: any miss already breaks the quarter
    assert [m.incident for m in q4.misses] == ["B", "C"]
    assert "42 minutes" in q4.misses[0].what
    assert q4.budget is not None and q4.budget.unit == "incidents" and q4.budget.consumed == 2


def test_open_incident_within_its_deadline_is_not_counted_yet() -> None:
    o = objective("p1-response", "response-time", 100.0, priority="P1",
                  within=Duration(15, "m"))
    now = ts("2026-11-20T12:00:00+08:00")
    inc = Incident("A", "P1", now - 5 * 60)
    (out,) = evaluate([desk(o)], {("desk", "p1-response"): records("p1-response", inc)}, now)
    nov = by_period(out, "p1-response")["2026-11"]
    assert nov.value == 100.0 and nov.verdict == "on-track" and not nov.misses
    assert any("not counted yet" in r.text for r in nov.reasons)


DESK_YAML = """\
id: desk
name: Desk
version: 1
effective: 2026-01-01
visibility: public
timezone: Asia/Shanghai
parties:
  provider: {name: Example Cloud}
service:
  description: A help desk.
calendars:
  cn-business: {timezone: Asia/Shanghai, hours: 09:00-18:00, holidays: CN}
priorities:
  P2: {response: 2h, clock: cn-business}
objectives:
  - id: p2-response
    kind: response-time
    priority: P2
    within: 2h
    target: 95
    window: calendar-month
    source:
      incidents: {path: data/incidents.csv}
"""


def test_an_objective_without_a_clock_counts_on_its_priority_rows_clock() -> None:
    # The matrix promises P2 answers within 2 working hours; the objective gives no clock.
    # Counted on 24x7 instead, INC-1 (Fri 17:00 -> Tue 09:30 after the Tomb-Sweeping
    # holiday: 88.5 h, but 1.5 working hours) would be a miss too.
    ag, problems = load_text(DESK_YAML, "slas/desk.yaml")
    assert ag is not None and not problems
    assert ag.objective("p2-response").clock == "cn-business"
    met = Incident("INC-1", "P2", ts("2026-04-03T17:00:00+08:00"),
                   first_response=ts("2026-04-07T09:30:00+08:00"))
    late = Incident("INC-2", "P2", ts("2026-04-07T10:00:00+08:00"),
                    first_response=ts("2026-04-07T12:30:00+08:00"))
    now = ts("2026-05-10T00:00:00+08:00")
    (out,) = evaluate([ag], {("desk", "p2-response"): records("p2-response", met, late)}, now,
                      history_months=2)
    april = by_period(out, "p2-response")["2026-04"]
    assert april.value == 50.0
    (miss,) = april.misses
    assert miss.what == ("P2 incident INC-2 first response after 2 hours 30 minutes of "
                         "cn-business working time (target 2 hours)")
