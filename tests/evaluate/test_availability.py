"""Availability and latency figures, budgets, verdicts, maintenance, credits, composites."""

from __future__ import annotations

from datetime import UTC, date, datetime

from evalkit import DAY, HOUR, agreement, objective, series, ts

from slacode.durations import Duration
from slacode.evaluate import evaluate
from slacode.evaluate.credits import credit_for
from slacode.evaluate.periods import periods_for
from slacode.model import (
    Bonus,
    Contract,
    Credits,
    CreditTier,
    Maintenance,
    MaintenancePolicy,
    Priority,
    Window,
    maintenance_account,
)
from slacode.pull.base import Counts, CountSeries, Gap

TIERS = (CreditTier(99.9, 10), CreditTier(99.0, 25), CreditTier(95.0, 100))
CREDITS = Credits("availability", TIERS, claim_within=Duration(30, "d"), monthly_fee=5000,
                  currency="USD")


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def periods(out, oid="availability"):
    return {p.period: p for p in out.for_objective(oid)}


def test_60_downtime_minutes_in_a_30_day_month() -> None:
    # November 2026: 30 days = 43 200 minutes; 60 bad minutes ->
    # 100 x (43 200 - 60) / 43 200 = 99.8611 %: below 99.9, above 99.0 -> the 10 % tier.
    bad = ts("2026-11-10T03:00:00+00:00")
    now = ts("2026-12-05T00:00:00+00:00")
    data = series("svc", "availability", ts("2026-10-01T00:00:00+00:00"), now,
                  good=lambda t: 0.0 if t == bad else 60.0)
    ag = agreement(objectives=(objective(method="slices", target=99.9),), credits=CREDITS)
    (out,) = evaluate([ag], {("svc", "availability"): data}, now, history_months=2)
    nov = periods(out)["2026-11"]
    assert nov.value == 99.861111 and f"{nov.value:.3f}" == "99.861"
    assert nov.verdict == "breached" and nov.margin == round(99.861111 - 99.9, 6)
    assert nov.credit is not None
    assert (nov.credit.percent, nov.credit.tier_below) == (10.0, 99.9)
    assert nov.credit.amount == 500.0 and nov.credit.currency == "USD"  # 10 % of 5000 USD
    assert nov.credit.claim_by == "2026-12-30"  # 30 days after the last day, Nov 30
    assert nov.budget is not None
    # budget: 0.1 % of 43 200 = 43.2 minutes; 60 used; 16.8 over
    assert (nov.budget.allowed, nov.budget.consumed, nov.budget.remaining) == (43.2, 60.0, -16.8)
    assert [m.what for m in nov.misses] == ["2026-11-10: 95.833% (target 99.9%)"]
    # the open month shows no credit
    assert periods(out)["2026-12"].credit is None
    assert periods(out)["2026-10"].credit.percent == 0.0


def test_maintenance_announced_too_late_is_not_excluded() -> None:
    # Two 2-hour windows of total outage in November (1000 events an hour). Policy: 7 days'
    # notice. A was announced 10 days ahead (excluded), B one day ahead (late: counts).
    a = Maintenance(dt("2026-11-10T02:00:00+00:00"), dt("2026-11-10T04:00:00+00:00"),
                    announced=dt("2026-10-31T00:00:00+00:00"))
    b = Maintenance(dt("2026-11-20T02:00:00+00:00"), dt("2026-11-20T04:00:00+00:00"),
                    announced=dt("2026-11-19T00:00:00+00:00"))
    down = [(ts("2026-11-10T02:00:00+00:00"), ts("2026-11-10T04:00:00+00:00")),
            (ts("2026-11-20T02:00:00+00:00"), ts("2026-11-20T04:00:00+00:00"))]
    now = ts("2026-12-02T00:00:00+00:00")
    data = series("svc", "availability", ts("2026-11-01T00:00:00+00:00"), now,
                  good=lambda t: 0.0 if any(s <= t < e for s, e in down) else 1000.0,
                  total=lambda t: 1000.0)
    ag = agreement(maintenance=(a, b),
                   maintenance_policy=MaintenancePolicy(notice=Duration(7, "d")))
    (out,) = evaluate([ag], {("svc", "availability"): data}, now, history_months=1)
    nov = periods(out)["2026-11"]
    # A leaves numerator and denominator: 718 hours x 1000 events, 2000 bad (window B)
    assert nov.value == round(100 * (718_000 - 2000) / 718_000, 6)
    assert nov.excluded_maintenance == ("2026-11-10T02:00:00+00:00/2026-11-10T04:00:00+00:00",)
    assert nov.late_maintenance == ("2026-11-20T02:00:00+00:00/2026-11-20T04:00:00+00:00",)
    assert nov.coverage == 1.0  # excluded time is not missing data


