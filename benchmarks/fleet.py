"""Fleet benchmark: slacode over a real Prometheus, side by side with slo-generator.

    .venv/bin/python benchmarks/fleet.py                      # 200 services, 13 months
    .venv/bin/python benchmarks/fleet.py --services 20 --months 2   # quick run

Never part of the test suite. See benchmarks/README.md for what each figure means.
Stages are timed with ``time.perf_counter`` around each stage's public function; peak
memory is ``resource.getrusage(...).ru_maxrss`` of the process that ran the stages.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import fleetgen  # noqa: E402

from tests.prometheus_server import (  # noqa: E402
    PrometheusProcess,
    Series,
    have_prometheus,
    write_openmetrics_by_day,
)

DAY = 86400
#: the data reaches this far past the day it was generated, so a cached TSDB can be
#: reused for a week and the warm build can move "now" one day on
FUTURE_DAYS = 8
SLO_VENV = "slo-venv"


# --- the cached TSDB --------------------------------------------------------------------------

def _month_start(ts: int, months_back: int) -> int:
    from slacode.pull.align import month_start

    return month_start(ts, "UTC", months_back)


def _promtool(path: Path, tsdb: Path) -> None:
    """Backfill one day file. 24-hour blocks: promtool re-reads its input once per block,
    and Prometheus opens ~400 blocks much faster than ~4,800 two-hour ones."""
    out = subprocess.run(
        ["promtool", "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=24h",
         str(path), str(tsdb)],
        capture_output=True, text=True, timeout=900, check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"promtool failed on {path.name}: {out.stderr[-2000:]}")
    path.unlink()


def _metric(url: str, pattern: str) -> float:
    """Sum of the samples of ``/metrics`` whose line matches ``pattern``."""
    with urllib.request.urlopen(url + "/metrics", timeout=10) as r:
        text = r.read().decode()
    rx = re.compile(pattern)
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if not line.startswith("#") and rx.match(line))


#: the smoke run (``--smoke``) skips the compaction wait: it times nothing
SETTLE = True


def _settle(tsdb: Path, log: Any) -> None:
    """Let Prometheus compact the backfilled blocks once, so that later runs do not pay
    for compaction while they are timed (its first compaction starts after a minute)."""
    if not SETTLE:
        return
    with PrometheusProcess(tsdb) as prom:
        t0 = time.monotonic()
        last, stable_since = None, time.monotonic()
        while True:
            time.sleep(5)
            state = (_metric(prom.url, r"prometheus_tsdb_compactions_total"),
                     _metric(prom.url, r"prometheus_tsdb_blocks_loaded"))
            if state != last:
                last, stable_since = state, time.monotonic()
            if time.monotonic() - t0 > 75 and time.monotonic() - stable_since > 20:
                break
            if time.monotonic() - t0 > 1800:
                break
        log(f"  compaction settled after {time.monotonic() - t0:.0f}s, "
            f"{last[1] if last else 0:.0f} blocks")


def ensure_tsdb(workdir: Path, n: int, months: int, now: int, log: Any) -> tuple[Path, dict]:
    """The fleet's TSDB (generated and backfilled once, then reused while it reaches far
    enough past ``now``), and its metadata."""
    folder = workdir / f"fleet-n{n}-m{months}-v{fleetgen.GENERATOR_VERSION}"
    meta_path = folder / "meta.json"
    if meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        if meta.get("complete") and meta["end"] >= now + 2 * DAY:
            log(f"TSDB: cached at {folder} ({meta['samples'] / 1e6:.1f} M samples, "
                f"data {_day(meta['start'])} .. {_day(meta['end'])})")
            return folder / "tsdb", meta
        if meta.get("complete"):
            log(f"TSDB: cached data ends {_day(meta['end'])}, too early for now "
                f"({_day(now)}) and the next night; generating it again")
        else:
            log("TSDB: cached data is incomplete (an earlier run stopped); generating it again")
    shutil.rmtree(folder, ignore_errors=True)
    start = _month_start(now, months) - DAY
    end = (now // DAY + FUTURE_DAYS) * DAY
    profs = fleetgen.profiles(n, start, end)
    tsdb, om = folder / "tsdb", folder / "om"
    days = list(range(start, end, DAY))
    log(f"TSDB: generating {n + 1} services x {len(days)} days into {folder} ...")
    t0 = time.perf_counter()
    samples = 0
    carry: dict[str, tuple[int, int, int]] = {}
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = []
        for i, day in enumerate(days):
            series = list(fleetgen.day_series(profs, day, carry))
            samples += sum(len(s.samples) for s in series)
            files = write_openmetrics_by_day(series, fleetgen.FAMILIES, om)
            pending += [pool.submit(_promtool, f, tsdb) for f in files]
            while len([p for p in pending if not p.done()]) > 3:
                time.sleep(0.05)  # keep at most a few day files on disk
            if i % 30 == 0:
                log(f"  day {i + 1}/{len(days)}, {samples / 1e6:.1f} M samples, "
                    f"{time.perf_counter() - t0:.0f}s")
        for p in pending:
            p.result()
    gen = time.perf_counter() - t0
    log(f"  generated and backfilled {samples / 1e6:.1f} M samples in {gen:.0f}s "
        f"({samples / gen / 1e3:.0f} k samples/s)")
    t1 = time.perf_counter()
    _settle(tsdb, log)
    meta = {"services": n, "months": months, "start": start, "end": end, "samples": samples,
            "generate_seconds": round(gen, 1),
            "settle_seconds": round(time.perf_counter() - t1, 1), "complete": True}
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    shutil.rmtree(om, ignore_errors=True)
    return tsdb, meta


#: bump when the recorded series of the slice rules change; the TSDB records them again
RULES_VERSION = 1


def ensure_rules(workdir: Path, tsdb: Path, meta: dict, log: Any) -> None:
    """Record the fleet's time-slice rules (``slacode rules``) over its whole history, once,
    as a Prometheus that ran those rules from the first day would hold them.

    ``promtool tsdb create-blocks-from rules`` would do the same with one query per rule
    per two hours (about a million queries here); this asks the server for each rule's
    expression over 30 days at a time at the slice step (the very values the rule records)
    and backfills them in 24-hour blocks like the raw data."""
    if meta.get("rules") == RULES_VERSION:
        return
    from slacode.config import PrometheusServer
    from slacode.durations import Duration
    from slacode.load import load_agreements
    from slacode.pull.client import PrometheusClient
    from slacode.pull.rules import recording_rules

    folder = tsdb.parent
    project = folder / "rules-project"
    shutil.rmtree(project, ignore_errors=True)
    fleetgen.write_project(project, meta["services"], meta["start"], meta["end"], meta["start"])
    rules = recording_rules(load_agreements([project / "slas"], root=project).agreements)
    shutil.rmtree(project, ignore_errors=True)
    todo = [(int(Duration.parse(g["interval"]).seconds), r)
            for g in rules["groups"] for r in g["rules"]]
    log(f"recording rules: {len(todo)} rules over {_day(meta['start'])} .. {_day(meta['end'])} ...")
    t0 = time.perf_counter()
    om, blocks = folder / "om-rules", folder / "rules-blocks"
    shutil.rmtree(blocks, ignore_errors=True)
    samples = 0
    with PrometheusProcess(tsdb, workdir=folder) as prom:
        client = PrometheusClient(PrometheusServer(url=prom.url, url_env="", read_timeout=300))
        window = 30 * DAY
        first = meta["start"] // DAY * DAY
        types = {r["record"]: "gauge" for _, r in todo}

        def one(job: tuple[int, dict], a: int, b: int) -> Any:
            step, rule = job
            values: dict[int, float] = {}
            for c in range(a, b, 9000 * step):
                ans = client.query_range(rule["expr"], c + step, min(c + 9000 * step, b), step)
                if ans.error:
                    raise SystemExit(f"recording {rule['labels']}: {ans.error}")
                # one series per rule (no ``slacode_part`` label): the answer's one part
                for part in ans.parts.values():
                    values.update(part)
            labels = tuple(sorted(rule["labels"].items()))
            return Series(rule["record"], labels, sorted(values.items()))

        with ThreadPoolExecutor(max_workers=2) as pool:
            for a in range(first, meta["end"], window):
                b = min(a + window, meta["end"])
                series = list(pool.map(one, todo, [a] * len(todo), [b] * len(todo)))
                samples += sum(len(x.samples) for x in series)
                files = write_openmetrics_by_day(series, types, om)
                list(pool.map(lambda f: _promtool(f, blocks), files))
                log(f"  {_day(b)}: {samples / 1e6:.1f} M recorded samples, "
                    f"{time.perf_counter() - t0:.0f}s")
    for block in blocks.iterdir():
        if block.is_dir() and len(block.name) == 26:  # ULID-named blocks
            shutil.move(str(block), tsdb / block.name)
    shutil.rmtree(blocks, ignore_errors=True)
    shutil.rmtree(om, ignore_errors=True)
    _settle(tsdb, log)
    meta["rules"] = RULES_VERSION
    meta["rules_samples"] = samples
    meta["rules_seconds"] = round(time.perf_counter() - t0, 1)
    (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    log(f"  recorded {samples / 1e6:.1f} M samples in {meta['rules_seconds']:.0f}s")


def _day(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- one build ----------------------------------------------------------------------------------

#: the fleet's site: Material without web fonts, search, and the slacode plugin below
_SITE_YML = """\
site_name: Fleet service levels
docs_dir: {docs}
site_dir: {site}
use_directory_urls: true
theme:
  name: material
  font: false
