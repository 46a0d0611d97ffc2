"""Complaint objectives in an agreement: what they need, what they may not have, and the
clock they count on when none is written (schema and lint, at line:col)."""

from __future__ import annotations

from slacode.load import load_text

DESK = """\
id: desk
name: Desk
version: 1
effective: 2026-01-01
visibility: public
parties:
  provider: {name: Example Cloud}
service:
  description: A help desk.
calendars:
  office: {timezone: Europe/Berlin, hours: 09:00-17:00}
support:
  hours: office
complaints: complaints@example.com
objectives:
  - id: complaint-ack
    kind: complaint-response
    within: 1d
    target: 90
    window: calendar-month
    source:
      complaints: {path: data/complaints.csv}
  - id: complaint-fix
    kind: complaint-resolution
    within: 2w
    clock: 24x7
    target: 80
    window: calendar-month
    source:
      complaints: {path: data/complaints.csv}
"""


def _load(text: str) -> tuple[object, list[str]]:
    agreement, problems = load_text(text, "slas/desk.yaml")
    return agreement, [str(p) for p in problems]


def test_a_complaint_objective_counts_on_the_support_hours_unless_it_names_a_clock() -> None:
    agreement, problems = _load(DESK)
    assert problems == []
    ack = agreement.objective("complaint-ack")  # type: ignore[attr-defined]
    fix = agreement.objective("complaint-fix")  # type: ignore[attr-defined]
    assert (ack.kind, ack.clock, str(ack.within)) == ("complaint-response", "office", "1d")
    assert (fix.source.kind, fix.source.path, fix.clock) == (
        "complaints", "data/complaints.csv", "24x7")


def test_a_complaint_objective_without_within_is_a_schema_error_at_the_objective() -> None:
    _a, problems = _load(DESK.replace("    within: 1d\n", ""))
    assert problems == ["slas/desk.yaml:16:5: error: objectives[0]: missing required field "
                        "'within'"]


def test_a_priority_on_a_complaint_objective_is_an_error_at_its_line() -> None:
    _a, problems = _load(DESK.replace("    within: 1d\n", "    within: 1d\n    priority: P1\n"))
    assert problems == ["slas/desk.yaml:19:15: error: objectives[0].priority: does not apply "
                        "to a complaint-response objective"]


def test_complaints_cannot_be_measured_from_incident_records_and_vice_versa() -> None:
    text = DESK.replace("      complaints: {path: data/complaints.csv}\n  - id: complaint-fix",
                        "      incidents: {path: data/incidents.csv}\n  - id: complaint-fix")
    _a, problems = _load(text)
    assert problems == ["slas/desk.yaml:22:18: error: objectives[0].source.incidents: a "
                        "complaint-response objective cannot be measured from incidents "
                        "(use complaints)"]


def test_an_unknown_clock_of_a_complaint_objective_is_an_error_at_the_clock() -> None:
    _a, problems = _load(DESK.replace("    clock: 24x7\n", "    clock: ofice\n"))
    assert problems == ["slas/desk.yaml:26:12: error: objectives[1].clock: unknown calendar "
                        "'ofice' (did you mean 'office'?); declare it under calendars or use 24x7"]


def test_a_complaint_source_without_a_path_is_a_schema_error() -> None:
    _a, problems = _load(DESK.replace("complaints: {path: data/complaints.csv}\n  - id: "
                                      "complaint-fix", "complaints: {}\n  - id: complaint-fix"))
    assert problems == ["slas/desk.yaml:22:19: error: objectives[0].source.complaints: missing "
                        "required field 'path'"]