def test_maintenance_beyond_the_monthly_maximum_counts_as_downtime() -> None:
    # The page promises "at most 4h of maintenance per month". Two 3-hour windows of total
    # outage in November, both announced in time: the first is excluded, of the second
    # only the 1 hour left of the maximum; its last 2 hours count against the service.
    a = Maintenance(dt("2026-11-10T02:00:00+00:00"), dt("2026-11-10T05:00:00+00:00"),
                    announced=dt("2026-10-01T00:00:00+00:00"))
    b = Maintenance(dt("2026-11-20T02:00:00+00:00"), dt("2026-11-20T05:00:00+00:00"),
                    announced=dt("2026-10-01T00:00:00+00:00"))
    down = [(ts("2026-11-10T02:00:00+00:00"), ts("2026-11-10T05:00:00+00:00")),
            (ts("2026-11-20T02:00:00+00:00"), ts("2026-11-20T05:00:00+00:00"))]
    now = ts("2026-12-02T00:00:00+00:00")
    data = series("svc", "availability", ts("2026-11-01T00:00:00+00:00"), now,
                  good=lambda t: 0.0 if any(s <= t < e for s, e in down) else 1000.0,
                  total=lambda t: 1000.0)
    policy = MaintenancePolicy(notice=Duration(7, "d"), max_per_month=Duration(4, "h"))
    ag = agreement(maintenance=(a, b), maintenance_policy=policy)
    (out,) = evaluate([ag], {("svc", "availability"): data}, now, history_months=1)
    nov = periods(out)["2026-11"]
    # 720 h - 4 h excluded = 716 h of 1000 events; 2 h of them all bad
    assert nov.value == round(100 * (716_000 - 2000) / 716_000, 6)
    assert nov.verdict == "breached"
    assert nov.over_cap_maintenance == ("2026-11-20T03:00:00+00:00/2026-11-20T05:00:00+00:00",)
    assert len(nov.excluded_maintenance) == 2  # both windows were (at least partly) excluded
    # without the maximum both windows leave the figure whole
    (free,) = evaluate([agreement(maintenance=(a, b), maintenance_policy=MaintenancePolicy(
        notice=Duration(7, "d")))], {("svc", "availability"): data}, now, history_months=1)
    assert periods(free)["2026-11"].value == 100.0


def test_monthly_maximum_counts_each_local_month_apart() -> None:
    # Berlin: a 6-hour window from 31 Oct 21:00 to 1 Nov 03:00 local time is 3 hours of
    # October and 3 of November, each within a 4h maximum; a further 2h on 2 November
    # leaves 1h over November's maximum.
    tz = "Europe/Berlin"
    w1 = Maintenance(dt("2026-10-31T21:00:00+01:00"), dt("2026-11-01T03:00:00+01:00"),
                     announced=dt("2026-10-01T00:00:00+00:00"))
    w2 = Maintenance(dt("2026-11-02T10:00:00+01:00"), dt("2026-11-02T12:00:00+01:00"),
                     announced=dt("2026-10-01T00:00:00+00:00"))
    ag = agreement(timezone=tz, maintenance=(w2, w1),
                   maintenance_policy=MaintenancePolicy(max_per_month=Duration(4, "h")))
    account = maintenance_account(ag)
    assert account.over_cap == ((ts("2026-11-02T11:00:00+01:00"),
                                 ts("2026-11-02T12:00:00+01:00")),)
    assert account.excluded == ((ts("2026-10-31T21:00:00+01:00"), ts("2026-11-01T03:00:00+01:00")),
                                (ts("2026-11-02T10:00:00+01:00"), ts("2026-11-02T11:00:00+01:00")))


