"""A customer's acceptance of a version: who and when, both required, at line:col."""

from __future__ import annotations

from test_load_complaints import DESK, _load


def test_an_acceptance_needs_who_and_when() -> None:
    agreement, problems = _load(DESK + "acceptance: {by: ACME IT, date: 2026-10-20}\n")
    assert problems == []
    assert agreement.acceptance.by == "ACME IT"  # type: ignore[attr-defined]
    _a, problems = _load(DESK + "acceptance: {by: ACME IT}\n")
    assert problems == ["slas/desk.yaml:31:13: error: acceptance: missing required field "
                        "'date'"]
