"""A selector that matches no series: a legitimate zero (an error counter that appears with
the first error) or a typo that would publish wrong figures (a good counter that never
matches makes every request bad). Per query shape, over the plans' combining rules and the
whole fetch's review; one check against a real Prometheus that the queries are valid."""

from __future__ import annotations

from dataclasses import replace

import pull_synthetic as ps
import pytest
from pull_support import make_agreement, make_settings

from slacode.durations import Duration
from slacode.model import Objective, PrometheusQuery, Source, Window
from slacode.pull import pull
from slacode.pull.base import CountSeries
from slacode.pull.cache import CachedPoint
from slacode.pull.planning import GOOD_UNMATCHED, NO_GOOD, plan_for, reviewed

HOUR = 3600


def obj(method: str = "events", kind: str = "availability", **selectors: str) -> Objective:
    extra: dict[str, object] = {}
    if method == "slices":
        extra = {"slice": Duration(5, "m"), "slice_threshold": 5.0}
    if kind == "latency":
        extra["threshold"] = Duration(300, "ms")
    return Objective("o", kind, 99.0, Window("month"),
                     Source("prometheus", PrometheusQuery(**selectors)), method=method,
                     **extra)  # type: ignore[arg-type]


def review(o: Objective, answers: list[dict[str, float | None]]) -> list[tuple]:
    """(good, total, reason) per hour, as a fetch of these answers publishes them."""
    combine = plan_for(o).combine
    points = {}
    for i, v in enumerate(answers):
        good, total, why = combine(v)
        points[i * HOUR] = CachedPoint(i * HOUR, (i + 1) * HOUR, good, total, why)
    return [(p[2], p[3], p[4]) for p in reviewed(points).values()]


GOOD_BAD = obj(good="ok_total", bad="err_total")


def test_good_bad_a_good_selector_matching_nothing_anywhere_is_no_data() -> None:
    """Without it every hour of a typo'd good selector would publish 0% good."""
    got = review(GOOD_BAD, [{"good": None, "bad": 5.0}, {"good": None, "bad": 0.0},
                            {"good": None, "bad": None}])
    assert got[:2] == [(None, None, GOOD_UNMATCHED)] * 2
    assert got[2][:2] == (None, None)  # no samples at all stays what it was


def test_good_bad_a_good_series_missing_in_some_hours_counts_as_zero_good() -> None:
    got = review(GOOD_BAD, [{"good": None, "bad": 5.0}, {"good": 95.0, "bad": 5.0}])
    assert [(g, t) for g, t, _ in got] == [(0.0, 5.0), (95.0, 100.0)]


def test_good_bad_a_bad_selector_matching_nothing_is_zero_bad() -> None:
    got = review(GOOD_BAD, [{"good": 100.0, "bad": None}] * 3)
    assert got == [(100.0, 100.0, "")] * 3


def test_good_bad_no_events_at_all_is_not_a_wrong_selector() -> None:
    got = review(GOOD_BAD, [{"good": None, "bad": 0.0}] * 3)
    assert [(g, t) for g, t, _ in got] == [(0.0, 0.0)] * 3


def test_bad_total_an_absent_bad_series_is_zero_bad_not_a_typo() -> None:
    """An error counter often appears only with the first error: indistinguishable from a
    typo, and counting it as no data would hide every healthy month."""
    o = obj(bad="err_total", total="all_total")
    assert review(o, [{"bad": None, "total": 100.0}] * 2) == [(100.0, 100.0, "")] * 2


def test_latency_a_threshold_that_is_no_bucket_boundary_is_no_data() -> None:
    o = obj(kind="latency", histogram='h_seconds{job="a"}')
    got = review(o, [{"good": None, "total": 100.0}, {"good": None, "total": 0.0}])
    assert all(g is None and t is None and "no bucket at le=0.3" in why for g, t, why in got)


GOOD_SLICES = obj("slices", good="ok_total", total="all_total")
BAD_SLICES = obj("slices", bad="err_total", total="all_total")


