"""History benchmark: the history stage and ``slacode diff --pr`` on a long history (issue 23).

    .venv/bin/python benchmarks/history.py                 # medians of 5
    .venv/bin/python benchmarks/history.py --repeat 3 --json /tmp/history.json

Beside ``scale.py`` (see benchmarks/README.md). ``historygen.py`` writes a deterministic
repository of 200 agreements and 5,000 commits over two years (edits, version bumps,
renames, pull requests merged with merge commits and squashed); a branch ``pr`` of 20
commits is made off ``main``. Each figure is timed in a fresh process, as a build runs
the stage (``pipeline.past_versions``, ``change_log``, ``history_problems``), and reported
as the median of ``--repeat`` runs, wall and CPU (user + system of the process and its
git children: the machine is shared and CPU time is what other work moves least):

* cold: no cache folder;
* unchanged: run again, nothing changed;
* elsewhere: after a pull request merged that changed nothing under ``slas/``;
* one commit under slas/: after a commit that rewords one agreement (the stored answers
  no longer hold; the texts remembered by hash do);
* ``slacode diff main pr --pr`` as a whole process: with the store of the last build, and
  with no cache at all.

Never part of the test suite (no test asserts on time).
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
sys.path[:0] = [str(ROOT / "benchmarks")]

import historygen  # noqa: E402

BIN = Path(sys.executable).parent
#: the check's time of ``diff --pr`` (after every commit of the generated history)
CHECK_NOW = "2026-12-05T00:00:00Z"

STAGE = """\
import json, resource, sys, time
def cpu():
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))
t0 = time.perf_counter()
from slacode.config import load_settings
from slacode.pipeline import change_log, history_problems, past_versions
from pathlib import Path
settings = load_settings(Path(sys.argv[1]))
t, c = time.perf_counter(), cpu()
v = past_versions(settings); h = change_log(settings); p = history_problems(settings)
print(json.dumps({"stage": time.perf_counter() - t, "imports": t - t0, "cpu": cpu() - c,
                  "versions": sum(map(len, v.values())), "entries": sum(map(len, h.values())),
                  "problems": len(p)}))
"""


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _timed(cmd: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall seconds, CPU seconds (the process and its children) and the result."""
    c = _children_cpu()
    t = time.perf_counter()
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - t, _children_cpu() - c, out


def _git(root: Path, *args: str, when: str = "2026-12-01T10:00:00Z") -> str:
    env = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          check=True, env={**os.environ, **env}).stdout.strip()


def _reword(path: Path, mark: str) -> None:
    text = path.read_text()
    path.write_text(text.replace("description: ", f"description: ({mark}) ", 1))


def pull_request(repo: Path, commits: int = 20) -> None:
    """Branch ``pr`` off ``main``: ``commits`` commits, each rewording an agreement's
    description, the last raising the version of one (a later effective date)."""
    _git(repo, "checkout", "-q", "-b", "pr", "main")
    for i in range(commits):
        sid = f"svc-{(i * 7) % 200 + 1:04d}"
        path = next(repo.glob(f"slas/**/{sid}.yaml"))
        if i == commits - 1:
            text = path.read_text()
            v = int(text.split("\nversion: ", 1)[1].split("\n", 1)[0])
            text = text.replace(f"\nversion: {v}\n", f"\nversion: {v + 1}\n", 1)
            text = text.replace("\neffective: ", "\neffective: 2027-01-01\n#was: ", 1)
            path.write_text(text)
        else:
            _reword(path, str(i))
        _git(repo, "commit", "-q", "-a", "-m", f"{sid}: pull request step {i + 1}")
    _git(repo, "checkout", "-q", "main")


