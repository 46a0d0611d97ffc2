"""A real VictoriaMetrics (single node) for tests: start, import samples, serve, stop.

Independent of pytest, like ``prometheus_server``::

    with VictoriaMetricsProcess(workdir / "vm") as vm:
        vm.import_series(series)
        requests.get(vm.url + "/api/v1/query", params={"query": "up"})

It runs with stock flags except where a test machine needs otherwise: its own port and
data folder, and a retention of 100 years (the default, one month, would delete the
suite's data, which lies at fixed dates in the past). VictoriaMetrics refuses samples
more than two days ahead of its own clock, which is the real one even under
``faketime`` (a Go program reads time without libc), so test data must lie in the past.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from prometheus_server import Series, ServerProcess, free_port, real_clock

BINARY = "victoria-metrics"


def have_victoria_metrics() -> str:
    """"" when the ``victoria-metrics`` binary is on PATH, else why not."""
    if shutil.which(BINARY) is None:
        return f"{BINARY} not on PATH (apt-get install victoria-metrics)"
    return ""


def exposition_lines(series: Iterable[Series]) -> Iterable[str]:
    """Prometheus text exposition lines with millisecond timestamps, as
    ``/api/v1/import/prometheus`` takes them."""
    for s in series:
        label_text = ",".join(f'{k}="{v}"' for k, v in s.labels)
        head = f"{s.name}{{{label_text}}}" if label_text else s.name
        for ts, v in s.samples:
            yield f"{head} {float(v)!r} {ts * 1000}\n"


class VictoriaMetricsProcess(ServerProcess):
    """``victoria-metrics`` on a free 127.0.0.1 port over a data folder of its own."""

    name, ready_path = "victoria-metrics", "/health"
    requests_metric, path_label = "vm_http_requests_total", "path"

    def __init__(self, data: Path, port: int | None = None) -> None:
        self.data = data
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = data.parent / f"victoria-metrics-{self.port}.log"

    def start(self, timeout: float = 60.0) -> VictoriaMetricsProcess:
        self.data.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")  # noqa: SIM115 - kept open for the process's life
        # the real clock, whatever the suite runs under: VictoriaMetrics checks samples
        # and retention against it
        env = real_clock(dict(os.environ))
        self.proc = subprocess.Popen(
            [
                BINARY,
                f"-httpListenAddr=127.0.0.1:{self.port}",
                f"-storageDataPath={self.data}",
                "-retentionPeriod=100y",
                "-loggerLevel=WARN",
            ],
            stdout=log, stderr=subprocess.STDOUT, cwd=self.data.parent,
            env={**env, "GOMAXPROCS": "2"},
        )
        log.close()
        self.wait_ready(timeout)
        return self

    def import_series(self, series: Iterable[Series], timeout: float = 60.0) -> int:
        """Import ``series`` and wait until every sample is searchable; returns the number
        of samples imported.

        VictoriaMetrics buffers new samples and indexes new series in the background: a
        query right after the import may see part of them. ``/internal/force_flush``
        writes the buffers out; the samples are then counted until all are there."""
        series = list(series)
        body = "".join(exposition_lines(series)).encode()
        req = urllib.request.Request(self.url + "/api/v1/import/prometheus", data=body,
                                     method="POST")
        with urllib.request.urlopen(req, timeout=60) as r:
            if r.status not in (200, 204):
                raise RuntimeError(f"import answered HTTP {r.status}")
        want = sum(len(s.samples) for s in series)
        names = sorted({s.name for s in series})
        selector = "{__name__=~\"" + "|".join(names) + "\"}"
        stamps = [t for s in series for t, _ in (*s.samples[:1], *s.samples[-1:])]
        first, last = (min(stamps), max(stamps)) if stamps else (0, 0)
        deadline = time.monotonic() + timeout
        got = -1.0
        while time.monotonic() < deadline:
            with urllib.request.urlopen(self.url + "/internal/force_flush", timeout=10):
                pass
            got = self._count(f"sum(count_over_time({selector}[{last - first + 1}s]))",
                              last)
            if got == want:
                return want
            time.sleep(0.2)
        raise RuntimeError(f"victoria-metrics holds {got} of {want} imported samples "
                           f"after {timeout}s")

    def _count(self, query: str, at: int) -> float:
        params = urllib.parse.urlencode({"query": query, "time": at, "nocache": 1})
        with urllib.request.urlopen(f"{self.url}/api/v1/query?{params}", timeout=30) as r:
            doc = json.load(r)
        result = doc["data"]["result"]
        return float(result[0]["value"][1]) if result else 0.0
