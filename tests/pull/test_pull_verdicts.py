"""Hostile or broken Prometheus answers, from pull through evaluate: every one ends in the
verdict "no data" with its reason, never in a figure that looks like compliance.

A tiny local HTTP server (``FakePrometheus``) answers each fault; the month of
September 2026 is pulled hourly and judged against a 99.9 % availability target. The
healthy answer (10 good of 10) is met, so each "no data" below is the fault's doing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pull_support import FakePrometheus, make_agreement, make_settings

from slacode.evaluate import evaluate
from slacode.evaluate.results import PeriodResult
from slacode.model import Objective, PrometheusQuery, Source, Window
from slacode.pull import pull

START = int(datetime(2026, 9, 1, tzinfo=UTC).timestamp())
NOW = int(datetime(2026, 10, 1, tzinfo=UTC).timestamp())
NAME = "Prometheus server 'default'"

AVAILABILITY = Objective("availability", "availability", 99.9, Window("month"),
                         Source("prometheus", PrometheusQuery(good='ok_total{job="x"}',
                                                              total='all_total{job="x"}')))


@pytest.fixture
def fake(request: pytest.FixtureRequest):
    f = FakePrometheus(request.param)
    yield f
    f.close()


def september(fake: FakePrometheus, root: Path, objective: Objective = AVAILABILITY,
              **server: object):
    agreement = make_agreement(objective)
    pulled = pull([agreement], make_settings(root, fake.url, retries=0, **server), NOW, START)
    (results,) = evaluate([agreement], pulled.measurements, NOW, history_months=1)
    (period,) = [p for p in results.periods if p.period == "2026-09"]
    return period, pulled


def assert_no_data(period: PeriodResult, reason: str) -> None:
    assert period.verdict == "no-data"
    assert period.credit is None
    assert any(reason in r.text for r in period.reasons), period.reasons


@pytest.mark.parametrize("fake", ["ok"], indirect=True)
def test_a_healthy_answer_is_met(fake, tmp_path) -> None:
    period, pulled = september(fake, tmp_path)
    assert (period.verdict, period.value, period.coverage) == ("met", 100.0, 1.0)
    assert pulled.problems == ()


@pytest.mark.parametrize(
    ("fake", "reason"),
    [
        ("status-error", f"{NAME} query failed: execution (the server's message is in the "
                         "run's log)"),
        ("html", f"{NAME} answered with a text/html body instead of the API's JSON"),
        ("truncated", f"{NAME} answered with invalid or truncated JSON"),
        ("503", f"{NAME} answered HTTP 503 after 0 retries: unavailable (the server's "
                "message is in the run's log)"),
        ("warnings", f"{NAME} warned that its answer to this query may be partial"),
        ("is-partial", f"{NAME} warned that its answer to this query may be partial"),
    ],
    indirect=["fake"],
)
def test_a_failed_or_partial_answer_is_no_data_with_the_reason(fake, reason, tmp_path) -> None:
    period, pulled = september(fake, tmp_path)
    assert_no_data(period, reason)
    assert period.value is None and period.budget is None and period.coverage == 0.0
    # the run says so too, as a source fault (a strict build fails on it)
    faults = [p for p in pulled.problems if p.code == "pull.fault"]
    assert len(faults) == 1 and reason in faults[0].message
    assert not any(p.code == "pull.gap" for p in pulled.problems)


@pytest.mark.parametrize("fake", ["warnings"], indirect=True)
def test_partial_data_is_marked_on_the_measurement_and_not_cached(fake, tmp_path) -> None:
    _, pulled = september(fake, tmp_path)
    m = pulled.measurements[("api", "availability")]
    assert m.warnings == ("partial data: store eu-1 unavailable",)
    assert all(g.fault for g in m.gaps) and not any(p.has_data for p in m.points)
    assert any(p.code == "pull.warning" for p in pulled.problems)
    fake.mode = "ok"  # the store is back: the next run counts the month
    period, _ = september(fake, tmp_path)
    assert period.verdict == "met"


@pytest.mark.parametrize("fake", ["is-partial"], indirect=True)
def test_an_answer_marked_partial_is_a_warning_like_any_other(fake, tmp_path) -> None:
    """VictoriaMetrics cluster marks an answer that lacks a storage node's data with
    ``"isPartial": true`` and sends no warning: it is treated as one."""
    _, pulled = september(fake, tmp_path)
    m = pulled.measurements[("api", "availability")]
    assert m.warnings == ("the answer is marked partial (isPartial: true)",)
    assert all(g.fault for g in m.gaps) and not any(p.has_data for p in m.points)


@pytest.mark.parametrize("fake", ["nan"], indirect=True)
def test_nan_samples_are_no_data(fake, tmp_path) -> None:
    period, pulled = september(fake, tmp_path)
    assert_no_data(period, "the server returned NaN for this interval")
    assert period.value is None
    assert pulled.problems[0].code == "pull.gap"  # data the server has, not a failure


@pytest.mark.parametrize("fake", ["partial"], indirect=True)
def test_a_series_present_for_part_of_the_month_is_no_data(fake, tmp_path) -> None:
    period, _ = september(fake, tmp_path)
    # the last five days are perfect; the month is not judged on them
    assert period.verdict == "no-data" and period.coverage == round(5 / 30, 6)
    assert period.reasons[0].text == "data for 16.7% of the period, below the 90% needed"
    assert any("not enough samples to measure this interval" in r.text for r in period.reasons)
    assert period.value is None  # no figure beside "no data", in the JSON too
    assert period.credit is None


@pytest.mark.parametrize("fake", ["zero"], indirect=True)
@pytest.mark.parametrize(("rule", "verdict", "value"),
                         [("good", "met", 100.0), ("bad", "breached", 0.0),
                          ("no-data", "no-data", None)])
def test_zero_traffic_with_healthy_scrapes_counts_as_the_agreement_says(
    fake, rule, verdict, value, tmp_path
) -> None:
    period, _ = september(fake, tmp_path, replace(AVAILABILITY, zero_traffic=rule))
    assert (period.verdict, period.value) == (verdict, value)


@pytest.mark.parametrize("fake", ["ok"], indirect=True)
def test_a_range_over_the_points_limit_is_split(fake, tmp_path) -> None:
    from slacode.durations import Duration

    fine = replace(AVAILABILITY, resolution=Duration(1, "m"))  # 43,200 points in September
    period, pulled = september(fake, tmp_path, fine)
    assert (period.verdict, period.value, period.coverage) == ("met", 100.0, 1.0)
    sizes = []
    for r in fake.requests:
        form = dict(kv.split("=") for kv in r["_body"].split("&"))
        sizes.append((int(form["end"]) - int(form["start"])) // int(form["step"]) + 1)
    assert len(sizes) == 5 and max(sizes) <= 10_000  # five ranges, both expressions in each
    assert pulled.queries == 5


@pytest.mark.parametrize(
    ("fake", "reason"),
    [("partial", "data for 16.7% of the period, below the 90% needed"),
     ("html", "no data 1 Sept 2026, 00:00 UTC to 1 Oct 2026, 00:00 UTC: "
              f"{NAME} answered with a text/html body instead of the API's JSON")],
    indirect=["fake"],
)
def test_the_page_of_a_month_without_trustworthy_data_shows_the_reason_and_no_figure(
    fake, reason, tmp_path
) -> None:
    import html
    from datetime import date

    from slacode.render import render

    agreement = replace(make_agreement(AVAILABILITY), effective=date(2026, 1, 1))
    pulled = pull([agreement], make_settings(tmp_path, fake.url, retries=0), NOW, START)
    results = evaluate([agreement], pulled.measurements, NOW, history_months=1)
    files = render([agreement], results, now=NOW)
    row = next(line for line in files["services/api.md"].splitlines()
               if 'data-period="2026-09"' in line)
    assert "slc-chip-no-data" in row and '<span class="slc-nodata">no data</span>' in row
    assert "100" not in row.replace('data-period="2026-09"', "").split("slc-chip")[0]
    page = files["services/api.md"]
    at = page.index('data-period="2026-09"')
    after_row = page[at:].split("</tr>", 2)[1]  # the row after the period's row
    assert f'<span class="slc-reason">{reason}</span>' in html.unescape(after_row)
    assert "100%" not in files["badges/api/availability.svg"]