def run(work: Path, repeat: int, log: Any) -> dict[str, Any]:
    repo = work / "history-repo"
    t = time.perf_counter()
    historygen.write_repo(repo, 200, 5000)
    made = time.perf_counter() - t
    pull_request(repo)
    log(f"repository of {_git(repo, 'rev-list', '--count', 'main')} commits, "
        f"{len(list(repo.glob('slas/**/*.yaml')))} agreements, made in {made:.1f}s")
    cache = repo / ".slacode" / "cache"
    py = str(BIN / "python")
    figures: dict[str, list[tuple[float, float]]] = {
        k: [] for k in ("cold", "unchanged", "elsewhere", "one_commit", "diff_stored",
                        "diff_cold")}
    counts: dict[str, Any] = {}

    def stage(what: str) -> None:
        _, _, out = _timed([py, "-c", STAGE, str(repo)], repo)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-2000:])
        got = json.loads(out.stdout.strip().splitlines()[-1])
        counts.setdefault(what, got)
        figures[what].append((got["stage"], got["cpu"]))

    def diff(what: str) -> None:
        wall, cpu, out = _timed([str(BIN / "slacode"), "diff", "main", "pr", "--pr", "--root",
                                 str(repo), "--now", CHECK_NOW], repo)
        if out.returncode not in (0, 1) or "Traceback" in out.stderr:
            raise RuntimeError(out.stderr[-2000:])
        counts.setdefault(what, {"stdout_lines": len(out.stdout.splitlines()),
                                 "exit": out.returncode})
        figures[what].append((wall, cpu))

    for r in range(repeat):
        if r:  # the pull request forks from today's main, as a check of a fresh one does
            _git(repo, "branch", "-q", "-D", "pr")
            pull_request(repo)
        shutil.rmtree(cache, ignore_errors=True)
        stage("cold")
        stage("unchanged")
        diff("diff_stored")
        _git(repo, "commit", "-q", "--allow-empty", "-m", f"docs: nothing under slas (#{9000 + r})")
        stage("elsewhere")
        _reword(next(repo.glob("slas/**/svc-0100.yaml")), f"bench {r}")
        _git(repo, "commit", "-q", "-a", "-m", f"svc-0100: reword the description (#{9500 + r})")
        stage("one_commit")
        shutil.rmtree(cache, ignore_errors=True)
        diff("diff_cold")
        log("  run {}: {}".format(r + 1, ", ".join(
            f"{k} {v[-1][0]:.2f}s ({v[-1][1]:.2f}s CPU)" for k, v in figures.items())))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
           for k, v in figures.items()}
    return {"commits": int(_git(repo, "rev-list", "--count", "main")),
            "versions": counts["cold"]["versions"], "entries": counts["cold"]["entries"],
            "median": med, "runs": {k: [[round(w, 3), round(c, 3)] for w, c in v]
                                    for k, v in figures.items()}}


ROWS = [
    ("cold", "history stage, cold", 5.0),
    ("unchanged", "history stage, nothing changed", 1.0),
    ("elsewhere", "history stage, after a pull request outside slas/", 1.0),
    ("one_commit", "history stage, after one commit under slas/", None),
    ("diff_stored", "slacode diff --pr, 20 commits, whole process, store of the last build",
     2.0),
    ("diff_cold", "slacode diff --pr, 20 commits, whole process, no cache", 2.0),
]


def report(res: dict[str, Any]) -> list[str]:
    med = res["median"]
    lines = [f"history: {res['commits']} commits, {res['versions']} versions, "
             f"{res['entries']} change-log entries",
             "| figure | wall (median) | CPU (median) | target | ratio wall | ratio CPU |",
             "| --- | --- | --- | --- | --- | --- |"]
    for key, what, target in ROWS:
        wall, cpu = med[key]
        if target is None:
            lines.append(f"| {what} | {wall:.2f} s | {cpu:.2f} s | | | |")
        else:
            lines.append(f"| {what} | {wall:.2f} s | {cpu:.2f} s | <= {target:g} s | "
                         f"{wall / target:.2f} | {cpu / target:.2f} |")
    cold = med["cold"]
    lines.append(f"unchanged / cold: {med['unchanged'][0] / cold[0]:.3f} (wall), "
                 f"{med['unchanged'][1] / cold[1]:.3f} (CPU); one commit / cold: "
                 f"{med['one_commit'][0] / cold[0]:.3f} (wall), "
                 f"{med['one_commit'][1] / cold[1]:.3f} (CPU)")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where the repository is made (default: a temporary folder)")
    ap.add_argument("--json", type=Path, default=None, help="write the figures as JSON")
    args = ap.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="slacode-history-bench-"))
    try:
        res = run(work, args.repeat, log)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print("\n".join(report(res)))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
