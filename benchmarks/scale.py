"""Scale benchmark: how cost grows along the axes that grow in real use (issue 23).

    .venv/bin/python benchmarks/scale.py                 # everything, medians of 5
    .venv/bin/python benchmarks/scale.py --only history,validate --repeat 3

Beside ``fleet.py`` (the same helpers, see benchmarks/README.md). Every figure is timed
in a fresh process, as a build or a pre-commit hook runs; medians of ``--repeat`` runs
are printed with the target and the ratio figure / target. No Prometheus: the big
fleets use the synthetic in-memory measurements of ``fleet.py`` (the server side stays
measured by ``fleet.py`` at N = 200). Never part of the test suite (no test asserts on
time).

1. history: ``history.py``'s run (one definition): a deterministic repository of 200
   agreements and 5,000 commits over two years (``historygen.py``), the history stage as
   a build runs it (cold, nothing changed, after a pull request outside ``slas/``, after
   one commit under it) and ``slacode diff main pr --pr`` for a 20-commit pull request as
   a whole process, with the last build's store and with none.
2. validate: ``slacode validate`` of 200 agreements in a git project (CODEOWNERS
   committed), as a whole process: cold (no cache) and warm (the files unchanged).
3. big fleets: ``fleet.py``'s synthetic run for N = 1000 with the site (load, evaluate,
   ledger, render, the pages written, ``mkdocs build`` with search: a cold full build
   less the pull, on disk), peak RSS, pages, bytes and the search index; and evaluate +
   render for N = 1000 and N = 5000 (their pages written to RAM: see ``fleet._scratch``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import fleet  # noqa: E402
import fleetgen  # noqa: E402
import history  # noqa: E402

BIN = Path(sys.executable).parent


# a command timed in a fresh process (wall and CPU seconds, its children's included) and
# git with fixed identities and dates: one definition each, in the history benchmark
_timed, _git = history._timed, history._git


def _med(values: list[float]) -> float:
    return statistics.median(values)


# --- 2. validate -------------------------------------------------------------------------------

def bench_validate(work: Path, repeat: int, log: Any) -> dict[str, Any]:
    root = work / "validate-project"
    shutil.rmtree(root, ignore_errors=True)
    start = 1767225600  # 2026-01-01
    fleetgen.write_project(root, 199, start, start + 90 * 86400, start + 60 * 86400)
    (root / "mkdocs.yml").write_text("site_name: Validate benchmark\nplugins:\n  - slacode\n")
    (root / ".gitignore").write_text(".slacode/\n")
    _git(root.parent, "init", "-q", str(root))
    subprocess.run([str(BIN / "slacode"), "codeowners"], cwd=root, capture_output=True,
                   check=True)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "agreements")
    files = len(list((root / "slas").glob("*.yaml")))
    exe = [str(BIN / "slacode"), "validate"]
    cold, warm, cold_cpu, warm_cpu = [], [], [], []
    for _ in range(repeat):
        shutil.rmtree(root / ".slacode", ignore_errors=True)
        seconds, cpu, out = _timed(exe, root)
        if out.returncode != 0:
            raise RuntimeError(out.stdout[-1000:] + out.stderr[-1000:])
        cold.append(seconds)
        cold_cpu.append(cpu)
        seconds, cpu, out = _timed(exe, root)
        warm.append(seconds)
        warm_cpu.append(cpu)
    _, _, out = _timed([str(BIN / "python"), "-X", "importtime", "-m", "slacode", "validate"],
                       root)
    imports = sum(int(line.split("|")[1]) for line in out.stderr.splitlines()
                  if line.startswith("import time:") and line.split("|")[1].strip().isdigit()
                  and not line.split("|")[2].startswith("  ")) / 1e6
    log(f"validate: {files} agreements: cold {[round(c, 2) for c in cold]}, "
        f"warm {[round(w, 2) for w in warm]}; imports {imports:.2f}s")
    return {"files": files, "cold": _med(cold), "warm": _med(warm), "imports": imports,
            "cpu": {"cold": _med(cold_cpu), "warm": _med(warm_cpu)},
            "runs": {"cold": [round(c, 2) for c in cold], "warm": [round(w, 2) for w in warm]}}


# --- 3. big fleets -----------------------------------------------------------------------------

def bench_fleets(repeat: int, big: int, huge: int, log: Any) -> dict[str, Any]:
    now = int(time.time()) // 86400 * 86400 + 12 * 3600
    months = 13
    sites = [fleet.run_synthetic(big, months, now, 20, True) for _ in range(repeat)]
    site = sorted(sites, key=_whole)[len(sites) // 2]
    log(f"fleet {big + 1}: cold full build less the pull {[round(_whole(s), 1) for s in sites]}"
        f"s; peak RSS {[round(s['peak_rss_mib']) for s in sites]} MiB")
    smalls, bigs = [], []
    for _ in range(repeat):
        smalls.append(fleet.run_synthetic(big, months, now, 20, False))
        bigs.append(fleet.run_synthetic(huge, months, now, 20, False))
        log(f"  evaluate + render {big + 1}: {fleet._ev(smalls[-1]):.1f}s, "
            f"{huge + 1}: {fleet._ev(bigs[-1]):.1f}s (pages written to "
            f"{bigs[-1].get('pages_in', 'disk')})")
    small, large = fleet._median_syn(smalls), fleet._median_syn(bigs)
    return {
        "build": {k: site.get(k) for k in ("services", "stages", "peak_rss_mib", "process_cpu",
                                           "site_pages",
                                           "site_bytes", "site_files", "site_all_bytes",
                                           "search_index_bytes", "search_index_gzip_bytes",
                                           "generated_files", "generated_bytes")},
        "build_seconds": _whole(site),
        "build_runs": [round(_whole(s), 1) for s in sites],
        "ev_small": fleet._ev(small), "ev_large": fleet._ev(large),
        "cpu_small": statistics.median(s["cpu"] for s in smalls),
        "cpu_large": statistics.median(s["cpu"] for s in bigs),
        "rss_large": large["peak_rss_mib"], "rss_small": small["peak_rss_mib"],
        "services": [small["services"], large["services"]],
        "runs": [[round(fleet._ev(r), 1) for r in smalls], [round(fleet._ev(r), 1) for r in bigs]],
    }


def _whole(run: dict[str, Any]) -> float:
    return sum(run["stages"].values())


# --- report ------------------------------------------------------------------------------------

def _row(what: str, figure: float, target: float, unit: str = "s",
         cpu: float | None = None) -> str:
    ratio = figure / target
    cpu_text = f" ({cpu:.2f} s CPU)" if cpu is not None else ""
    return (f"| {what} | {figure:.2f} {unit}{cpu_text} | ≤ {target:g} {unit} | {ratio:.2f} | "
            f"{'met' if ratio <= 1 else 'missed'} |")


def report(res: dict[str, Any]) -> list[str]:
    rows = ["| target | figure (median) | target | ratio | |", "| --- | --- | --- | --- | --- |"]
    v = res.get("validate")
    if v:
        rows += [_row(f"slacode validate, {v['files']} agreements, cache warm (whole process)",
                      v["warm"], 1, cpu=v["cpu"]["warm"]),
                 _row(f"slacode validate, {v['files']} agreements, no cache (whole process)",
                      v["cold"], 1, cpu=v["cpu"]["cold"])]
    f = res.get("fleets")
    if f:
        b = f["build"]
        rows += [_row(f"N = {b['services']}: cold full build less the pull",
                      f["build_seconds"], 90, cpu=b.get("process_cpu")),
                 _row(f"N = {b['services']}: peak RSS", b["peak_rss_mib"] / 1024, 2, "GiB"),
                 _row(f"N = {f['services'][1]} / N = {f['services'][0]}: evaluate + render",
                      f["ev_large"] / f["ev_small"], 5.5, "x")]
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="history,validate,fleets",
                    help="comma-separated parts: history, validate, fleets")
    ap.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    ap.add_argument("--big", type=int, default=1000)
    ap.add_argument("--huge", type=int, default=5000)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    parts = set(args.only.split(","))

    def log(msg: str) -> None:
        print(msg, flush=True)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="slacode-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    res: dict[str, Any] = {"cpus": os.cpu_count(), "repeat": args.repeat}
    if "history" in parts:
        res["history"] = history.run(work, args.repeat, log)
    if "validate" in parts:
        res["validate"] = bench_validate(work, args.repeat, log)
    if "fleets" in parts:
        res["fleets"] = bench_fleets(args.repeat, args.big, args.huge, log)
        b = res["fleets"]["build"]
        log(f"  N = {b['services']}: {b['site_pages']} pages, {b['site_bytes'] / 1e6:.1f} MB HTML "
            f"({b['site_files']} files, {b['site_all_bytes'] / 1e6:.1f} MB); search index "
            f"{b.get('search_index_bytes', 0) / 1e6:.2f} MB, "
            f"{b.get('search_index_gzip_bytes', 0) / 1e6:.2f} MB compressed; stages "
            f"{ {k: round(v, 2) for k, v in b['stages'].items()} }")
        log(f"  evaluate + render: {res['fleets']['runs']}; CPU "
            f"{res['fleets']['cpu_small']:.1f}s -> {res['fleets']['cpu_large']:.1f}s "
            f"({res['fleets']['cpu_large'] / res['fleets']['cpu_small']:.2f}x); peak RSS "
            f"N = {res['fleets']['services'][0]}: {res['fleets']['rss_small']:.0f} MiB, "
            f"N = {res['fleets']['services'][1]}: {res['fleets']['rss_large']:.0f} MiB")
    log("")
    if "history" in res:
        for line in history.report(res["history"]):
            log(line)
        log("")
    for line in report(res):
        log(line)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
