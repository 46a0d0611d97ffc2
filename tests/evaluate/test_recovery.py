"""Recovery objectives: each incident of ``continuity.priorities`` judged against the RTO
(restored within) and the RPO (data lost at most); a fact not recorded is never met."""

from __future__ import annotations

from dataclasses import replace

from evalkit import HOUR, agreement, ts

from slacode.durations import Duration
from slacode.evaluate import evaluate
from slacode.model import Continuity, Objective, Priority, Source, Window
from slacode.pull.base import Incident, IncidentRecords

RTO = Objective("rto", "recovery-time", 100.0, Window("month"),
                Source("incidents", path="data/incidents.csv"))
RPO = replace(RTO, id="rpo", kind="recovery-point")
CONTINUITY = Continuity(rto=Duration(4, "h"), rpo=Duration(15, "m"), priorities=("P1",))
NOW = "2026-12-05T00:00:00+00:00"


def run(*incidents: Incident, now: str = NOW, continuity: Continuity = CONTINUITY,
        objectives: tuple[Objective, ...] = (RTO, RPO)):
    ag = agreement("acme", objectives=objectives, continuity=continuity,
                   priorities=(Priority("P1"), Priority("P2")))
    rec = {(ag.id, o.id): IncidentRecords(ag.id, o.id, incidents, ts("2026-10-01T00:00:00Z"),
                                          ts(now)) for o in objectives}
    (out,) = evaluate([ag], rec, ts(now), history_months=2)
    return out


OPENED = ts("2026-11-19T03:20:00+00:00")
QUICK = Incident("INC-7", "P1", ts("2026-11-09T14:00:00+00:00"),
                 resolved=ts("2026-11-10T11:00:00+00:00"),
                 restored=ts("2026-11-09T16:30:00+00:00"), data_lost=5 * 60)
SLOW = Incident("INC-8", "P1", OPENED, resolved=OPENED + 9 * HOUR,
                restored=OPENED + 4 * HOUR + 45 * 60, data_lost=40 * 60)


def test_each_disaster_incident_is_judged_against_the_rto_and_the_rpo() -> None:
    out = run(QUICK, SLOW)
    rto = {p.period: p for p in out.for_objective("rto")}["2026-11"]
    rpo = {p.period: p for p in out.for_objective("rpo")}["2026-11"]
    assert (rto.value, rto.verdict, rpo.value, rpo.verdict) == (50.0, "breached", 50.0,
                                                                "breached")
    assert [m.what for m in rto.misses] == [
        "P1 incident INC-8 service restoration after 4 hours 45 minutes (target 4 hours)"]
    assert [m.what for m in rpo.misses] == [
        "P1 incident INC-8 lost 40 minutes of data (target at most 15 minutes)"]
    # per incident, met ones too: what the incident table shows
    assert [(v.objective, v.incident, v.status) for v in out.incident_verdicts] == [
        ("rto", "INC-7", "met"), ("rto", "INC-8", "missed"),
        ("rpo", "INC-7", "met"), ("rpo", "INC-8", "missed")]


def test_incidents_of_other_priorities_are_not_judged() -> None:
    out = run(replace(SLOW, priority="P2"))
    rto = {p.period: p for p in out.for_objective("rto")}["2026-11"]
    assert rto.misses == () and out.incident_verdicts == ()


def test_a_resolved_incident_without_a_restoration_time_was_restored_by_its_resolution(
        ) -> None:
    out = run(replace(SLOW, restored=None, resolved=OPENED + 3 * HOUR))
    rto = {p.period: p for p in out.for_objective("rto")}["2026-11"]
    assert (rto.value, rto.verdict) == (100.0, "met")


def test_data_loss_not_recorded_leaves_the_month_without_a_figure() -> None:
    out = run(QUICK, replace(SLOW, data_lost=None))
    rpo = {p.period: p for p in out.for_objective("rpo")}["2026-11"]
    assert (rpo.value, rpo.verdict) == (None, "no-data")
    assert rpo.reasons[0].text == "P1 incident INC-8: no data loss recorded"
    assert ("rpo", "INC-8", "unknown") in [(v.objective, v.incident, v.status)
                                           for v in out.incident_verdicts]


def test_an_incident_not_yet_restored_waits_for_the_rto_then_misses_it() -> None:
    open_one = Incident("INC-9", "P1", ts("2026-11-25T22:00:00+00:00"))
    during = run(open_one, now="2026-11-26T01:00:00+00:00")
    rto = {p.period: p for p in during.for_objective("rto")}["2026-11"]
    assert rto.misses == ()
    assert "1 incident(s) still within their target time, not counted yet" in [
        r.text for r in rto.reasons]
    after = run(open_one, now="2026-11-26T03:00:00+00:00")
    rto = {p.period: p for p in after.for_objective("rto")}["2026-11"]
    assert rto.misses[0].what == ("P1 incident INC-9 no service restoration by its deadline "
                                  "2026-11-26T02:00:00+00:00 (target 4 hours)")
    rpo = {p.period: p for p in after.for_objective("rpo")}["2026-11"]
    assert rpo.value is None  # not back, nothing recorded: no figure, never met


def test_an_objectives_own_within_replaces_the_continuity_rto() -> None:
    strict = replace(RTO, within=Duration(2, "h"))
    out = run(QUICK, objectives=(strict,))
    rto = {p.period: p for p in out.for_objective("rto")}["2026-11"]
    assert rto.misses[0].what == ("P1 incident INC-7 service restoration after 2 hours 30 "
                                  "minutes (target 2 hours)")