def test_window_covering_half_an_interval_keeps_the_other_half() -> None:
    # 10:00-11:00 had 1000 events, all bad; a window 10:30-11:00 excludes half of it.
    m = Maintenance(dt("2026-11-10T10:30:00+00:00"), dt("2026-11-10T11:00:00+00:00"),
                    announced=dt("2026-11-01T00:00:00+00:00"))
    bad = ts("2026-11-10T10:00:00+00:00")
    now = ts("2026-11-11T00:00:00+00:00")
    data = series("svc", "availability", ts("2026-11-01T00:00:00+00:00"), now,
                  good=lambda t: 0.0 if t == bad else 1000.0, total=lambda t: 1000.0)
    (out,) = evaluate([agreement(maintenance=(m,))], {("svc", "availability"): data}, now)
    day = {d.date: d for d in out.daily["availability"]}["2026-11-10"]
    assert (day.good, day.total) == (23_000.0, 23_500.0)  # 500 bad events remain


def test_open_period_states_on_track_below_target_and_cannot_recover() -> None:
    now = ts("2026-11-16T00:00:00+00:00")  # half of November has passed
    start = ts("2026-11-01T00:00:00+00:00")

    def run(bad_hours: int) -> object:
        data = series("svc", "availability", start, now, total=lambda t: 1000.0,
                      good=lambda t: 0.0 if t < start + bad_hours * HOUR else 1000.0)
        (out,) = evaluate([agreement()], {("svc", "availability"): data}, now, history_months=0)
        return periods(out)["2026-11"]

    # 360 hours so far. Budget for the month at 99.9 %: 0.1 % of 720 000 = 720 events.
    ok = run(0)
    assert (ok.verdict, ok.projection, ok.budget.burn_rate) == ("on-track", 100.0, 0.0)
    # 500 bad events: 99.861 % so far; the last 7 days were clean, so the projection
    # is (359 500 + 360 000) / 720 000 = 99.930556 %; still within the month's 720 events.
    data = series("svc", "availability", start, now, total=lambda t: 1000.0,
                  good=lambda t: 500.0 if t == start else 1000.0)
    (out,) = evaluate([agreement()], {("svc", "availability"): data}, now, history_months=0)
    risk = periods(out)["2026-11"]
    assert risk.value == round(100 * 359_500 / 360_000, 6)
    assert risk.projection == round(100 * (359_500 + 360_000) / 720_000, 6)
    # below the target so far, yet a clean second half still ends the month on target
    assert risk.verdict == "below-target"
    assert risk.budget.allowed == 720.0 and risk.budget.consumed == 500.0
    # 1000 bad events: more than the whole month allows -> cannot recover, though the
    # month is still open (only a closed month is "breached")
    assert run(1).verdict == "cannot-recover"


def test_the_services_data_as_of_is_its_stalest_stream() -> None:
    # latency stopped on 23 November while availability is fresh: the page header must
    # not say the service's figures are fresh
    now = ts("2026-11-26T00:00:00+00:00")
    start = ts("2026-11-01T00:00:00+00:00")
    fresh = series("svc", "availability", start, now)
    stale = series("svc", "latency", start, ts("2026-11-23T00:00:00+00:00"))
    ag = agreement(objectives=(objective(), objective("latency", "latency", 99.0)))
    (out,) = evaluate([ag], {("svc", "availability"): fresh, ("svc", "latency"): stale}, now,
                      history_months=1)
    assert out.as_of == "2026-11-23T00:00:00+00:00"
    (one,) = evaluate([ag], {("svc", "availability"): fresh}, now, history_months=1)
    assert one.as_of == "2026-11-26T00:00:00+00:00"  # no data at all is said per objective


