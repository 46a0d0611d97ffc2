"""Pooled queries: many objectives over the same days share few requests to the real
Prometheus, each still gets exactly its own figures, and one broken expression costs
only its own objective."""

from __future__ import annotations

from dataclasses import replace

import pull_synthetic as ps
import pytest
from pull_support import make_agreement, make_settings
from test_pull_prometheus import BERLIN, EVENTS, LATENCY, NOW, START, src

from slacode.durations import Duration
from slacode.pull import pull

pytestmark = pytest.mark.prometheus


def mine(selector: str, i: int) -> str:
    """The same series under a selector of service ``i``'s own."""
    return selector.replace("}", f', instance!="none-{i}"}}')


def fleet(n: int):
    """``n`` agreements with availability and latency over the same data, each with
    selectors of its own (so no two share a fetch, as in a real fleet)."""
    return [
        make_agreement(
            replace(EVENTS, source=src(good=mine(ps.GOOD_SEL, i), total=mine(ps.TOTAL_SEL, i))),
            replace(LATENCY, source=src(histogram=mine(ps.HISTOGRAM, i)),
                    threshold=Duration((100, 300, 1000)[i % 3], "ms")),
            tz=BERLIN, id=f"svc-{i}")
        for i in range(n)
    ]


def test_many_services_share_a_few_queries_and_get_their_own_figures(
    prometheus, tmp_path
) -> None:
    agreements = fleet(12)
    settings = make_settings(tmp_path, prometheus.url, whole_days=True)
    together = pull(agreements, settings, NOW, start=START)
    # 24 fetches of two expressions each: their 24-hour days go into 3 range queries of
    # up to 16 expressions, their odd days (the 25-hour one, the last) into 2 instant
    # queries of up to 48
    assert together.queries == 5
    for agr in agreements[:3]:
        alone = pull([agr], make_settings(tmp_path / agr.id, prometheus.url, whole_days=True),
                     NOW, start=START)
        assert alone.queries == 2  # a range query and an instant query
        for oid in ("availability", "latency"):
            got = together.measurements[(agr.id, oid)]
            assert got.points == alone.measurements[(agr.id, oid)].points
            assert all(p.has_data for p in got.points)
    # the thresholds differ, so do the figures
    fast = {together.measurements[(a.id, "latency")].points[0].good for a in agreements}
    assert len(fast) > 1


def test_a_broken_expression_leaves_only_its_own_objective_without_data(
    prometheus, tmp_path
) -> None:
    broken = replace(EVENTS, id="broken", source=src(good=ps.GOOD_SEL, total="up{job="))
    agreements = [*fleet(3), make_agreement(broken, tz=BERLIN, id="bad")]
    res = pull(agreements, make_settings(tmp_path, prometheus.url, whole_days=True),
               NOW, start=START)
    bad = res.measurements[("bad", "broken")]
    assert not any(p.has_data for p in bad.points)
    assert "bad_data" in bad.gaps[0].reason and bad.gaps[0].fault
    for agr in agreements[:3]:
        for oid in ("availability", "latency"):
            assert all(p.has_data for p in res.measurements[(agr.id, oid)].points)
    assert {p.message.split(":")[0] for p in res.problems if p.code == "pull.fault"} == {
        "bad/broken"
    }


def test_a_bug_in_the_pooled_fetch_is_no_data_per_objective_not_a_crash(
    prometheus, tmp_path, monkeypatch
) -> None:
    import slacode.pull.prometheus as prom

    def broken(jobs):
        raise RuntimeError("bug")

    monkeypatch.setattr(prom, "pooled_queries", broken)
    res = pull(fleet(2), make_settings(tmp_path, prometheus.url, whole_days=True),
               NOW, start=START)
    assert len(res.measurements) == 4
    for m in res.measurements.values():
        assert not any(p.has_data for p in m.points)
        assert m.gaps[0].reason == "internal error: RuntimeError" and m.gaps[0].fault


