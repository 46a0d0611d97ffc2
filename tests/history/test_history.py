"""History from real git repositories: commits, a rename, a merged pull request."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from gitrepo import Repo, sla

from slacode.history import history, in_force, unavailable, upcoming, versions
from slacode.history.gitlog import pr_from_subject

PATH = "slas/payments-api.yaml"


@pytest.fixture
def evolved(repo: Repo) -> Repo:
    """v1 added; v2 raised on a branch merged as PR #12; file renamed (#13); v3 relaxed."""
    repo.commit("Add payments API agreement", {PATH: sla()}, author="Ann Author",
                date="2026-01-05T09:00:00+00:00")
    repo.git("checkout", "-q", "-b", "raise-target")
    repo.commit("Raise availability target", {PATH: sla(
        version=2, effective="2026-03-01", target=99.95, credit_99=30)},
        author="Bob Builder", date="2026-02-10T14:30:00+01:00")
    repo.git("checkout", "-q", "main")
    repo.commit("Unrelated docs", {"README.md": "hello\n"}, date="2026-02-11T10:00:00+00:00")
    repo.git("merge", "-q", "--no-ff", "raise-target",
             "-m", "Merge pull request #12 from bob/raise-target",
             date="2026-02-12T10:00:00+00:00")
    repo.git("mv", "slas/payments-api.yaml", "slas/payments.yaml")
    repo.git("commit", "-q", "-m", "Rename agreement file (#13)", date="2026-04-01T10:00:00+00:00")
    repo.commit("Relax P1 response", {"slas/payments.yaml": sla(
        version=3, effective="2026-06-01", target=99.95, credit_99=30, p1_response="30m",
        p3=False, hours="08:00-20:00")}, author="Cy Change", date="2026-05-02T08:00:00+00:00")
    return repo


def whats(entry) -> list[str]:
    return [c.what for c in entry.changes]


def test_every_commit_that_changed_the_file_newest_first(evolved: Repo) -> None:
    h = history(evolved.path)
    assert list(h) == ["payments-api"]
    subjects = [e.subject for e in h["payments-api"]]
    assert subjects == ["Relax P1 response", "Rename agreement file (#13)",
                        "Raise availability target", "Add payments API agreement"]


def test_entry_has_author_date_pr_version_and_effective(evolved: Repo) -> None:
    relax, rename, raise_, add = history(evolved.path)["payments-api"]
    assert raise_.author == "Bob Builder"
    assert raise_.date == datetime(2026, 2, 10, 13, 30, tzinfo=UTC)
    assert raise_.pr == 12  # from "Merge pull request #12 from bob/raise-target"
    assert (raise_.version, raise_.effective) == (2, date(2026, 3, 1))
    assert raise_.path == PATH
    assert rename.pr == 13  # squash style "(#13)"
    assert add.pr is None and relax.pr is None
    assert (relax.version, relax.effective) == (3, date(2026, 6, 1))
    assert relax.path == "slas/payments.yaml"
    assert len(raise_.commit) == 40 and raise_.short == raise_.commit[:7]


def test_semantic_diff_in_words(evolved: Repo) -> None:
    relax, rename, raise_, add = history(evolved.path)["payments-api"]
    assert whats(add) == ["agreement payments-api added (version 1, effective 2026-01-01)"]
    assert "monthly availability target 99.9% → 99.95%" in whats(raise_)
    assert "credit for below 99.0% raised 25% → 30%" in whats(raise_)
    assert "version 1 → 2" in whats(raise_)
    assert not raise_.weakens
    assert rename.renamed_from == "slas/payments-api.yaml"
    assert whats(rename) == ["file renamed from slas/payments-api.yaml"]
    assert "support hours now 08:00–20:00 (were 09:00–18:00)" in whats(relax)
    assert "P1 response 15 minutes → 30 minutes" in whats(relax)
    assert "quarterly P1 response within 15 minutes → 30 minutes" in whats(relax)
    assert any(w.startswith("objective p3-resolution removed") for w in whats(relax))
    assert relax.weakens
    weak = {c.what for c in relax.changes if c.weakens}
    assert "P1 response 15 minutes → 30 minutes" in weak
    assert "support hours now 08:00–20:00 (were 09:00–18:00)" not in weak  # wider hours


def test_versions_in_force_and_upcoming(evolved: Repo) -> None:
    vs = versions(evolved.path)["payments-api"]
    assert [(v.version, v.effective) for v in vs] == [
        (1, date(2026, 1, 1)), (2, date(2026, 3, 1)), (3, date(2026, 6, 1))]
    # a target raised from March: January and February keep the old target
    assert in_force(vs, date(2026, 2, 28)).objective("availability").target == 99.9
    assert in_force(vs, date(2026, 3, 1)).objective("availability").target == 99.95
    assert in_force(vs, date(2025, 12, 31)) is None
    assert [v.version for v in upcoming(vs, date(2026, 5, 15))] == [3]
    assert all(v.id == "payments-api" for v in vs)


def test_no_git_repository_means_history_unavailable(tmp_path: Path) -> None:
    (tmp_path / "slas").mkdir()
    (tmp_path / "slas" / "a.yaml").write_text(sla(), encoding="utf-8")
    assert history(tmp_path) == {}
    assert versions(tmp_path) == {}
    assert unavailable(tmp_path) == "not a git repository"


def test_shallow_clone_means_history_unavailable(evolved: Repo, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{evolved.path}", str(clone)],
                   check=True, capture_output=True)
    assert "shallow clone" in unavailable(clone)
    assert history(clone) == {}


def test_broken_file_at_an_old_commit_does_not_stop_the_log(repo: Repo) -> None:
    repo.commit("Add", {PATH: sla()})
    repo.commit("Oops", {PATH: "id: [unclosed\n"})
    repo.commit("Fix", {PATH: sla(target=99.5)})
    fix, oops, add = history(repo.path)["payments-api"]
    assert oops.version is None and oops.problems
    assert fix.version == 1
    assert add.version == 1


@pytest.mark.parametrize(("subject", "pr"), [
    ("Merge pull request #12 from x/y", 12),
    ("Raise availability target (#34)", 34),
    ("Fix #12 in the docs", None),
    ("Merge branch 'main' into x", None),
])
def test_pull_request_number_from_subject(subject: str, pr: int | None) -> None:
    assert pr_from_subject(subject) == pr
