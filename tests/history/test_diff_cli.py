"""``slacode diff BASE HEAD [--pr]`` on real git repositories."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest
from gitrepo import Repo, sla

from slacode.cli import main

PATH = "slas/payments-api.yaml"


@pytest.fixture
def slacode(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run the real entry point in-process: exit code, stdout, stderr."""

    def run(repo: Repo, *args: str) -> SimpleNamespace:
        monkeypatch.setattr(sys, "argv", ["slacode", *args, "--root", str(repo.path)])
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main()
        out, err = capsys.readouterr()
        return SimpleNamespace(returncode=exc.value.code, stdout=out, stderr=err)

    return run


def line_col(text: str, needle: str) -> tuple[int, int]:
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n, line.index(needle) + 1
    raise AssertionError(needle)


@pytest.fixture
def branched(repo: Repo) -> Repo:
    repo.commit("Add", {PATH: sla(), "slas/old.yaml": sla(id="old-service")})
    repo.git("checkout", "-q", "-b", "change")
    return repo


def test_promise_changed_without_version_bump_is_an_error_at_its_line(
    slacode, branched: Repo
) -> None:
    text = sla(target=99.5)
    branched.commit("Lower target", {PATH: text})
    r = slacode(branched, "diff", "main", "HEAD", "--pr")
    assert r.returncode == 1, r.stderr
    line, _ = line_col(text, "99.5")
    assert (f"{PATH}:{line}:" in r.stderr and "error: payments-api: promises changed "
            "(monthly availability target 99.9% → 99.5%) but version stays 1" in r.stderr)
    assert "monthly availability target 99.9% → 99.5%" in r.stdout  # still summarised


def test_new_version_without_new_effective_date_is_an_error(slacode, branched: Repo) -> None:
    branched.commit("Raise target", {PATH: sla(version=2, target=99.95)})
    r = slacode(branched, "diff", "main", "HEAD", "--pr")
    assert r.returncode == 1
    assert "effective date stays 2026-01-01" in r.stderr


def test_versioned_change_passes_and_weaker_promises_come_first(slacode, branched: Repo) -> None:
    branched.commit("Relax", {PATH: sla(version=2, effective="2027-01-01", target=99.95,
                                        p1_response="30m", scope=("REST API",)),
                              "slas/new.yaml": sla(id="new-service")})
    branched.git("rm", "-q", "slas/old.yaml")
    branched.git("commit", "-q", "-m", "Drop old")
    r = slacode(branched, "diff", "main", "HEAD", "--pr")
    assert r.returncode == 0, r.stderr
    md = r.stdout
    assert md.index("### ⚠️ Weaker promises for customers") < md.index("### Other changes")
    weak = md[md.index("### ⚠️"):md.index("### Other changes")]
    assert "P1 response 15 minutes → 30 minutes" in weak
    assert "scope removed: REST API" not in weak and "scope removed: Webhooks" in weak
    assert "agreement old-service removed" in weak
    other = md[md.index("### Other changes"):]
    assert "monthly availability target 99.9% → 99.95%" in other
    assert "version 1 → 2, effective 2027-01-01" in md
    assert "### Added agreements" in md and "`slas/new.yaml`" in md
    assert "### Removed agreements" in md


def test_only_the_branch_changes_count_when_base_moved_on(slacode, branched: Repo) -> None:
    branched.commit("Raise", {PATH: sla(version=2, effective="2027-01-01", target=99.95)})
    branched.git("checkout", "-q", "main")
    branched.commit("Other team", {"slas/old.yaml": sla(id="old-service", target=98.0)})
    branched.git("checkout", "-q", "change")
    r = slacode(branched, "diff", "main", "HEAD", "--pr")
    assert r.returncode == 0, r.stderr
    assert "old-service" not in r.stdout and "98.0%" not in r.stdout


def test_yaml_text_cannot_inject_markdown(slacode, branched: Repo) -> None:
    branched.commit("Scope", {PATH: sla(version=2, effective="2027-01-01",
                                        scope=("REST API", "Webhooks", "'<img src=x>'"))})
    r = slacode(branched, "diff", "main")
    assert r.returncode == 0, r.stderr
    assert "<img src=x>" not in r.stdout and "\\<img src=x\\>" in r.stdout


def test_no_change_says_so(slacode, branched: Repo) -> None:
    r = slacode(branched, "diff", "main", "HEAD", "--pr")
    assert r.returncode == 0
    assert "No agreement promises anything differently." in r.stdout


def test_unknown_revision_and_missing_repository_are_one_line_errors(
    slacode, branched: Repo, tmp_path
) -> None:
    r = slacode(branched, "diff", "no-such-branch")
    assert r.returncode == 1 and "unknown revision 'no-such-branch'" in r.stderr
    assert "Traceback" not in r.stderr
    plain = Repo.__new__(Repo)
    plain.path = tmp_path
    r = slacode(plain, "diff", "main")
    assert r.returncode == 1 and "history unavailable: not a git repository" in r.stderr


def test_effective_date_before_the_change_is_a_warning(slacode, branched: Repo) -> None:
    branched.commit("Backdated", {PATH: sla(version=2, effective="2026-01-02", target=99.95)},
                    date="2026-05-01T10:00:00+00:00")
    r = slacode(branched, "diff", "main", "HEAD", "--pr")
    assert r.returncode == 0, r.stderr
    assert ("warning: payments-api: version 2 takes effect on 2026-01-02, before this change "
            "(2026-05-01)") in r.stderr
