"""Negative counts from the server (issue 17, item 12): every expression slacode sends
counts something, so a negative value is not data. Read as 0 it looked like a figure: 0
good events a breach, 0 bad ones a perfect month. Such intervals are "no data" with the
reason, and the month gets no verdict and no credit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pull_support import FakePrometheus, make_agreement, make_settings

from slacode.durations import Duration
from slacode.evaluate import evaluate
from slacode.model import Objective, PrometheusQuery, Source, Window
from slacode.pull import pull
from slacode.pull.planning import NEGATIVE, plan_for

START = int(datetime(2026, 9, 1, tzinfo=UTC).timestamp())
NOW = int(datetime(2026, 10, 1, tzinfo=UTC).timestamp())


def objective(**selectors: str) -> Objective:
    return Objective("availability", "availability", 99.9, Window("month"),
                     Source("prometheus", PrometheusQuery(**selectors)))


GOOD_TOTAL = objective(good='ok_total{job="x"}', total='all_total{job="x"}')
BAD_TOTAL = objective(bad='err_total{job="x"}', total='all_total{job="x"}')
GOOD_BAD = objective(good='ok_total{job="x"}', bad='err_total{job="x"}')


@pytest.fixture
def fake():
    f = FakePrometheus("negative")
    yield f
    f.close()


def september(fake: FakePrometheus, root: Path, obj: Objective):
    agreement = make_agreement(obj)
    pulled = pull([agreement], make_settings(root, fake.url, retries=0), NOW, START)
    (results,) = evaluate([agreement], pulled.measurements, NOW, history_months=1)
    (period,) = [p for p in results.periods if p.period == "2026-09"]
    return period, pulled.measurements[("api", obj.id)]


@pytest.mark.parametrize(
    ("obj", "negative"),
    [
        (GOOD_TOTAL, "good"),  # was 0 % good: "breached", with a credit
        (GOOD_TOTAL, "total"),  # was 0 events: judged as zero traffic
        (BAD_TOTAL, "bad"),  # was 0 bad: a perfect month
        (GOOD_BAD, "bad"),
    ],
)
def test_a_negative_count_is_no_data_with_the_reason_not_a_verdict(
    fake, tmp_path, obj, negative
) -> None:
    fake.negative = (negative,)
    period, m = september(fake, tmp_path, obj)
    assert not any(p.has_data for p in m.points)
    assert [g.reason for g in m.gaps] == [NEGATIVE]
    assert NEGATIVE == "the server returned a negative count for this interval"
    assert period.verdict == "no-data"
    assert period.value is None and period.credit is None
    assert any(NEGATIVE in r.text for r in period.reasons), period.reasons


def test_the_same_server_with_counts_that_are_not_negative_is_judged(fake, tmp_path) -> None:
    """The fake answers 10 good of 10 without its negative part: the month is met, so the
    "no data" above is the negative count's doing."""
    fake.negative = ()
    period, m = september(fake, tmp_path, GOOD_TOTAL)
    assert all(p.has_data for p in m.points)
    assert (period.verdict, period.value) == ("met", 100.0)


@pytest.mark.parametrize("name", ["slices", "bad", "matched"])
def test_a_negative_count_of_time_slices_is_no_data_too(name) -> None:
    slices = replace(GOOD_TOTAL, id="slices", method="slices", slice=Duration(5, "m"),
                     slice_threshold=1.0)
    combine = plan_for(slices).combine
    values: dict[str, float | None] = {"slices": 12.0, "bad": 1.0, "matched": 12.0}
    assert combine(values) == (11.0, 12.0, "")
    assert combine({**values, name: -1.0}) == (None, None, NEGATIVE)
