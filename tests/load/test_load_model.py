"""The typed model built from the samples: what every later stage reads."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from load_helpers import ROOT

from slacode.durations import Duration
from slacode.load import LoadResult, load_agreements
from slacode.model import Position


@pytest.fixture(scope="module")
def samples() -> LoadResult:
    return load_agreements([ROOT / "slas"], root=ROOT, today=date(2026, 11, 26))


def _get(result: LoadResult, agreement_id: str):
    return next(a for a in result.agreements if a.id == agreement_id)


def test_all_six_samples_load_without_errors(samples: LoadResult) -> None:
    assert samples.ok, [str(p) for p in samples.problems]
    assert sorted(a.id for a in samples.agreements) == [
        "acme-analytics", "auth-internal", "globex-exports", "payments-api", "status-web",
        "support-desk"]


def test_payments_api_objectives_credits_and_maintenance_are_typed(samples: LoadResult) -> None:
    a = _get(samples, "payments-api")
    assert (a.version, a.effective, a.path, a.visibility) == (4, date(2026, 12, 1),
                                                                "slas/payments-api.yaml", "public")
    avail, latency, p1, *incidents = a.objectives
    # every response and resolution time of the priority matrix is measured
    assert [(o.kind, o.priority, o.within) for o in incidents] == [
        ("resolution-time", "P1", Duration(4, "h")), ("response-time", "P2", Duration(1, "h")),
        ("resolution-time", "P2", Duration(1, "d"))]
    assert (avail.kind, avail.method, avail.target, str(avail.window)) == (
        "availability", "events", 99.95, "calendar-month")
    assert avail.source.kind == "file" and avail.source.path == "data/payments-api/requests.csv"
    assert latency.threshold == Duration(300, "ms")
    assert (p1.priority, p1.within, p1.clock, str(p1.window)) == (
        "P1", Duration(15, "m"), "24x7", "calendar-quarter")
    assert [(t.below, t.credit) for t in a.credits.tiers] == [(99.95, 10), (99.0, 30), (95.0, 100)]
    assert (a.credits.cap, a.credits.claim_within, a.credits.monthly_fee) == (
        100, Duration(30, "d"), 5000)
    assert a.maintenance_policy.notice == Duration(7, "d")
    early, late = a.maintenance
    assert early.start.utcoffset() == timedelta(0)
    assert early.start - early.announced >= timedelta(days=7) > late.start - late.announced
    assert a.depends_on == ("auth-internal",)
    assert a.continuity.rto == Duration(1, "h") and a.review.every == Duration(6, "mo")


def test_support_desk_calendar_priorities_and_satisfaction(samples: LoadResult) -> None:
    a = _get(samples, "support-desk")
    cal = a.calendar("cn-business")
    assert cal is not None
    assert (cal.timezone, cal.weekdays, cal.start, cal.end, cal.holidays) == (
        "Asia/Shanghai", (0, 1, 2, 3, 4), time(9), time(18), "CN")
    assert date(2026, 9, 20) in cal.extra_working_days
    assert [p.id for p in a.priorities] == ["P1", "P2", "P3", "P4"]
    assert {o.id: o.clock for o in a.objectives if o.priority} == {
        "p1-response": "24x7", "p1-resolution": "24x7", "p2-response": "cn-business",
        "p2-resolution": "cn-business", "p3-response": "cn-business",
        "p3-resolution": "cn-business", "p4-response": "cn-business",
        "p4-resolution": "cn-business"}
    sat = a.objective("satisfaction")
    assert (sat.method, sat.scale_min, sat.scale_max, sat.target, sat.min_responses) == (
        "mean", 1, 5, 4.2, 20)
    assert sat.source.kind == "survey"


def test_internal_and_customer_visibility_and_internal_notes(samples: LoadResult) -> None:
    auth = _get(samples, "auth-internal")
    assert auth.is_internal and auth.underpins == ("payments-api",)
    avail = auth.objective("availability")
    assert (avail.method, avail.slice, avail.slice_threshold) == ("slices", Duration(5, "m"), 5)
    assert "INTERNAL-MARKER-7f3a" in avail.internal_notes
    acme = _get(samples, "acme-analytics")
    assert acme.visibility == "customer:acme"
    assert acme.visible_to("customer:acme") and not acme.visible_to("public")
    assert [(b.at_least, b.bonus) for b in acme.credits.bonuses] == [(99.99, 2)]
    status = _get(samples, "status-web")
    assert [str(o.window) for o in status.objectives] == ["rolling-28d", "calendar-month"]


def test_positions_use_json_pointers_into_the_yaml(samples: LoadResult) -> None:
    a = _get(samples, "payments-api")
    text = (ROOT / "slas" / "payments-api.yaml").read_text().splitlines()
    pos = a.positions["/objectives/0/target"]
    assert text[pos.line - 1][pos.col - 1:].startswith("99.95")
    pos = a.positions["/credits/tiers/1/below"]
    assert text[pos.line - 1][pos.col - 1:].startswith("99.0")
    pos = a.positions["/priorities/P1/response"]
    assert text[pos.line - 1][pos.col - 1:].startswith("15m")
    assert a.objectives[0].pos == a.positions["/objectives/0"]
    # an unknown pointer falls back to its nearest ancestor
    assert a.pos("/objectives/0/nothing/here") == a.positions["/objectives/0"]
    assert a.pos("/nothing") == a.positions[""] == Position(2, 1)


def test_datetimes_keep_their_offset() -> None:
    from slacode.load.build import parse_datetime

    dt = parse_datetime("2026-11-14T02:00:00+08:00")
    assert dt == datetime.fromisoformat("2026-11-13T18:00:00+00:00")
    assert dt.utcoffset() == timedelta(hours=8)