def test_slices_from_raw_samples_are_pooled_less_than_recorded_ones() -> None:
    """Evaluating slices from raw samples costs the server one evaluation per slice, so
    such an objective has a range query of its own; read from recorded rules, slices
    pool like any counter."""
    from test_pull_prometheus import SLICES

    from slacode.pull.planning import plan_for
    from slacode.pull.prometheus import Job, pooled_queries

    days = [(d * 86400, (d + 1) * 86400) for d in range(30)]
    client = object()

    def queries(recorded: bool) -> int:
        plan = plan_for(SLICES, recorded=recorded)
        jobs = [Job((i,), client, plan, {}, {}, {}, list(days)) for i in range(8)]
        return len(pooled_queries(jobs))  # type: ignore[arg-type]

    assert queries(recorded=False) == 8
    assert queries(recorded=True) == 1


def test_evaluating_while_the_queries_are_out_gives_the_figures_of_evaluating_after(
    prometheus, tmp_path
) -> None:
    from slacode.evaluate import evaluate
    from slacode.pipeline import pull_and_evaluate

    agreements = fleet(6)
    settings = make_settings(tmp_path, prometheus.url, whole_days=True)
    pulled, results = pull_and_evaluate(agreements, settings, NOW)
    assert pulled.queries > 0
    assert results == evaluate(agreements, pulled.measurements, NOW,
                               history_months=settings.history_months)
    # real figures: every service's measurements reached evaluation (the month itself is
    # "no data", without a figure: four days are below its minimum coverage)
    assert all(any(p.coverage > 0 for p in r.periods) for r in results)


def test_the_first_services_are_complete_while_later_queries_are_still_to_be_sent(
    prometheus, tmp_path, monkeypatch
) -> None:
    from slacode.pull.client import PrometheusClient

    sent: list[int] = []
    post = PrometheusClient.post

    def counted(client, *args, **kwargs):
        sent.append(1)
        return post(client, *args, **kwargs)

    monkeypatch.setattr(PrometheusClient, "post", counted)
    handed: dict[str, int] = {}
    agreements = fleet(12)
    settings = make_settings(tmp_path, prometheus.url, whole_days=True, concurrency=1)
    res = pull(agreements, settings, NOW, start=START,
               done=lambda agr, ms: handed.setdefault(agr.id, len(sent)))
    assert res.queries == len(sent) == 5
    assert set(handed) == {a.id for a in agreements}
    # one query at a time, in order: svc-0 can be evaluated after the first queries,
    # not only once the last one has come back
    assert handed["svc-0"] < len(sent)


def test_a_service_read_from_files_is_complete_before_the_server_has_answered(
    prometheus, tmp_path, monkeypatch
) -> None:
    from pull_support import DelayProxy

    from slacode.model import Objective, Source, Window
    from slacode.pull.client import PrometheusClient

    (tmp_path / "incidents.csv").write_text(
        "id,service,priority,opened,first_response,resolved,title,customer_visible\n",
        encoding="utf-8")
    desk = make_agreement(
        Objective("p1", "response-time", 100.0, Window("month"),
                  Source("incidents", path="incidents.csv"), priority="P1"),
        tz=BERLIN, id="desk")
    answered: list[int] = []
    post = PrometheusClient.post

    def counted(client, *args, **kwargs):
        try:
            return post(client, *args, **kwargs)
        finally:
            answered.append(1)

    monkeypatch.setattr(PrometheusClient, "post", counted)
    handed: dict[str, int] = {}
    proxy = DelayProxy(prometheus.port, delay=1.0)
    try:
        res = pull([*fleet(2), desk], make_settings(tmp_path, proxy.url, whole_days=True),
                   NOW, start=START, done=lambda agr, ms: handed.setdefault(agr.id, len(answered)))
    finally:
        proxy.close()
    assert res.queries > 0 and set(handed) == {"svc-0", "svc-1", "desk"}
    # the desk can be evaluated while the other services' queries are still out
    assert handed["desk"] == 0
    assert handed["svc-0"] > 0
