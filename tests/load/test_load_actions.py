"""Improvement actions (``actions/<service>.yaml``): every mistake a reviewer would miss
is named at its line and column, an open action past its due date is a warning naming
it (at the project's "now", never the clock), and past the grace it gets the code a
strict build fails on. The actions folder is never read as agreements."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from load_helpers import MINIMAL, run_cli

from slacode.durations import Duration
from slacode.load import load_agreements
from slacode.load.actions import OVERDUE, OVERDUE_GRACE, load_actions

TODAY = date(2026, 11, 26)

GOOD = """\
actions:
  - id: ACT-1
    title: Add a second region
    objective: availability
    period: 2026-03
    owner: team-sre
    due: 2026-05-01
    status: done
    link: https://tracker.example.com/ACT-1
"""


def _project(tmp_path: Path, actions: str, name: str = "minimal.yaml") -> Path:
    (tmp_path / "slas").mkdir(exist_ok=True)
    (tmp_path / "slas" / "minimal.yaml").write_text(MINIMAL)
    (tmp_path / "actions").mkdir(exist_ok=True)
    (tmp_path / "actions" / name).write_text(actions)
    return tmp_path


def _check(tmp_path: Path, actions: str, name: str = "minimal.yaml", grace: str = "14d"):
    root = _project(tmp_path, actions, name)
    loaded = load_agreements([root / "slas"], root=root)
    assert loaded.ok
    return load_actions(root, loaded.agreements, TODAY, Duration.parse(grace))


def test_a_good_actions_file_gives_its_actions_and_no_problem(tmp_path: Path) -> None:
    found = _check(tmp_path, GOOD)
    assert found.problems == ()
    (x,) = found.of("minimal")
    assert (x.id, x.objective, x.period, x.status, x.owner) == (
        "ACT-1", "availability", "2026-03", "done", "team-sre")
    assert x.due == date(2026, 5, 1) and x.path == "actions/minimal.yaml"


def test_without_an_actions_folder_there_is_nothing_to_check(tmp_path: Path) -> None:
    (tmp_path / "slas").mkdir()
    (tmp_path / "slas" / "minimal.yaml").write_text(MINIMAL)
    loaded = load_agreements([tmp_path / "slas"], root=tmp_path)
    assert load_actions(tmp_path, loaded.agreements, TODAY).actions == ()


@pytest.mark.parametrize(("old", "new", "where", "says"), [
    ("objective: availability", "objective: availabilty", "4:16",
     "has no objective 'availabilty'"),
    ("period: 2026-03", "period: 2026-Q1", "5:13", "whose window is calendar-month"),
    ("period: 2026-03", "period: 2027-01", "5:13", "has not started at 2026-11-26"),
    ("link: https://tracker.example.com/ACT-1", "link: javascript:alert(1)", "9:11",
     "is not an http:// or https:// URL"),
    ("status: done", "status: finished", "8:13", "status"),
    ("    owner: team-sre\n", "", "2:5", "missing required field 'owner'"),
])
def test_each_mistake_is_an_error_at_its_line_and_column(
    tmp_path: Path, old: str, new: str, where: str, says: str
) -> None:
    found = _check(tmp_path, GOOD.replace(old, new))
    errors = [p for p in found.problems if p.severity == "error"]
    assert errors, found.problems
    assert f"{errors[0].line}:{errors[0].col}" == where, errors
    assert says in errors[0].message
    assert found.actions == ()


def test_a_duplicate_id_is_an_error_naming_where_it_was_first_given(tmp_path: Path) -> None:
    found = _check(tmp_path, GOOD + GOOD.removeprefix("actions:\n"))
    (p,) = found.problems
    assert (p.path, p.line, p.col, p.severity) == ("actions/minimal.yaml", 10, 5, "error")
    assert "ACT-1" in p.message and "actions/minimal.yaml:2:5" in p.message
    assert len(found.actions) == 1


def test_a_file_named_after_no_agreement_is_an_error(tmp_path: Path) -> None:
    found = _check(tmp_path, GOOD, name="minimall.yaml")
    (p,) = found.problems
    assert (p.path, p.line, p.severity) == ("actions/minimall.yaml", 1, "error")
    assert "no agreement has the id 'minimall'" in p.message


def test_an_open_action_past_due_is_a_warning_and_past_the_grace_its_own_code(
    tmp_path: Path,
) -> None:
    late = GOOD.replace("status: done", "status: open").replace("2026-05-01", "2026-11-20")
    (p,) = _check(tmp_path, late).problems
    assert (p.severity, p.code, p.line, p.col) == ("warning", OVERDUE, 2, 5)
    assert "action ACT-1" in p.message and "due on 2026-11-20, 6 days ago" in p.message
    (p,) = _check(tmp_path, late, grace="5d").problems
    assert (p.severity, p.code) == ("warning", OVERDUE_GRACE)
    assert "more than the 5d of grace" in p.message
    # done or dropped actions are not overdue, whatever their date
    assert _check(tmp_path, late.replace("status: open", "status: dropped"), grace="1d"
                  ).problems == ()


def test_validate_reports_the_actions_at_the_projects_now_and_fails_on_an_error(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path, GOOD.replace("status: done", "status: open"))
    (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - slacode:\n"
                                     "      now: '2026-05-03T00:00:00Z'\n")
    r = run_cli("validate", cwd=root)
    assert "actions/minimal.yaml:2:5: warning: action ACT-1" in r.stdout
    assert "2 days ago" in r.stdout and r.returncode == 0
    r = run_cli("validate", "--now", "2026-04-30", cwd=root)
    assert "ACT-1" not in r.stdout
    (root / "actions" / "minimal.yaml").write_text(GOOD.replace("2026-03", "2026-3"))
    r = run_cli("validate", cwd=root)
    assert r.returncode == 1
    assert "actions/minimal.yaml:5:13: error:" in r.stdout