markdown_extensions:
  - toc:
      permalink: true
  - tables
  - admonition
  - attr_list
plugins:
  - search
"""

#: the pages are already in docs/: only the page hooks run, not the pipeline
MKDOCS_YML = _SITE_YML + """\
  - slacode:
      generate: false
"""

#: the nightly job: the plugin runs the pipeline and generates the pages in memory
NIGHTLY_YML = _SITE_YML + """\
  - slacode:
      now: "{now}"
      history_months: {months}
      cache: {cache}
      prometheus:
        default:
          url: {url}
          url_env: ""
          read_timeout: 120.0
          recording_rules: {rules}
"""


class _Stages(dict):
    """Stage seconds, each printed as soon as it is known (a long run shows progress)."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def __setitem__(self, key: str, value: float) -> None:
        super().__setitem__(key, value)
        print(f"    {self.label}: {key} {value:.2f}s", file=sys.stderr, flush=True)


def _cpu(children: bool = False) -> float:
    """CPU seconds of this process (``children``: and of its ended child processes, such as
    the workers that build the nightly's other audiences)."""
    who = [resource.RUSAGE_SELF, *([resource.RUSAGE_CHILDREN] if children else [])]
    return sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage, who))


def _rss_mib() -> float:
    """Peak RSS of this process in MiB. ``ru_maxrss`` keeps the parent's peak across
    fork + exec on Linux, so a child reads its own high-water mark (``VmHWM``) instead."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _tree_size(folder: Path, suffix: str = "") -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and p.name.endswith(suffix)]
    return len(files), sum(p.stat().st_size for p in files)


def _prom_seconds(url: str) -> float:
    """Seconds the server spent answering query API requests so far."""
    return _metric(url, r'prometheus_http_request_duration_seconds_sum\{handler="/api/v1/query')


class _InFlight:
    """The wall-clock stretches during which at least one query to Prometheus is out:
    the "Prometheus' query time" of the issue's own-work target, measured from slacode's
    side by wrapping the client's one HTTP method for the duration of a build."""

    def __init__(self) -> None:
        import threading

        self.spans: list[tuple[float, float]] = []
        self._lock = threading.Lock()

    def __enter__(self) -> _InFlight:
        from slacode.pull.client import PrometheusClient

        self._orig = post = PrometheusClient.post
        spans, lock = self.spans, self._lock

        def timed(client: Any, *args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return post(client, *args, **kwargs)
            finally:
                with lock:
                    spans.append((t, time.perf_counter()))

        PrometheusClient.post = timed  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        from slacode.pull.client import PrometheusClient

        PrometheusClient.post = self._orig  # type: ignore[method-assign]

    def seconds(self) -> float:
        """Length of the union of the stretches (parallel queries count once)."""
        total, end = 0.0, float("-inf")
        for a, b in sorted(self.spans):
            if b > end:
                total += b - max(a, end)
                end = b
        return total


def build(root: Path, cache: Path, url: str, now: int, months: int, rules: bool,
          label: str, audiences: bool = False) -> dict[str, Any]:
    """The nightly job as users run it: ``mkdocs build`` with the slacode plugin, which
    runs load -> pull (evaluating alongside) -> ledger -> render and hands the pages to
    MkDocs in memory. Stage times come from the pipeline; "site" is the rest of the build.
    With ``audiences`` (the warm nightly build) every audience's site is built from the one
    evaluation, as ``slacode build --audience all`` does, and each one's seconds reported.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    import slacode.pipeline

    os.environ.pop("SLACODE_NOW", None)  # the benchmark's own clock
    out: dict[str, Any] = {"label": label, "now": _iso(now)}
    # the public site; the other audiences' go beside it (internal/, customers/NAME/)
    site_dir = root / f"site-{label}" / "public"
    cfg = root / f"mkdocs-{label}.yml"
    docs = root / "docs-nightly"  # the project's own pages: none, all are generated
    docs.mkdir(exist_ok=True)
    cfg.write_text(NIGHTLY_YML.format(docs=docs, site=site_dir, now=_iso(now), months=months,
                                      url=url, cache=cache, rules=str(rules).lower()),
                   encoding="utf-8")
    seen: dict[str, Any] = {}
    run = slacode.pipeline.run

    def timed_run(*args: Any, **kwargs: Any) -> Any:  # the pipeline's part of the build
        cpu0 = _cpu()
        res = run(*args, **kwargs)
        if "result" not in seen:  # the public site's: it pulls and evaluates
            seen["result"], seen["cpu"] = res, _cpu() - cpu0
        return res

    cpu0, prom0 = _cpu(children=True), _prom_seconds(url)
    pcpu0 = _metric(url, r"process_cpu_seconds_total")
    slacode.pipeline.run = timed_run
    took: dict[str, float] = {}
    try:
        t = time.perf_counter()
        with _InFlight() as inflight:
            if audiences:
                # every audience's site from one pull and evaluation, as
                # `slacode build --audience all` (the nightly job) builds them, with the
                # CPU seconds of each one's build (the public one's pulls and evaluates;
                # the others are built in worker processes meanwhile)
                from slacode.cli.build import build_all

                audience_cpu: dict[str, float] = {}
                build_all(cfg, site_dir=site_dir, seconds=took, cpu=audience_cpu)
                out["audience_cpu"] = audience_cpu
            else:
                mkdocs_build(load_config(config_file=str(cfg)))
        total = time.perf_counter() - t
    finally:
        slacode.pipeline.run = run
    res = seen["result"]
    stages = _Stages(label)
    for name in ("load", "history", "pull", "evaluate", "ledger", "render"):
        stages[name] = res.seconds.get(name, 0.0)
    stages["site"] = took.get("public", total) - sum(stages.values())
    out["stages"] = dict(stages)
    out["total"] = total
    # seconds of each audience's site (the public one with the pull and evaluation)
    out["audiences"] = took or {"public": total}
    out["audience_pages"] = {
        name: _tree_size(site_dir if name == "public" else site_dir.parent / (
            "internal" if name == "internal" else f"customers/{name.partition(':')[2]}"),
            ".html")[0] for name in out["audiences"]}
    out["prometheus_wall"] = inflight.seconds()
    out["prometheus_seconds"] = _prom_seconds(url) - prom0
    out["prometheus_cpu"] = _metric(url, r"process_cpu_seconds_total") - pcpu0
    out["slacode_cpu"] = seen["cpu"]
    out["build_cpu"] = _cpu(children=True) - cpu0
    # the issue's reading: the build's wall time less Prometheus' query time and the site
    out["own_wall"] = total - out["prometheus_wall"] - stages["site"]
    out["site_pages"], out["site_bytes"] = _tree_size(site_dir, ".html")
    out["site_files"], out["site_all_bytes"] = _tree_size(site_dir)
    out["queries"] = res.queries
    out["generated_files"] = len(res.files)
    out["generated_bytes"] = sum(len(v.encode()) if isinstance(v, str) else len(v)
                                 for v in res.files.values())
    out["gaps"] = len({p.message.split(":")[0] for p in res.problems
                       if p.code in ("pull.gap", "pull.fault")})
    out["peak_rss_mib"] = _rss_mib()
    out["objectives"] = sum(len(a.objectives) for a in res.agreements)
    out["services"] = len(res.agreements)
    return out


def _run_self(args: list[str], what: str) -> tuple[dict[str, Any], float]:
    """This script in a fresh process with ``args``: the JSON of its last line and its
    wall seconds, timed from outside (interpreter start and imports included). Its
    progress and errors go to this process's stderr."""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, *args], stdout=subprocess.PIPE,
                         text=True, check=False)
    seconds = time.perf_counter() - t
    if out.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {out.returncode}; its errors are above)")
    return json.loads(out.stdout.strip().splitlines()[-1]), seconds


