"""Pulling from a real Prometheus backfilled with synthetic scrapes of known truth.

Tolerance: Prometheus 2.x range selectors include both ends, so with one scrape a
minute ``increase`` over an interval sees every increment and is exact; next to the
scrape gap it extrapolates over one missing minute. We allow 1% + 1 event per interval,
which also covers 3.x's left-open ranges (one extrapolated minute in sixty).
"""

from __future__ import annotations

from pathlib import Path

import pull_synthetic as ps
import pytest
from pull_support import DelayProxy, make_agreement, make_settings

import slacode.pull.client as prom_client
import slacode.pull.prometheus as prom_mod
from slacode.durations import Duration
from slacode.model import Objective, PrometheusQuery, Source, Window
from slacode.pull import pull
from slacode.pull.base import CountSeries

pytestmark = pytest.mark.prometheus

BERLIN = "Europe/Berlin"
START = ps.ts("2026-10-22T22:00:00")  # 2026-10-23 00:00 in Berlin
NOW = ps.ts("2026-10-26T23:00:00")  # 2026-10-27 00:00 in Berlin
DST_DAY = (ps.ts("2026-10-24T22:00:00"), ps.ts("2026-10-25T23:00:00"))  # 25 hours


def tolerance(exact: float) -> float:
    return 0.01 * exact + 1


def src(**kw: str) -> Source:
    return Source(kind="prometheus", prometheus=PrometheusQuery(**kw))


EVENTS = Objective("availability", "availability", 99.9, Window("month"),
                   src(good=ps.GOOD_SEL, total=ps.TOTAL_SEL), method="events")
EVENTS_BAD = Objective("errors", "availability", 99.9, Window("month"),
                       src(bad=ps.BAD_SEL, total=ps.TOTAL_SEL), method="events")
LATENCY = Objective("latency", "latency", 99.0, Window("month"), src(histogram=ps.HISTOGRAM),
                    threshold=Duration(300, "ms"))
SLICES = Objective("slices", "availability", 99.0, Window("month"),
                   src(bad=ps.BAD_SEL, total=ps.TOTAL_SEL), method="slices",
                   slice=Duration(5, "m"), slice_threshold=5.0)


def run(objectives, url: str, root: Path, now: int = NOW, **server):
    agr = make_agreement(*objectives, tz=BERLIN)
    return pull([agr], make_settings(root, url, **server), now, start=START)


def series(result, oid: str) -> CountSeries:
    m = result.measurements[("api", oid)]
    assert isinstance(m, CountSeries)
    return m


def test_event_counts_match_the_generated_truth_across_dst_reset_and_gap(
    engine, truth, tmp_path
) -> None:
    res = run([EVENTS, EVENTS_BAD], engine.url, tmp_path)
    for oid in ("availability", "errors"):
        m = series(res, oid)
        assert len(m.points) == 24 + 24 + 25 + 24
        assert sum(1 for p in m.points if DST_DAY[0] <= p.start < DST_DAY[1]) == 25
        for p in m.points:
            if not truth.measurable(p.start, p.end):
                # the scrape gap, and the hour after it whose start was not scraped
                assert ps.GAP[0] <= p.start <= ps.GAP[1]
                assert not p.has_data, "the scrape gap must be no data, never good"
                continue
            good, total = truth.events(p.start, p.end)
            assert p.has_data
            assert abs(p.total - total) <= tolerance(total), p
            assert abs(p.good - good) <= tolerance(good), p
        # the gap, and the hour after it: its start was not scraped, so its count would be
        # the gap's requests on one engine and an extrapolation on another
        assert [(g.start, g.end) for g in m.gaps] == [(ps.GAP[0], ps.GAP[1] + 3600)]
        assert m.as_of == NOW
    # the restart's interval counts every request (increase handles the reset)
    reset = next(p for p in series(res, "availability").points if p.start < ps.RESET <= p.end)
    assert reset.total == pytest.approx(truth.events(reset.start, reset.end)[1], abs=1)
    # an outage hour shows its errors
    hour = ps.ts("2026-10-25T00:00:00")
    outage = next(p for p in series(res, "errors").points if p.start == hour)
    assert outage.total - outage.good > 0.4 * outage.total  # 30 of 60 minutes failed
    assert any("without data" in p.message and "not enough samples" in p.message
               for p in res.problems)


def test_latency_counts_requests_under_the_threshold_from_histogram_buckets(
    engine, truth, tmp_path
) -> None:
    m = series(run([LATENCY], engine.url, tmp_path), "latency")
    slow_hours = 0
    for p in m.points:
        if not truth.measurable(p.start, p.end):
            assert not p.has_data
            continue
        fast, total = truth.latency(p.start, p.end)
        assert abs(p.total - total) <= tolerance(total), p
        assert abs(p.good - fast) <= tolerance(fast), p
        slow_hours += p.good < 0.9 * p.total
    assert slow_hours == 2  # the two degraded hours


def test_a_latency_threshold_between_buckets_is_no_data_not_a_breach(
    engine, tmp_path
) -> None:
    from dataclasses import replace

    between = replace(LATENCY, threshold=Duration(200, "ms"))  # buckets: 0.1, 0.3, 1
    m = series(run([between], engine.url, tmp_path), "latency")
    assert not any(p.has_data for p in m.points)
    assert "no bucket at le=0.2" in m.gaps[0].reason
    assert "200ms must be one of its bucket boundaries" in m.gaps[0].reason


