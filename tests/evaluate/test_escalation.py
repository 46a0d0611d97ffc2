"""Escalation timing: an incident still open after a level's ``after`` must have reached
that level by then; late or missing is a miss of the escalation objective."""

from __future__ import annotations

from dataclasses import replace

from evalkit import HOUR, agreement, ts

from slacode.durations import Duration
from slacode.evaluate import evaluate
from slacode.model import EscalationLevel, Objective, Priority, Source, Window
from slacode.pull.base import Incident, IncidentRecords

ESC = Objective("esc", "escalation", 100.0, Window("month"),
                Source("incidents", path="data/incidents.csv"), priority="P1")
LEVELS = (EscalationLevel(1, "oncall@example.com"),
          EscalationLevel(2, "lead@example.com", Duration(1, "h"), "Team lead"),
          EscalationLevel(3, "cto@example.com", Duration(4, "h"), "CTO"))
OPENED = ts("2026-11-19T03:20:00+00:00")


def run(*incidents: Incident, now: str = "2026-12-05T00:00:00+00:00"):
    ag = agreement("acme", objectives=(ESC,), escalation=LEVELS,
                   priorities=(Priority("P1"), Priority("P2")))
    rec = IncidentRecords("acme", "esc", incidents, ts("2026-10-01T00:00:00Z"), ts(now))
    (out,) = evaluate([ag], {("acme", "esc"): rec}, ts(now), history_months=2)
    return out, {p.period: p for p in out.for_objective("esc")}["2026-11"]


def test_levels_reached_in_time_meet_the_objective() -> None:
    ok = Incident("INC-1", "P1", OPENED, resolved=OPENED + 9 * HOUR,
                  escalations=((2, OPENED + 40 * 60), (3, OPENED + 3 * HOUR)))
    out, november = run(ok)
    assert (november.value, november.verdict, november.misses) == (100.0, "met", ())
    assert [(v.kind, v.incident, v.status) for v in out.incident_verdicts] == [
        ("escalation", "INC-1", "met")]


def test_a_late_escalation_is_a_miss_naming_the_level() -> None:
    late = Incident("INC-2", "P1", OPENED, resolved=OPENED + 9 * HOUR,
                    escalations=((2, OPENED + 90 * 60), (3, OPENED + 3 * HOUR)))
    _out, november = run(late)
    assert november.value == 0.0
    assert [m.what for m in november.misses] == [
        "P1 incident INC-2 escalated to level 2 (Team lead) after 1 hour 30 minutes "
        "(target 1 hour)"]


def test_a_missing_escalation_is_a_miss_once_its_time_has_passed() -> None:
    missing = Incident("INC-3", "P1", OPENED, resolved=OPENED + 9 * HOUR,
                       escalations=((2, OPENED + 45 * 60),))
    _out, november = run(missing)
    assert [m.what for m in november.misses] == [
        "P1 incident INC-3 not escalated to level 3 (CTO) by 2026-11-19T07:20:00+00:00 "
        "(target 4 hours)"]


def test_a_level_is_not_owed_when_the_incident_was_resolved_before_its_time() -> None:
    quick = Incident("INC-4", "P1", OPENED, resolved=OPENED + 2 * HOUR,
                     escalations=((2, OPENED + 30 * 60),))
    _out, november = run(quick)
    assert (november.value, november.misses) == (100.0, ())


def test_an_open_incident_is_pending_until_its_next_level_is_due() -> None:
    still_open = Incident("INC-5", "P1", OPENED, escalations=((2, OPENED + 30 * 60),))
    _out, during = run(still_open, now="2026-11-19T05:00:00+00:00")
    assert during.misses == ()
    assert "1 incident(s) still within their target time, not counted yet" in [
        r.text for r in during.reasons]
    _out, after = run(still_open, now="2026-11-19T08:00:00+00:00")
    assert after.value == 0.0 and "not escalated to level 3" in after.misses[0].what


def test_incidents_of_another_priority_are_left_to_their_own_objective() -> None:
    other = Incident("INC-6", "P2", OPENED, resolved=OPENED + 9 * HOUR)
    out, november = run(other)
    assert november.misses == () and out.incident_verdicts == ()


def test_no_incident_records_is_no_data_never_met() -> None:
    ag = agreement("acme", objectives=(replace(ESC),), escalation=LEVELS,
                   priorities=(Priority("P1"),))
    (out,) = evaluate([ag], {}, ts("2026-12-05T00:00:00+00:00"), history_months=2)
    november = {p.period: p for p in out.for_objective("esc")}["2026-11"]
    assert (november.value, november.verdict) == (None, "no-data")
