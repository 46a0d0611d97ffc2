"""Complaints judged like incidents: acknowledged and resolved within a time on the
agreement's clock; late or unanswered is missed, still in time is not counted yet, and no
records is no data, never met."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from evalkit import agreement, ts

from slacode.durations import Duration
from slacode.evaluate import evaluate
from slacode.model import Calendar, Objective, Source, Window
from slacode.pull.base import Complaint, ComplaintRecords, Gap

OFFICE = Calendar(id="office", timezone="Europe/Berlin", start=time(9), end=time(17),
                  holidays="DE", subdivision="BE")


def complaint_objective(oid: str, kind: str, within: Duration, target: float = 90.0,
                        clock: str = "office") -> Objective:
    return Objective(id=oid, kind=kind, target=target, window=Window("month"),  # type: ignore[arg-type]
                     source=Source("complaints", path="data/complaints.csv"), within=within,
                     clock=clock)


ACK = complaint_objective("ack", "complaint-response", Duration(1, "d"))
FIX = complaint_objective("fix", "complaint-resolution", Duration(10, "d"), target=80.0)


def records(oid: str, *complaints: Complaint, gaps: tuple[Gap, ...] = ()) -> ComplaintRecords:
    return ComplaintRecords("acme", oid, complaints, ts("2026-10-01T00:00:00+02:00"),
                            ts("2026-12-31T00:00:00+01:00"), gaps)


def run(objective: Objective, *complaints: Complaint, now: str, gaps: tuple[Gap, ...] = ()):
    ag = agreement("acme", objectives=(objective,), timezone="Europe/Berlin",
                   calendars=(OFFICE,))
    (out,) = evaluate([ag], {("acme", objective.id): records(objective.id, *complaints,
                                                              gaps=gaps)},
                      ts(now), history_months=2)
    return {p.period: p for p in out.for_objective(objective.id)}


# Tue 10 November 2026, 16:05 in Berlin: 55 working minutes left that day
LATE = Complaint("CMP-2", ts("2026-11-10T16:05:00+01:00"),
                 acknowledged=ts("2026-11-12T14:30:00+01:00"),
                 resolved=ts("2026-11-13T10:00:00+01:00"), customer="ACME sales",
                 channel="Phone", category="Dashboard error")
ON_TIME = Complaint("CMP-1", ts("2026-11-03T09:12:00+01:00"),
                    acknowledged=ts("2026-11-03T11:40:00+01:00"),
                    resolved=ts("2026-11-05T16:00:00+01:00"))


def test_an_acknowledgement_later_than_a_working_day_is_a_miss_naming_the_complaint() -> None:
    november = run(ACK, ON_TIME, LATE, now="2026-12-05T00:00:00+01:00")["2026-11"]
    assert (november.value, november.verdict) == (50.0, "breached")
    (miss,) = november.misses
    # 55 min on Tuesday, 8 h on Wednesday, 5 h 30 min on Thursday
    assert miss.what == ("complaint CMP-2 acknowledgement after 14 hours 25 minutes of office "
                         "working time (target 1 day: 8 hours of working time)")
    assert miss.incident == "CMP-2"
    assert november.budget is not None and november.budget.unit == "complaints"


def test_a_complaint_never_acknowledged_is_missed_once_its_deadline_passes() -> None:
    silent = Complaint("CMP-3", ts("2026-11-19T10:00:00+01:00"))
    before = run(ACK, silent, now="2026-11-20T09:30:00+01:00")["2026-11"]
    assert before.misses == () and before.value == 100.0
    assert "1 complaint(s) still within their target time, not counted yet" in [
        r.text for r in before.reasons]
    after = run(ACK, silent, now="2026-11-20T10:30:00+01:00")["2026-11"]
    assert after.value == 0.0
    assert after.misses[0].what == ("complaint CMP-3 no acknowledgement by its deadline "
                                    "2026-11-20T10:00:00+01:00 (target 1 day: 8 hours of "
                                    "working time)")


def test_a_closed_month_waits_for_a_complaint_still_within_its_time() -> None:
    # opened Mon 30 November 15:00; 10 working days end on Mon 14 December 15:00
    open_one = Complaint("CMP-4", ts("2026-11-30T15:00:00+01:00"))
    november = run(FIX, open_one, now="2026-12-03T00:00:00+01:00")["2026-11"]
    assert november.closed
    (hold,) = [h for h in november.holds if h.kind == "complaint"]
    assert (hold.count, hold.until) == (1, "2026-12-14T15:00:00+01:00")
    assert november.final_at == "2026-12-14T15:00:00+01:00"


def test_no_complaint_records_is_no_data_and_never_met() -> None:
    ag = agreement("acme", objectives=(ACK,), timezone="Europe/Berlin", calendars=(OFFICE,))
    (out,) = evaluate([ag], {}, ts("2026-12-05T00:00:00+01:00"), history_months=2)
    november = {p.period: p for p in out.for_objective("ack")}["2026-11"]
    assert (november.value, november.verdict) == (None, "no-data")
    assert november.reasons[0].text == "no complaint records for this objective"


def test_a_complaint_row_that_could_not_be_read_leaves_its_month_without_a_figure() -> None:
    bad = Gap(ts("2026-11-20T00:00:00+01:00"), ts("2026-11-20T00:00:01+01:00"),
              "a bad row in data/complaints.csv (line 4) may fall here", void=True)
    november = run(ACK, ON_TIME, now="2026-12-05T00:00:00+01:00", gaps=(bad,))["2026-11"]
    assert (november.value, november.verdict) == (None, "no-data")


def test_the_clock_decides_a_24x7_complaint_target_is_counted_in_plain_hours() -> None:
    plain = replace(ACK, clock="24x7")
    november = run(plain, LATE, now="2026-12-05T00:00:00+01:00")["2026-11"]
    assert november.misses[0].what == ("complaint CMP-2 acknowledgement after 1 day 22 hours "
                                       "25 minutes (target 1 day)")