@pytest.mark.parametrize("zero", ["good", "bad", "no-data"])
@pytest.mark.parametrize("recorded", [False, True])
def test_slices_a_good_selector_matching_nothing_anywhere_is_no_data(zero, recorded) -> None:
    """Slices count a slice without good series as 0 good (``or 0 * total``), so a typo'd
    good selector made every slice with traffic bad: 0% good, published."""
    o = replace(GOOD_SLICES, zero_traffic=zero)
    plan = plan_for(o, recorded=recorded)
    assert "matched" in plan.exprs
    combine = plan.combine
    answers = [{"slices": 12.0, "bad": 12.0, "traffic": 12.0, "matched": None},
               {"slices": 12.0, "bad": 0.0, "traffic": 0.0, "matched": None}]
    points = {i * HOUR: CachedPoint(i * HOUR, (i + 1) * HOUR, *combine(v))
              for i, v in enumerate(answers)}
    got = [(p[2], p[3], p[4]) for p in reviewed(points).values()]
    assert got[0] == (None, None, GOOD_UNMATCHED)
    if zero == "no-data":  # a quiet hour is no data already, with its own reason
        assert got[1] == (None, None, "no traffic in this interval (zero_traffic: no-data)")
    else:
        assert got[1] == (None, None, GOOD_UNMATCHED)


def test_slices_a_good_series_present_somewhere_keeps_the_figures() -> None:
    got = review(GOOD_SLICES, [{"slices": 12.0, "bad": 12.0, "matched": None},
                               {"slices": 12.0, "bad": 1.0, "matched": 700.0}])
    assert [(g, t) for g, t, _ in got] == [(0.0, 12.0), (11.0, 12.0)]


def test_slices_without_traffic_and_without_good_series_are_not_a_wrong_selector() -> None:
    got = review(GOOD_SLICES, [{"slices": 12.0, "bad": 0.0, "matched": None}] * 2)
    assert [(g, t) for g, t, _ in got] == [(12.0, 12.0)] * 2


def test_slices_over_a_bad_selector_need_no_check() -> None:
    assert "matched" not in plan_for(BAD_SLICES).exprs
    got = review(BAD_SLICES, [{"slices": 12.0, "bad": None}] * 2)
    assert got == [(12.0, 12.0, "")] * 2


def test_a_point_cached_as_no_good_is_judged_again() -> None:
    """The review reads what was stored: a fetch of cached points comes to the same."""
    points = {0: CachedPoint(0, HOUR, 0.0, 50.0, NO_GOOD)}
    assert reviewed(points)[0][2:] == (None, None, GOOD_UNMATCHED)


@pytest.mark.prometheus
def test_slices_over_a_good_selector_against_a_real_prometheus(prometheus, tmp_path) -> None:
    """The extra query is valid PromQL, a right good selector gives the figures of the
    bad one, and a typo'd one is no data, not 0% good."""
    start, now = ps.ts("2026-10-22T22:00:00"), ps.ts("2026-10-23T22:00:00")
    by_bad = replace(BAD_SLICES, id="by-bad", source=Source(
        "prometheus", PrometheusQuery(bad=ps.BAD_SEL, total=ps.TOTAL_SEL)))
    by_good = replace(GOOD_SLICES, id="by-good", source=Source(
        "prometheus", PrometheusQuery(good=ps.GOOD_SEL, total=ps.TOTAL_SEL)))
    typo = replace(by_good, id="typo", source=Source("prometheus", PrometheusQuery(
        good='http_requests_totl{job="api"}', total=ps.TOTAL_SEL)))
    res = pull([make_agreement(by_bad, by_good, typo)], make_settings(tmp_path, prometheus.url),
               now, start)
    m = {oid: res.measurements[("api", oid)] for oid in ("by-bad", "by-good", "typo")}
    assert all(isinstance(s, CountSeries) for s in m.values())
    figures = [(p.good, p.total) for p in m["by-bad"].points]
    assert any(g is not None and g < t for g, t in figures)  # the outage hour
    assert [(p.good, p.total) for p in m["by-good"].points] == figures
    assert not any(p.has_data for p in m["typo"].points)
    assert {g.reason for g in m["typo"].gaps} == {GOOD_UNMATCHED}