def test_missing_data_is_no_data_never_met() -> None:
    now = ts("2026-12-01T00:00:00+00:00")
    start = ts("2026-11-01T00:00:00+00:00")
    pts = tuple(Counts(t, t + HOUR, None if t >= start + 10 * DAY else 1000.0,
                       None if t >= start + 10 * DAY else 1000.0)
                for t in range(start, now, HOUR))
    gap = Gap(start + 10 * DAY, now, "Prometheus unreachable: connection refused")
    data = CountSeries("svc", "availability", HOUR, pts, (gap,), as_of=start + 10 * DAY)
    (out,) = evaluate([agreement()], {("svc", "availability"): data}, now, history_months=1)
    nov = periods(out)["2026-11"]
    # the ten days measured were all good, yet no figure stands beside "no data"
    assert (nov.verdict, nov.value, nov.margin, nov.budget) == ("no-data", None, None, None)
    assert nov.as_dict()["value"] is None
    assert nov.reasons[0].text == "data for 33.3% of the period, below the 90% needed"
    assert nov.reasons[0].code == "low-coverage"
    assert nov.coverage == round(10 / 30, 6)
    assert any("connection refused" in r.text for r in nov.reasons)
    assert nov.as_of == "2026-11-11T00:00:00+00:00"
    (none,) = evaluate([agreement()], {}, now, history_months=1)
    assert {p.verdict for p in none.periods} == {"no-data"}


def test_zero_traffic_rule() -> None:
    now = ts("2026-11-02T00:00:00+00:00")
    data = series("svc", "availability", ts("2026-11-01T00:00:00+00:00"), now,
                  good=lambda t: 0.0, total=lambda t: 0.0)
    got = {}
    for rule in ("good", "bad", "no-data"):
        ag = agreement(objectives=(objective(zero_traffic=rule),))
        (out,) = evaluate([ag], {("svc", "availability"): data}, now, history_months=0)
        got[rule] = out.daily["availability"][-1].value
    assert got == {"good": 100.0, "bad": 0.0, "no-data": None}


def test_composite_is_the_product_of_the_dependencies() -> None:
    now = ts("2026-12-01T00:00:00+00:00")
    start = ts("2026-11-01T00:00:00+00:00")
    # auth: 99.5 %; db: 99.0 %; payments depends on both -> 99.5 x 99.0 / 100 = 98.505 %
    auth = series("auth", "availability", start, now, total=lambda t: 1000.0,
                  good=lambda t: 995.0)
    db = series("db", "availability", start, now, total=lambda t: 1000.0, good=lambda t: 990.0)
    pay = series("pay", "availability", start, now, total=lambda t: 1000.0)
    ags = [agreement("pay", depends_on=("auth", "db")), agreement("auth"), agreement("db")]
    meas = {("auth", "availability"): auth, ("db", "availability"): db,
            ("pay", "availability"): pay}
    out = {r.service: r for r in evaluate(ags, meas, now, history_months=1)}
    nov = periods(out["pay"])["2026-11"]
    assert nov.value == 100.0 and nov.composite == 98.505
    assert periods(out["auth"])["2026-11"].composite is None


def test_versions_in_force_at_the_period_start() -> None:
    # v1 (99.0) until v2 (99.95) takes effect on 2026-11-15: November started under v1,
    # so v1 judges all of November; December is the first period under v2.
    now = ts("2026-12-10T00:00:00+00:00")
    v1 = agreement(objectives=(objective(target=99.0),), version=1, effective=date(2025, 1, 1))
    v2 = agreement(objectives=(objective(target=99.95),), version=2, effective=date(2026, 11, 15))
    data = series("svc", "availability", ts("2026-10-01T00:00:00+00:00"), now)
    (out,) = evaluate([v2], {("svc", "availability"): data}, now, history_months=2,
                      versions={"svc": [v1]})
    got = {p.period: (p.agreement_version, p.target) for p in out.periods}
    assert got == {"2026-10": (1, 99.0), "2026-11": (1, 99.0), "2026-12": (2, 99.95)}
    (plain,) = evaluate([v2], {("svc", "availability"): data}, now, history_months=2)
    assert {p.agreement_version for p in plain.periods} == {2}


