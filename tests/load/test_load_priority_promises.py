"""The priority matrix and the incident objectives that measure it: same clock, no
promise left unmeasured."""

from __future__ import annotations

from load_helpers import ROOT, run_cli

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
priorities:
  P2: {response: 2h, resolution: 1d, clock: office}
objectives:
  - id: p2-response
    kind: response-time
    priority: P2
    within: 2h
    target: 95
    window: calendar-month
    source:
      incidents: {path: data/incidents.csv}
  - id: p2-resolution
    kind: resolution-time
    priority: P2
    within: 1d
    target: 90
    window: calendar-month
    source:
      incidents: {path: data/incidents.csv}
"""


def _load(text: str) -> tuple[object, list[str]]:
    agreement, problems = load_text(text, "slas/desk.yaml")
    return agreement, [str(p) for p in problems]


def test_an_objective_without_a_clock_takes_its_priority_rows_clock() -> None:
    agreement, problems = _load(DESK)
    assert problems == []
    assert {o.id: o.clock for o in agreement.objectives} == {  # type: ignore[attr-defined]
        "p2-response": "office", "p2-resolution": "office"}


def test_a_clock_other_than_the_rows_is_a_warning_at_the_objectives_clock() -> None:
    text = DESK.replace("    within: 2h\n", "    within: 2h\n    clock: 24x7\n")
    agreement, problems = _load(text)
    assert agreement.objective("p2-response").clock == "24x7"  # type: ignore[attr-defined]
    assert problems == [
        "slas/desk.yaml:19:12: warning: objectives[0].clock: clock 24x7 differs from the "
        "priority matrix's P2 clock office: the response time would be counted differently "
        "from what the matrix promises"]


def test_the_rows_own_clock_given_again_is_no_warning() -> None:
    _, problems = _load(DESK.replace("    within: 1d\n", "    within: 1d\n    clock: office\n"))
    assert problems == []


def test_a_promise_no_objective_measures_is_a_warning_at_its_cell() -> None:
    start = DESK.index("  - id: p2-resolution")
    _, problems = _load(DESK[:start])
    assert problems == [
        "slas/desk.yaml:13:34: warning: priorities.P2.resolution: P2 resolution within 1d is "
        "promised but no objective measures it: add an objective of kind resolution-time with "
        "priority P2, or remove the promise"]


def test_a_row_without_times_promises_nothing_to_measure() -> None:
    end = DESK.index("objectives:")
    text = DESK[:end].replace("{response: 2h, resolution: 1d, clock: office}",
                              "{name: High, clock: office}") + """\
objectives:
  - id: availability
    kind: availability
    target: 99.9
    window: calendar-month
    source:
      file: {path: data/desk.csv}
"""
    _, problems = _load(text)
    assert problems == []


def test_the_bundled_agreements_measure_every_promise_of_their_matrix() -> None:
    r = run_cli("validate", cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no objective measures it" not in r.stdout + r.stderr
    # the three warnings: the demo's windows announced late (payments-api, globex-exports),
    # shown on their pages as downtime, and its one improvement action overdue within grace
    assert "0 errors, 3 warnings" in r.stderr
    assert "action SD-ACT-3" in r.stdout
    assert "maintenance.windows[1].announced: announced 2026-11-06T16:00:00+00:00, less " \
        "than the agreed 7 days ahead" in r.stdout
