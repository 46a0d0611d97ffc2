"""Names from agreements are text in the generated rules, never template, PromQL or
YAML: Prometheus prints them as written (promtool test rules) and they add no rule."""

from __future__ import annotations

from dataclasses import replace

import pytest
from alerts_support import agreement, counter, events, find_alerts, have_promtool
from test_alerts_promtool import BURN, check_with_promtool, rules

pytestmark = [pytest.mark.prometheus,
              pytest.mark.skipif(not have_promtool(), reason="promtool not on PATH")]

NAME = 'Pay{{ .Foo }}ments" }}\n- alert: Evil\n  expr: vector(1)\n{'
OBJECTIVE = '}}{{ template "x" }}{{ $value }} or vector(1) #'


def test_template_syntax_in_names_is_printed_as_written(tmp_path) -> None:
    evil = agreement("evil", replace(events(job="evil"), name=OBJECTIVE), name=NAME,
                     credits=False)
    doc = rules([evil])
    plain = rules([agreement("evil", events(job="evil"), credits=False)])
    assert [r.get("alert", r.get("record")) for g in doc["groups"] for r in g["rules"]] == \
        [r.get("alert", r.get("record")) for g in plain["groups"] for r in g["rules"]]
    assert all("Evil" not in r["expr"] and "Foo" not in r["expr"]
               for g in doc["groups"] for r in g["rules"])
    (page,) = find_alerts(doc, "evil", "availability", BURN, long_window="1h")
    summary = (f"{NAME}: {OBJECTIVE} is spending its error budget too fast: at this rate 2% "
               "of this month's budget goes in 1 hour (confirmed over the last 5 minutes).")
    cases = [{"input_series": [
        {"series": 'requests_total{job="evil"}', "values": counter([(0, 100)], 90)},
        {"series": 'errors_total{job="evil"}', "values": counter([(0, 0), (30, 50)], 90)},
    ], "alert_rule_test": [{"eval_time": "40m", "alertname": BURN, "exp_alerts": [{
        "exp_labels": page["labels"],
        "exp_annotations": {"summary": summary,
                            "sla_page": "https://sla.example.com/services/evil/"},
    }]}]}]
    # 40 minutes in, only the 1h/5m pair has seen enough: the others stay quiet
    for g in doc["groups"]:
        g["rules"] = [r for r in g["rules"] if r.get("labels", {}).get("long_window") in
                      (None, "1h")]
    check_with_promtool(tmp_path, doc, cases)
