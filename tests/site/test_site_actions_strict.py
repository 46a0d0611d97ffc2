"""The strict nightly build and improvement actions: an open action overdue by more than
the project's grace fails it and publishes nothing; one overdue within the grace is a
warning only, and the site shows it as overdue. Built on the small `slacode init`
project (the demo's own strict build, with one action overdue within grace, is checked
by the site builds)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from site_support import BIN, run

ACTIONS = """\
actions:
  - id: EX-ACT-1
    title: Add a second region
    objective: availability
    period: 2026-02
    owner: team-example
    due: 2026-03-10
    status: open
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`slacode init` (pinned now 2026-03-31) with an action due 21 days before it."""
    root = tmp_path_factory.mktemp("actions") / "project"
    run(BIN / "slacode", "init", root)
    (root / "actions").mkdir()
    (root / "actions" / "example-api.yaml").write_text(ACTIONS)
    return root


def test_an_action_overdue_beyond_the_grace_fails_the_strict_build(project: Path) -> None:
    r = run(BIN / "slacode", "build", "--strict", "--site-dir", project / "out-strict",
            cwd=project, check=False)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "improvement action is overdue beyond its grace" in r.stderr
    assert "actions/example-api.yaml:2:5" in r.stderr and "EX-ACT-1" in r.stderr
    assert not (project / "out-strict" / "index.html").exists()


def test_within_the_grace_the_strict_build_passes_and_the_page_says_overdue(
    project: Path, tmp_path: Path,
) -> None:
    root = tmp_path / "project"
    shutil.copytree(project, root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - slacode:\n",
                                                 "  - slacode:\n      actions_grace: 4w\n", 1))
    r = run(BIN / "slacode", "build", "--strict", "--site-dir", root / "out", cwd=root,
            check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    page = (root / "out" / "services" / "example-api" / "index.html").read_text()
    assert "EX-ACT-1" in page and "2026-03-10" in page and "overdue" in page
    assert "team-example" not in page  # owners stay in the internal build
