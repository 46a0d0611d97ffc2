"""Helpers of the site tests: paths, running commands, copying the demo project."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = ROOT / "test-artifacts"

#: the smallest public agreement the settings tests build: one file-fed objective
WEB_SLA = """\
id: web
name: Web
version: 1
effective: 2026-01-01
visibility: public
timezone: UTC
owners: [team-web]
parties:
  provider: {name: Example Cloud, contact: sre@example.com}
  customer: {name: Everyone}
service:
  description: The website.
objectives:
  - id: availability
    name: Monthly availability
    kind: availability
    target: 99.5
    window: calendar-month
    source:
      file: {path: data/requests.csv}
review:
  every: 12mo
  last: 2026-01-15
"""


def web_project(root: Path, mkdocs: str,
                rows: str = "2026-11-01T00:00:00Z,99,100\n") -> Path:
    """A project of one agreement (:data:`WEB_SLA`) fed from ``data/requests.csv``
    (``rows``), an About page and ``mkdocs`` as its mkdocs.yml."""
    for d in ("docs", "slas", "data"):
        (root / d).mkdir(parents=True, exist_ok=True)
    (root / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    (root / "slas" / "web.yaml").write_text(WEB_SLA, encoding="utf-8")
    (root / "data" / "requests.csv").write_text("start,good,total\n" + rows, encoding="utf-8")
    (root / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    return root


def env(**extra: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    e.update(NO_MKDOCS_2_WARNING="1", **extra)
    return e


def run(
    *args: str | Path, cwd: Path = ROOT, check: bool = True
) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env(), timeout=300
    )
    if check and r.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def copy_project(dest: Path) -> Path:
    """A copy of the demo project (agreements, data, ledger, site sources) to build in."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("slas", "actions", "data", "ledger", "schemas"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name)
    shutil.copytree(ROOT / "site" / "docs", dest / "site" / "docs")
    shutil.copytree(ROOT / "site" / "docs-zh", dest / "site" / "docs-zh")
    shutil.copy(ROOT / "site" / "zensical.yml", dest / "site" / "zensical.yml")
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copy(ROOT / "mkdocs.zh.yml", dest / "mkdocs.zh.yml")
    return dest


def own_history(root: Path) -> str:
    """Make the copy at ``root`` read its own git history (or none, outside git) instead of
    the demo's sample history (``history_from`` in mkdocs.yml); the old text, to restore."""
    cfg = root / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(re.sub(r"\n      history_from: [^\n]*", "", text, count=1), encoding="utf-8")
    return text


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def texts(root: Path) -> dict[str, str]:
    """Every file under ``root`` as text, ``.gz`` files unpacked: what a marker scan reads."""
    out = {}
    for path, data in tree(root).items():
        if path.endswith(".gz"):
            data = gzip.decompress(data)
        out[path] = data.decode("utf-8", errors="replace")
    return out
