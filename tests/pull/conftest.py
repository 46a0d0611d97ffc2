"""Fixtures of the pull tests: a real Prometheus backfilled once per session, a real
VictoriaMetrics holding the same samples, and helpers to build small agreements and
settings by hand."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pull_synthetic
from prometheus_server import (
    PrometheusProcess,
    backfill,
    have_prometheus,
    write_openmetrics_by_day,
)
from victoria_server import VictoriaMetricsProcess, have_victoria_metrics

#: the engines the figure tests run against (``engine`` fixture), with the same data
ENGINES = ("prometheus", "victoria-metrics")


@pytest.fixture(scope="session")
def truth() -> pull_synthetic.Truth:
    return pull_synthetic.generate()[2]


@pytest.fixture(scope="session")
def prom_tsdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A TSDB folder backfilled with the synthetic scrapes (built once per session)."""
    missing = have_prometheus()
    if missing:
        pytest.skip(f"needs a real Prometheus: {missing}")
    work = tmp_path_factory.mktemp("prometheus")
    series, types, _ = pull_synthetic.generate()
    files = write_openmetrics_by_day(series, types, work / "openmetrics")
    backfill(files, work / "tsdb", max_block_duration="24h")
    return work / "tsdb"


@pytest.fixture(scope="session")
def prometheus(prom_tsdb: Path) -> Iterator[PrometheusProcess]:
    """One server for the session's read-only tests."""
    with PrometheusProcess(prom_tsdb) as prom:
        yield prom


@pytest.fixture
def disposable_prometheus(prom_tsdb: Path, tmp_path: Path) -> Iterator[PrometheusProcess]:
    """A server of its own over a copy of the data, for tests that stop it."""
    tsdb = tmp_path / "tsdb"
    shutil.copytree(prom_tsdb, tsdb, ignore=shutil.ignore_patterns("lock", "wal", "chunks_head"))
    prom = PrometheusProcess(tsdb, workdir=tmp_path)
    try:
        yield prom.start()
    finally:
        prom.stop()


@pytest.fixture(scope="session")
def victoria_metrics(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VictoriaMetricsProcess]:
    """One VictoriaMetrics for the session, holding the samples the Prometheus fixture
    backfills (imported once, with millisecond timestamps)."""
    missing = have_victoria_metrics()
    if missing:
        pytest.skip(f"needs a real VictoriaMetrics: {missing}")
    work = tmp_path_factory.mktemp("victoria-metrics")
    series, _types, _ = pull_synthetic.generate()
    with VictoriaMetricsProcess(work / "data") as vm:
        vm.import_series(series)
        yield vm


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> PrometheusProcess | VictoriaMetricsProcess:
    """Each Prometheus-compatible engine in turn, serving the same synthetic samples: a
    test of figures run against both proves slacode does not depend on one engine."""
    return request.getfixturevalue("prometheus" if request.param == "prometheus"
                                   else "victoria_metrics")
