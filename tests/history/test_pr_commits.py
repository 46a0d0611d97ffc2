"""A pull request of several commits: what the PR check, and later the history on the
base branch, make of a version changed in place on the way; removed agreements with
frozen periods; HEAD is the last commit."""

from __future__ import annotations

from datetime import date

import pytest
from gitrepo import Repo, sla

from slacode.history import history, in_force, versions

PATH = "slas/payments-api.yaml"


@pytest.fixture
def branched(repo: Repo) -> Repo:
    repo.commit("Add", {PATH: sla()}, date="2026-01-05T10:00:00+00:00")
    repo.git("checkout", "-q", "-b", "change")
    return repo


def in_place_then_bump(repo: Repo) -> str:
    """Commit 1 raises version 1's target in place; commit 2 then raises the version."""
    first = repo.commit("Raise target", {PATH: sla(target=99.95)},
                        date="2026-11-02T10:00:00+00:00")
    repo.commit("Bump", {PATH: sla(version=2, effective="2026-12-01", target=99.95)},
                date="2026-11-03T10:00:00+00:00")
    return first


def test_a_commit_changing_a_merged_version_in_place_fails_the_check_by_name(
    slacode, branched: Repo
) -> None:
    first = in_place_then_bump(branched)
    r = slacode(branched, "diff", "main", "--pr")
    assert r.returncode == 1, r.stdout
    assert (f"payments-api: commit {first[:7]} (Raise target) changes the promises of "
            "version 1, already merged, in place (monthly availability target 99.9% → 99.95%)"
            in r.stderr)
    assert "squash the pull request's commits into one" in r.stderr
    assert "commit " + first[:7] in r.stdout  # in the comment's Problems too


def test_the_same_change_in_one_commit_passes(slacode, branched: Repo) -> None:
    branched.commit("Raise target", {PATH: sla(version=2, effective="2026-12-01",
                                               target=99.95)}, date="2026-11-02T10:00:00+00:00")
    r = slacode(branched, "diff", "main", "--pr")
    assert r.returncode == 0, r.stderr
    assert "already merged" not in r.stderr


def test_editing_the_new_version_in_a_later_commit_passes(slacode, branched: Repo) -> None:
    branched.commit("Bump", {PATH: sla(version=2, effective="2026-12-01", target=99.95)},
                    date="2026-11-02T10:00:00+00:00")
    branched.commit("Fix", {PATH: sla(version=2, effective="2027-01-01", target=99.99)},
                    date="2026-11-03T10:00:00+00:00")
    r = slacode(branched, "diff", "main", "--pr")
    assert r.returncode == 0, r.stderr


def test_history_after_a_merge_commit_keeps_what_the_base_branch_held(branched: Repo) -> None:
    in_place_then_bump(branched)
    branched.git("checkout", "-q", "main")
    branched.git("merge", "-q", "--no-ff", "change", "-m", "Merge pull request #7 from a/change",
                 date="2026-11-04T10:00:00+00:00")
    vs = versions(branched.path)["payments-api"]
    # version 1 still promises what was merged for it; the in-place text was never on main
    assert in_force(vs, date(2026, 10, 15)).objective("availability").target == 99.9
    assert in_force(vs, date(2026, 12, 15)).objective("availability").target == 99.95
    bump, added = history(branched.path)["payments-api"]
    assert bump.subject == "Bump" and bump.pr == 7 and bump.version == 2
    assert added.subject == "Add"
    what = [c.what for c in bump.changes]
    assert "monthly availability target 99.9% → 99.95%" in what and "version 1 → 2" in what


def test_a_version_whose_effective_date_was_corrected_is_in_force_once(branched: Repo) -> None:
    # a rebase merge keeps both commits on main: version 2 first said December, then January
    branched.commit("Bump", {PATH: sla(version=2, effective="2026-12-01", target=99.95)},
                    date="2026-11-02T10:00:00+00:00")
    branched.commit("Later", {PATH: sla(version=2, effective="2027-01-01", target=99.95)},
                    date="2026-11-03T10:00:00+00:00")
    vs = versions(branched.path)["payments-api"]
    assert [(v.version, v.effective) for v in vs] == [(1, date(2026, 1, 1)),
                                                     (2, date(2027, 1, 1))]
    assert in_force(vs, date(2026, 12, 15)).version == 1


def test_removing_an_agreement_with_frozen_periods_fails_the_check(
    slacode, branched: Repo
) -> None:
    branched.git("checkout", "-q", "main")
    branched.commit("Freeze", {"ledger/payments-api/2026-10.json": "{}\n"},
                    date="2026-11-01T10:00:00+00:00")
    branched.git("checkout", "-q", "-b", "retire")
    branched.git("rm", "-q", PATH)
    branched.git("commit", "-q", "-m", "Retire", date="2026-11-02T10:00:00+00:00")
    r = slacode(branched, "diff", "main", "--pr")
    assert r.returncode == 1
    assert ("payments-api: removing the agreement (or changing its id) would drop its 1 frozen "
            "closed period "
            "(ledger/payments-api/)" in r.stderr)
    assert "set contract.end" in r.stderr
    assert "### ⚠️ Weaker promises for customers" in r.stdout


def test_removing_an_agreement_without_frozen_periods_passes(slacode, branched: Repo) -> None:
    branched.git("rm", "-q", PATH)
    branched.git("commit", "-q", "-m", "Drop", date="2026-11-02T10:00:00+00:00")
    r = slacode(branched, "diff", "main", "--pr")
    assert r.returncode == 0, r.stderr
    assert "agreement payments-api removed" in r.stdout


def test_uncommitted_edits_are_named_as_not_compared(slacode, branched: Repo) -> None:
    branched.write(PATH, sla(version=2, effective="2027-01-01", target=99.0))
    r = slacode(branched, "diff", "main")
    assert r.returncode == 0
    assert "No agreement promises anything differently in the last commit." in r.stdout
    assert ("Not compared: 1 file with uncommitted changes (`slas/payments-api.yaml`). "
            "HEAD means the last commit" in r.stdout)
    branched.git("checkout", "-q", "--", PATH)
    assert "Not compared" not in slacode(branched, "diff", "main").stdout


def test_help_says_head_is_the_last_commit(slacode, branched: Repo) -> None:
    r = slacode(branched, "diff", "--help")
    assert r.returncode == 0
    assert "the last commit" in r.stdout and "uncommitted" in r.stdout
