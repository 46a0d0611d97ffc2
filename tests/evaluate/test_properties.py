"""Properties that must hold for any data (hypothesis)."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

from evalkit import DAY, HOUR, agreement, objective, ts
from hypothesis import given, settings
from hypothesis import strategies as st

from slacode.evaluate import evaluate
from slacode.evaluate.credits import credit_for
from slacode.evaluate.periods import Period
from slacode.model import Credits, CreditTier, Maintenance
from slacode.pull.base import Counts, CountSeries

START = ts("2026-11-01T00:00:00+00:00")
NOW = ts("2026-11-08T00:00:00+00:00")  # one week of hourly data
N = (NOW - START) // HOUR

counts = st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 1000)), min_size=N, max_size=N)


def make(rows: list[tuple[int, int]]) -> CountSeries:
    pts = tuple(Counts(START + i * HOUR, START + (i + 1) * HOUR, float(min(g, t)), float(t))
                for i, (g, t) in enumerate(rows))
    return CountSeries("svc", "availability", HOUR, pts, as_of=NOW)


def month(rows: list[tuple[int, int]], **kw: object):
    (out,) = evaluate([agreement(**kw)], {("svc", "availability"): make(rows)}, NOW,
                      history_months=0)
    return out


@settings(max_examples=25, deadline=None)
@given(counts, st.integers(0, N - 1), st.integers(1, 500))
def test_more_bad_events_never_raise_availability(rows, i, extra) -> None:
    before = month(rows).periods[0].value
    worse = list(rows)
    g, t = worse[i]
    worse[i] = (min(g, t), t + extra)  # extra events, all bad
    after = month(worse).periods[0].value
    if before is not None and after is not None:
        assert after <= before


@settings(max_examples=30, deadline=None)
@given(counts, st.integers(0, N * HOUR - 1), st.integers(60, 2 * DAY))
def test_excluding_a_window_never_changes_figures_outside_it(rows, offset, length) -> None:
    s = datetime.fromtimestamp(START + offset, UTC)
    e = datetime.fromtimestamp(START + offset + length, UTC)
    on_time = Maintenance(s, e, announced=datetime.fromtimestamp(START - 30 * DAY, UTC))
    late = Maintenance(s, e, announced=None)
    a = month(rows, maintenance=(on_time,)).daily["availability"]
    b = month(rows, maintenance=(late,)).daily["availability"]
    for da, db in zip(a, b, strict=True):
        d0 = ts(f"{da.date}T00:00:00+00:00")
        if d0 + DAY <= START + offset or d0 >= START + offset + length:
            assert da == db


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(90, 100), st.floats(0, 100)), min_size=1, max_size=5),
       st.floats(80, 100), st.floats(80, 100))
def test_credits_are_monotone_in_the_achieved_figure(tiers, x, y) -> None:
    # a table is monotonic when a lower `below` never gives less credit (the linter checks it)
    ordered = sorted(tiers)
    fixed = [(b, max(c for _, c in ordered[k:])) for k, (b, _) in enumerate(ordered)]
    cr = Credits("availability", tuple(CreditTier(b, c) for b, c in fixed), cap=100)
    lo, hi = sorted((x, y))
    p = Period("2026-11", "month", START, NOW)
    assert credit_for(cr, lo, p, "UTC").percent >= credit_for(cr, hi, p, "UTC").percent


@settings(max_examples=15, deadline=None)
@given(counts)
def test_evaluation_is_deterministic(rows) -> None:
    def dump() -> str:
        (out,) = evaluate([agreement(objectives=(objective(), objective("b", target=99.0)))],
                          {("svc", "availability"): make(rows), ("svc", "b"): make(rows)},
                          NOW, history_months=0)
        return json.dumps([p.as_dict() for p in out.periods]
                          + [[dataclasses.asdict(d) for d in v] for v in out.daily.values()],
                          sort_keys=True)
    assert dump() == dump()
