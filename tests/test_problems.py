"""Problem codes are one type, and one rule decides what fails a strict run.

The JSON outputs (``validate``, ``pull``, ``evaluate``) carry each problem's code as a
string that tools match on; the strict build, ``slacode pull --strict`` and the pull
stage's ``strict: true`` must agree on which problems stop them."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from slacode.load.schema import keyword_code
from slacode.problems import (
    GAP_CODES,
    STOPS,
    Code,
    Problem,
    Strict,
    as_errors,
    strict_failures,
)

PACKAGE = Path(__file__).resolve().parents[1] / "slacode"
SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def problem(code: Code | str, severity: str = "warning") -> Problem:
    return Problem("slas/a.yaml", 3, 5, severity, f"something about {code}", code)  # type: ignore[arg-type]


def test_a_code_reads_and_prints_as_the_string_tools_match_on() -> None:
    p = problem(Code.YAML_DUPLICATE_KEY, "error")
    assert p.as_dict()["code"] == "yaml.duplicate-key"
    assert json.loads(json.dumps(p.as_dict()))["code"] == "yaml.duplicate-key"
    assert Code("lint.target-range") is Code.LINT_TARGET_RANGE
    assert p.code == "yaml.duplicate-key"  # compared as its string, too


def test_each_code_is_one_case() -> None:
    values = [c.value for c in Code]
    assert len(values) == len(set(values))
    # the ledger's disputes and its orphaned records are told apart (one used to borrow
    # the other's code so that a strict build would stop on it)
    assert Code.LEDGER_ORPHAN.strict is Strict.STOPS
    assert Code.LEDGER_CANDIDATE.strict is Strict.AFTER_PUBLISHING


def test_every_problem_slacode_reports_names_its_code() -> None:
    """A problem without a code cannot be matched by a tool nor judged by the strict rule."""
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "Problem" and len(node.args) < 6
                    and not any(k.arg == "code" for k in node.keywords)):
                missing.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert not missing, missing


def test_every_schema_keyword_that_can_fail_has_a_code_of_its_own() -> None:
    used: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            used.update(k for k in node if isinstance(k, str))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for f in SCHEMAS.rglob("*.json"):
        walk(json.loads(f.read_text(encoding="utf-8")))
    keywords = used & {"type", "enum", "const", "pattern", "format", "minimum", "maximum",
                       "minLength", "maxLength", "minItems", "maxItems", "uniqueItems",
                       "required", "additionalProperties", "minProperties", "maxProperties",
                       "allOf", "anyOf", "oneOf", "not", "contains", "items"}
    assert {"type", "required", "enum", "pattern"} <= keywords
    for kw in keywords:
        assert keyword_code(kw) == f"schema.{kw}"
    assert keyword_code("someFutureKeyword") is Code.SCHEMA_OTHER


@pytest.mark.parametrize("code", [Code.PULL_FAULT, Code.LEDGER_ORPHAN, Code.CONFIG_AUDIENCE,
                                  Code.HISTORY_ERROR, Code.LEDGER_CANDIDATE])
def test_a_strict_build_fails_on_a_failed_source_orphans_nobody_lost_history_and_disputes(
    code: Code,
) -> None:
    p = problem(code)
    assert strict_failures([p]) == (p,)


def test_data_that_is_simply_absent_fails_only_when_every_gap_must() -> None:
    gap, warned = problem(Code.PULL_GAP), problem(Code.PULL_WARNING)
    lint = problem(Code.LINT_REVIEW_OVERDUE)
    assert strict_failures([gap, warned, lint]) == ()
    assert strict_failures([gap, warned, lint], gaps=True) == (gap,)
    assert {Code.PULL_GAP, Code.PULL_FAULT} == GAP_CODES


def test_errors_always_fail_and_order_is_kept() -> None:
    err, fault = problem(Code.PULL_BAD_ROW, "error"), problem(Code.PULL_FAULT)
    assert strict_failures([fault, err]) == (fault, err)
    assert strict_failures([problem(Code.NONE, "error")]) == (problem(Code.NONE, "error"),)


def test_a_code_given_as_a_plain_string_is_judged_the_same() -> None:
    assert strict_failures([problem("pull.fault")]) == (problem("pull.fault"),)


def test_as_errors_makes_each_strict_failure_an_error_and_leaves_the_rest() -> None:
    gap, warned = problem(Code.PULL_GAP), problem(Code.PULL_WARNING)
    out = as_errors([gap, warned], gaps=True)
    assert [(p.code, p.severity) for p in out] == [(Code.PULL_GAP, "error"),
                                                  (Code.PULL_WARNING, "warning")]
    assert as_errors([gap, warned]) == (gap, warned)


def test_a_strict_build_names_a_failed_source_first() -> None:
    assert STOPS[0] is Code.PULL_FAULT
    assert set(STOPS) == {Code.PULL_FAULT, Code.LEDGER_ORPHAN, Code.CONFIG_AUDIENCE,
                          Code.HISTORY_ERROR, Code.ACTIONS_OVERDUE_GRACE}
