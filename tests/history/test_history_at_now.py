"""A build pinned to a time T describes the history as it stood at T: a change merged
after T is not listed (page, feed, JSON) nor applied, and a version merged before T that
takes effect after it stays announced as coming."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitrepo import Repo, sla

from slacode import pipeline
from slacode.config import Settings
from slacode.load import load_text
from slacode.render import feeds, render

PATH = "slas/payments-api.yaml"
NOW = "2026-06-15T00:00:00Z"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """v1 in January, v2 merged in May effective July (coming at NOW), v3 merged after NOW."""
    repo = Repo(tmp_path_factory.mktemp("at-now") / "project")
    repo.commit("Add the payments agreement", {PATH: sla(version=1, effective="2026-01-01")},
                date="2026-01-05T09:00:00+00:00")
    repo.commit("Raise availability from July (#7)",
                {PATH: sla(version=2, effective="2026-07-01", target=99.95)},
                date="2026-05-20T09:00:00+00:00")
    repo.commit("Longer P1 response (#9)",
                {PATH: sla(version=3, effective="2026-08-01", target=99.95, p1_response="30m")},
                date="2026-06-20T09:00:00+00:00")
    return repo


def _settings(repo: Repo, now: str) -> Settings:
    return Settings(root=repo.path, now=now, cache=str(repo.path.parent / "cache"))


def test_changes_merged_after_now_are_not_listed_nor_applied(project: Repo) -> None:
    settings = _settings(project, NOW)
    log = pipeline.change_log(settings)["payments-api"]
    assert [e.version for e in log] == [2, 1]  # v3 came on 2026-06-20, after now
    assert all(e.date.isoformat() <= "2026-06-15" for e in log)
    versions = pipeline.past_versions(settings)["payments-api"]
    assert [v.version for v in versions] == [1, 2]
    # a build a week later sees the third version
    later = _settings(project, "2026-06-22T00:00:00Z")
    assert [e.version for e in pipeline.change_log(later)["payments-api"]] == [3, 2, 1]
    # before the first commit there is no history at all, and nothing went wrong
    early = _settings(project, "2025-12-01T00:00:00Z")
    assert pipeline.change_log(early) == {} and pipeline.past_versions(early) == {}
    assert pipeline.history_problems(early) == ()


def test_the_page_feed_and_json_never_show_a_later_change(project: Repo) -> None:
    settings = _settings(project, NOW)
    text = (project.path / PATH).read_text(encoding="utf-8")
    current, problems = load_text(text, PATH)
    assert current is not None, problems
    # the work tree holds v3; at NOW the agreement merged is v2 (coming), v1 in force
    agreement = pipeline.past_versions(settings)["payments-api"][-1]
    files = render([agreement], (), now=NOW, history=pipeline.change_log(settings),
                   versions=pipeline.past_versions(settings))
    page = files["services/payments-api.md"]
    assert "Longer P1 response" not in page and "2026-06-20" not in page
    assert "Raise availability from July" in page
    assert "Version 2 takes effect" in page  # merged before now, effective after: coming
    assert "services/payments-api/v3.md" not in files
    for name in ("feed.xml", feeds.service_path("payments-api"), "api/payments-api.json"):
        assert "Longer P1 response" not in files[name] and "2026-06-20" not in files[name]


def test_a_merge_after_now_of_a_branch_made_before_it_is_not_listed(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "p")
    repo.commit("Add the payments agreement", {PATH: sla(version=1, effective="2026-01-01")},
                date="2026-01-05T09:00:00+00:00")
    repo.git("checkout", "-q", "-b", "raise")
    repo.commit("wip", {PATH: sla(version=2, effective="2026-07-01", target=99.95)},
                date="2026-06-01T10:00:00+00:00")  # written before now ...
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "raise", "-m", "Merge pull request #3 from a/raise",
             date="2026-06-18T10:00:00+00:00")  # ... merged after it
    settings = _settings(repo, NOW)
    assert [e.version for e in pipeline.change_log(settings)["payments-api"]] == [1]
    assert [v.version for v in pipeline.past_versions(settings)["payments-api"]] == [1]


def test_a_build_on_the_clock_reads_the_history_to_its_tip(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a pinned time nothing is cut: a commit stamped ahead by another machine's
    clock is still the project's latest change."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = Repo(tmp_path / "p")
    repo.commit("Add it", {PATH: sla(version=1, effective="2026-01-01")},
                date="2026-01-05T09:00:00+00:00")
    repo.commit("Stamped ahead (#2)", {PATH: sla(version=2, effective="2026-07-01")},
                date="2099-01-01T00:00:00+00:00")
    settings = Settings(root=repo.path, cache=str(tmp_path / "cache"))
    assert [e.version for e in pipeline.change_log(settings)["payments-api"]] == [2, 1]
