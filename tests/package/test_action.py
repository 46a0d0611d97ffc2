"""The reusable action at the repository root (``action.yml``, issue 26): valid action
metadata, its steps clean under actionlint, every action it uses pinned to a commit, and
slacode installed from the action's own files with hash-locked dependencies."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pkgkit import ROOT
from ruamel.yaml import YAML

ACTION = ROOT / "action.yml"


def _tool(name: str) -> str:
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def _action() -> dict:
    return YAML(typ="safe", pure=True).load(ACTION.read_text(encoding="utf-8"))


def test_the_action_matches_the_action_metadata_schema() -> None:
    r = subprocess.run([_tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions",
                        str(ACTION)], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr


def _as_workflow(action: dict) -> dict:
    """The composite's steps as one job of a workflow whose dispatch inputs are the
    action's: actionlint checks a workflow's expressions and scripts, not an action's."""
    inputs = {k: {"type": "string", "required": bool(v.get("required")),
                  **({"default": v["default"]} if "default" in v else {})}
              for k, v in action["inputs"].items()}
    return {"on": {"workflow_dispatch": {"inputs": inputs}},
            "permissions": {"contents": "read"},
            "jobs": {"slacode": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}}}


def test_the_actions_steps_pass_actionlint(tmp_path: Path) -> None:
    wf = tmp_path / ".github" / "workflows" / "action.yml"
    wf.parent.mkdir(parents=True)
    YAML().dump(_as_workflow(_action()), wf)
    r = subprocess.run([_tool("actionlint"), "-no-color", str(wf)], capture_output=True,
                       text=True, cwd=tmp_path, check=False)
    assert r.returncode == 0, r.stdout + r.stderr


def test_actionlint_of_the_steps_is_not_a_rubber_stamp(tmp_path: Path) -> None:
    action = _action()
    action["runs"]["steps"][-1]["if"] = "inputs.mode == nightly'"  # broken expression
    wf = tmp_path / ".github" / "workflows" / "action.yml"
    wf.parent.mkdir(parents=True)
    YAML().dump(_as_workflow(action), wf)
    r = subprocess.run([_tool("actionlint"), "-no-color", str(wf)], capture_output=True,
                       text=True, cwd=tmp_path, check=False)
    assert r.returncode == 1


def test_every_action_it_uses_is_pinned_to_a_commit_with_its_version() -> None:
    lines = [ln for ln in ACTION.read_text(encoding="utf-8").splitlines()
             if ln.lstrip().startswith(("uses:", "- uses:"))]
    assert lines
    for line in lines:
        assert re.search(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40}\s+# v\d+\.\d+\.\d+$", line), line


def test_it_installs_slacode_of_its_tag_with_hashed_dependencies() -> None:
    steps = _action()["runs"]["steps"]
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    cmds = [c.strip() for c in install["run"].splitlines() if "pip install" in c]
    assert cmds == [
        'python -m pip install --quiet --require-hashes -r '
        '"$GITHUB_ACTION_PATH/requirements/nightly.txt"',
        'python -m pip install --quiet --no-deps --no-build-isolation "$GITHUB_ACTION_PATH"',
    ]


def test_check_and_nightly_modes_run_what_they_promise() -> None:
    steps = _action()["runs"]["steps"]

    def runs(mode: str) -> str:
        return "\n".join(s.get("run", "") for s in steps
                         if s.get("if") in (None, f"inputs.mode == '{mode}'")
                         or str(s.get("if", "")).startswith(f"inputs.mode == '{mode}' "))

    check, nightly = runs("check"), runs("nightly")
    assert "slacode validate --format github" in check
    assert "slacode codeowners --check" in check and "slacode diff" in check
    assert "--pr" in check and "slacode pull" not in check
    for cmd in ("slacode pull", "slacode evaluate --freeze", "slacode build --strict"):
        assert cmd in nightly and cmd not in check
    # credentials only where the server is asked
    for s in steps:
        env = s.get("env", {})
        asks = any(c in s.get("run", "") for c in ("slacode pull", "slacode evaluate",
                                                   "slacode build"))
        assert ("SLACODE_PROMETHEUS_TOKEN" in env) == asks, s.get("name")


# --- the action's scripts, run as the runner runs them, on a repository from `slacode init`

BIN = Path(sys.executable).parent
WHEN = "2026-03-31T09:00:00+00:00"  # commits of the test repository, before the sample's now


def _git(repo: Path, *args: str) -> str:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
           "GIT_AUTHOR_NAME": "New User", "GIT_AUTHOR_EMAIL": "new@example.com",
           "GIT_COMMITTER_NAME": "New User", "GIT_COMMITTER_EMAIL": "new@example.com",
           "GIT_AUTHOR_DATE": WHEN, "GIT_COMMITTER_DATE": WHEN,
           "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True,
                          text=True).stdout


