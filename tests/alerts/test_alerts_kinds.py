"""Time slices and latency get the same alerts as events availability, from the same
expressions the pull sends (promtool test rules), and what has no ratio gets none."""

from __future__ import annotations

from dataclasses import replace

import pytest
from alerts_support import (
    agreement,
    counter,
    events,
    expected,
    find_alerts,
    have_promtool,
)
from test_alerts_promtool import BURN, check_with_promtool, rules

from slacode.alerts import alert_rules
from slacode.durations import Duration
from slacode.model import Objective, PrometheusQuery, Source

pytestmark = [pytest.mark.prometheus,
              pytest.mark.skipif(not have_promtool(), reason="promtool not on PATH")]

SLICES = replace(events(job="sliced"), id="slices", method="slices", slice=Duration(5, "m"),
                 slice_threshold=5.0, target=99.5)
LATENCY = Objective(id="latency", kind="latency", target=99.0, window=SLICES.window,
                    threshold=Duration(300, "ms"), source=Source("prometheus", prometheus=
                        PrometheusQuery(histogram='latency_seconds{job="lat"}')))


def test_time_slices_and_latency_page_on_a_fast_burn(tmp_path) -> None:
    agreements = [agreement("sliced", SLICES, credits=False),
                  agreement("lat", LATENCY, credits=False)]
    doc = rules(agreements)
    # the slice rule of `slacode rules` is in the file: the slice ratios read it
    assert any(r.get("record") == "slacode:slice_bad" for g in doc["groups"] for r in g["rules"])
    every = ("1h", "6h", "3d")
    cases = [
        # 20% of requests fail from minute 60: every 5-minute slice is bad (over 5%)
        {"input_series": [
            {"series": 'requests_total{job="sliced"}', "values": counter([(0, 100)], 120)},
            {"series": 'errors_total{job="sliced"}', "values": counter([(0, 0), (60, 20)], 120)},
        ], "alert_rule_test": [
            {"eval_time": "55m", "alertname": BURN, "exp_alerts": []},
            {"eval_time": "80m", "alertname": BURN, "exp_alerts": expected(
                [r for w in every for r in find_alerts(doc, "sliced", "slices", BURN,
                                                       long_window=w)])},
        ]},
        # from minute 60 four in five requests take longer than 300 ms (the le="0.3" bucket)
        {"input_series": [
            {"series": 'latency_seconds_count{job="lat"}', "values": counter([(0, 100)], 120)},
            {"series": 'latency_seconds_bucket{job="lat",le="0.3"}',
             "values": counter([(0, 100), (60, 20)], 120)},
        ], "alert_rule_test": [
            {"eval_time": "55m", "alertname": BURN, "exp_alerts": []},
            {"eval_time": "80m", "alertname": BURN, "exp_alerts": expected(
                [r for w in every for r in find_alerts(doc, "lat", "latency", BURN,
                                                       long_window=w)])},
        ]},
    ]
    check_with_promtool(tmp_path, doc, cases)


def test_objectives_without_a_ratio_from_this_server_are_listed_not_alerted() -> None:
    other = replace(events(id="elsewhere"), source=Source("prometheus", prometheus=replace(
        events().source.prometheus, server="eu")))
    filed = replace(events(id="filed"), source=Source("file", path="data/x.csv"))
    out = alert_rules([agreement("mixed", events(), other, filed)])
    assert {(s.objective, s.reason) for s in out.skipped} == {
        ("elsewhere", "it reads Prometheus server 'eu'"),
        ("filed", "its source is file, not Prometheus"),
    }
    alerted = {r["labels"]["objective"] for g in out.doc["groups"] for r in g["rules"]
               if "alert" in r}
    assert alerted == {"availability"}
    assert out.count[1] == 4  # three burn-rate pairs and the credit at risk


@pytest.mark.parametrize("tz", ["UTC", "Asia/Kolkata"])
def test_quarters_years_and_rolling_windows_with_credits_pass_promtool(tz, tmp_path) -> None:
    from alerts_support import dump, promtool

    from slacode.model import Window

    kinds = [agreement(f"w-{w.kind}", replace(events(job=w.kind), window=w), tz=tz)
             for w in (Window("quarter"), Window("year"), Window("rolling", 28))]
    doc = rules(kinds)
    dump(doc, tmp_path / "alerts.yml")
    out = promtool("check", "rules", "alerts.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert len(find_alerts(doc, "w-rolling", "availability", "SLACreditAtRisk")) == 1
    # a zone half an hour off the hour sums the period in quarter hours, so a step never
    # straddles its local midnight
    step = "15m" if tz == "Asia/Kolkata" else "1h"
    assert any(r.get("record") == f"slacode:sli_bad:{step}"
               for g in doc["groups"] for r in g["rules"])
