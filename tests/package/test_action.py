"""The reusable action at the repository root (``action.yml``, issue 26): valid action
metadata, its steps clean under actionlint, every action it uses pinned to a commit, and
slacode installed from the action's own files with hash-locked dependencies."""

from __future__ import annotations

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
