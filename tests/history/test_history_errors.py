"""A git error in the history walk is a problem naming what lost its history, never
silence, and it costs only that file: a file once committed under a name with a line
break (git refuses ``REV:PATH`` with one) made *every* agreement lose its past versions,
and a strict build still passed."""

from __future__ import annotations

from gitrepo import Repo, sla

from slacode import history
from slacode.history import gitlog

BAD = "slas/status\nweb.yaml"


def _repo(repo: Repo) -> Repo:
    repo.commit("Add payments v1", {"slas/payments-api.yaml": sla(version=1)})
    repo.commit("Add status", {BAD: sla(id="status-web", version=1)})
    repo.commit("Payments v2", {"slas/payments-api.yaml": sla(version=2, effective="2026-06-01",
                                                              target=99.95)})
    repo.git("mv", BAD, "slas/status-web.yaml")
    repo.commit("Rename status to a name git and CODEOWNERS can carry")
    return repo


def test_a_file_git_cannot_read_the_history_of_is_a_problem_and_costs_only_itself(
    repo: Repo,
) -> None:
    _repo(repo)
    got = history.versions(repo.path)
    assert [a.version for a in got["payments-api"]] == [1, 2]  # untouched by the other file
    assert "status-web" not in got
    assert "payments-api" in history.history(repo.path)
    (problem,) = history.problems(repo.path)
    assert (problem.path, problem.severity, problem.code) == (
        "slas/status-web.yaml", "warning", history.HISTORY_ERROR)
    assert problem.message == ("history not read: invalid object name "
                               f"{(gitlog.resolve(repo.path, 'HEAD~1') + ':' + BAD)!r}; its "
                               "change log and past versions are missing from this build")
    assert "\n" not in str(problem)


def test_a_revision_git_cannot_resolve_is_a_problem_of_the_whole_folder(repo: Repo) -> None:
    _repo(repo)
    (problem,) = history.problems(repo.path, rev="no-such-branch")
    assert problem.path == "slas" and problem.code == history.HISTORY_ERROR
    assert "unknown revision 'no-such-branch'" in problem.message
    assert "every agreement's change log and past versions are missing" in problem.message


def test_history_without_errors_has_no_problems(repo: Repo) -> None:
    repo.commit("Add payments v1", {"slas/payments-api.yaml": sla(version=1)})
    assert history.problems(repo.path) == ()
