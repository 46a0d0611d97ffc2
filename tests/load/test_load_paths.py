"""Data file paths stay inside the project: validate names an absolute path, or one whose
``..`` climbs out, at its line:col, so a pull request cannot make CI read any file."""

from __future__ import annotations

import pytest
from load_helpers import MINIMAL

from slacode.load import load_text

SURVEY = """\
  - id: satisfaction
    kind: satisfaction
    method: mean
    target: 4.2
    window: calendar-month
    source:
      survey: {path: PATH}
"""
INCIDENTS = """\
  - id: p1-response
    kind: response-time
    priority: P1
    within: 15m
    target: 100
    window: calendar-quarter
    source:
      incidents: {path: PATH}
priorities:
  P1: {name: Critical, response: 15m}
"""


def _problems(text: str) -> list[str]:
    _, problems = load_text(text, "x.yaml")
    return [str(p) for p in problems if p.code == "lint.source-path"]


def _with_file_path(path: str) -> str:
    return MINIMAL.replace("data/minimal.csv", path)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/etc/passwd", "'/etc/passwd' is absolute: give the data file's path relative to the "
                        "project folder"),
        ("../../../../etc/passwd", "'../../../../etc/passwd' leads outside the project folder: "
                                   "data files must be inside it"),
        ("data/../../secrets.csv", "'data/../../secrets.csv' leads outside the project folder: "
                                   "data files must be inside it"),
        ("C:/Users/ci/token.csv", "'C:/Users/ci/token.csv' is absolute: give the data file's path "
                                  "relative to the project folder"),
    ],
)
def test_a_file_path_outside_the_project_is_an_error_at_its_position(path, message) -> None:
    text = _with_file_path(path)
    line = text.splitlines().index(f"      file: {{path: {path}}}") + 1
    col = len("      file: {path: ") + 1
    assert _problems(text) == [
        f"x.yaml:{line}:{col}: error: objectives[0].source.file.path: {message}"]


@pytest.mark.parametrize("path", ["data/minimal.csv", "data/../data/minimal.csv",
                                  "./data/x.csv", "data/..file.csv"])
def test_a_path_inside_the_project_is_fine(path) -> None:
    assert _problems(_with_file_path(path)) == []


@pytest.mark.parametrize(("block", "kind"), [(SURVEY, "survey"), (INCIDENTS, "incidents")])
def test_incidents_and_survey_paths_are_checked_too(block, kind) -> None:
    text = MINIMAL + block.replace("PATH", "../../home/runner/.ssh/id_rsa")
    (problem,) = _problems(text)
    line = text.splitlines().index(f"      {kind}: {{path: ../../home/runner/.ssh/id_rsa}}") + 1
    assert problem.startswith(f"x.yaml:{line}:{len(kind) + 16}: error: objectives[1].source."
                              f"{kind}.path: '../../home/runner/.ssh/id_rsa' leads outside")


def test_a_path_outside_the_project_stops_the_agreement_from_loading() -> None:
    agreement, _ = load_text(_with_file_path("/etc/passwd"), "x.yaml")
    assert agreement is None
