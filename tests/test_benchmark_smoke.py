"""The fleet benchmark still runs: a small fleet, one month, its own TSDB, a real Prometheus.

``benchmarks/fleet.py`` is a script nothing else runs, and it once broke unnoticed when
the pull code changed under it (``ensure_rules`` read an attribute the query answer no
longer had). This runs it end to end as a user would (``--smoke``: generate and backfill
the data, record the slice rules, a cold and a warm nightly build, the rolling figures
cold and from last night's cache) and checks what it reports: every service built with
no gaps, and the nightly figures equal to the cold ones and to the exact figures of the
generated data. It never checks how fast anything was. slo-generator is not installed in
the test environment (the benchmark installs it in a venv of its own, from the network),
so the figures are checked against the run's own cold run and the generated truth.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from prometheus_server import have_prometheus, real_clock

ROOT = Path(__file__).resolve().parent.parent
#: 2026-06-10T12:00:00Z: the data lies at fixed dates, in the server's past
NOW = 1781092800
SERVICES = 2  # plus edge-1m, the one at 1-minute resolution


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    missing = have_prometheus()
    if missing:
        pytest.skip(f"needs a real Prometheus: {missing}")
    work = tmp_path_factory.mktemp("bench")
    out = work / "figures.json"
    import os

    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "fleet.py"), "--smoke", "--services",
         str(SERVICES), "--months", "1", "--big", "0", "--no-slo-generator", "--now", str(NOW),
         "--workdir", str(work), "--json", str(out)],
        capture_output=True, text=True, cwd=ROOT, env=real_clock(dict(os.environ)),
        timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    return json.loads(out.read_text())


@pytest.mark.prometheus
def test_the_benchmark_builds_every_service_cold_and_warm(report: dict) -> None:
    assert report["agreements"] == SERVICES + 1
    for key in ("cold", "warm"):
        build = report[key]
        assert build["services"] == SERVICES + 1
        assert build["objectives"] == 5 * (SERVICES + 1)
        assert build["gaps"] == 0, f"{key}: a service missed data"
        assert build["queries"] > 0
        # a page per service, the index and the period reports
        assert build["site_pages"] > SERVICES + 1
    # the warm nightly build reads only what is new from the server
    assert report["warm"]["queries"] < report["cold"]["queries"]


@pytest.mark.prometheus
def test_the_rolling_figures_agree_with_the_cold_run_and_the_data(report: dict) -> None:
    check = report["self_check"]
    assert check["figures"] == SERVICES + 1
    assert check["nightly_figures"] == SERVICES + 1
    # last night's cache gives exactly the cold run's figures
    assert check["nightly_max_diff_pp"] == 0
    # and both are the generated data's own availability (the bar slo-generator meets)
    assert check["max_error_pp"] < 0.01
    assert check["nightly_queries"] < check["queries"]
