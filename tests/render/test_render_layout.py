"""What makes a page readable on any screen: table cells that carry their column's name,
periods named in words, charts scaled so that a breach looks like one, and credits
projected from the agreement's tiers."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import render_sample as sample

from slacode.render import render, svg, tables
from slacode.render.overview_parts import period_name, projected_credit, short_labels


def test_each_body_cell_is_labelled_with_its_column_even_under_a_rowspan() -> None:
    html = (
        "<p>before</p><table><thead><tr><th>Service</th><th>Objective</th><th>Figure</th>"
        "<th>Credit</th></tr></thead><tbody>"
        '<tr><th rowspan="2">A</th><td>x</td><td>1</td><td rowspan="2">c</td></tr>'
        '<tr><td>y</td><td>2</td></tr><tr><td colspan="2">none</td><td>3</td><td>-</td></tr>'
        "</tbody></table><table><tr><td>no head</td></tr></table>"
    )
    out = tables.labelled(html)
    labels = re.findall(r'<t[dh][^>]*data-label="([^"]*)"[^>]*>([^<]*)<', out)
    assert labels == [("Service", "A"), ("Objective", "x"), ("Figure", "1"), ("Credit", "c"),
                      ("Objective", "y"), ("Figure", "2"),
                      ("Service", "none"), ("Figure", "3"), ("Credit", "-")]
    assert "<td>no head</td>" in out and out.startswith("<p>before</p>")
    assert tables.labelled(out) == out  # a cell already labelled keeps its label


@pytest.mark.parametrize(("period", "en", "zh"), [
    ("2026-11", "November 2026 (month)", "2026年11月（月度）"),
    ("2026-Q4", "Q4 2026 (quarter)", "2026年第4季度（季度）"),
    ("2026", "2026 (year)", "2026年（年度）"),
    ("rolling-28d", "last 28 days (rolling)", "最近28天（滚动）"),
])
def test_a_period_is_named_with_its_kind(period: str, en: str, zh: str) -> None:
    assert period_name(period, "en") == en and period_name(period, "zh") == zh


def test_bars_under_a_chart_name_the_year_once_and_again_at_january() -> None:
    assert short_labels(["2025-11", "2025-12", "2026-01", "2026-02"], "en") == [
        ("Nov", "2025"), ("Dec", ""), ("Jan", "2026"), ("Feb", "")]
    assert short_labels(["2025-Q4", "2026-Q1"], "en") == [("Q4", "2025"), ("Q1", "2026")]


def test_a_small_breach_is_a_visibly_short_bar_and_no_data_is_an_outline() -> None:
    """99.847 % against 99.95 % used to be nearly as tall as a met month."""
    base = next(p for p in sample.results()[0].periods if p.closed and p.unit == "%")
    periods = [replace(base, period="2026-01", value=99.99, target=99.95, verdict="met"),
               replace(base, period="2026-02", value=99.847, target=99.95, verdict="breached"),
               replace(base, period="2026-03", value=None, target=99.95, verdict="no-data"),
               replace(base, period="2026-04", value=0.0, target=99.95, verdict="breached")]
    assert svg.axis([99.99, 99.847, 0.0], 99.95, "%") == (pytest.approx(99.75), 100.0)
    chart = str(svg.period_chart(periods, "%", "chart", "no data",
                                 short_labels([p.period for p in periods], "en")))
    bars = re.findall(r'<rect class="slc-fill-([\w-]+)"[^>]*height="([\d.]+)"', chart)
    met, small, nodata, zero = ((cls, float(h)) for cls, h in bars)
    assert met[0] == "met" and small[0] == "breached" and small[1] < met[1] / 2
    assert nodata[0] == "no-data" and nodata[1] > met[1] * 0.9  # a full-height outline
    assert zero[0] == "breached" and 0 < zero[1] < small[1]  # 0 %: a red stub, not nothing
    assert chart.count('tabindex="0"') == 4 and ">Jan<" in chart and ">2026<" in chart


def test_an_open_period_below_a_tier_projects_its_credit() -> None:
    a = sample.agreements()[0]
    assert a.credits is not None
    cur = next(p for p in sample.results()[0].periods
               if not p.closed and p.objective == a.credits.objective)
    top = max(tier.below for tier in a.credits.tiers)
    assert projected_credit(a, replace(cur, projection=top + 0.001)) is None
    note = projected_credit(a, replace(cur, projection=top - 0.001))
    assert note is not None and note.state == "projected" and note.percent > 0


def test_the_overview_counts_objectives_and_names_each_period() -> None:
    files = render(sample.agreements(), sample.results(), now=sample.NOW)
    page = files["index.md"]
    rows = re.findall(r'<tr class="slc-service[^"]*" data-service="[^"]+" '
                      r'data-objective="[^"]+" data-period="([^"]+)"', page)
    chips = [int(n) for n in re.findall(r'class="slc-chip slc-chip-[\w-]+">(\d+) ×', page)]
    assert rows and sum(chips) == len(rows)
    for period in set(rows):
        assert period_name(period, "en").replace("(", "&#40;").replace(")", "&#41;") in page
