"""Shared helpers for the load-stage tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SLACODE = Path(sys.executable).parent / "slacode"

#: a small valid agreement; tests change one detail of it
MINIMAL = """\
id: minimal
name: Minimal
version: 1
effective: 2026-01-01
visibility: public
parties:
  provider: {name: Example Cloud}
service:
  description: A service.
objectives:
  - id: availability
    kind: availability
    target: 99.9
    window: calendar-month
    source:
      file: {path: data/minimal.csv}
"""


def run_cli(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real console script, as CI runs it (``env``: variables added to the suite's)."""
    return subprocess.run([str(SLACODE), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, check=False, env={**os.environ, **(env or {})})