def test_latency_share_under_threshold() -> None:
    now = ts("2026-12-01T00:00:00+00:00")
    data = series("svc", "latency", ts("2026-11-01T00:00:00+00:00"), now,
                  total=lambda t: 200.0, good=lambda t: 198.0)
    o = objective("latency", "latency", 99.0, threshold=Duration(300, "ms"))
    (out,) = evaluate([agreement(objectives=(o,))], {("svc", "latency"): data}, now, 1)
    nov = periods(out, "latency")["2026-11"]
    assert (nov.value, nov.verdict, nov.budget.unit) == (99.0, "met", "requests")


def test_credit_tiers_cap_and_bonus() -> None:
    (p,) = [x for x in periods_for(Window("quarter"), "UTC", ts("2027-01-05T00:00:00+00:00"), 3)
            if x.id == "2026-Q4"]
    cr = Credits("availability", TIERS, cap=50, monthly_fee=1000, currency="EUR",
                 bonuses=(Bonus(99.99, 2), Bonus(99.999, 5)))
    assert credit_for(cr, 94.0, p, "UTC").percent == 50.0  # the 100 % tier, capped at 50
    assert credit_for(cr, 98.0, p, "UTC").tier_below == 99.0  # the lowest matching tier
    c = credit_for(cr, 99.0, p, "UTC")  # not strictly below 99.0
    assert (c.percent, c.amount) == (10.0, 300.0)  # 10 % of 3 months x 1000 EUR
    b = credit_for(cr, 99.995, p, "UTC")
    assert (b.percent, b.bonus_percent, b.bonus_amount) == (0.0, 2.0, 60.0)
    assert credit_for(cr, 100.0, p, "UTC").bonus_percent == 5.0


def test_rolling_window_ends_now() -> None:
    now = ts("2026-11-26T00:00:00+00:00")
    data = series("svc", "availability", now - 40 * DAY, now)
    ag = agreement(objectives=(objective(window="rolling", days=28),))
    (out,) = evaluate([ag], {("svc", "availability"): data}, now)
    (r,) = out.periods
    assert (r.period, r.closed, r.verdict, r.end) == ("rolling-28d", False, "met",
                                                       datetime.fromtimestamp(now, UTC).isoformat())
    assert out.current == (r,)


def test_no_verdict_or_credit_before_the_agreement_took_effect_or_after_its_contract() -> None:
    # a service that failed all year; its agreement only took effect on 2026-09-01 and its
    # contract ended on 2026-10-31: only September and October were promised
    now = ts("2026-12-10T00:00:00+00:00")
    data = series("svc", "availability", ts("2026-06-01T00:00:00+00:00"), now,
                  total=lambda t: 1000.0, good=lambda t: 900.0)
    ag = agreement(effective=date(2026, 9, 1), credits=CREDITS,
                   contract=Contract(end=date(2026, 10, 31)))
    (out,) = evaluate([ag], {("svc", "availability"): data}, now, history_months=6)
    got = {p.period: (p.verdict, p.credit.percent if p.credit else None) for p in out.periods}
    assert got == {"2026-09": ("breached", 100.0), "2026-10": ("breached", 100.0)}
    # one not yet in force: no periods, no rolling window
    rolling = agreement(objectives=(objective(window="rolling", days=28),),
                        effective=date(2027, 1, 1))
    (later,) = evaluate([rolling], {("svc", "availability"): data}, now, history_months=6)
    assert later.periods == ()


