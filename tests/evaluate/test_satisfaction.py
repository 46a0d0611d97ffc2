"""Satisfaction: mean score or share at or above a score, with a minimum of responses."""

from __future__ import annotations

from evalkit import HOUR, agreement, objective, ts

from slacode.evaluate import evaluate
from slacode.pull.base import SurveyRecords, SurveyResponse

NOW = ts("2026-12-01T00:00:00+00:00")
START = ts("2026-11-01T00:00:00+00:00")


def survey(scores: list[float]) -> SurveyRecords:
    rs = tuple(SurveyResponse(START + i * HOUR, s) for i, s in enumerate(scores))
    return SurveyRecords("svc", "satisfaction", rs, START, NOW)


def nov(o, scores):
    (out,) = evaluate([agreement(objectives=(o,))], {("svc", "satisfaction"): survey(scores)},
                      NOW, history_months=1)
    return {p.period: p for p in out.periods}["2026-11"]


def test_mean_score() -> None:
    o = objective("satisfaction", "satisfaction", 4.2, method="mean", min_responses=4)
    p = nov(o, [5, 4, 4, 5])  # mean 18 / 4 = 4.5
    assert (p.value, p.unit, p.verdict, p.budget) == (4.5, "score", "met", None)
    assert nov(o, [5, 4, 4, 3]).verdict == "breached"  # 16 / 4 = 4.0


def test_too_few_responses_is_insufficient_data() -> None:
    o = objective("satisfaction", "satisfaction", 4.2, method="mean", min_responses=20)
    p = nov(o, [5] * 19)
    assert p.verdict == "insufficient-data" and p.value == 5.0
    assert any("19 responses" in r.text for r in p.reasons)


def test_share_at_or_above_a_score() -> None:
    o = objective("satisfaction", "satisfaction", 80.0, method="share", at_least=4)
    p = nov(o, [5, 4, 3, 4, 2])  # 3 of 5 at 4 or above = 60 %
    assert (p.value, p.unit, p.verdict) == (60.0, "%", "breached")
