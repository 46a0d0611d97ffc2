"""Random and mutated documents: the loader reports problems, it never raises or hangs."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from load_helpers import ROOT

from slacode.load import load_text

SAMPLE = (ROOT / "slas" / "support-desk.yaml").read_text(encoding="utf-8")
LINES = SAMPLE.splitlines(keepends=True)
# A few seconds in all: each example is a whole agreement through parse, schema and lint.
FUZZ = settings(max_examples=40, deadline=timedelta(seconds=2), derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

YAMLISH = st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`, \n\tabcP1.9?~\\")),
                  max_size=200)


def _check(data: str | bytes) -> None:
    agreement, problems = load_text(data, "fuzz.yaml")
    assert agreement is not None or any(p.severity == "error" for p in problems)
    for p in problems:
        assert p.path == "fuzz.yaml" and p.line >= 0 and p.col >= 0 and p.message


@settings(FUZZ, max_examples=150)
@given(st.one_of(YAMLISH, st.text(max_size=300), st.binary(max_size=300)))
def test_random_input_never_raises(data: str | bytes) -> None:
    _check(data)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "dup", "insert", "indent", "dedent", "chars"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(i, draw(YAMLISH) + "\n")
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i].lstrip()
        else:
            j = draw(st.integers(0, max(len(lines[i]) - 1, 0)))
            lines[i] = lines[i][:j] + draw(YAMLISH) + lines[i][j + 1:]
        if not lines:
            lines = [""]
    return "".join(lines)


@FUZZ
@given(mutated())
def test_mutated_samples_never_raise(text: str) -> None:
    _check(text)


@FUZZ
@given(st.sampled_from(["target", "within", "window", "clock", "priority", "hours", "effective",
                        "min_responses", "weekdays", "holidays", "scale"]),
       st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                 st.text(max_size=20), st.booleans(), st.none()))
def test_any_value_in_any_field_never_raises(field: str, value: object) -> None:
    import json

    lines = [f"{line.split(':')[0]}: {json.dumps(value)}\n" if line.strip().startswith(f"{field}:")
             else line for line in LINES]
    _check("".join(lines))
