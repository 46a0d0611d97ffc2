"""The GitHub Actions workflows: valid against the workflow schema, clean under actionlint,
and shaped as the project needs (full history, least privilege, one nightly at a time)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def tool(name: str) -> str:
    """A linter from the project venv (test extras), else from PATH."""
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def load(name: str) -> dict:
    return YAML(typ="safe", pure=True).load((ROOT / ".github" / "workflows" / name).read_text())


def test_workflows_exist() -> None:
    assert {p.name for p in WORKFLOWS} >= {"pr.yml", "nightly.yml"}


def test_workflows_match_the_github_workflow_schema() -> None:
    r = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                        *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_workflows_pass_actionlint() -> None:
    r = subprocess.run([tool("actionlint"), "-no-color", *map(str, WORKFLOWS)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr


def test_actionlint_catches_a_misspelled_key(tmp_path: Path) -> None:
    """The lint is not a rubber stamp: a typo in a job's key fails it. (Inputs of actions
    pinned to a commit are not known to actionlint, so the typo is in the workflow's own
    syntax.)"""
    bad = (ROOT / ".github" / "workflows" / "pr.yml").read_text().replace(
        "timeout-minutes: 20", "timeout-minute: 20", 1)
    (tmp_path / "pr.yml").write_text(bad)
    r = subprocess.run([tool("actionlint"), "-no-color", str(tmp_path / "pr.yml")],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 1 and "timeout-minute" in r.stdout


def _steps(job: dict) -> list[dict]:
    return job.get("steps", [])


#: an action pinned to a full commit: a tag can be moved to other code, a commit cannot
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
#: this repository's own action (action.yml), run from the checkout: nothing to pin
LOCAL = "./"


def _uses(wf: dict) -> set[str]:
    """The actions a workflow uses, by name (the pinned commit is checked separately)."""
    return {s["uses"].split("@")[0] for job in wf["jobs"].values() for s in _steps(job)
            if "uses" in s}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version_named(path: Path) -> None:
    wf = load(path.name)
    uses = [s["uses"] for job in wf["jobs"].values() for s in _steps(job)
             if "uses" in s and s["uses"] != LOCAL]
    assert uses and all(PINNED.match(u) for u in uses), [u for u in uses if not PINNED.match(u)]
    for line in path.read_text().splitlines():
        if "uses:" in line and line.split("uses:")[1].strip() != LOCAL:
            # the version a person reads beside the commit
            assert re.search(r"@[0-9a-f]{40}\s+# v\d+\.\d+\.\d+$", line), line


def test_pull_request_workflow_validates_diffs_and_previews() -> None:
    wf = load("pr.yml")
    assert "pull_request" in wf["on"]
    assert wf["permissions"] == {"contents": "read"}
    runs = "\n".join(s.get("run", "") for job in wf["jobs"].values() for s in _steps(job))
    assert "slacode validate --format github" in runs
    assert 'slacode diff "origin/$BASE_REF" HEAD --pr' in runs and "$GITHUB_STEP_SUMMARY" in runs
    assert "slacode codeowners --check" in runs
    assert "slacode build" in runs
    checkout = next(s for s in _steps(wf["jobs"]["check"]) if s.get("uses", "").startswith(
        "actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # slacode diff needs the base branch history
    assert {"actions/checkout", "actions/setup-python", "actions/upload-artifact"} <= _uses(wf)


def test_nightly_workflow_freezes_commits_and_deploys_with_least_privilege() -> None:
    wf = load("nightly.yml")
    assert set(wf["on"]) == {"schedule", "push", "workflow_dispatch"}
    assert wf["on"]["schedule"][0]["cron"]
    assert wf["concurrency"]["cancel-in-progress"] is False
    assert wf["permissions"] == {"contents": "read"}
    update, commit, deploy = (wf["jobs"][j] for j in ("update", "commit", "deploy"))
    assert update["permissions"] == {"contents": "read"}
    assert commit["permissions"] == {"contents": "write"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert set(deploy["needs"]) == {"update", "commit"}
    runs = "\n".join(s.get("run", "") for s in _steps(update))
    assert "slacode pull" in runs and "slacode evaluate --freeze" in runs
    assert "slacode build --strict" in runs and "git push" not in runs
    pushes = "\n".join(s.get("run", "") for s in _steps(commit))
    assert "git add ledger" in pushes and "git push" in pushes
    checkout = next(s for s in _steps(update) if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # versions in force and the change log
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= _uses(wf)
    # the pull cache of earlier nights is restored before the pull, and saved anew right
    # after a successful pull, whatever the later steps do (issue 27: a failed night
    # threw it away, and every later night pulled everything since the last good one)
    steps = _steps(update)
    names = [s.get("uses", s.get("run", "")).split("@")[0] for s in steps]
    restore = names.index("actions/cache/restore")
    pull, save = names.index("slacode pull"), names.index("actions/cache/save")
    assert restore < pull and save == pull + 1
    cache, saved = steps[restore], steps[save]
    assert cache["with"]["path"] == saved["with"]["path"] == ".slacode/cache"
    assert cache["with"]["key"] == saved["with"]["key"] == "slacode-pull-${{ github.run_id }}"
    assert cache["with"]["restore-keys"] == "slacode-pull-"
    pull_id = steps[pull]["id"]
    assert saved["if"] == "${{ !cancelled() && steps." + pull_id + ".outcome == 'success' }}"
    assert "actions/cache" not in names  # its own save runs only when the job succeeds


def test_nightly_deploys_a_disputed_site_and_then_fails_on_the_dispute() -> None:
    """Disputed frozen figures (exit 3) hold back neither the site nor the other services'
    figures: the build step records the dispute and succeeds, the site deploys, and a
    last job fails the run with the build's message. Any other failure of the build
    (a failed source: exit 1) still fails the job, and nothing is deployed."""
    wf = load("nightly.yml")
    update, deploy, disputed = (wf["jobs"][j] for j in ("update", "deploy", "disputed"))
    build = next(s for s in _steps(update) if "slacode build --strict" in s.get("run", ""))
    script = build["run"]
    assert '"$status" -eq 3' in script and "disputed=true" in script and 'exit "$status"' in script
    assert update["outputs"]["disputed"] == "${{ steps." + build["id"] + ".outputs.disputed }}"
    assert "needs.update.result == 'success'" in deploy["if"]  # exit 1: nothing deployed
    assert set(disputed["needs"]) == {"update", "deploy"}
    assert "needs.update.outputs.disputed == 'true'" in disputed["if"]
    assert "!cancelled()" in disputed["if"]  # fails the run even when the deploy failed
    (fail,) = _steps(disputed)
    assert fail["run"].rstrip().endswith("exit 1") and "::error" in fail["run"]
    assert disputed["permissions"] == {}


SECRET = re.compile(r"\$\{\{\s*secrets\.")


def _secret_places(node: object, where: str = "") -> list[str]:
    """Where in a parsed workflow ``${{ secrets.* }}`` is used, as a path of keys."""
    if isinstance(node, dict):
        return [w for k, v in node.items() for w in _secret_places(v, f"{where}/{k}")]
    if isinstance(node, list):
        return [w for i, v in enumerate(node) for w in _secret_places(v, f"{where}/{i}")]
    return [where] if isinstance(node, str) and SECRET.search(node) else []


def test_nightly_credentials_and_write_token_never_meet() -> None:
    """Prometheus credentials reach only the steps that ask the server, in a job whose
    token can only read (and is not left in .git/config); the one job that may push runs
    no project code and sees no credentials; a failed build deploys nothing."""
    wf = load("nightly.yml")
    jobs = wf["jobs"]
    update, deploy = jobs["update"], jobs["deploy"]
    steps = _steps(update)
    places = _secret_places(wf)
    assert places, "the nightly pulls from Prometheus with the repository's secrets"
    allowed = {f"/jobs/update/steps/{i}/env/{k}" for i, s in enumerate(steps)
               if any(c in s.get("run", "") for c in ("slacode pull", "slacode evaluate",
                                                      "slacode build", "slacode report"))
               for k in s.get("env", {})}
    assert set(places) <= allowed, set(places) - allowed  # no workflow- or job-wide secret
    for name in ("slacode pull", "slacode evaluate --freeze", "slacode build --strict"):
        step = next(s for s in steps if name in s.get("run", ""))
        assert {"SLACODE_PROMETHEUS_URL", "SLACODE_PROMETHEUS_TOKEN"} <= set(step["env"])
    assert not any("secrets" in str(s) for s in steps if "uses" in s)  # no action sees them
    # write access: only the commit job, which checks out, takes the records and pushes
    writers = {j for j, job in jobs.items()
               if "write" in (job.get("permissions") or {}).get("contents", "")}
    assert writers == {"commit"} and wf["permissions"] == {"contents": "read"}
    commit = jobs["commit"]
    assert not _secret_places(commit)
    commit_runs = "\n".join(s.get("run", "") for s in _steps(commit))
    assert "slacode" not in commit_runs and "pip" not in commit_runs
    assert {s["uses"].split("@")[0] for s in _steps(commit) if "uses" in s} == {
        "actions/checkout", "actions/download-artifact"}
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False
    # the records reach the commit job as an artifact, even when the build then failed
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    names = [s.get("run") or s["uses"].split("@")[0] for s in steps]
    build = next(i for i, n in enumerate(names) if "slacode build --strict" in n)
    assert (names.index("slacode evaluate --freeze") < names.index("actions/upload-artifact")
            < build)
    download = next(s for s in _steps(commit)
                    if s.get("uses", "").startswith("actions/download-artifact@"))
    assert upload["with"]["name"] == download["with"]["name"]
    assert upload["with"]["path"] == download["with"]["path"] == "ledger"
    assert commit["needs"] == "update" and "!cancelled()" in commit["if"]
    assert "needs.update.outputs.frozen" in commit["if"]
    assert update["outputs"]["frozen"] == "${{ steps.frozen.outputs.frozen }}"
    # the previous site survives: deploy only after a successful build and push
    assert "needs.update.result == 'success'" in deploy["if"]
    assert "needs.commit.result == 'success'" in deploy["if"]


def _locked(text: str) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of a pip-compile lock file written with hashes."""
    out: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n(?=\S)", text):
        m = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        if m:
            name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
            out[name] = (m.group(2), re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return out


def test_the_job_holding_credentials_installs_only_hashed_pinned_packages() -> None:
    """The nightly update job reads the Prometheus secrets: what it installs is locked with
    hashes, and the lock covers every runtime dependency within pyproject's ranges."""
    import tomllib

    from packaging.requirements import Requirement

    update = load("nightly.yml")["jobs"]["update"]
    installs = [s["run"] for s in _steps(update) if "pip install" in s.get("run", "")]
    assert installs, "the update job installs slacode"
    for run in installs:
        for cmd in (c.strip() for c in run.splitlines() if "pip install" in c):
            assert ("--require-hashes -r requirements/nightly.txt" in cmd
                    or "--no-deps --no-build-isolation -e ." in cmd), cmd
    lock = _locked((ROOT / "requirements" / "nightly.txt").read_text())
    assert lock and all(len(h) >= 1 for _, h in lock.values())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    for spec in map(Requirement, wanted):
        name = re.sub(r"[-_.]+", "-", spec.name).lower()
        assert name in lock, f"{spec.name} is not locked: make lock"
        assert spec.specifier.contains(lock[name][0], prereleases=True), (
            f"{spec.name}=={lock[name][0]} is outside {spec.specifier}: make lock")


@pytest.mark.parametrize(("name", "job", "first_user", "last_user"), [
    ("nightly.yml", "update", "slacode evaluate --freeze", "slacode build --strict"),
    ("pr.yml", "check", 'slacode diff "origin/$BASE_REF" HEAD --pr', "slacode build"),
])
def test_the_history_store_starts_ci_warm(name: str, job: str, first_user: str,
                                          last_user: str) -> None:
    """The history store (plain JSON) is restored before the first command that reads the
    history and saved after the build that writes it, keyed by the contents of slas/ and
    the commit: the nightly build and the pull-request check skip the walk over every commit
    while the agreements are those an earlier run read."""
    steps = _steps(load(name)["jobs"][job])
    runs = [s.get("run", "") for s in steps]
    at = [i for i, s in enumerate(steps) if s.get("with", {}).get("path")
          == ".slacode/cache/history.json"]
    assert len(at) == 2
    restore, save = (steps[i] for i in at)
    assert restore["uses"].startswith("actions/cache/restore@")
    assert save["uses"].startswith("actions/cache/save@")
    first = next(i for i, r in enumerate(runs) if first_user in r)
    last = next(i for i, r in enumerate(runs) if last_user in r)
    assert at[0] < first and last < at[1]
    key = "slacode-history-${{ hashFiles('slas/**') }}-${{ github.sha }}"
    assert restore["with"]["key"] == save["with"]["key"] == key
    assert restore["with"]["restore-keys"].splitlines() == [
        "slacode-history-${{ hashFiles('slas/**') }}-", "slacode-history-"]
    if name == "nightly.yml":  # never inside the pull cache, which is saved right after the pull
        pull_save = next(i for i, s in enumerate(steps) if s.get("with", {}).get("path")
                         == ".slacode/cache" and "save" in s["uses"])
        assert pull_save < at[0]
