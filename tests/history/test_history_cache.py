"""The history walk kept between builds (``slacode.history.store``): reused while nothing
under ``slas/`` changed, read again after a commit that changed it, and never taken for
another repository's history."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from gitrepo import Repo, sla

from slacode.history import history, versions
from slacode.history import store as history_store

PATH = "slas/payments-api.yaml"


def _fresh() -> None:
    """Forget the walks this process made: each call below is a build of its own."""
    sys.modules["slacode.history.versions"]._WALKS.clear()


@pytest.fixture
def cached(repo: Repo) -> tuple[Repo, Path]:
    repo.commit("Add payments API agreement", {PATH: sla(), ".gitignore": ".slacode/\n"})
    cache = repo.path / ".slacode" / "cache"
    _fresh()
    assert [a.version for a in versions(repo.path, cache=cache)["payments-api"]] == [1]
    assert len(history(repo.path, cache=cache)["payments-api"]) == 1
    assert (cache / history_store.FILE).is_file()
    return repo, cache


def test_a_new_commit_under_slas_reads_the_history_again(cached: tuple[Repo, Path]) -> None:
    repo, cache = cached
    repo.commit("Raise availability target (#7)", {PATH: sla(
        version=2, effective="2026-03-01", target=99.95)})
    _fresh()
    v = versions(repo.path, cache=cache)["payments-api"]
    assert [a.version for a in v] == [1, 2]
    h = history(repo.path, cache=cache)["payments-api"]
    assert [e.subject for e in h] == ["Raise availability target (#7)",
                                      "Add payments API agreement"]
    assert h[0].pr == 7


def _no_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, reading a file's git log fails the test: the answers must come from
    the store."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the history was read again")

    monkeypatch.setattr("slacode.history.gitlog.file_log", refuse)
    monkeypatch.setattr("slacode.history.gitlog.folder_logs", refuse)


def test_commits_elsewhere_reuse_the_stored_history(cached: tuple[Repo, Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    repo, cache = cached
    stored = (cache / history_store.FILE).read_bytes()
    repo.commit("Docs only", {"README.md": "hello\n"})
    _fresh()
    _no_walk(monkeypatch)
    assert [a.version for a in versions(repo.path, cache=cache)["payments-api"]] == [1]
    assert [e.subject for e in history(repo.path, cache=cache)["payments-api"]] == [
        "Add payments API agreement"]
    # the stored answers served the build: the file was neither read again nor rewritten
    assert (cache / history_store.FILE).read_bytes() == stored


def test_an_older_checkout_does_not_get_a_later_history(cached: tuple[Repo, Path]) -> None:
    repo, cache = cached
    first = repo.git("rev-parse", "HEAD")
    repo.commit("Version 2", {PATH: sla(version=2, effective="2026-03-01", target=99.95)})
    _fresh()
    assert [a.version for a in versions(repo.path, cache=cache)["payments-api"]] == [1, 2]
    repo.git("checkout", "-q", first)
    _fresh()
    assert [a.version for a in versions(repo.path, cache=cache)["payments-api"]] == [1]


def test_a_cache_file_from_elsewhere_is_not_taken_for_this_history(
        cached: tuple[Repo, Path], tmp_path: Path) -> None:
    """The store is plain JSON (never code) and names the commit it was read at: one
    restored from another clone or a CI cache of another branch does not hold for this
    commit and the history is read again."""
    repo, cache = cached
    other = Repo(tmp_path / "other")
    other.commit("Add payments v1", {PATH: sla(), ".gitignore": ".slacode/\n"})
    other.commit("Version 2", {PATH: sla(version=2, effective="2026-03-01", target=99.95)})
    other_cache = other.path / ".slacode" / "cache"
    _fresh()
    assert [a.version for a in versions(other.path, cache=other_cache)["payments-api"]] == [1, 2]
    history(other.path, cache=other_cache)
    (cache / history_store.FILE).write_bytes((other_cache / history_store.FILE).read_bytes())
    _fresh()
    assert [a.version for a in versions(repo.path, cache=cache)["payments-api"]] == [1]


def test_a_pull_request_base_before_the_stored_commit_reuses_it(
        cached: tuple[Repo, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """``slacode diff --pr`` reads the versions at the pull request's base, often a commit
    before the one the last build read: with nothing under slas/ between, it is served
    from the store; with an agreement changed between, it is read again."""
    repo, cache = cached
    base = repo.git("rev-parse", "HEAD")
    repo.commit("Docs only", {"README.md": "hello\n"})
    _fresh()
    assert [a.version for a in versions(repo.path, cache=cache)["payments-api"]] == [1]
    _fresh()
    with monkeypatch.context() as m:
        _no_walk(m)
        assert [a.version for a in versions(repo.path, rev=base, cache=cache)[
            "payments-api"]] == [1]
    repo.commit("Version 2", {PATH: sla(version=2, effective="2026-03-01", target=99.95)})
    _fresh()
    assert [a.version for a in versions(repo.path, cache=cache)["payments-api"]] == [1, 2]
    _fresh()
    assert [a.version for a in versions(repo.path, rev=base, cache=cache)["payments-api"]] == [1]
