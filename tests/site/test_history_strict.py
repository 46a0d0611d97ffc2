"""History git cannot read stops a strict build (the nightly job) and is shown in every
other build: an agreement without its past versions would be judged, and shown, by the
wrong promise. It used to pass in silence with every agreement's history gone."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from site_support import BIN, copy_project, own_history, run


def _git(root: Path, *args: str) -> None:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
           "GIT_AUTHOR_NAME": "Ann", "GIT_AUTHOR_EMAIL": "ann@example.com",
           "GIT_COMMITTER_NAME": "Ann", "GIT_COMMITTER_EMAIL": "ann@example.com",
           "GIT_AUTHOR_DATE": "2025-09-01T10:00:00+00:00",
           "GIT_COMMITTER_DATE": "2025-09-01T10:00:00+00:00",
           "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_history_git_cannot_read_fails_a_strict_build_and_warns_otherwise(
    tmp_path: Path,
) -> None:
    project = copy_project(tmp_path / "p")
    own_history(project)  # this test's history is the git repository it writes
    _git(project, "init", "-q", "-b", "main")
    bad = project / "slas" / "status\nweb.yaml"
    (project / "slas" / "status-web.yaml").rename(bad)
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "Add the agreements")
    _git(project, "mv", f"slas/{bad.name}", "slas/status-web.yaml")
    _git(project, "commit", "-q", "-m", "Rename")
    site = project / "site" / "public"
    strict = run(BIN / "slacode", "build", "--strict", cwd=project, check=False)
    assert strict.returncode == 1, strict.stderr
    assert "git history not read, nothing published in strict mode" in strict.stderr
    assert "slas/status-web.yaml:0:0: warning: history not read: invalid object name" \
        in strict.stderr
    assert "Traceback" not in strict.stderr
    assert not site.exists()  # nothing published
    loose = run(BIN / "mkdocs", "build", "-d", project / "loose", cwd=project)
    assert "WARNING" in loose.stderr and "history not read" in loose.stderr