def _run_mode(repo: Path, mode: str, tmp: Path, base: str = "") -> dict[str, str]:
    """Every ``run:`` step of ``mode`` in order (the install apart: slacode is this venv's),
    under ``bash -e -o pipefail`` as composite steps run; returns the step outputs.

    The step's own ``env`` is used with its expressions given test values; ``now`` is the
    sample's pinned time, never the clock (the action's ``SLACODE_NOW: clock`` is what
    the nightly wants on a runner, not in a test)."""
    from slacode.init import SAMPLE_NOW

    given = {"MODE": mode, "BASE": base, "SLACODE_NOW": SAMPLE_NOW,
             "SLACODE_PROMETHEUS_URL": "", "SLACODE_PROMETHEUS_TOKEN": ""}
    outputs: dict[str, str] = {}
    for step in _action()["runs"]["steps"]:
        cond = str(step.get("if", ""))
        if "run" not in step or "pip install" in step["run"] or (
                cond and not cond.startswith(f"inputs.mode == '{mode}'")):
            continue
        out = tmp / "output"
        out.write_text("", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        env.update({k: given[k] for k in step.get("env", {})})
        env.update(PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", SLACODE_NOW=SAMPLE_NOW,
                   GITHUB_OUTPUT=str(out), GITHUB_STEP_SUMMARY=str(tmp / "summary.md"),
                   RUNNER_TEMP=str(tmp))
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                            step["run"]], cwd=repo, env=env, capture_output=True, text=True,
                           timeout=300, check=False)
        assert r.returncode == 0, f"{step['name']}:\n{r.stdout}\n{r.stderr}"
        for line in out.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            outputs[f"{step.get('id', '')}.{key}"] = value
    return outputs


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    where = tmp_path / "sla"
    r = subprocess.run([str(BIN / "slacode"), "init", str(where)], capture_output=True,
                       text=True, check=False)
    assert r.returncode == 0, r.stderr
    _git(where, "init", "-q", "-b", "main")
    _git(where, "add", "-A")
    _git(where, "commit", "-q", "-m", "slacode init")
    return where


def test_check_mode_passes_a_new_agreement_and_summarises_it(repo: Path, tmp_path: Path) -> None:
    _git(repo, "checkout", "-q", "-b", "second")
    text = (repo / "slas" / "example-api.yaml").read_text(encoding="utf-8")
    (repo / "slas" / "second-api.yaml").write_text(
        text.replace("id: example-api", "id: second-api")
            .replace("name: Example API", "name: Second API")
            .replace("effective: 2026-01-01", "effective: 2026-05-01"), encoding="utf-8")
    subprocess.run([str(BIN / "slacode"), "codeowners"], cwd=repo, check=True,
                   capture_output=True)  # as the pre-commit hook does
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "second-api")
    work = tmp_path / "runner"
    work.mkdir()
    _run_mode(repo, "check", work, base="main")
    assert "second-api" in (work / "summary.md").read_text(encoding="utf-8")


def test_check_mode_fails_on_a_stale_codeowners(repo: Path, tmp_path: Path) -> None:
    _git(repo, "checkout", "-q", "-b", "owners")
    path = repo / "slas" / "example-api.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("team-example", "team-other"),
                    encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "new owner, CODEOWNERS forgotten")
    work = tmp_path / "runner"
    work.mkdir()
    stale = r"(?s)^CODEOWNERS is up to date.*CODEOWNERS is out of date"  # that step, that reason
    with pytest.raises(AssertionError, match=stale):
        _run_mode(repo, "check", work, base="main")


def test_nightly_mode_freezes_closed_periods_and_builds(repo: Path, tmp_path: Path) -> None:
    work = tmp_path / "runner"
    work.mkdir()
    outputs = _run_mode(repo, "nightly", work)
    assert outputs.get("frozen.frozen") == "true"
    assert "build.disputed" not in outputs
    frozen = {p.parent.name + "/" + p.name for p in (repo / "ledger").rglob("*.json")}
    assert any("2026-02" in f for f in frozen), frozen  # February closed, and final
    assert (repo / "site" / "services" / "example-api" / "index.html").is_file()


def test_this_repositorys_pull_requests_run_the_action_from_the_checkout() -> None:
    """The action is exercised on every pull request here, as `slacode init` repositories
    run it at a tag."""
    wf = YAML(typ="safe", pure=True).load(
        (ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8"))
    ours = [(job, s) for job in wf["jobs"].values() for s in job["steps"]
            if s.get("uses") == "./"]
    assert len(ours) == 1
    job, step = ours[0]
    assert step["with"] == {"mode": "check"}
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["fetch-depth"] == 0  # slacode diff needs the base commit
