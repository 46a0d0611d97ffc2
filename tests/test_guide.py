"""The README's "Write your first agreement", followed step by step as a new user would:
copy a sample, edit it, validate, commit on a branch of a real git repository, and run
every step of the pull-request workflow's check job as CI runs it (its own `run:`
scripts, read from `.github/workflows/pr.yml`)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
#: the demo's pinned evaluation time; the check runs on the same day
NOW = "2026-11-26T00:00:00Z"
WHEN = "2026-11-26T09:00:00+00:00"


def git(repo: Path, *args: str) -> str:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
           "GIT_AUTHOR_NAME": "New User", "GIT_AUTHOR_EMAIL": "new@example.com",
           "GIT_COMMITTER_NAME": "New User", "GIT_COMMITTER_EMAIL": "new@example.com",
           "GIT_AUTHOR_DATE": WHEN, "GIT_COMMITTER_DATE": WHEN,
           "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True,
                          text=True).stdout


def shell(repo: Path, script: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A step's `run:` script as the runner runs it (bash -e), with slacode on PATH."""
    full = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
            "SLACODE_NOW": NOW, **env}
    full.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=full,
                          capture_output=True, text=True, timeout=300)


def clone_of_the_project(tmp_path: Path) -> Path:
    """The project as a team has it: pushed to a remote, cloned, CI's files up to date."""
    seed = tmp_path / "seed"
    seed.mkdir()
    for name in ("slas", "data", "ledger", "schemas", "site", "alerts", ".github"):
        shutil.copytree(ROOT / name, seed / name,
                        ignore=shutil.ignore_patterns("public", "generated", "public-*"))
    for name in ("mkdocs.yml", ".pre-commit-hooks.yaml", "README.md"):
        shutil.copy(ROOT / name, seed / name)
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "The project")
    git(tmp_path, "clone", "-q", "--bare", str(seed), "origin.git")
    git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), "work")
    return tmp_path / "work"


def test_a_first_agreement_made_by_the_readme_passes_every_step_of_the_pr_check(
    tmp_path: Path,
) -> None:
    repo = clone_of_the_project(tmp_path)
    git(repo, "checkout", "-q", "-b", "my-service")
    # 1. copy a sample
    shutil.copy(repo / "slas" / "status-web.yaml", repo / "slas" / "my-service.yaml")
    # 2.-4. id, name, version 1, the date the promise starts, visibility, owners, words
    sla = repo / "slas" / "my-service.yaml"
    text = sla.read_text(encoding="utf-8")
    for old, new in (("id: status-web", "id: my-service"),
                     ('name: {en: "Status website", zh: "状态网站"}', "name: My service"),
                     ("effective: 2025-10-01", "effective: 2026-12-01"),
                     ("owners: [team-sre]", "owners: [team-my-service]"),
                     ("description: The public status website status.example.com, which "
                      "reports incidents and maintenance.", "description: What my service "
                      "does, in my words.")):
        assert old in text
        text = text.replace(old, new)
    sla.write_text(text, encoding="utf-8")
    # 5. validate: the new file is fine; what the PR check would fail on is said now
    r = shell(repo, "slacode validate")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "slas/my-service.yaml" not in r.stdout
    assert "run `slacode codeowners` and commit it" in r.stdout
    assert "run `slacode alerts` and commit it" in r.stdout
    # ... so the user runs what it says, and validate is quiet about it
    for step in re.findall(r"run `(slacode [^`]+)`", r.stdout):
        assert shell(repo, step).returncode == 0, step
    again = shell(repo, "slacode validate")
    assert "out of date" not in again.stdout and "slas/my-service.yaml" not in again.stdout
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Add my-service")
    # 6. the pull request: every step of the check job that runs a command of ours
    job = YAML(typ="safe").load((repo / ".github" / "workflows" / "pr.yml").read_text())
    steps = [s for s in job["jobs"]["check"]["steps"] if "run" in s and "pip" not in s["run"]]
    assert len(steps) >= 5
    summary = tmp_path / "summary.md"
    for step in steps:
        if step["run"].startswith("ruff"):
            continue  # the repository's own Python lint; an SLA repository has no Python
        r = shell(repo, step["run"], BASE_REF="main", GITHUB_STEP_SUMMARY=str(summary))
        assert r.returncode == 0, f"{step['name']}:\n{r.stdout}\n{r.stderr}"
        assert "::error" not in r.stdout + r.stderr, step["name"]
    said = summary.read_text(encoding="utf-8")
    assert "### Added agreements" in said and "`slas/my-service.yaml`" in said
    page = repo / "site" / "public" / "services" / "my-service" / "index.html"
    assert "My service" in page.read_text(encoding="utf-8")