def test_time_slices_match_the_generated_truth(engine, truth, tmp_path) -> None:
    m = series(run([SLICES], engine.url, tmp_path), "slices")
    for p in m.points:
        expected = truth.slices(p.start, p.end, 300, 0.05)
        assert ((p.good, p.total) if p.has_data else None) == expected, p
    outage_hour = next(p for p in m.points if p.start == ps.ts("2026-10-23T09:00:00"))
    assert (outage_hour.good, outage_hour.total) == (6, 12)
    quiet_hour = next(p for p in m.points if p.start == ps.ts("2026-10-26T03:00:00"))
    assert (quiet_hour.good, quiet_hour.total) == (12, 12)  # 0/0 slices count as good


def test_zero_traffic_slices_follow_the_objective(engine, tmp_path) -> None:
    from dataclasses import replace

    nodata = replace(SLICES, id="nodata", zero_traffic="no-data")
    bad = replace(SLICES, id="bad", zero_traffic="bad")
    res = run([nodata, bad], engine.url, tmp_path)
    quiet = ps.ts("2026-10-26T03:00:00")
    p = next(p for p in series(res, "nodata").points if p.start == quiet)
    assert (p.good, p.total) == (6, 6)  # six of the hour's slices had traffic
    p = next(p for p in series(res, "bad").points if p.start == quiet)
    assert (p.good, p.total) == (6, 12)


def test_a_step_that_does_not_divide_the_dst_day(engine, truth, tmp_path) -> None:
    from dataclasses import replace

    seven = replace(EVENTS, resolution=Duration(7, "h"))
    m = series(run([seven], engine.url, tmp_path), "availability")
    day = [p.end - p.start for p in m.points if DST_DAY[0] <= p.start < DST_DAY[1]]
    assert day == [7 * 3600, 7 * 3600, 7 * 3600, 4 * 3600]
    for p in m.points:
        if p.has_data and not (p.start < ps.GAP[1] and ps.GAP[0] < p.end):
            assert abs(p.total - truth.events(p.start, p.end)[1]) <= tolerance(p.total), p


def test_ranges_are_split_under_the_points_limit(engine, tmp_path, monkeypatch) -> None:
    whole = run([EVENTS], engine.url, tmp_path / "a")
    monkeypatch.setattr(prom_mod, "CHUNK_POINTS", 10)
    split = run([EVENTS], engine.url, tmp_path / "b")
    assert split.queries > whole.queries
    assert series(split, "availability").points == series(whole, "availability").points


def test_second_pull_sends_no_query_for_closed_intervals(prometheus, tmp_path) -> None:
    now = NOW + 1800  # the last interval, 23:00-23:30 UTC, is still open
    first = run([EVENTS, LATENCY, SLICES], prometheus.url, tmp_path, now=now)
    before = prometheus.api_queries()
    second = run([EVENTS, LATENCY, SLICES], prometheus.url, tmp_path, now=now)
    sent = prometheus.api_queries() - before
    # only the open interval is asked for again: one instant query for the three
    # objectives, their expressions combined
    assert second.queries == sent == 1
    assert first.queries > second.queries
    for oid in ("availability", "latency", "slices"):
        assert series(first, oid).points == series(second, oid).points


def test_server_stopped_mid_pull_gives_no_data_with_a_reason(
    disposable_prometheus, tmp_path, monkeypatch
) -> None:
    """The server dies after answering the first query: what it answered is kept, every
    later interval has no data with the reason, and no further query is sent."""
    from dataclasses import replace

    from slacode.pull.client import PrometheusClient

    objectives = [EVENTS, *(replace(LATENCY, id=f"latency-{i}", threshold=Duration(ms, "ms"))
                            for i, ms in enumerate((100, 300, 1000)))]
    agr = make_agreement(*objectives, tz=BERLIN)
    # whole days: a range query for the days of 24 hours, then one for the odd ones
    settings = make_settings(tmp_path, disposable_prometheus.url, concurrency=1, retries=1,
                             whole_days=True)
    post = PrometheusClient.post

    def post_then_stop(self, *args, **kwargs):
        answer = post(self, *args, **kwargs)
        if disposable_prometheus.proc is not None:
            disposable_prometheus.stop()
        return answer

    monkeypatch.setattr(PrometheusClient, "post", post_then_stop)
    waits: list[float] = []  # what the client asks to wait between tries, not slept
    monkeypatch.setattr(prom_client, "retry_wait", waits.append)
    res = pull([agr], settings, NOW, start=START)
    assert res.queries == 2  # the answered one and the refused one; none after that
    assert waits == []  # a refused connection is retried at once (backoff 0 s), not waited on
    for m in res.measurements.values():
        assert any(p.has_data for p in m.points)  # the days the first query answered
        missing = [p for p in m.points if not p.has_data]
        assert missing
        assert all("unreachable: connection refused" in g.reason for g in m.gaps)
    assert any("connection refused" in p.message for p in res.problems)


def test_answers_slower_than_the_read_timeout_give_no_data(prometheus, tmp_path) -> None:
    proxy = DelayProxy(prometheus.port, delay=3.0)
    try:
        res = run([EVENTS], proxy.url, tmp_path, read_timeout=0.5, retries=1)
    finally:
        proxy.close()
    m = series(res, "availability")
    assert not any(p.has_data for p in m.points)
    assert {g.reason for g in m.gaps} == {
        "Prometheus server 'default' did not answer within 0.5s"}
    # the query and its one retry, each cut at the read timeout; then the server counts
    # as down and no other query is sent
    assert res.queries == 1
    assert proxy.sent.count(b"POST /api/v1/") == 2
