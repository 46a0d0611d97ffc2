"""VictoriaMetrics as a second Prometheus-compatible engine: what differs from Prometheus
and what slacode does about it. The figure tests themselves run against both engines
(the ``engine`` fixture); these check the engine's own behaviour that slacode relies on."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pull_synthetic as ps
import pytest
from pull_support import make_agreement, make_settings
from test_pull_prometheus import BERLIN, EVENTS, EVENTS_BAD, LATENCY, NOW, SLICES, START, series

from slacode.durations import Duration
from slacode.model import Agreement, Maintenance
from slacode.pull import pull
from slacode.pull.base import CountSeries

pytestmark = pytest.mark.prometheus

UTC_DAYS = (ps.ts("2026-10-22T00:00:00"), ps.ts("2026-10-27T00:00:00"))
#: a run of Berlin days long enough (50 points or more) for VictoriaMetrics' response cache
#: to move a range query onto UTC midnights, unless asked not to (``nocache=1``)
SUMMER = ps.ts("2026-06-30T22:00:00")  # 1 July 2026 00:00 in Berlin


def test_the_engine_holds_every_imported_sample_and_counts_as_prometheus_does(
    victoria_metrics, prometheus, truth, tmp_path
) -> None:
    """Events in UTC days, the case that worked on stock VictoriaMetrics before: the
    imported data is all there, and both engines count the same requests a day."""
    agr = make_agreement(EVENTS)
    got = {}
    for name, server in (("prometheus", prometheus), ("vm", victoria_metrics)):
        settings = make_settings(tmp_path / name, server.url, whole_days=True)
        got[name] = series(pull([agr], settings, UTC_DAYS[1], start=UTC_DAYS[0]),
                           "availability")
    assert got["vm"].points == got["prometheus"].points
    for p in got["vm"].points:
        assert (p.good, p.total) == truth.events(p.start, p.end)


def test_instants_the_server_moved_are_no_data_with_the_true_reason(
    victoria_metrics, tmp_path, monkeypatch
) -> None:
    """Asked without ``nocache=1``, VictoriaMetrics' response cache answers a long run of
    Berlin days at UTC midnights. Those values cover other intervals: none is counted,
    and the reason says what happened, not "no samples"."""
    import slacode.pull.client as prom_client

    monkeypatch.setattr(prom_client, "NO_CACHE", {})
    settings = make_settings(tmp_path, victoria_metrics.url, whole_days=True)
    m = series(pull([make_agreement(EVENTS, tz=BERLIN)], settings, NOW, start=SUMMER),
               "availability")
    moved = [g for g in m.gaps if "other instants" in g.reason]
    assert moved and all(g.fault for g in moved)
    assert ("answered for other instants than those asked for (2026-10-22T00:00:00Z where "
            "2026-10-21T22:00:00Z was asked)") in moved[0].reason
    # the run of summer days is the range query the cache moved: none of it is counted
    assert not any(p.has_data for p in m.points if p.end <= ps.ts("2026-10-24T22:00:00"))


def test_one_minute_slices_over_months_are_asked_in_ranges_under_the_points_limit(
    victoria_metrics, tmp_path
) -> None:
    """A range query of one-minute slices evaluates 1,440 inner points a day: months of
    Berlin days in one query exceed VictoriaMetrics' 30,000 and are refused (HTTP 422),
    so they are asked in runs of at most 17 days."""
    from slacode.pull.prometheus import SUBQUERY_POINTS

    one_minute = replace(SLICES, slice=Duration(1, "m"))
    settings = make_settings(tmp_path, victoria_metrics.url, whole_days=True)
    res = pull([make_agreement(one_minute, tz=BERLIN)], settings, NOW, start=SUMMER)
    m = series(res, "slices")
    days = len(m.points)
    assert days == 118 and SUBQUERY_POINTS * 60 // 86400 == 17
    # runs of 17 summer days (one range query each), then the days after the DST change
    assert res.queries >= -(-115 // 17) + 1
    assert not any(g.fault for g in m.gaps)
    assert [p.has_data for p in m.points[-4:]] == [True] * 4


# --- the same figures on both engines -------------------------------------------------------

def _pct(p) -> float | None:
    return None if not p.has_data or not p.total else 100.0 * p.good / p.total


def same_figures(a: CountSeries, b: CountSeries) -> None:
    """The same intervals, the same "no data" (with the same reason), and figures within
    0.001 percentage points, interval by interval and over the whole pull."""
    assert [(p.start, p.end, p.has_data) for p in a.points] == [
        (p.start, p.end, p.has_data) for p in b.points]
    assert [(g.start, g.end, g.reason) for g in a.gaps] == [
        (g.start, g.end, g.reason) for g in b.gaps]
    for p, q in zip(a.points, b.points, strict=True):
        if p.has_data:
            assert (p.total == 0) == (q.total == 0), (p, q)
            if p.total:
                assert abs(_pct(p) - _pct(q)) <= 0.001, (p, q)
    total = [sum(p.total for p in s.points if p.has_data) for s in (a, b)]
    good = [sum(p.good for p in s.points if p.has_data) for s in (a, b)]
    assert abs(100 * good[0] / total[0] - 100 * good[1] / total[1]) <= 0.001


MAINTENANCE = Maintenance(datetime.fromisoformat("2026-10-24T02:00:00+02:00"),
                          datetime.fromisoformat("2026-10-24T03:30:00+02:00"),
                          datetime.fromisoformat("2026-10-01T00:00:00+02:00"))
#: (objective, timezone, whole days, start, maintenance): each case the issue names
CASES = {
    "events": (EVENTS, "UTC", False, UTC_DAYS[0], ()),
    "bad-and-total": (EVENTS_BAD, "UTC", False, UTC_DAYS[0], ()),
    "latency": (LATENCY, "UTC", False, UTC_DAYS[0], ()),
    "time-slices": (SLICES, "UTC", False, UTC_DAYS[0], ()),
    "berlin-hours-across-dst": (EVENTS, BERLIN, False, START, ()),
    "berlin-days-since-july": (EVENTS, BERLIN, True, SUMMER, ()),
    "one-minute-slices-since-july": (
        replace(SLICES, slice=Duration(1, "m")), BERLIN, True, SUMMER, ()),
    "maintenance": (EVENTS, BERLIN, True, START, (MAINTENANCE,)),
}


@pytest.mark.parametrize("case", CASES)
def test_both_engines_give_the_same_figures(
    case, prometheus, victoria_metrics, tmp_path
) -> None:
    """Prometheus and VictoriaMetrics over the same samples: the same intervals with data
    and the same figures, across the counter reset, the scrape gap, the daylight-saving
    change, a maintenance window's cut day, and months of Berlin days."""
    obj, tz, whole_days, start, windows = CASES[case]
    agr = Agreement(**{**make_agreement(obj, tz=tz).__dict__, "maintenance": windows})
    got = []
    for name, server in (("prometheus", prometheus), ("vm", victoria_metrics)):
        settings = make_settings(tmp_path / name, server.url, whole_days=whole_days)
        res = pull([agr], settings, UTC_DAYS[1] if tz == "UTC" else NOW, start=start)
        assert not [p for p in res.problems if "fault" in p.code], res.problems
        got.append(series(res, obj.id))
    same_figures(*got)
    assert sum(p.has_data for p in got[1].points) >= 4  # the days (or hours) of data
    assert not any(g.fault for g in got[1].gaps)
