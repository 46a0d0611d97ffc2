"""Each generated alert fires when it should and stays silent when it should not, on
synthetic series in ``promtool test rules`` (Prometheus' own rule engine, its clock
starting at 1970-01-01T00:00Z): a fast burn, a slow burn, a healthy service, a burst
during announced maintenance (and the same burst announced late or over the monthly
cap), and a month boundary in a timezone west of UTC."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from alerts_support import (
    EPOCH,
    agreement,
    counter,
    dump,
    events,
    expected,
    find_alerts,
    have_promtool,
    promtool,
)

from slacode.alerts import alert_rules
from slacode.durations import Duration
from slacode.model import Contract, Maintenance, MaintenancePolicy

pytestmark = [pytest.mark.prometheus,
              pytest.mark.skipif(not have_promtool(), reason="promtool not on PATH")]

BURN, CREDIT = "SLAErrorBudgetBurn", "SLACreditAtRisk"
#: announced a month ahead, one hour from 02:00
WINDOW = Maintenance(start=EPOCH + timedelta(hours=2), end=EPOCH + timedelta(hours=3),
                     announced=EPOCH - timedelta(days=30), description="Upgrade")
LATE = Maintenance(start=WINDOW.start, end=WINDOW.end, announced=EPOCH + timedelta(hours=1))
NOTICE = MaintenancePolicy(notice=Duration(7, "d"))
CAPPED = MaintenancePolicy(notice=Duration(7, "d"), max_per_month=Duration(30, "m"))


def series(job: str, errors: list[tuple[int, float]], minutes: int, rate: float = 100):
    return [{"series": f'requests_total{{job="{job}"}}', "values": counter([(0, rate)], minutes)},
            {"series": f'errors_total{{job="{job}"}}', "values": counter(errors, minutes)}]


def rules(agreements) -> dict[str, Any]:
    return alert_rules(agreements, site_url="https://sla.example.com/").doc


def check_with_promtool(tmp_path: Path, doc: dict[str, Any], cases: list[dict[str, Any]]) -> None:
    """``promtool check rules`` on the whole file, then ``promtool test rules`` with each
    case beside only the group of its service (named by the input's ``job``), which
    keeps promtool from evaluating every other service minute by minute."""
    dump(doc, tmp_path / "alerts.yml")
    check = promtool("check", "rules", "alerts.yml", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    for n, case in enumerate(cases):
        job = case["input_series"][0]["series"].split('job="')[1].split('"')[0]
        own = {"groups": [g for g in doc["groups"] if not g["name"].startswith(
            "slacode-alerts-") or g["name"] == f"slacode-alerts-{job}"]}
        dump(own, tmp_path / f"alerts-{n}.yml")
        dump({"rule_files": [f"alerts-{n}.yml"], "evaluation_interval": "1m",
              "tests": [{"interval": "1m", **case}]}, tmp_path / f"test-{n}.yml")
        out = promtool("test", "rules", f"test-{n}.yml", cwd=tmp_path)
        assert out.returncode == 0, (out.stdout + out.stderr)[-4000:]


def burns(doc, service: str, *longs: str) -> list[dict[str, Any]]:
    return expected([r for long in longs
                     for r in find_alerts(doc, service, "availability", BURN, long_window=long)])


def credit(doc, service: str) -> list[dict[str, Any]]:
    return expected(find_alerts(doc, service, "availability", CREDIT))


def at(minute: int, alertname: str, alerts: list[dict[str, Any]]) -> dict[str, Any]:
    return {"eval_time": f"{minute}m", "alertname": alertname, "exp_alerts": alerts}


AGREEMENTS = [
    agreement("fast", events(job="fast")),
    agreement("slow", events(job="slow")),
    agreement("healthy", events(job="healthy")),
]


def test_fast_burn_pages_slow_burn_tickets_healthy_stays_silent(tmp_path) -> None:
    doc = rules(AGREEMENTS)
    cases = [
        # 20% of requests fail from minute 60 on: a page within minutes, and the month
        # would end far below the first credit tier (99.9%)
        {"input_series": series("fast", [(0, 0), (60, 20)], 120), "alert_rule_test": [
            at(55, BURN, []), at(55, CREDIT, []),
            at(80, BURN, burns(doc, "fast", "1h", "6h", "3d")),
            at(80, CREDIT, credit(doc, "fast")),
        ]},
        # 0.3% fail all along (3x the budget of 0.1%): a ticket, never a page; at that
        # rate the month ends at 99.7%, below the first credit tier
        {"input_series": series("slow", [(0, 0.3)], 480), "alert_rule_test": [
            at(60, BURN, burns(doc, "slow", "3d")),
            at(420, BURN, burns(doc, "slow", "3d")),
            at(420, CREDIT, credit(doc, "slow")),
        ]},
        # 0.05% fail: within the budget, nothing fires
        {"input_series": series("healthy", [(0, 0.05)], 480), "alert_rule_test": [
            at(m, name, []) for m in (30, 120, 420) for name in (BURN, CREDIT)
        ]},
    ]
    check_with_promtool(tmp_path, doc, cases)


def test_a_burst_during_announced_maintenance_stays_silent_unless_late_or_over_cap(
        tmp_path) -> None:
    agreements = [
        agreement("maint", events(job="maint"), maintenance=(WINDOW,), policy=NOTICE),
        agreement("late", events(job="late"), maintenance=(LATE,), policy=NOTICE),
        agreement("capped", events(job="capped"), maintenance=(WINDOW,), policy=CAPPED),
    ]
    doc = rules(agreements)
    burst = [(0, 0), (120, 100), (180, 0)]  # every request fails from 02:00 to 03:00
    cases = [
        {"input_series": series("maint", burst, 240), "alert_rule_test": [
            at(m, name, []) for m in (150, 190, 230) for name in (BURN, CREDIT)
        ]},
        # failing from 01:30 on: the half hour before the window counts, so a ticket
        # follows the window; during it, the alerts are silent
        {"input_series": series("maint", [(0, 0), (90, 100), (180, 0)], 240),
         "alert_rule_test": [
            at(150, BURN, []),
            at(190, BURN, burns(doc, "maint", "3d")),
        ]},
        {"input_series": series("late", burst, 240), "alert_rule_test": [
            at(150, BURN, burns(doc, "late", "1h", "6h", "3d")),
            at(150, CREDIT, credit(doc, "late")),
            at(190, BURN, burns(doc, "late", "6h", "3d")),
        ]},
        # 30 minutes a month may be excluded: the second half of the hour is downtime
        {"input_series": series("capped", burst, 240), "alert_rule_test": [
            at(145, BURN, []),
            at(170, BURN, burns(doc, "capped", "1h", "6h", "3d")),
            at(190, CREDIT, credit(doc, "capped")),
        ]},
    ]
    check_with_promtool(tmp_path, doc, cases)


def test_the_month_ends_at_local_midnight_west_of_utc(tmp_path) -> None:
    """New York's December ends at 05:00Z on promtool's first day. A burst from 02:00Z
    to 04:00Z puts the rest of December below the credit tier there, while the same
    burst on a UTC agreement is a few hours of a month just begun; at 05:30Z New York's
    January holds none of it."""
    agreements = [agreement("ny", events(job="ny"), tz="America/New_York"),
                  agreement("utc", events(job="utc"))]
    doc = rules(agreements)
    burst = [(0, 0), (120, 20), (240, 0)]
    start = {"expr": 'slacode:period_start{slacode_service="ny"}'}
    ratio = {"expr": 'slacode:error_ratio:period{slacode_service="ny"}'}
    december = -(31 * 86400) + 5 * 3600  # 1969-12-01T05:00Z, the start of NY's December
    cases = [
        {"input_series": series("ny", burst, 360), "alert_rule_test": [
            at(290, CREDIT, credit(doc, "ny")), at(330, CREDIT, []),
        ], "promql_expr_test": [
            {**start, "eval_time": "290m", "exp_samples": [{
                "labels": 'slacode:period_start{slacode_service="ny",window="calendar-month"}',
                "value": december}]},
            {**start, "eval_time": "310m", "exp_samples": [{
                "labels": 'slacode:period_start{slacode_service="ny",window="calendar-month"}',
                "value": 5 * 3600}]},
            # at 06:30Z January has one whole hour, 05:00Z-06:00Z, and it was healthy
            {**ratio, "eval_time": "390m", "exp_samples": [{
                "labels": 'slacode:error_ratio:period{slacode_objective="availability",'
                          'slacode_service="ny"}', "value": 0}]},
        ]},
        {"input_series": series("utc", burst, 360), "alert_rule_test": [
            at(290, CREDIT, []),
        ]},
    ]
    check_with_promtool(tmp_path, doc, cases)


def test_nothing_alerts_after_the_last_day_of_the_contract(tmp_path) -> None:
    """The contract's last day is 1969-12-31 in New York, which ends at 05:00Z: the
    burn that paged before is no promise broken after."""
    ended = replace(agreement("ended", events(job="ended"), tz="America/New_York"),
                    contract=Contract(end=date(1969, 12, 31)))
    doc = rules([ended])
    cases = [{"input_series": series("ended", [(0, 0), (60, 20)], 400), "alert_rule_test": [
        at(80, BURN, burns(doc, "ended", "1h", "6h", "3d")),
        at(330, BURN, []), at(330, CREDIT, []),
    ]}]
    check_with_promtool(tmp_path, doc, cases)
