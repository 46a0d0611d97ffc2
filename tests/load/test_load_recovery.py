"""Recovery objectives in an agreement: the priorities they judge, the RTO and RPO they
judge by, and an RTO or RPO promised for named priorities that nothing measures."""

from __future__ import annotations

from slacode.load import load_text

PLATFORM = """\
id: platform
name: Platform
version: 1
effective: 2026-01-01
visibility: public
parties:
  provider: {name: Example Cloud}
service:
  description: A platform.
priorities:
  P1: {name: Critical}
continuity:
  rto: 4h
  rpo: 15m
  priorities: [P1]
objectives:
  - id: rto
    kind: recovery-time
    target: 100
    window: calendar-month
    source:
      incidents: {path: data/incidents.csv}
  - id: rpo
    kind: recovery-point
    target: 100
    window: calendar-month
    source:
      incidents: {path: data/incidents.csv}
"""


def _load(text: str) -> tuple[object, list[str]]:
    agreement, problems = load_text(text, "slas/platform.yaml")
    return agreement, [str(p) for p in problems]


def test_recovery_objectives_judge_the_named_priorities() -> None:
    agreement, problems = _load(PLATFORM)
    assert problems == []
    assert agreement.continuity.priorities == ("P1",)  # type: ignore[attr-defined]


def test_a_named_priority_missing_from_the_matrix_is_an_error_at_its_place() -> None:
    _a, problems = _load(PLATFORM.replace("priorities: [P1]", "priorities: [P0]"))
    assert problems == ["slas/platform.yaml:15:16: error: continuity.priorities[0]: priority "
                        "'P0' is not in the priority matrix (declared: P1)"]


def test_a_recovery_objective_without_named_priorities_is_an_error_at_its_kind() -> None:
    _a, problems = _load(PLATFORM.replace("  priorities: [P1]\n", ""))
    assert problems == [
        "slas/platform.yaml:17:11: error: objectives[0].kind: a recovery-time objective judges "
        "the incidents of continuity.priorities, and none are named: add "
        "continuity.priorities (e.g. [P1])",
        "slas/platform.yaml:23:11: error: objectives[1].kind: a recovery-point objective "
        "judges the incidents of continuity.priorities, and none are named: add "
        "continuity.priorities (e.g. [P1])"]


def test_a_recovery_point_objective_needs_an_rpo_to_judge_by() -> None:
    _a, problems = _load(PLATFORM.replace("  rpo: 15m\n", ""))
    assert problems == ["slas/platform.yaml:22:5: error: objectives[1]: a recovery-point "
                        "objective needs within or continuity.rpo"]


def test_an_rto_promised_for_named_priorities_that_nothing_measures_is_a_warning() -> None:
    text = PLATFORM.split("  - id: rpo")[0]
    _a, problems = _load(text)
    assert problems == ["slas/platform.yaml:14:8: warning: continuity.rpo: the RPO 15m is "
                        "promised for P1 incidents but no objective measures it: add an "
                        "objective of kind recovery-point"]


ESCALATING = PLATFORM + """\
  - id: escalation
    kind: escalation
    priority: P1
    target: 100
    window: calendar-month
    source:
      incidents: {path: data/incidents.csv}
escalation:
  - {level: 1, contact: oncall@example.com}
  - {level: 2, contact: lead@example.com, after: 1h}
"""


def test_an_escalation_objective_checks_the_timed_levels() -> None:
    agreement, problems = _load(ESCALATING)
    assert problems == []
    assert agreement.objective("escalation").priority == "P1"  # type: ignore[attr-defined]


def test_an_escalation_objective_without_a_timed_level_is_an_error_at_its_kind() -> None:
    _a, problems = _load(ESCALATING.replace(", after: 1h", ""))
    assert problems == ["slas/platform.yaml:30:11: error: objectives[2].kind: an escalation "
                        "objective checks the `after` of the escalation levels, and no level "
                        "has one"]


def test_an_escalation_objective_of_an_unknown_priority_is_an_error_at_it() -> None:
    _a, problems = _load(ESCALATING.replace("priority: P1", "priority: P9"))
    assert problems == ["slas/platform.yaml:31:15: error: objectives[2].priority: priority "
                        "'P9' is not in the priority matrix (declared: P1)"]
