"""A real Prometheus for tests and benchmarks: write OpenMetrics, backfill, serve, stop.

Independent of pytest so that a benchmark can import it::

    files = write_openmetrics_by_day(series, types, workdir / "om")
    backfill(files, workdir / "tsdb")
    with PrometheusProcess(workdir / "tsdb") as prom:
        requests.get(prom.url + "/api/v1/query", params={"query": "up"})

promtool 2.42 re-reads its whole input once per two-hour block, so the input is split
into one file per UTC day (1.6 M samples: 7.5 min in one file, 27 s split by day).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Self

DAY = 86400


@dataclass(frozen=True)
class Series:
    """One time series: full sample name (e.g. ``http_requests_total``), labels, samples."""

    name: str
    labels: tuple[tuple[str, str], ...]
    samples: Sequence[tuple[int, float]]  # (UNIX seconds, value), ascending


def have_prometheus() -> str:
    """"" when ``prometheus`` and ``promtool`` are on PATH, else why not."""
    missing = [b for b in ("prometheus", "promtool") if shutil.which(b) is None]
    return f"{' and '.join(missing)} not on PATH (apt-get install prometheus)" if missing else ""


def _family(name: str, types: dict[str, str]) -> str:
    for fam in types:
        if name == fam or (name.startswith(fam + "_") and
                           name[len(fam):] in ("_total", "_bucket", "_count", "_sum", "_created")):
            return fam
    return name


def _value(v: float) -> str:
    return repr(float(v)) if v != int(v) else str(int(v))


def write_openmetrics_by_day(
    series: Iterable[Series], types: dict[str, str], folder: Path
) -> list[Path]:
    """Write ``series`` as OpenMetrics text, one file per UTC day (``YYYY-MM-DD.om``).

    ``types`` maps family names (``http_requests``) to OpenMetrics types (``counter``,
    ``histogram``, ``gauge``). Families stay contiguous in every file, as the format asks.
    """
    folder.mkdir(parents=True, exist_ok=True)
    by_day: dict[int, dict[str, list[str]]] = {}
    for s in series:
        fam = _family(s.name, types)
        label_text = ",".join(f'{k}="{v}"' for k, v in s.labels)
        head = f"{s.name}{{{label_text}}}" if label_text else s.name
        for ts, v in s.samples:
            day = ts // DAY
            by_day.setdefault(day, {}).setdefault(fam, []).append(f"{head} {_value(v)} {ts}\n")
    files = []
    for day in sorted(by_day):
        path = folder / time.strftime("%Y-%m-%d.om", time.gmtime(day * DAY))
        with open(path, "w", encoding="utf-8") as f:
            for fam, lines in by_day[day].items():
                f.write(f"# TYPE {fam} {types.get(fam, 'gauge')}\n")
                f.writelines(lines)
            f.write("# EOF\n")
        files.append(path)
    return files


def backfill(
    files: Sequence[Path], tsdb: Path, workers: int = 2, max_block_duration: str = ""
) -> None:
    """``promtool tsdb create-blocks-from openmetrics`` for each file into ``tsdb``.

    ``max_block_duration`` (e.g. ``"24h"``) writes longer blocks: promtool re-reads its
    input once per block, so one day's file is about four times faster in 24-hour blocks.
    """
    tsdb.mkdir(parents=True, exist_ok=True)
    extra = [f"--max-block-duration={max_block_duration}"] if max_block_duration else []

    def one(path: Path) -> None:
        out = subprocess.run(
            ["promtool", "tsdb", "create-blocks-from", "openmetrics", *extra, str(path),
             str(tsdb)],
            capture_output=True, text=True, timeout=600, check=False,
        )
        if out.returncode != 0:
            raise RuntimeError(f"promtool failed on {path.name}: {out.stderr[-2000:]}")

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, files))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def real_clock(env: dict[str, str]) -> dict[str, str]:
    """``env`` without libfaketime (the suite's second run moves the clock 400 days): for a
    real component that must keep the real clock, or that hangs under a moved one."""
    out = {k: v for k, v in env.items() if not k.startswith("FAKETIME")}
    kept = [lib for lib in env.get("LD_PRELOAD", "").split(":") if lib and "faketime" not in lib]
    out.pop("LD_PRELOAD", None)
    if kept:
        out["LD_PRELOAD"] = ":".join(kept)
    return out


class ServerProcess:
    """A server process on 127.0.0.1 that tests start and stop: what Prometheus and
    VictoriaMetrics share (readiness, stopping, counting the queries they answered)."""

    name = ""  # for messages
    ready_path = ""  # answers 200 once the server serves queries
    #: the server's own request counter, and the label naming the API path in it
    requests_metric, path_label = "", ""

    url: str
    log_path: Path
    proc: subprocess.Popen[bytes] | None

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout}s at {self.url}")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def api_queries(self) -> float:
        """Queries the server has answered (``/api/v1/query`` and ``query_range``), read from
        its own ``/metrics`` so that counting does not add a query."""
        with urllib.request.urlopen(self.url + "/metrics", timeout=5) as r:
            text = r.read().decode()
        total = 0.0
        for line in text.splitlines():
            if line.startswith(self.requests_metric + "{") and (
                f'{self.path_label}="/api/v1/query"' in line
                or f'{self.path_label}="/api/v1/query_range"' in line
            ):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def start(self, timeout: float = 60.0) -> Self:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class PrometheusProcess(ServerProcess):
    """``prometheus`` on a free 127.0.0.1 port over a backfilled TSDB folder."""

    name, ready_path = "prometheus", "/-/ready"
    requests_metric, path_label = "prometheus_http_requests_total", "handler"

    def __init__(self, tsdb: Path, workdir: Path | None = None, port: int | None = None) -> None:
        self.tsdb = tsdb
        self.workdir = workdir or tsdb.parent
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = self.workdir / f"prometheus-{self.port}.log"

    def start(self, timeout: float = 60.0) -> PrometheusProcess:
        cfg = self.workdir / "prometheus.yml"
        cfg.write_text("global:\n  scrape_interval: 1m\n", encoding="utf-8")
        log = open(self.log_path, "wb")  # noqa: SIM115 - kept open for the process's life
        self.proc = subprocess.Popen(
            [
                "prometheus",
                f"--config.file={cfg}",
                f"--storage.tsdb.path={self.tsdb}",
                "--storage.tsdb.retention.time=100y",
                f"--web.listen-address=127.0.0.1:{self.port}",
                "--log.level=warn",
            ],
            stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir,
            env={**os.environ, "GOMAXPROCS": "2"},
        )
        log.close()
        self.wait_ready(timeout)
        return self
