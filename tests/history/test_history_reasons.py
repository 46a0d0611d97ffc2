"""Each change carries its reason: the pull request's title where the history records one
(a merge commit's body, a squash commit's subject, a GitLab merge request), else the
commit's own subject."""

from __future__ import annotations

import pytest
from gitrepo import Repo, sla

from slacode.history import history
from slacode.history.gitlog import pr_titles, reason_of

PATH = "slas/payments-api.yaml"


@pytest.fixture(scope="module")
def evolved(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """Merged as a GitHub merge commit (#12), a squash (#13), a GitLab merge (!7), a commit."""
    repo = Repo(tmp_path_factory.mktemp("reasons") / "project")
    repo.commit("Add payments API agreement", {PATH: sla()}, date="2026-01-05T09:00:00+00:00")
    repo.git("checkout", "-q", "-b", "raise")
    repo.commit("wip: bump", {PATH: sla(version=2, effective="2026-03-01", target=99.95)},
                date="2026-02-10T10:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "raise", "-m", "Merge pull request #12 from bob/raise",
             "-m", "Raise the availability target to 99.95 %", date="2026-02-12T10:00:00+00:00")
    repo.commit("Longer P1 response for the night shift (#13)", {PATH: sla(
        version=3, effective="2026-05-01", target=99.95, p1_response="30m")},
        date="2026-04-01T10:00:00+00:00")
    repo.git("checkout", "-q", "-b", "mr")
    repo.commit("tweak", {PATH: sla(version=4, effective="2026-07-01", target=99.95,
                                    p1_response="30m", notice="14d")},
                date="2026-06-01T10:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "mr", "-m", "Merge branch 'mr' into 'main'",
             "-m", "Two weeks' notice of maintenance", "-m", "See merge request cloud/slas!7",
             date="2026-06-02T10:00:00+00:00")
    repo.commit("Fix a typo in the scope", {PATH: sla(
        version=4, effective="2026-07-01", target=99.95, p1_response="30m", notice="14d",
        scope=("REST API", "Webhooks", "Card vault"))}, date="2026-06-20T10:00:00+00:00")
    return repo


def test_the_reason_is_the_pull_request_title_else_the_subject(evolved: Repo) -> None:
    entries = history(evolved.path)["payments-api"]
    got = [(e.version, e.pr, e.reason) for e in entries]
    assert got == [
        (4, None, "Fix a typo in the scope"),
        (4, 7, "Two weeks' notice of maintenance"),  # not the branch commit's "tweak"
        (3, 13, "Longer P1 response for the night shift"),  # without "(#13)"
        (2, 12, "Raise the availability target to 99.95 %"),  # not "wip: bump"
        (1, None, "Add payments API agreement"),
    ]
    assert entries[3].subject == "wip: bump"  # the commit's own subject is kept too


def test_pr_titles_and_reason_of(evolved: Repo) -> None:
    assert pr_titles(evolved.path, "HEAD") == {
        12: "Raise the availability target to 99.95 %",
        13: "Longer P1 response for the night shift",
        7: "Two weeks' notice of maintenance"}
    assert reason_of("Raise target (#12)") == "Raise target"
    assert reason_of("Raise target") == "Raise target"
