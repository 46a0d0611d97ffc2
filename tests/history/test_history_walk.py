"""The history walk at scale: one ``git log`` of the folder gives each file the same commits
as ``git log --follow`` of that file; the answers stored as JSON come back equal; the store
is only ever data, and a damaged, old or foreign one is read again without an error."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from gitrepo import Repo, sla

from slacode.history import gitlog, history, store, versions

PAY = "slas/payments-api.yaml"


def _fresh() -> None:
    """Forget the walks this process made: each call below is a build of its own."""
    sys.modules["slacode.history.versions"]._WALKS.clear()


@pytest.fixture(scope="module")
def evolved(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """Two agreements over edits, version bumps, a rename into a team folder, an
    addition copied from another file, a pull request merged with a merge commit (an
    intermediate text among its commits) and one where both sides changed a file."""
    repo = Repo(tmp_path_factory.mktemp("walk") / "project")
    repo.commit("Add payments (#1)", {PAY: sla(), ".gitignore": ".slacode/\n"})
    repo.commit("Add status (#2)", {"slas/status-web.yaml": sla(id="status-web")})
    repo.commit("Payments v2 (#3)", {PAY: sla(version=2, effective="2026-03-01", target=99.95)})
    repo.git("checkout", "-q", "-b", "move")
    (repo.path / "slas" / "team-a").mkdir()
    repo.git("mv", "slas/status-web.yaml", "slas/team-a/status-web.yaml")
    repo.commit("Move status into team folder")
    repo.commit("Status: a step never merged alone", {
        "slas/team-a/status-web.yaml": sla(id="status-web", target=99.0)})
    repo.commit("Status v2", {"slas/team-a/status-web.yaml": sla(
        id="status-web", version=2, effective="2026-04-01", target=99.5)})
    repo.git("checkout", "-q", "main")
    repo.commit("Docs", {"README.md": "docs\n"})
    repo.git("merge", "-q", "--no-ff", "move", "-m", "Merge pull request #4 from o/move",
             "-m", "Status version 2 in its team folder")
    repo.commit("Add a copy of payments (#5)", {"slas/payments-copy.yaml": sla(
        id="payments-copy")})
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("Payments v3 on a side branch", {PAY: sla(
        version=3, effective="2026-06-01", target=99.95, p1_response="10m")})
    repo.git("checkout", "-q", "main")
    repo.commit("Payments scope on main (#6)", {PAY: sla(
        version=2, effective="2026-03-01", target=99.95, scope=("REST API",))})
    repo.git("merge", "-q", "--no-ff", "side", "-X", "theirs", "-m",
             "Merge pull request #7 from o/side", "-m", "Payments version 3")
    return repo


def _plain(log: list[gitlog.FileCommit]) -> list[gitlog.FileCommit]:
    """A copy (status C) starts a history exactly as an addition does."""
    return [replace(fc, status="A") if fc.status == "C" else fc for fc in log]


def test_one_log_of_the_folder_gives_each_file_what_git_follows(evolved: Repo) -> None:
    head = gitlog.resolve(evolved.path, "HEAD")
    files = gitlog.tracked_files(evolved.path, head, "slas")
    assert files == ["slas/payments-api.yaml", "slas/payments-copy.yaml",
                     "slas/team-a/status-web.yaml"]
    got = gitlog.folder_logs(evolved.path, head, "slas", files)
    for path in files:
        assert got[path] == _plain(gitlog.file_log(evolved.path, path, head)), path
    moved = got["slas/team-a/status-web.yaml"]
    assert [fc.status for fc in moved][-2:] == ["R", "A"]  # renamed, then back to its start
    # both sides of the merge that changed the file on each are followed
    assert {"Payments v3 on a side branch", "Payments scope on main (#6)"} <= {
        fc.subject for fc in got[PAY]}


def test_the_stored_answers_are_the_walked_ones(evolved: Repo, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _fresh()
    walked_v, walked_h = versions(evolved.path), history(evolved.path)
    assert [a.version for a in walked_v["status-web"]] == [1, 2]
    # the merged pull request is worded by its title; its step that the branch never held
    # is not in the change log
    assert [(e.subject, e.reason) for e in walked_h["status-web"] if e.pr == 4] == [
        ("Status v2", "Status version 2 in its team folder"),
        ("Move status into team folder", "Status version 2 in its team folder")]
    _fresh()
    assert versions(evolved.path, cache=cache) == walked_v
    assert history(evolved.path, cache=cache) == walked_h
    assert (cache / store.FILE).is_file()
    _fresh()
    from_store_v = versions(evolved.path, cache=cache)
    from_store_h = history(evolved.path, cache=cache)
    assert from_store_v == walked_v and from_store_h == walked_h
    # positions survive too: a problem about an old version points at its line
    old, new = walked_v["payments-api"][0], from_store_v["payments-api"][0]
    assert new.positions == old.positions and new.pos("/objectives/0/target").line > 1


def test_the_codec_round_trips_and_shares_equal_objects(evolved: Repo) -> None:
    _fresh()
    v = versions(evolved.path)
    h = history(evolved.path)
    data = json.loads(json.dumps(store.encode({"v": v, "h": h})))
    back = store.decode(data)
    assert back == {"v": v, "h": h}
    # an objective every version keeps unchanged is written once
    rows = [r for r in data["table"] if r[0] == "Objective"]
    objectives = {o for vs in v.values() for a in vs for o in a.objectives}
    assert len(rows) == len(objectives)


@pytest.mark.parametrize("damage", [
    b"",
    b"{not json",
    b"\x80\x04\x95pickle",  # the old format: a pickle is never read
    json.dumps({"format": 1, "commit": "x"}).encode(),
])
def test_a_damaged_or_old_store_is_read_again_without_an_error(
    evolved: Repo, tmp_path: Path, damage: bytes, caplog: pytest.LogCaptureFixture,
) -> None:
    cache = tmp_path / "cache"
    _fresh()
    expected = versions(evolved.path, cache=cache)
    history(evolved.path, cache=cache)
    (cache / store.FILE).write_bytes(damage)
    _fresh()
    assert versions(evolved.path, cache=cache) == expected
    assert [r for r in caplog.records if r.levelname == "ERROR"] == []
    history(evolved.path, cache=cache)  # a build asks both: then the store is written again
    json.loads((cache / store.FILE).read_text(encoding="utf-8"))


def test_a_store_naming_anything_but_slacode_data_is_ignored(
    evolved: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only slacode's own dataclasses and enums may be named: a store restored from
    elsewhere that names another class builds nothing from it."""
    cache = tmp_path / "cache"
    _fresh()
    expected = versions(evolved.path, cache=cache)
    history(evolved.path, cache=cache)
    path = cache / store.FILE
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["body"]["changes"]["table"][0][0] = "Path"
    path.write_text(json.dumps(doc), encoding="utf-8")
    _fresh()
    assert versions(evolved.path, cache=cache) == expected
    with pytest.raises(KeyError):
        store.decode({"table": [["Popen", "touch /tmp/x"]], "root": ["@", 0]})