def run_build(root: Path, cache: Path, url: str, now: int, months: int, rules: bool,
              label: str, audiences: bool = False) -> dict[str, Any]:
    """:func:`build` in a fresh process, as a nightly build is (nothing of an earlier
    build in memory, its own peak RSS)."""
    args = ["--build", label, "--root", str(root), "--cache", str(cache), "--url", url,
            "--now", str(now), "--months", str(months)] + ([] if rules else ["--no-rules"]) + (
                ["--audiences"] if audiences else [])
    return _run_self(args, f"the {label} build")[0]


def _settings(root: Path, cache: Path, url: str, now: int, months: int,
              rules: bool = False) -> Any:
    from slacode.config import PrometheusServer, Settings

    # url_env="": the benchmark's server, whatever SLACODE_PROMETHEUS_URL says
    server = PrometheusServer(url=url, url_env="", read_timeout=120.0, recording_rules=rules)
    return Settings(root=root, cache=str(cache), now=_iso(now), history_months=months,
                    servers=(server,))


# --- slo-generator -------------------------------------------------------------------------------

SLO_CONFIG = """\
apiVersion: sre.google.com/v2
kind: ServiceLevelObjective
metadata:
  name: {sid}
  labels: {{service_name: {sid}, feature_name: api, slo_name: availability-28d}}
spec:
  description: Availability of {sid} over the last 28 days
  backend: prometheus
  method: good_bad_ratio
  exporters: []
  service_level_indicator:
    filter_good: >-
      sum(increase(http_request_duration_seconds_count{{service="{sid}"}}[window]))
      - sum(increase(http_request_errors_total{{service="{sid}"}}[window]))
    filter_valid: >-
      sum(increase(http_request_duration_seconds_count{{service="{sid}"}}[window]))
    operators: []
  goal: 0.999
"""

