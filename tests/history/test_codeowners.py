"""``slacode codeowners``: CODEOWNERS generated from each agreement's owners, drift detected."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitrepo import Repo, sla

from slacode.cli.codeowners import owner_handle

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def slacode(slacode):
    """The shared in-process runner (conftest), for ``slacode codeowners``."""
    return lambda root, *args: slacode(root, "codeowners", *args)


@pytest.mark.parametrize(("owner", "org", "handle"), [
    ("team-payments", "", "@team-payments"),
    ("team-payments", "example", "@example/team-payments"),
    ("@example/sre", "other", "@example/sre"),
    ("lead@example.com", "example", "lead@example.com"),
])
def test_owner_handles(owner: str, org: str, handle: str) -> None:
    assert owner_handle(owner, org) == handle


def test_generates_codeowners_and_check_detects_drift(repo: Repo, slacode) -> None:
    repo.write("slas/payments-api.yaml", sla(owners=("team-payments", "'@example/sre'")))
    repo.write("slas/status-web.yaml", sla(id="status-web", owners=("lead@example.com",)))
    assert slacode(repo.path, "--check").returncode == 1  # no file yet
    assert slacode(repo.path).returncode == 0
    text = (repo.path / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    # the service's improvement actions (actions/<id>.yaml) are its owners' to approve too
    assert lines == ["/slas/payments-api.yaml @team-payments @example/sre",
                     "/actions/payments-api.y*ml @team-payments @example/sre",
                     "/slas/status-web.yaml lead@example.com",
                     "/actions/status-web.y*ml lead@example.com"]
    ok = slacode(repo.path, "--check")
    assert ok.returncode == 0 and "up to date" in ok.stdout
    repo.write("slas/status-web.yaml", sla(id="status-web", owners=("team-web",)))
    drift = slacode(repo.path, "--check")
    assert drift.returncode == 1
    assert "CODEOWNERS is out of date" in drift.stderr
    assert "run `slacode codeowners`" in drift.stderr


def test_project_in_a_subfolder_of_the_repository(repo: Repo, slacode) -> None:
    repo.write("sla-project/slas/payments-api.yaml", sla())
    repo.commit("Add")
    assert slacode(repo.path / "sla-project").returncode == 0
    text = (repo.path / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/sla-project/slas/payments-api.yaml @team-payments" in text
    assert "/sla-project/actions/payments-api.y*ml @team-payments" in text


def test_agreement_with_errors_stops_generation(tmp_path: Path, slacode) -> None:
    (tmp_path / "slas").mkdir()
    (tmp_path / "slas" / "bad.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    r = slacode(tmp_path)
    assert r.returncode == 1 and "slas/bad.yaml:" in r.stderr
    assert not (tmp_path / ".github" / "CODEOWNERS").exists()


def test_this_repository_codeowners_is_up_to_date(slacode) -> None:
    """What CI checks: .github/CODEOWNERS matches the owners in slas/."""
    r = slacode(ROOT, "--check")
    assert r.returncode == 0, r.stderr


def test_an_owner_that_would_add_lines_or_owners_is_refused(tmp_path: Path, slacode) -> None:
    # CODEOWNERS is one owner per token and one rule per line: "team-sre\n/** @attacker"
    # would make @attacker the owner of every file, so validation stops it first
    (tmp_path / "slas").mkdir()
    text = sla().replace("owners: [team-payments]", 'owners: ["team-sre\\n/** @attacker"]')
    assert "@attacker" in text
    (tmp_path / "slas" / "payments-api.yaml").write_text(text, encoding="utf-8")
    r = slacode(tmp_path)
    assert r.returncode == 1 and "is not a valid owner" in r.stderr
    assert not (tmp_path / ".github" / "CODEOWNERS").exists()


def test_validate_warns_of_a_stale_codeowners_with_the_command_that_mends_it(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first agreement passed validate and then failed the pull-request check, which
    runs `codeowners --check`: validate says so first, also for the files pre-commit
    passes, and the org setting is the one both use."""
    from click.testing import CliRunner

    from slacode.cli import cli

    repo.write("mkdocs.yml", "plugins:\n  - slacode:\n      codeowners_org: example\n")
    repo.write("slas/payments-api.yaml", sla(owners=("team-payments",)))
    monkeypatch.chdir(repo.path)

    def validate(*args: str) -> str:
        r = CliRunner().invoke(cli, ["validate", *args], catch_exceptions=False)
        assert r.exit_code == 0, r.output  # a warning: the agreement itself is fine
        return r.output

    warning = (".github/CODEOWNERS:0:0: warning: out of date with the agreements in slas/: run "
               "`slacode codeowners` and commit it (the pull-request check fails until then)")
    assert warning in validate() and warning in validate("slas/payments-api.yaml")
    assert CliRunner().invoke(cli, ["codeowners"]).exit_code == 0
    text = (repo.path / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/slas/payments-api.yaml @example/team-payments" in text
    assert "CODEOWNERS" not in validate()
    repo.write("slas/status-web.yaml", sla(id="status-web", owners=("team-web",)))
    assert ".github/CODEOWNERS:1:1: warning: out of date" in validate()


def test_the_pre_commit_hooks_validate_and_regenerate_codeowners() -> None:
    from ruamel.yaml import YAML

    hooks = {h["id"]: h for h in YAML(typ="safe").load(ROOT / ".pre-commit-hooks.yaml")}
    assert hooks["slacode-validate"]["entry"] == "slacode validate"
    for name in ("codeowners", "alerts"):
        regen = hooks[f"slacode-{name}"]
        assert regen["entry"] == f"slacode {name}" and regen["pass_filenames"] is False
        assert regen["files"] == hooks["slacode-validate"]["files"]
