"""Scale benchmark: how cost grows along the axes that grow in real use (issue 23).

    .venv/bin/python benchmarks/scale.py                 # everything, medians of 5
    .venv/bin/python benchmarks/scale.py --only history,validate --repeat 3

Beside ``fleet.py`` (the same helpers, see benchmarks/README.md). Every figure is timed
in a fresh process, as a build or a pre-commit hook runs; medians of ``--repeat`` runs
are printed with the target and the ratio figure / target. No Prometheus: the big
fleets use the synthetic in-memory measurements of ``fleet.py`` (the server side stays
measured by ``fleet.py`` at N = 200). Never part of the test suite (no test asserts on
time).

1. history: a deterministic repository of 200 agreements and 5,000 commits over two
   years (``historygen.py``: edits, version bumps, renames, pull requests merged with
   merge commits and squashed). The history stage exactly as a build runs it
   (``pipeline.past_versions``, ``change_log``, ``history_problems``): cold (no stored
   walk), warm (nothing changed since the last build), and after a commit outside
   ``slas/``. Then ``slacode diff main pr --pr`` for a 20-commit pull request, as a
   whole process.
2. validate: ``slacode validate`` of 200 agreements in a git project (CODEOWNERS
   committed), as a whole process: cold (no cache) and warm (the files unchanged).
3. big fleets: ``fleet.py``'s synthetic run for N = 1000 with the site (load, evaluate,
   ledger, render, the pages written, ``mkdocs build`` with search: a cold full build
   less the pull), peak RSS, pages, bytes and the search index; and evaluate + render
   for N = 1000 and N = 5000.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
import historygen  # noqa: E402

# the history stage as a build runs it, timed in a fresh process, and the check's time of
# ``diff --pr``: one definition, in the history benchmark
from history import CHECK_NOW, pull_request  # noqa: E402
from history import STAGE as HISTORY_STAGE  # noqa: E402

BIN = Path(sys.executable).parent


#: CPU seconds (user + system) of the last :func:`_timed` process and its children: the
#: machine is shared, and CPU time is what other work moves least
LAST_CPU = [0.0]


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None
           ) -> tuple[float, subprocess.CompletedProcess[str]]:
    c = _children_cpu()
    t = time.perf_counter()
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False,
                         env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - t
    LAST_CPU[0] = _children_cpu() - c
    return seconds, out


def _git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "GIT_AUTHOR_DATE": "2026-12-01T10:00:00Z", "GIT_COMMITTER_DATE": "2026-12-01T10:00:00Z"}
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          check=True, env={**os.environ, **env}).stdout.strip()


def _med(values: list[float]) -> float:
    return statistics.median(values)


# --- 1. history --------------------------------------------------------------------------------

def bench_history(work: Path, repeat: int, log: Any) -> dict[str, Any]:
    repo = work / "history-repo"
    t = time.perf_counter()
    historygen.write_repo(repo, 200, 5000)
    made = time.perf_counter() - t
    pull_request(repo)
    log(f"history: repository of {_git(repo, 'rev-list', '--count', 'main')} commits, "
        f"{len(list(repo.glob('slas/**/*.yaml')))} agreements, made in {made:.1f}s")
    cache = repo / ".slacode" / "cache"
    py = str(BIN / "python")

    def stage() -> dict[str, Any]:
        seconds, out = _timed([py, "-c", HISTORY_STAGE, str(repo)], repo)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-2000:])
        return {**json.loads(out.stdout.strip().splitlines()[-1]), "process": seconds}

    cold, warm, elsewhere = [], [], []
    for r in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(stage())
        warm.append(stage())
        _git(repo, "commit", "-q", "--allow-empty", "-m", f"docs: nothing under slas ({r})")
        elsewhere.append(stage())
        log(f"  run {r + 1}: cold {cold[-1]['stage']:.2f}s, warm {warm[-1]['stage']:.2f}s, "
            f"after a commit elsewhere {elsewhere[-1]['stage']:.2f}s "
            f"({cold[-1]['versions']} versions, {cold[-1]['entries']} change-log entries)")
    diffs: list[float] = []
    diff_cpu: list[float] = []
    for _ in range(repeat):
        seconds, out = _timed([str(BIN / "slacode"), "diff", "main", "pr", "--pr", "--root",
                               str(repo), "--now", CHECK_NOW], repo)
        if out.returncode not in (0, 1) or "Traceback" in out.stderr:
            raise RuntimeError(out.stderr[-2000:])
        diffs.append(seconds)
        diff_cpu.append(LAST_CPU[0])
    log(f"  slacode diff --pr of 20 commits: {[round(d, 2) for d in diffs]}")
    return {
        "commits": int(_git(repo, "rev-list", "--count", "main")),
        "versions": cold[0]["versions"], "entries": cold[0]["entries"],
        "cold": _med([c["stage"] for c in cold]),
        "warm": _med([c["stage"] for c in warm]),
        "elsewhere": _med([c["stage"] for c in elsewhere]),
        "warm_process": _med([c["process"] for c in warm]),
        "diff_pr": _med(diffs),
        "cpu": {"cold": _med([c["cpu"] for c in cold]), "warm": _med([c["cpu"] for c in warm]),
                "elsewhere": _med([c["cpu"] for c in elsewhere]), "diff_pr": _med(diff_cpu)},
        "runs": {"cold": [round(c["stage"], 2) for c in cold],
                 "warm": [round(c["stage"], 2) for c in warm],
                 "elsewhere": [round(c["stage"], 2) for c in elsewhere],
                 "diff_pr": [round(d, 2) for d in diffs]},
    }


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
        seconds, out = _timed(exe, root)
        if out.returncode != 0:
            raise RuntimeError(out.stdout[-1000:] + out.stderr[-1000:])
        cold.append(seconds)
        cold_cpu.append(LAST_CPU[0])
        seconds, out = _timed(exe, root)
        warm.append(seconds)
        warm_cpu.append(LAST_CPU[0])
    seconds, out = _timed([str(BIN / "python"), "-X", "importtime", "-m", "slacode", "validate"],
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
            f"{huge + 1}: {fleet._ev(bigs[-1]):.1f}s")
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
    h = res.get("history")
    if h:
        c = h["cpu"]
        rows += [_row("history stage, cold", h["cold"], 5, cpu=c["cold"]),
                 _row("history stage, nothing under slas/ changed", h["warm"], 1,
                      cpu=c["warm"]),
                 _row("history stage, after a commit outside slas/", h["elsewhere"], 1,
                      cpu=c["elsewhere"]),
                 _row("slacode diff --pr, 20 commits (whole process)", h["diff_pr"], 2,
                      cpu=c["diff_pr"])]
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
        res["history"] = bench_history(work, args.repeat, log)
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
    for line in report(res):
        log(line)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