SHARED_CONFIG = """\
backends:
  prometheus:
    url: {url}
error_budget_policies:
  default:
    steps:
      - name: 28d
        burn_rate_threshold: 1
        alert: false
        message_alert: Page the SRE team
        message_ok: Last 28 days are fine
        window: 2419200
"""


def slo_generator_bin(workdir: Path, log: Any) -> tuple[Path | None, str]:
    """slo-generator in its own venv (installed once); or None and why not."""
    venv = workdir / SLO_VENV
    exe = venv / "bin" / "slo-generator"
    if exe.is_file():
        return exe, ""
    log(f"slo-generator: installing into {venv} ...")
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin" / "pip"), "install", "-q", "setuptools<70",
         "slo-generator[prometheus]"],
    ]
    for cmd in steps:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            return None, f"{' '.join(cmd[:3])} failed: {out.stderr.strip()[-500:]}"
    return (exe, "") if exe.is_file() else (None, "slo-generator has no console script")


_SLI = re.compile(r"^\S+ - (\S+)\s+\|\s*\S+\s*\|\s*SLI:\s*([0-9.]+)\s*%")


def run_slo_generator(exe: Path, folder: Path, sids: list[str], url: str) -> dict[str, Any]:
    cfg = folder / "slo-configs"
    cfg.mkdir(parents=True, exist_ok=True)
    for sid in sids:
        (cfg / f"slo_{sid}.yaml").write_text(SLO_CONFIG.format(sid=sid), encoding="utf-8")
    shared = folder / "shared.yaml"
    shared.write_text(SHARED_CONFIG.format(url=url), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "COLORED_OUTPUT")}
    t0 = time.time()
    t = time.perf_counter()
    out = subprocess.run([str(exe), "compute", "-f", str(cfg), "-c", str(shared)],
                         capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - t
    t1 = time.time()
    figures: dict[str, float] = {}
    for line in (out.stdout + out.stderr).splitlines():
        m = _SLI.match(line)
        if m:
            figures[m.group(1)] = float(m.group(2))
    # its computation alone, configs already read, in its own interpreter
    inner = subprocess.run([str(exe.parent / "python"), "-c", SLO_COMPUTE, str(cfg),
                            str(shared)], capture_output=True, text=True, env=env, check=False)
    compute = float(inner.stdout.split()[-1]) if inner.returncode == 0 else None
    return {"seconds": seconds, "figures": figures, "returncode": out.returncode,
            "at": int((t0 + t1) / 2), "tail": (out.stdout + out.stderr)[-1500:],
            "compute_seconds": compute}


#: slo-generator's computation timed inside its process: what ``slo-generator compute``
#: runs per file, after its imports and with every config already read
SLO_COMPUTE = """\
import glob, logging, sys, time
logging.disable(logging.CRITICAL)
from slo_generator import utils
from slo_generator.compute import compute
shared = utils.load_config(sys.argv[2])
confs = [utils.load_config(f) for f in sorted(glob.glob(sys.argv[1] + "/*.yaml"))]
t = time.perf_counter()
for c in confs:
    compute(c, shared, do_export=False)
print(time.perf_counter() - t)
"""


def slacode_rolling(root: Path, cache: Path, url: str, now: int) -> dict[str, Any]:
    """slacode computing only what slo-generator computes: every service's rolling 28-day
    availability (load + pull + evaluate), with the pull cache in ``cache``."""
    from slacode.load import load_agreements
    from slacode.pipeline import pull_and_evaluate

    t = time.perf_counter()
    loaded = load_agreements([root / "slas"], root=root)
    agreements = [
        replace(a, objectives=tuple(o for o in a.objectives if o.id == "availability-28d"),
                credits=None)
        for a in loaded.agreements
    ]
    load_seconds = time.perf_counter() - t
    settings = _settings(root, cache, url, now, 1)
    t = time.perf_counter()
    pulled, results = pull_and_evaluate(agreements, settings, now)
    compute = time.perf_counter() - t
    figures = {}
    for r in results:
        for p in r.periods:
            if p.period == "rolling-28d" and p.value is not None:
                figures[r.service] = p.value
    return {"figures": figures, "queries": pulled.queries, "load_seconds": load_seconds,
            "compute_seconds": compute}


def run_slacode_rolling(root: Path, cache: Path, url: str, now: int) -> dict[str, Any]:
    """:func:`slacode_rolling` as a whole process, timed from outside as slo-generator is
    (interpreter start and imports included)."""
    res, seconds = _run_self(["--rolling", str(now), "--root", str(root), "--cache",
                              str(cache), "--url", url], "slacode's rolling run")
    return {**res, "seconds": seconds}


def _scratch(site: bool) -> str | None:
    """Where a synthetic run keeps its project and pages: a folder in RAM when it measures
    evaluation and rendering only, the disk (the temporary folder) when it builds a site
    as a build does.

    Why: N = 5001 writes 1.9 GB of pages. On this machine's disk the kernel then writes
    them back while the run goes on, on the same two cores: render took 122-126 s at
    N = 5001 on disk against 108 s in RAM, while N = 1001 (372 MB) took the same in
    both (21-22 s), so the disk alone added half a point to the growth ratio. The write
    stage is timed apart either way; the report says where the pages went."""
    shm = Path("/dev/shm")
    return str(shm) if not site and shm.is_dir() and os.access(shm, os.W_OK) else None


def synthetic(n: int, months: int, now: int, pool: int, site: bool) -> dict[str, Any]:
    """Evaluate and render ``n`` services over in-memory measurements (no Prometheus).

    Each objective's hourly counts come from one of ``pool`` generated series (service i
    uses series i mod pool), so the input takes the same memory for every n and the peak
    RSS shows what evaluation and rendering themselves need. Without ``site`` the pages
    are written to RAM (see :func:`_scratch`)."""
    import random

    from slacode import ledger
    from slacode.evaluate import evaluate
    from slacode.load import load_agreements
    from slacode.pipeline import incidents_by_service
    from slacode.pull.align import layout
    from slacode.pull.base import Counts, CountSeries, Incident, IncidentRecords
    from slacode.render import render
    from slacode.render.output import write_tree

    out: dict[str, Any] = {"label": f"synthetic-{n}", "services": n + 1}
    stages: dict[str, float] = {}
    scratch = _scratch(site)
    root = Path(tempfile.mkdtemp(prefix=f"fleet-syn{n}-", dir=scratch))
    out["pages_in"] = "RAM" if scratch else "disk"
    start = _month_start(now, months)
    profs = fleetgen.write_project(root, n, start - DAY, now + DAY, now)
    t = time.perf_counter()
    loaded = load_agreements([root / "slas"], root=root)
    stages["load"] = time.perf_counter() - t
    agreements = loaded.agreements
    # the intervals a pull hands over: whole days, the day holding the 28-day window's
    # start split there, today up to now
    spans = layout(start, now, 3600, "UTC", (now - 28 * DAY,))

    def series(k: int, kind: str) -> tuple[Counts, ...]:
        rng = random.Random(f"syn-{k}-{kind}")
        pts = []
        for s, e in spans:
            down = rng.random() < 0.05
            hours = (e - s) / 3600
            if kind == "slices":
                total = float(max(1, (e - s) // 300))
                good = total - (rng.randrange(1, 13) if down else 0)
            else:
                total = float(int(rng.randrange(5000, 60000) * hours))
                share = rng.uniform(0.05, 0.6) if down else rng.uniform(0.0001, 0.003)
                good = float(int(total * (1 - share)))
            pts.append(Counts(s, e, good, total))
        return tuple(pts)

    t = time.perf_counter()
    pools = {kind: [series(k, kind) for k in range(pool)]
             for kind in ("events", "slices", "latency")}
    kinds = {"availability": "events", "availability-28d": "events",
             "good-slices": "slices", "latency": "latency"}
    measurements: dict[tuple[str, str], Any] = {}
    by_id = {p.id: p for p in profs}
    for i, a in enumerate(agreements):
        for o in a.objectives:
            if o.id in kinds:
                pts = pools[kinds[o.id]][i % pool]
                measurements[(a.id, o.id)] = CountSeries(a.id, o.id, 3600, pts, (), now)
            else:
                incs = tuple(
                    Incident(f"INC-{a.id}-{j}", "P1", x.start + 120, x.start + 600,
                             x.end + 300, "Elevated errors", True, a.id)
                    for j, x in enumerate(by_id[a.id].outages) if start <= x.start < now - DAY
                )
                measurements[(a.id, o.id)] = IncidentRecords(a.id, o.id, incs, start, now)
    out["measurements_seconds"] = time.perf_counter() - t
    out["rss_before_mib"] = _rss_mib()

    t, cpu0 = time.perf_counter(), _cpu()
    results = evaluate(agreements, measurements, now, history_months=months)
    stages["evaluate"] = time.perf_counter() - t
    t = time.perf_counter()
    report = ledger.apply(results, root / "ledger")
    stages["ledger"] = time.perf_counter() - t
    # each file goes to disk as soon as it is made (render's sink): the fleet's text is
    # never all in memory at once; the time spent writing is the "write" stage
    written = {"seconds": 0.0, "cpu": 0.0, "bytes": 0}

    def sink(path: str, text: str) -> None:
        t0, c0 = time.perf_counter(), _cpu()
        write_tree({path: text}, root / "docs")
        written["bytes"] += len(text.encode())
        written["seconds"] += time.perf_counter() - t0
        written["cpu"] += _cpu() - c0

    t = time.perf_counter()
    files = render(agreements, report.results, now=now, audience="public",
                   incidents=incidents_by_service(measurements),
                   site_title="Fleet service levels", history_months=months, sink=sink)
    stages["render"] = time.perf_counter() - t - written["seconds"]
    # CPU seconds of evaluate + ledger + render: what the work costs, whatever else the
    # machine was running at the time (wall time also counts waiting for a core)
    out["cpu"] = _cpu() - cpu0 - written["cpu"]
    stages["write"] = written["seconds"]
    if site:
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config

        (root / "mkdocs.yml").write_text(MKDOCS_YML.format(docs="docs", site=root / "site"),
                                         encoding="utf-8")
        t = time.perf_counter()
        mkdocs_build(load_config(config_file=str(root / "mkdocs.yml")))
        stages["site"] = time.perf_counter() - t
        out["site_pages"], out["site_bytes"] = _tree_size(root / "site", ".html")
        out["site_files"], out["site_all_bytes"] = _tree_size(root / "site")
        index = root / "site" / "search" / "search_index.json"
        if index.is_file():
            import gzip

            raw = index.read_bytes()
            out["search_index_bytes"] = len(raw)
            out["search_index_gzip_bytes"] = len(gzip.compress(raw, 6))
    out["stages"] = stages
    out["generated_files"] = len(files)
    out["generated_bytes"] = written["bytes"]
    out["peak_rss_mib"] = _rss_mib()
    # the whole process's CPU seconds (imports, load, the input, every stage, the site):
    # what the wall time would be on a quiet machine with one core free for it
    out["process_cpu"] = _cpu()
    out["points_per_series"] = len(spans)
    shutil.rmtree(root, ignore_errors=True)
    return out


def run_synthetic(n: int, months: int, now: int, pool: int, site: bool) -> dict[str, Any]:
    """:func:`synthetic` in a fresh process, so that its peak RSS is its own."""
    args = ["--synthetic", str(n), "--months", str(months), "--now", str(now),
            "--pool", str(pool)] + (["--site"] if site else [])
    return _run_self(args, f"the synthetic run for {n}")[0]


# --- report ------------------------------------------------------------------------------------

def _fmt_stages(b: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v:.2f}s" for k, v in b["stages"].items())


#: runs of each size in the scaling comparison (their medians are compared)
SYNTHETIC_RUNS = 5


def _ev(run: dict[str, Any]) -> float:
    return run["stages"]["evaluate"] + run["stages"]["render"]


def _median_syn(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median evaluate + render time."""
    return sorted(runs, key=_ev)[len(runs) // 2]


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    totals = [r["total"] for r in runs]
    med = statistics.median_low(totals)
    return runs[totals.index(med)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--services", type=int, default=200, help="fleet size N (default 200)")
    ap.add_argument("--months", type=int, default=13, help="months of data M (default 13)")
    ap.add_argument("--big", type=int, default=1000,
                    help="N for the evaluation + render scaling run (0 to skip; default 1000)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="cold and warm builds this many times; the median is reported")
    ap.add_argument("--pool", type=int, default=20,
                    help="distinct synthetic series per objective kind (scaling run)")
    ap.add_argument("--no-slo-generator", action="store_true")
    ap.add_argument("--no-rules", action="store_true",
                    help="builds read time slices from raw samples (no recording rules)")
    ap.add_argument("--no-raw-pull", action="store_true",
                    help="skip the comparison pull with every slice from raw samples")
    ap.add_argument("--compare-only", action="store_true",
                    help="only the slo-generator comparison (no builds, no scaling run)")
    ap.add_argument("--workdir", type=Path, default=ROOT / ".slacode" / "bench")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--smoke", action="store_true",
                    help="a check that the benchmark runs (the test suite's): no compaction "
                         "wait, no raw-sample pull; the rolling figures of a cold run and a "
                         "nightly one are compared even without slo-generator")
    ap.add_argument("--synthetic", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--now", type=int, default=0,
                    help="epoch seconds the run takes as now (default: the clock)")
    ap.add_argument("--site", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--build", default="", help=argparse.SUPPRESS)
    ap.add_argument("--audiences", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--rolling", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.build:
        print(json.dumps(build(args.root, args.cache, args.url, args.now, args.months,
                               not args.no_rules, args.build, args.audiences)))
        return 0
    if args.rolling:
        print(json.dumps(slacode_rolling(args.root, args.cache, args.url, args.rolling)))
        return 0

    if args.synthetic:
        res = synthetic(args.synthetic, args.months, args.now or int(time.time()), args.pool,
                        args.site)
        print(json.dumps(res))
        return 0

    def log(msg: str) -> None:
        print(msg, flush=True)

    why = have_prometheus()
    if why:
        log(f"cannot run: {why}")
        return 1
    global SETTLE
    SETTLE = not args.smoke
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    now = args.now or int(time.time())
    t = time.perf_counter()
    tsdb, meta = ensure_tsdb(workdir, args.services, args.months, now, log)
    if not args.no_rules:
        ensure_rules(workdir, tsdb, meta, log)
    setup_seconds = time.perf_counter() - t

    report: dict[str, Any] = {"services": args.services, "months": args.months,
                              "samples": meta["samples"], "setup_seconds": setup_seconds,
                              "cpus": os.cpu_count()}
    run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=workdir))
    try:
        prom = PrometheusProcess(tsdb, workdir=run_dir)
        t = time.perf_counter()
        prom.start(timeout=300)
        report["prometheus_start_seconds"] = time.perf_counter() - t
        log(f"Prometheus ready at {prom.url} after {report['prometheus_start_seconds']:.1f}s")
        try:
            _benchmark(args, workdir, run_dir, prom, meta, report, log)
        finally:
            prom.stop()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)

    if args.big and not args.compare_only:
        # pairs, alternating, each run in its own process: the growth factor is the ratio
        # of the median run of each size, which a shared machine's noise moves least
        now_syn = args.now or int(time.time())
        smalls, bigs = [], []
        for _ in range(SYNTHETIC_RUNS):
            smalls.append(run_synthetic(args.services, args.months, now_syn, args.pool, False))
            bigs.append(run_synthetic(args.big, args.months, now_syn, args.pool, False))
        report["synthetic"] = [_median_syn(smalls), _median_syn(bigs)]
        report["synthetic_runs"] = [[round(_ev(r), 2) for r in runs] for runs in (smalls, bigs)]
        report["synthetic_cpu"] = [statistics.median(r["cpu"] for r in runs)
                                   for runs in (smalls, bigs)]

    _print(report, args, log)
    clean = {k: v for k, v in report.items() if not k.startswith("_")}
    for key in ("cold", "warm"):
        if key in clean:
            clean[key] = {k: v for k, v in clean[key].items() if not k.startswith("_")}
    (workdir / "last-run.json").write_text(json.dumps(clean, indent=2, default=str) + "\n")
    if args.json:
        args.json.write_text(json.dumps(clean, indent=2, default=str) + "\n")
    return 0


def _benchmark(args: Any, workdir: Path, run_dir: Path, prom: PrometheusProcess,
               meta: dict, report: dict[str, Any], log: Any) -> None:
    now = args.now or int(time.time())
    root = run_dir / "project"
    profs = fleetgen.write_project(root, args.services, meta["start"], meta["end"], now + DAY)
    report["agreements"] = len(profs)
    colds, warms = [], []
    rules = not args.no_rules
    report["recording_rules"] = rules
    for r in range(0 if args.compare_only else max(1, args.repeat)):
        cache = run_dir / f"cache-{r}"
        log(f"cold build {r + 1}/{args.repeat} (empty cache) ...")
        cold = run_build(root, cache, prom.url, now, args.months, rules, f"cold{r}")
        log(f"  {cold['total']:.1f}s: {_fmt_stages(cold)}; {cold['queries']} queries")
        later = now + DAY
        log(f"warm nightly build {r + 1}/{args.repeat} (same cache, now + 1 day) ...")
        warm = run_build(root, cache, prom.url, later, args.months, rules, f"warm{r}",
                         audiences=True)
        log(f"  {warm['total']:.1f}s: {_fmt_stages(warm)}; {warm['queries']} queries")
        colds.append(cold)
        warms.append(warm)
    if colds and rules and not args.smoke and not args.no_raw_pull:
        # the same cold pull with every slice evaluated from raw samples, for comparison
        from slacode.load import load_agreements
        from slacode.pull import pull

        log("cold pull without recording rules (slices from raw samples) ...")
        settings = _settings(root, run_dir / "cache-raw", prom.url, now, args.months)
        agreements = load_agreements([root / "slas"], root=root).agreements
        cpu0, pcpu0 = _cpu(), _metric(prom.url, r"process_cpu_seconds_total")
        t = time.perf_counter()
        raw = pull(agreements, settings, now)
        report["raw_pull"] = {
            "seconds": time.perf_counter() - t, "queries": raw.queries,
            "slacode_cpu": _cpu() - cpu0,
            "prometheus_cpu": _metric(prom.url, r"process_cpu_seconds_total") - pcpu0,
        }
        log(f"  {report['raw_pull']['seconds']:.1f}s, {raw.queries} queries")
    if colds:
        report["cold"] = _median_run(colds)
        report["warm"] = _median_run(warms)
        report["cold_runs"] = [round(c["total"], 2) for c in colds]
        report["warm_runs"] = [round(w["total"], 2) for w in warms]

    if args.smoke or args.no_slo_generator:
        _self_check(root, run_dir, prom.url, now, profs, report, log)
    if args.no_slo_generator:
        return
    exe, why = slo_generator_bin(workdir, log)
    if exe is None:
        report["slo_generator"] = {"error": why}
        return
    sids = [p.id for p in profs]
    log(f"slo-generator: rolling 28-day availability of {len(sids)} services ...")
    slo = run_slo_generator(exe, run_dir, sids, prom.url)
    if not slo["figures"]:
        report["slo_generator"] = {"error": f"no figures (exit {slo['returncode']}): "
                                            f"{slo['tail']}"}
        return
    log(f"  {slo['seconds']:.1f}s, {len(slo['figures'])} figures")
    log("slacode: the same figures (rolling-28d objectives only), cold and nightly ...")
    ours = run_slacode_rolling(root, run_dir / "cache-rolling", prom.url, slo["at"])
    # nightly: the previous night's run filled the cache; the timed run asks for what is new
    run_slacode_rolling(root, run_dir / "cache-nightly", prom.url, slo["at"] - DAY)
    nightly = run_slacode_rolling(root, run_dir / "cache-nightly", prom.url, slo["at"])
    diffs = {sid: abs(ours["figures"][sid] - v) for sid, v in slo["figures"].items()
             if sid in ours["figures"]}
    worst = max(diffs, key=lambda s: diffs[s]) if diffs else ""
    by_id = {p.id: p for p in profs}
    truth = {sid: fleetgen.true_availability(by_id[sid], slo["at"] - 28 * DAY, slo["at"])
             for sid in diffs}
    off_slo = {sid: abs(slo["figures"][sid] - truth[sid]) for sid in diffs}
    off_ours = {sid: abs(ours["figures"][sid] - truth[sid]) for sid in diffs}
    report["slo_generator"] = {
        "seconds": slo["seconds"], "figures": len(slo["figures"]),
        "slacode_seconds": ours["seconds"], "slacode_queries": ours["queries"],
        "ratio": slo["seconds"] / ours["seconds"] if ours["seconds"] else None,
        "nightly_seconds": nightly["seconds"], "nightly_queries": nightly["queries"],
        "nightly_ratio": slo["seconds"] / nightly["seconds"],
        # a nightly run from the cache must give exactly the cold run's figures
        "nightly_max_diff_pp": max((abs(nightly["figures"].get(k, -1e9) - v)
                                    for k, v in ours["figures"].items()), default=None),
        "compared": len(diffs), "max_diff_pp": diffs[worst] if worst else None,
        "worst": worst,
        "worst_values": [slo["figures"].get(worst), ours["figures"].get(worst)],
        "cold_build_ratio": (slo["seconds"] / report["cold"]["total"]
                             if report.get("cold") else None),
        "at": _iso(slo["at"]),
        "max_slo_generator_error_pp": max(off_slo.values(), default=None),
        "max_slacode_error_pp": max(off_ours.values(), default=None),
        "worst_truth": truth.get(worst),
        # the computation alone (inputs read, imports done), each in its own process
        "compute_seconds": slo["compute_seconds"],
        "slacode_compute_seconds": ours["compute_seconds"],
        "nightly_compute_seconds": nightly["compute_seconds"],
        "slacode_load_seconds": ours["load_seconds"],
    }


def _self_check(root: Path, run_dir: Path, url: str, now: int, profs: list[Any],
                report: dict[str, Any], log: Any) -> None:
    """The rolling 28-day figures of a cold run against those of a nightly run over the
    previous night's cache (they must be equal) and against the exact figures of the
    generated data: what the slo-generator comparison checks, without slo-generator."""
    log("slacode: rolling 28-day figures, cold and nightly (self check) ...")
    at = now - 600
    cold = run_slacode_rolling(root, run_dir / "cache-self", url, at)
    run_slacode_rolling(root, run_dir / "cache-self-nightly", url, at - DAY)
    nightly = run_slacode_rolling(root, run_dir / "cache-self-nightly", url, at)
    by_id = {p.id: p for p in profs}
    truth = {sid: fleetgen.true_availability(by_id[sid], at - 28 * DAY, at)
             for sid in cold["figures"] if sid in by_id}
    report["self_check"] = {
        "figures": len(cold["figures"]), "nightly_figures": len(nightly["figures"]),
        "services": len(profs), "queries": cold["queries"],
        "nightly_queries": nightly["queries"],
        "nightly_max_diff_pp": max((abs(nightly["figures"].get(k, -1e9) - v)
                                    for k, v in cold["figures"].items()), default=None),
        "max_error_pp": max((abs(cold["figures"][k] - v) for k, v in truth.items()),
                            default=None),
    }
    sc = report["self_check"]
    log(f"  {sc['figures']} figures; nightly - cold {sc['nightly_max_diff_pp']} pp; "
        f"largest distance from the exact figure {sc['max_error_pp']} pp")


def _print(report: dict[str, Any], args: Any, log: Any) -> None:
    log("")
    log(f"== Fleet benchmark: {report['services']} services (+1 at 1-minute resolution), "
        f"{report['months']} months, {report['samples'] / 1e6:.1f} M samples, "
        f"{report['cpus']} CPUs ==")
    for key, what in (("cold", "cold build (empty cache)"),
                      ("warm", "warm nightly build (one new day)")):
        b = report.get(key)
        if not b:
            continue
        pe = b["stages"]["pull"] + b["stages"]["evaluate"]
        log(f"{what}: {b['total']:.1f}s  [{_fmt_stages(b)}]")
        log(f"  pull + evaluate {pe:.1f}s; queries {b['queries']}; Prometheus busy "
            f"{b['prometheus_seconds']:.1f}s (summed over parallel queries), "
            f"{b.get('prometheus_cpu', 0):.1f}s CPU; slacode CPU "
            f"{b['slacode_cpu']:.1f}s = {100 * b['slacode_cpu'] / b['total']:.0f}% of the build")
        log(f"  own work: {b['own_wall']:.1f}s = {100 * b['own_wall'] / b['total']:.0f}% of the "
            f"build (wall time less {b['prometheus_wall']:.1f}s with a query out and the site "
            f"build)")
        log(f"  generated {b['generated_files']} files / {b['generated_bytes'] / 1e6:.1f} MB; "
            f"site {b.get('site_pages', 0)} HTML pages / {b.get('site_bytes', 0) / 1e6:.1f} MB "
            f"({b.get('site_files', 0)} files / {b.get('site_all_bytes', 0) / 1e6:.1f} MB); "
            f"peak RSS {b['peak_rss_mib']:.0f} MiB")
        if len(b.get("audiences", {})) > 1:
            log(f"  every audience, one pull and evaluation: {b['total']:.1f}s whole, "
                f"{b.get('build_cpu', 0):.1f}s CPU; per audience: " + "; ".join(
                    f"{name} {sec:.1f}s, {b.get('audience_cpu', {}).get(name, 0):.1f}s CPU "
                    f"({b['audience_pages'].get(name, 0)} pages)"
                    + (" with load, pull and evaluation" if name == "public" else "")
                    for name, sec in b["audiences"].items()))
    raw = report.get("raw_pull")
    if raw:
        log(f"cold pull without recording rules: {raw['seconds']:.1f}s; queries "
            f"{raw['queries']}; Prometheus {raw['prometheus_cpu']:.1f}s CPU; slacode CPU "
            f"{raw['slacode_cpu']:.1f}s")
    if report.get("cold") and report.get("warm"):
        log(f"warm / cold: {100 * report['warm']['total'] / report['cold']['total']:.1f}%  "
            f"(runs: cold {report['cold_runs']}, warm {report['warm_runs']})")
    slo = report.get("slo_generator")
    if slo:
        if "error" in slo:
            log(f"slo-generator: not compared: {slo['error']}")
        else:
            log(f"slo-generator: {slo['seconds']:.1f}s for {slo['figures']} rolling-28d figures; "
                f"slacode {slo['slacode_seconds']:.2f}s for the same ({slo['slacode_queries']} "
                f"queries): {slo['ratio']:.1f}x; largest difference {slo['max_diff_pp']:.5f} pp "
                f"({slo['worst']}: {slo['worst_values'][0]} vs {slo['worst_values'][1]}, "
                f"exact {slo['worst_truth']:.6f})")
            log(f"  slacode nightly (yesterday's run cached): {slo['nightly_seconds']:.2f}s "
                f"({slo['nightly_queries']} queries): {slo['nightly_ratio']:.1f}x; largest "
                f"difference from the cold figures {slo['nightly_max_diff_pp']:.6f} pp")
            log(f"  largest distance from the exact figure of the generated data: "
                f"slo-generator {slo['max_slo_generator_error_pp']:.5f} pp, "
                f"slacode {slo['max_slacode_error_pp']:.5f} pp")
            if slo.get("compute_seconds"):
                c = slo["compute_seconds"]
                log(f"  computation alone (configs read, imports done): slo-generator {c:.2f}s; "
                    f"slacode cold {slo['slacode_compute_seconds']:.2f}s "
                    f"({c / slo['slacode_compute_seconds']:.1f}x), nightly "
                    f"{slo['nightly_compute_seconds']:.2f}s "
                    f"({c / slo['nightly_compute_seconds']:.1f}x); slacode's load of the "
                    f"agreements {slo['slacode_load_seconds']:.2f}s")
            if slo["cold_build_ratio"]:
                log(f"  slo-generator / slacode cold build: {slo['cold_build_ratio']:.3f}x")
    syn = report.get("synthetic")
    if syn:
        small, big = syn
        for s in syn:
            ev = s["stages"]["evaluate"] + s["stages"]["render"]
            log(f"synthetic {s['services']} services: evaluate + render {ev:.1f}s "
                f"[{_fmt_stages(s)}]; peak RSS {s['peak_rss_mib']:.0f} MiB "
                f"(input {s['rss_before_mib']:.0f} MiB); {s['generated_files']} files / "
                f"{s['generated_bytes'] / 1e6:.1f} MB written to {s.get('pages_in', 'disk')}")
        e_small, e_big = _ev(small), _ev(big)
        c_small, c_big = report["synthetic_cpu"]
        log(f"  growth {big['services']}/{small['services']} services: "
            f"{e_big / e_small:.2f}x the time, {c_big / c_small:.2f}x the CPU time "
            f"({c_small:.1f}s -> {c_big:.1f}s; linear would be "
            f"{big['services'] / small['services']:.2f}x); medians of {SYNTHETIC_RUNS} runs "
            f"each: {report['synthetic_runs']}")


if __name__ == "__main__":
    raise SystemExit(main())
