"""Random and mutated documents through the loader and validator: problems, never an
exception, never a run past its bound.

Reproducible and bounded:

* a seed database kept in the repository (``tests/load/hypothesis-db``), replayed
  read-only by ``test_the_seed_database_replays_without_an_exception``: every file of the
  hostile corpus as raw bytes (alias bombs, deep nesting, ``%YAML 1.1``, tags, .nan,
  invalid UTF-8, ...) and a fixed set of drawn documents. It is written by
  ``python tests/load/fuzz_seed.py``; run that again after changing that test (Hypothesis
  files examples under a digest of the test's source) or the corpus, or
  ``test_every_seed_is_replayed`` fails;
* generation with ``derandomize=True``: the same examples on every run and machine, so a
  failure reproduces as it is printed (add the document to ``corpus/`` to keep it).
  (Hypothesis turns the database off for a derandomized test, hence the split.);
* ``max_examples`` per test, and a time budget per test (``BUDGET`` seconds of checking;
  examples after it are drawn but not run, so a slow machine checks fewer, never hangs);
* a watchdog per call: one document that takes longer than ``CALL_BOUND`` seconds fails
  the test as a hang, wherever it is stuck.
"""

from __future__ import annotations

import json
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase, ReadOnlyDatabase
from load_helpers import ROOT

from slacode.load import load_text

SEED_DB = Path(__file__).parent / "hypothesis-db"
#: seconds of checking per fuzz test; the examples after it are skipped
BUDGET = 15.0
#: seconds one document may take through parse, schema and lint before it counts as a hang
CALL_BOUND = 10

SAMPLE = (ROOT / "slas" / "support-desk.yaml").read_text(encoding="utf-8")
LINES = SAMPLE.splitlines(keepends=True)
# the watchdog bounds each call; wall-clock deadlines flake on busy machines
GENERATE = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
REPLAY = settings(max_examples=1000, deadline=None, phases=[Phase.reuse],
                  database=ReadOnlyDatabase(DirectoryBasedExampleDatabase(SEED_DB)))

YAMLISH = st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`, \n\tabcP1.9?~\\")),
                  max_size=200)
RANDOM_INPUT = st.one_of(YAMLISH, st.text(max_size=300), st.binary(max_size=4096))
FIELDS = ["target", "within", "window", "clock", "priority", "hours", "effective",
          "min_responses", "weekdays", "holidays", "scale"]
VALUES = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                   st.text(max_size=20), st.booleans(), st.none())


class Hang(BaseException):
    """Raised by the watchdog; a BaseException so no ``except Exception`` can swallow it."""


@contextmanager
def watchdog(seconds: int) -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise Hang(f"one document took more than {seconds}s")

    before = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


class Budget:
    def __init__(self, seconds: float) -> None:
        self.seconds, self.start, self.checked = seconds, 0.0, 0

    def spent(self) -> bool:
        if not self.start:
            self.start = time.monotonic()
        return time.monotonic() - self.start > self.seconds


BUDGETS = {name: Budget(BUDGET) for name in ("seeds", "random", "mutated", "values")}


def _check(data: str | bytes, budget: Budget) -> None:
    if budget.spent():
        return
    budget.checked += 1
    try:
        with watchdog(CALL_BOUND):
            agreement, problems = load_text(data, "fuzz.yaml")
    except Hang as exc:
        raise AssertionError(f"{exc}: {data[:200]!r}") from None
    assert agreement is not None or any(p.severity == "error" for p in problems)
    for p in problems:
        assert p.path == "fuzz.yaml" and p.line >= 0 and p.col >= 0 and p.message
        assert "\n" not in p.message  # one line each, as CI annotations need


@REPLAY
@given(RANDOM_INPUT)
def test_the_seed_database_replays_without_an_exception(data: str | bytes) -> None:
    _check(data, BUDGETS["seeds"])


@settings(GENERATE, max_examples=150)
@given(RANDOM_INPUT)
def test_random_input_never_raises(data: str | bytes) -> None:
    _check(data, BUDGETS["random"])


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


@GENERATE
@given(mutated())
def test_mutated_samples_never_raise(text: str) -> None:
    _check(text, BUDGETS["mutated"])


@GENERATE
@given(st.sampled_from(FIELDS), VALUES)
def test_any_value_in_any_field_never_raises(field: str, value: object) -> None:
    lines = [f"{line.split(':')[0]}: {json.dumps(value)}\n" if line.strip().startswith(f"{field}:")
             else line for line in LINES]
    _check("".join(lines), BUDGETS["values"])


def test_every_seed_is_replayed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The database is filed under the replay test's current key and every entry runs."""
    from fuzz_seed import database_key

    seeds = list(DirectoryBasedExampleDatabase(SEED_DB).fetch(
        database_key(test_the_seed_database_replays_without_an_exception)))
    corpus = {f.read_bytes() for f in (Path(__file__).parent / "corpus").glob("*.yaml")}
    assert len(seeds) >= len(corpus) >= 40, "run tests/load/fuzz_seed.py"
    seen: list[str | bytes] = []
    monkeypatch.setitem(BUDGETS, "seeds", Budget(float("inf")))
    monkeypatch.setattr(sys.modules[__name__], "_check",
                        lambda data, budget: seen.append(data))
    test_the_seed_database_replays_without_an_exception()
    assert len(seen) == len(seeds)
    assert corpus <= set(seen)


def test_the_watchdog_stops_a_hang() -> None:
    with pytest.raises(Hang), watchdog(1):
        while True:
            time.sleep(0.01)