def test_a_rolling_window_that_started_before_the_agreement_is_not_judged() -> None:
    now = ts("2026-11-26T00:00:00+00:00")
    data = series("svc", "availability", ts("2026-10-01T00:00:00+00:00"), now)
    rolling = (objective(window="rolling", days=28),)
    (new,) = evaluate([agreement(objectives=rolling, effective=date(2026, 11, 10))],
                      {("svc", "availability"): data}, now, history_months=1)
    assert new.periods == ()  # 28 days back is 2026-10-29: nothing was promised then
    (old,) = evaluate([agreement(objectives=rolling, effective=date(2026, 10, 29))],
                      {("svc", "availability"): data}, now, history_months=1)
    assert [p.period for p in old.periods] == ["rolling-28d"]


def test_a_day_below_target_names_the_incidents_open_that_day() -> None:
    from slacode.pull.base import Incident, IncidentRecords

    now = ts("2026-11-26T00:00:00+00:00")
    bad = ts("2026-11-08T00:00:00+00:00")
    data = series("svc", "availability", ts("2026-11-01T00:00:00+00:00"), now,
                  total=lambda t: 1000.0, good=lambda t: 900.0 if bad <= t < bad + DAY else 1000.0)
    incs = (
        Incident("INC-7", "P1", bad + 3600, bad + 4000, bad + 7200),  # that day
        Incident("INC-8", "P2", bad - 7200, None, None),  # opened the day before, still open
        Incident("INC-9", "P1", bad + 2 * DAY, None, bad + 2 * DAY + 60),  # another day
        Incident("INC-X", "P1", bad + 3600, None, None, service="other"),  # another service
    )
    records = IncidentRecords("svc", "p1", incs, ts("2026-11-01T00:00:00+00:00"), now)
    ag = agreement(objectives=(objective(), objective("p1", "response-time", 90.0)))
    (out,) = evaluate([ag], {("svc", "availability"): data, ("svc", "p1"): records},
                      now, history_months=0)
    (nov,) = [p for p in out.periods if p.period == "2026-11" and p.objective == "availability"]
    assert [(m.what.split(":")[0], m.incident) for m in nov.misses] == [
        ("2026-11-08", "INC-8, INC-7")]


def test_no_data_during_an_urgent_incident_is_never_met() -> None:
    """The source lost 8 hours while a P1 was open: 99.98 % over the rest of the month
    would read as "met" and owe no credit although the outage is not in the figure."""
    from slacode.pull.base import Incident, IncidentRecords

    now = ts("2026-12-02T00:00:00+00:00")
    start = ts("2026-11-01T00:00:00+00:00")
    lost = (ts("2026-11-17T09:00:00+00:00"), ts("2026-11-17T17:00:00+00:00"))
    pts = tuple(Counts(t, t + HOUR, *((None, None) if lost[0] <= t < lost[1] else (1000.0,) * 2))
                for t in range(start, now, HOUR))
    data = CountSeries("svc", "availability", HOUR, pts,
                       (Gap(*lost, "no samples in this interval"),), as_of=now)
    matrix = (Priority("P1", resolution=Duration(4, "h")), Priority("P2"))

    def run(priority: str):
        records = IncidentRecords("svc", "p1", (
            Incident("PAY-107", priority, lost[0] + 120, None, lost[1] + 120),), start, now)
        (out,) = evaluate([agreement(priorities=matrix, objectives=(
                              objective(), objective("p1", "response-time", 90.0)))],
                          {("svc", "availability"): data, ("svc", "p1"): records}, now,
                          history_months=1)
        return periods(out)["2026-11"]

    nov = run("P1")
    assert nov.verdict == "no-data" and nov.credit is None
    assert nov.reasons[0].text == ("no data from 2026-11-17T09:00:00+00:00 to 2026-11-17T17:00:00"
                              "+00:00 while a P1 incident was open: the figure cannot show "
                              "that outage")
    assert nov.coverage > 0.98  # enough data by the coverage rule alone
    assert run("P2").verdict == "met"  # a lesser incident is not an outage of the service