def test_a_changed_agreements_folder_is_read_again(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Repo(tmp_path / "project")
    repo.commit("Add (#1)", {PAY: sla(), ".gitignore": ".slacode/\n"})
    cache = repo.path / ".slacode" / "cache"
    _fresh()
    assert [a.version for a in versions(repo.path, cache=cache)["payments-api"]] == [1]
    history(repo.path, cache=cache)
    # a change and its revert: the folder is as stored, but the change log is not
    repo.commit("Try a target (#2)", {PAY: sla(target=99.0)})
    repo.commit("Revert the target (#3)", {PAY: sla()})
    _fresh()
    assert [e.pr for e in history(repo.path, cache=cache)["payments-api"]] == [3, 2, 1]
    versions(repo.path, cache=cache)  # a build asks both, then the answers are stored
    # nothing changed under slas/ since (a pull request of docs merged): served from the
    # store, git's log is not read
    repo.commit("Docs (#4)", {"README.md": "docs\n"})
    _fresh()
    monkeypatch.setattr(gitlog, "folder_logs", lambda *a, **k: pytest.fail("walked again"))
    assert [e.pr for e in history(repo.path, cache=cache)["payments-api"]] == [3, 2, 1]


def test_a_file_moved_in_from_outside_the_folder_keeps_its_history(tmp_path: Path) -> None:
    """A log of the folder cannot see a rename from outside it: such a file is followed
    as ``git log --follow`` does, and its change log starts where the file did."""
    repo = Repo(tmp_path / "project")
    repo.commit("Draft (#1)", {"drafts/payments-api.yaml": sla(),
                               "slas/other.yaml": sla(id="other")})
    repo.commit("Draft v2 (#2)", {"drafts/payments-api.yaml": sla(
        version=2, effective="2026-03-01", target=99.95)})
    repo.git("mv", "drafts/payments-api.yaml", PAY)
    repo.commit("Publish (#3)")
    head = gitlog.resolve(repo.path, "HEAD")
    got = gitlog.folder_logs(repo.path, head, "slas", [PAY])[PAY]
    assert got == gitlog.file_log(repo.path, PAY, head)
    _fresh()
    assert [(e.pr, e.renamed_from) for e in history(repo.path)["payments-api"]] == [
        (3, "drafts/payments-api.yaml"), (2, ""), (1, "")]


def test_every_commit_of_a_pull_request_is_checked_even_on_a_side_merged_away(
        tmp_path: Path) -> None:
    """``diff --pr`` reads the range with one log of the folder: a commit on a side branch
    whose text the merge did not keep is still checked (a merge commit keeps it in the
    history of the base branch), as when each commit was listed on its own."""
    from slacode.history import diff_revisions, pr_problems

    repo = Repo(tmp_path / "project")
    repo.commit("Add (#1)", {PAY: sla()}, date="2026-01-05T10:00:00+00:00")
    repo.git("checkout", "-q", "-b", "change")
    repo.commit("Bump", {PAY: sla(version=2, effective="2026-12-01", target=99.95)},
                date="2026-11-02T10:00:00+00:00")
    repo.git("checkout", "-q", "-b", "side", "main")
    side = repo.commit("Raise target in place", {PAY: sla(target=99.99)},
                       date="2026-11-03T10:00:00+00:00")
    repo.git("checkout", "-q", "change")
    repo.git("merge", "-q", "-s", "ours", "side", "-m", "Merge side (its text not kept)")
    d = diff_revisions(repo.path, "main", "change", each_commit=True)
    assert [c.commit for c in d.commits] == [side]
    assert any(f"commit {side[:7]}" in p.message for p in pr_problems(d))


def _two_cores_always(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every later load of many texts checks them in a forked worker, however few they
    are; the list fills with how many each such check took."""
    from slacode.load import prefetch

    checked: list[int] = []
    real = prefetch.prefetch
    monkeypatch.setattr(prefetch, "MIN_TEXTS", 1)
    # a fixture elsewhere in the suite may have left a thread waiting: this walk forks anyway
    monkeypatch.setattr(prefetch.threading, "active_count", lambda: 1)
    monkeypatch.setattr(prefetch, "prefetch",
                        lambda items, memo: checked.append(real(items, memo)) or checked[-1])
    return checked


def test_texts_checked_on_two_cores_give_the_same_history(
        evolved: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold walk of a long history checks its texts in a forked worker beside this
    process (``slacode.load.prefetch``); every version, position and change-log entry is
    what the walk one text at a time gives, and the next build finds the texts known."""
    from slacode.load.memo import HISTORY_FILE

    _fresh()
    one_by_one = versions(evolved.path), history(evolved.path)
    checked = _two_cores_always(monkeypatch)
    _fresh()
    cache = tmp_path / "cache"
    both = versions(evolved.path, cache=cache), history(evolved.path, cache=cache)
    assert both == one_by_one
    assert checked and checked[0] > 1  # the texts were checked beside the walk
    old, new = one_by_one[0]["payments-api"][0], both[0]["payments-api"][0]
    assert new.positions == old.positions
    assert (cache / HISTORY_FILE).is_file()  # what the worker checked is remembered


def test_a_diff_checks_a_tree_of_many_texts_on_two_cores_and_remembers_nothing_on_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``slacode diff`` loads BASE's whole tree of new texts: they are checked beside the
    walk as a cold history's are, the comparison is the one a text at a time gives, and
    its memo stays in memory (the project's cache folder is not written)."""
    from slacode.history import diff_revisions

    repo = Repo(tmp_path / "project")
    repo.commit("Add (#1)", {f"slas/svc-{i}.yaml": sla(id=f"svc-{i}") for i in range(6)},
                date="2026-01-05T10:00:00+00:00")
    repo.git("checkout", "-q", "-b", "change")
    repo.commit("Raise svc-2", {"slas/svc-2.yaml": sla(id="svc-2", target=99.95)},
                date="2026-11-02T10:00:00+00:00")

    def compare() -> list[tuple[str, list[str]]]:
        _fresh()
        versions_module = sys.modules["slacode.history.versions"]
        versions_module._memo_loader.cache_clear()
        d = diff_revisions(repo.path, "main", "change")
        return [(s.id, [c.what for c in s.changes]) for s in d.diffs]

    one_by_one = compare()
    checked = _two_cores_always(monkeypatch)
    assert compare() == one_by_one
    assert one_by_one == [("svc-2", ["monthly availability target 99.9% → 99.95%"])]
    assert checked[0] == 6  # BASE's six texts, beside the walk
    assert not (repo.path / ".slacode").exists()
