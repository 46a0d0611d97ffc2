"""``slacode build`` and ``slacode demo`` end with the pipeline's notes (issue 18): the data
gaps and warnings that ``mkdocs build`` logs at INFO were never shown, so an operator
learned of "24 intervals without data" only from the pages. A count by kind and the
first five; every one with ``-v``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from site_support import BIN, run

OBJECTIVE = """\
  - id: a{i}
    name: Availability {i}
    kind: availability
    target: 99.5
    window: calendar-month
    source:
      file: {{path: data/requests.csv}}
"""

SLA = """\
id: web
name: Web
version: 1
effective: 2026-01-01
visibility: public
timezone: UTC
owners: [team-web]
parties:
  provider: {{name: Example Cloud, contact: sre@example.com}}
  customer: {{name: Everyone}}
service:
  description: The website.
objectives:
{objectives}review:
  every: 12mo
  last: 2026-01-15
"""

MKDOCS = """\
site_name: Notes
docs_dir: docs
site_dir: public
plugins:
  - slacode:
      now: "2026-11-26T00:00:00Z"
      cache: cache
      history_months: 0
"""

GAP = "24 intervals without data from 2026-11-10T00:00Z to 2026-11-11T00:00Z"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seven objectives on one file of hourly counts that lacks 10 November: seven gaps."""
    root = tmp_path_factory.mktemp("notes") / "project"
    for d in ("docs", "slas", "data"):
        (root / d).mkdir(parents=True)
    (root / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    objectives = "".join(OBJECTIVE.format(i=i) for i in range(1, 8))
    (root / "slas" / "web.yaml").write_text(SLA.format(objectives=objectives), encoding="utf-8")
    start, end = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 26, tzinfo=UTC)
    hours = [start + timedelta(hours=h) for h in range((end - start) // timedelta(hours=1))]
    rows = [f"{t:%Y-%m-%dT%H:%M:%SZ},999,1000\n" for t in hours if t.day != 10]
    (root / "data" / "requests.csv").write_text("start,good,total\n" + "".join(rows),
                                                encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return root


def test_a_build_names_the_gaps_with_their_count_and_the_first_five(project: Path) -> None:
    r = run(BIN / "slacode", "build", cwd=project)
    assert "site written to" in r.stdout
    lines = r.stderr.splitlines()
    assert "slacode: 7 notes from the pipeline (7 data gaps); the first 5:" in lines
    gaps = [line for line in lines if GAP in line]
    assert [g.split(": ")[2] for g in gaps] == [f"web/a{i}" for i in range(1, 6)]
    assert gaps[0].startswith("  slas/web.yaml:20:7: warning: web/a1: ")
    assert "  ... 2 more: run with -v to see all 7" in lines


def test_demo_with_v_prints_every_note(project: Path, tmp_path: Path) -> None:
    # demo builds the project of --root (here not the current folder), at the --now given
    r = run(BIN / "slacode", "demo", "--root", project, "-v", "--now", "2026-11-20T00:00:00Z",
            cwd=tmp_path)
    api = json.loads((project / "public" / "api" / "services.json").read_text("utf-8"))
    assert api["evaluated_at"] == "2026-11-20T00:00:00+00:00"
    lines = r.stderr.splitlines()
    assert "slacode: 7 notes from the pipeline (7 data gaps):" in lines
    assert [line.split(": ")[2] for line in lines if GAP in line] == [
        f"web/a{i}" for i in range(1, 8)]
    assert "run with -v" not in r.stderr
