"""The README's two commands, as make would run them on a fresh clone (``make -n``)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def planned(target: str, tmp_path: Path) -> str:
    """What ``make TARGET`` would run in a clone that has no venv yet."""
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    r = subprocess.run(["make", "-n", "--no-print-directory", target], cwd=tmp_path, env=env,
                       capture_output=True, text=True, check=True)
    return r.stdout


def test_the_demo_installs_only_what_it_runs(tmp_path: Path) -> None:
    plan = planned("demo", tmp_path)
    assert "pip install --quiet -e .\n" in plan and "slacode demo" in plan
    assert "[test]" not in plan and "apt-get" not in plan


def test_lint_runs_ruff_then_the_type_checker(tmp_path: Path) -> None:
    """A type error fails `make test` before any test runs, as a lint error does."""
    plan = planned("lint", tmp_path).splitlines()
    ruff = next(i for i, line in enumerate(plan) if line.endswith("bin/ruff check ."))
    mypy = next(i for i, line in enumerate(plan) if line.endswith("bin/mypy"))
    assert ruff < mypy
    assert "mypy" in planned("test", tmp_path).split("bin/pytest", 1)[0]


def test_the_tests_run_twice_the_second_time_400_days_ahead(tmp_path: Path) -> None:
    plan = planned("test", tmp_path)
    assert "pip install --quiet -e '.[test]'" in plan and "ruff check ." in plan
    runs = [line for line in plan.splitlines() if "bin/pytest" in line]
    assert len(runs) == 2, runs
    assert "faketime" not in runs[0] and "faketime -f +400d" in runs[1]
    assert "faketime" in plan.split("pytest", 1)[0]  # installed before the first run
    assert "victoria-metrics" in plan.split("pytest", 1)[0]  # the second engine too
