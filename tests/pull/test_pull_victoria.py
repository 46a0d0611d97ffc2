"""VictoriaMetrics as a second Prometheus-compatible engine: what differs from Prometheus
and what slacode does about it. The figure tests themselves run against both engines
(the ``engine`` fixture); these check the engine's own behaviour that slacode relies on."""

from __future__ import annotations

import pull_synthetic as ps
import pytest
from pull_support import make_agreement, make_settings
from test_pull_prometheus import EVENTS, series

from slacode.pull import pull

pytestmark = pytest.mark.prometheus

UTC_DAYS = (ps.ts("2026-10-22T00:00:00"), ps.ts("2026-10-27T00:00:00"))


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
