"""Counts at the edge of a float, from a real Prometheus: each sample is finite, but a
day of them adds up past 1.8e308. Before, the sum was infinity, the figure NaN, and
writing the site's JSON raised a traceback (or ``slacode evaluate --format json`` printed
``NaN``, which no JSON reader takes). Such counts are no data with the reason, a source
fault that fails a strict build, and every JSON document stays valid."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from prometheus_server import (
    PrometheusProcess,
    Series,
    backfill,
    have_prometheus,
    write_openmetrics_by_day,
)
from pull_support import make_agreement, make_settings

from slacode.evaluate import evaluate
from slacode.model import Objective, PrometheusQuery, Source, Window
from slacode.pull import pull
from slacode.render.data import dumps

pytestmark = pytest.mark.prometheus

DAY0 = 1_789_948_800  # 2026-09-21T00:00:00Z
NOW = DAY0 + 86400
STEP = 1.5e306  # a counter that climbs to 9e307 every hour, then resets


def _strict_json(text: str) -> object:
    def refuse(word: str) -> object:
        raise AssertionError(f"{word} is not JSON")
    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def huge_prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrometheusProcess]:
    missing = have_prometheus()
    if missing:
        pytest.skip(f"needs a real Prometheus: {missing}")
    work = tmp_path_factory.mktemp("huge")
    samples = [(t, STEP * (1 + (t - DAY0) // 60 % 60)) for t in range(DAY0 - 3600, NOW, 60)]
    series = [Series(name, (("job", "huge"),), samples) for name in ("ok_total", "all_total")]
    files = write_openmetrics_by_day(series, {"ok": "counter", "all": "counter"}, work / "om")
    backfill(files, work / "tsdb", max_block_duration="24h")
    with PrometheusProcess(work / "tsdb") as prom:
        yield prom


def test_counts_past_a_float_are_no_data_and_the_json_stays_valid(huge_prometheus,
                                                                   tmp_path) -> None:
    day = Objective("availability", "availability", 99.9, Window("rolling", 1),
                    Source("prometheus", PrometheusQuery(good='ok_total{job="huge"}',
                                                         total='all_total{job="huge"}')))
    agreement = make_agreement(day)
    pulled = pull([agreement], make_settings(tmp_path, huge_prometheus.url, retries=0),
                  NOW, DAY0)
    (results,) = evaluate([agreement], pulled.measurements, NOW, history_months=1)
    (period,) = [p for p in results.periods if p.period == "rolling-1d"]
    assert period.verdict == "no-data" and period.value is None and period.credit is None
    assert any("more than any interval holds (at most 2**53): not data" in r.text
               for r in period.reasons), period.reasons
    faults = [p for p in pulled.problems if p.code == "pull.fault"]
    assert faults and "more than any interval holds" in faults[0].message
    # what the site and `slacode evaluate --format json` write is JSON
    doc = _strict_json(dumps(results))
    assert isinstance(doc, dict)
    _strict_json(json.dumps([p.as_dict() for p in results.periods], allow_nan=False))
    assert all(d.value is None and d.total is None for d in results.daily["availability"])
