"""What readers see of evaluation's reasons, misses, maintenance and error budgets: times
as the page shows times, maintenance beyond the monthly maximum named, budget amounts
that read evenly, in English and in Chinese."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import render_sample as sample

from slacode.durations import Duration
from slacode.evaluate.results import (
    SEVERITY,
    Budget,
    Miss,
    PeriodResult,
    Reason,
    ServiceResults,
)
from slacode.model import Agreement, Maintenance, MaintenancePolicy
from slacode.render import escape, fmt, render, svg
from slacode.render.strings import STRINGS

ROOT = Path(__file__).resolve().parents[2]
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
DEADLINE = Miss("P2 incident SD-0281 no resolution by its deadline 2026-11-25T14:07:00+08:00 "
                "(target 1 day)", code="not-done",
                params={"subject": "incident", "priority": "P2", "id": "SD-0281",
                        "step": "resolution", "goal": "1d", "clock": "",
                        "due": "2026-11-25T14:07:00+08:00"})
NO_FILE = Reason("gap", {"start": "2026-11-01T00:00:00+08:00", "end": "2026-11-26T00:00:00+08:00",
                         "why": "file not found: data/<b>status</b>&web/latency.csv"},
                 "no data 2026-11-01T00:00:00+08:00 to 2026-11-26T00:00:00+08:00: "
                 "file not found: data/<b>status</b>&web/latency.csv")


def _day(date: str, value: float, incident: str = "") -> Miss:
    return Miss(f"{date}: {value}% (target 99.95%)", incident=incident, code="bad-day",
                params={"date": date, "value": value, "target": 99.95})


def _with(budget: Budget | None = None, **kw: object) -> list[ServiceResults]:
    """The sample's results with payments-api's open availability period changed."""
    res = list(sample.results())
    first = res[0]

    def change(p: PeriodResult) -> PeriodResult:
        if p.objective != "availability" or p.period != "2026-11":
            return p
        return replace(p, budget=budget or p.budget, **kw)

    periods = tuple(change(p) for p in first.periods)
    current = tuple(change(p) for p in first.current)
    res[0] = replace(first, periods=periods, current=current)
    return res


def _page(res: list[ServiceResults], language: str = "en",
          agreements: list[Agreement] | None = None) -> dict[str, str]:
    return render(agreements or list(sample.agreements()), res, now=sample.NOW,
                  language=language)


# times in the page's zone (payments-api's: UTC), whatever offset the result gave them
@pytest.mark.parametrize(("language", "deadline", "gap"), [
    ("en", "no resolution by its deadline 25 Nov 2026, 06:07 UTC",
     "no data 31 Oct 2026, 16:00 UTC to 25 Nov 2026, 16:00 UTC: file not found"),
    ("zh", "未在截止时间 2026年11月25日 06:07 (UTC) 前完成解决",
     "2026年10月31日 16:00 (UTC) 至 2026年11月25日 16:00 (UTC) 无数据：file not found"),
])
def test_misses_and_reasons_show_times_as_the_page_does_and_the_data_keeps_iso(
    language: str, deadline: str, gap: str
) -> None:
    res = _with(misses=(DEADLINE,), reasons=(NO_FILE,), verdict="no-data")
    files = _page(res, language)
    page = files["services/payments-api.md"]
    missed = page.split('<ul class="slc-misses">')[1].split("</ul>")[0]
    assert escape.text(deadline) in missed
    cards = page.split('<div class="slc-cards">')[1].split("</div>")[0]
    assert escape.text(gap) in cards
    rows = page.split('data-table="periods" data-objective="availability"')[1]
    assert escape.text(gap) in rows.split("</table>")[0]  # the open period's own row
    for where in (missed, cards):
        assert not ISO.search(where)
    # evaluation's server/file text is escaped exactly once, never twice
    assert escape.text("data/<b>status</b>&web/latency.csv") in cards
    assert "<b>status" not in cards and "&#38;#" not in cards
    # the data for machines keeps evaluation's text as it was written
    api = json.dumps(json.loads(files["api/payments-api.json"]), ensure_ascii=False)
    assert "2026-11-25T14:07:00+08:00" in api and "2026-11-25 14:07" not in api


def _maintenance_agreements() -> list[Agreement]:
    """payments-api with at most 4 hours of maintenance a month and three November
    windows, all announced in time: 3 h (excluded), 3 h (1 h excluded, 2 h beyond the
    maximum) and 2 h (all beyond)."""
    def u(*a: int) -> datetime:
        return datetime(*a, tzinfo=UTC)

    ags = list(sample.agreements())
    ags[0] = replace(
        ags[0],
        maintenance_policy=MaintenancePolicy(notice=Duration(1, "d"),
                                             max_per_month=Duration(4, "h")),
        maintenance=(
            Maintenance(u(2026, 11, 3, 1), u(2026, 11, 3, 4), u(2026, 10, 1), "first"),
            Maintenance(u(2026, 11, 10, 1), u(2026, 11, 10, 4), u(2026, 10, 1), "second"),
            Maintenance(u(2026, 11, 17, 1), u(2026, 11, 17, 3), u(2026, 10, 1), "third"),
            Maintenance(u(2026, 12, 8, 1), u(2026, 12, 8, 6), u(2026, 10, 1), "coming"),
        ),
    )
    return ags


def _excluded(page: str) -> dict[str, str]:
    """Each maintenance window's description -> its "excluded from figures" cell."""
    return dict(re.findall(r"<td>(\w+)</td><td>([^<]*)</td></tr>", sample.unlabelled(page)))


@pytest.mark.parametrize(("language", "expected"), [
    ("en", {"first": "Yes",
            "second": "Partly: 2 hours beyond the 4 hours a month agreed count as downtime",
            "third": "No: beyond the 4 hours a month agreed",
            "coming": "Partly: 1 hour beyond the 4 hours a month agreed count as downtime"}),
    ("zh", {"first": "是",
            "second": "部分：超出每月约定上限 4 小时的 2 小时计为停机时间",
            "third": "否：超出每月约定的上限 4 小时",
            "coming": "部分：超出每月约定上限 4 小时的 1 小时计为停机时间"}),
])
def test_maintenance_beyond_the_monthly_maximum_is_not_called_excluded(
    language: str, expected: dict[str, str]
) -> None:
    page = _page(list(sample.results()), language, _maintenance_agreements())
    cells = _excluded(page["services/payments-api.md"])
    assert {k: cells[k] for k in expected} == {k: escape.text(v) for k, v in expected.items()}


def test_over_cap_stretches_a_period_records_are_shown_as_the_figures_counted_them() -> None:
    """The period's record (frozen, perhaps under an earlier version) counted the window
    as downtime: the page says so even where today's agreement alone would exclude it."""
    ags = _maintenance_agreements()
    ags[0] = replace(ags[0], maintenance=ags[0].maintenance[2:3])  # "third", alone: 2 h
    assert _excluded(_page(list(sample.results()), "en", ags)["services/payments-api.md"]
                     )["third"] == "Yes"
    res = _with(over_cap_maintenance=("2026-11-17T01:00:00+00:00/2026-11-17T03:00:00+00:00",))
    cells = _excluded(_page(res, "en", ags)["services/payments-api.md"])
    assert cells["third"] == escape.text("No: beyond the 4 hours a month agreed")


@pytest.mark.parametrize(("value", "shown"), [
    (19837.3, "19,837"), (991.9, "992"), (173.1, "173"), (13.25, "13.2"),
    (0.236842, "0.2"), (0.0, "0"), (1234567.5, "1,234,568"),
])
def test_budget_amounts_are_whole_when_large_and_one_decimal_at_most(
    value: float, shown: str
) -> None:
    assert fmt.amount(value) == shown


@pytest.mark.parametrize(("language", "budget", "text"), [
    # what may fail and what did, never a share of a count that reads as successes
    ("en", Budget("events", 19837.3, 6586.0, 13251.3, 0.5),
     "Failed requests allowed this month: 19,837 · used 6,586"),
    ("zh", Budget("requests", 19837.3, 6586.0, 13251.3, 0.5),
     "本月允许的慢请求：19,837 · 已用 6,586"),
    ("en", Budget("events", 991.9, 1165.0, -173.1, 1.2),
     "Failed requests allowed this month: 992 · used 1,165 (173 over)"),
    ("zh", Budget("events", 991.9, 1165.0, -173.1, 1.2),
     "本月允许的失败请求：992 · 已用 1,165（超出 173）"),
    # incidents and survey answers are whole: what is allowed is rounded down, and an
    # open period says how many more misses break it
    ("zh", Budget("incidents", 0.236842, 0.0, 0.236842, 0.0),
     "本月允许的未达标的事件：0 · 已用 0 · 再有 1 个未达标的事件，本月即未达标"),
    ("en", Budget("incidents", 0.236842, 0.0, 0.236842, 0.0),
     "Missed incidents allowed this month: 0 · used 0 · 1 more missed incident breaches "
     "the month"),
    ("en", Budget("incidents", 2.4, 1.0, 1.4, 0.4),
     "Missed incidents allowed this month: 2 · used 1 · 2 more missed incidents breach "
     "the month"),
    ("en", Budget("incidents", 1.4, 3.0, -1.6, 2.1),
     "Missed incidents allowed this month: 1 · used 3 (2 over)"),
    ("zh", Budget("slices", 43.2, 3.0, 40.2, 0.1),
     "本月允许的不达标时间片：43.2 · 已用 3"),
    ("zh", Budget("responses", 12.0, 2.0, 10.0, 0.3),
     "本月允许的不满意的调查回复：12 · 已用 2 · 再有 11 个不满意的调查回复，本月即未达标"),
])
def test_the_error_budget_reads_in_the_sites_language_with_even_numbers(
    language: str, budget: Budget, text: str
) -> None:
    page = _page(_with(budget), language)["services/payments-api.md"]
    cards = page.split('<div class="slc-cards">')[1].split("</div>")[0]
    assert text in cards  # the string table's words as they are, its values escaped


def test_every_budget_unit_evaluation_uses_has_chinese() -> None:
    from slacode.evaluate import budget_unit

    kinds = [("availability", "events"), ("availability", "slices"), ("latency", None),
             ("response-time", None), ("resolution-time", None), ("satisfaction", "share")]
    obj = sample.agreements()[0].objectives[0]
    units = {budget_unit(replace(obj, kind=k, method=m)) for k, m in kinds}
    for unit in units:
        words = STRINGS[f"budget_unit.{unit}"]
        assert words["zh"] and not re.search(r"[a-z]", words["zh"]), unit


def test_the_about_page_explains_every_verdict_a_page_can_show() -> None:
    about = (ROOT / "site/docs/about.md").read_text(encoding="utf-8")
    table = about.split("| Status | Meaning |")[1].split("\n\n")[0]
    rows = [r for r in table.splitlines() if r.startswith("| <span")]
    assert len(rows) == len(SEVERITY)  # every state, and nothing else
    for verdict in SEVERITY:  # the page's words and definition are the catalogue's
        words = STRINGS["verdict." + verdict]["en"]
        meaning = STRINGS["verdict_def." + verdict]["en"]
        chip = f'<span class="slc-chip slc-chip-{svg.colour(verdict)}">{words}</span>'
        assert f"| {chip} | {meaning} |" in rows, verdict


@pytest.mark.parametrize(("language", "item"), [
    ("en", "8 Nov 2026&#58; 98.953% &#40;target 99.95%&#41; (incidents that day: PAY-121)"
           '<details class="slc-more"><summary>2 more misses</summary>'
           "<ul><li>19 Nov 2026&#58; 99.544% &#40;target 99.95%&#41;</li>"
           "<li>20 Nov 2026&#58; 99.900% &#40;target 99.95%&#41;</li></ul></details>"),
    ("zh", "2026年11月8日：98.953%（目标 99.95%）（当日事件：PAY-121）"
           '<details class="slc-more"><summary>另外 2 项未达标</summary>'
           "<ul><li>2026年11月19日：99.544%（目标 99.95%）</li>"
           "<li>2026年11月20日：99.900%（目标 99.95%）</li></ul></details>"),
])
def test_a_periods_misses_read_in_the_sites_language_and_every_one_is_reachable(
    language: str, item: str
) -> None:
    days = (_day("2026-11-08", 98.953, "PAY-121"), _day("2026-11-19", 99.544),
            _day("2026-11-20", 99.9))
    page = _page(_with(misses=days), language)["services/payments-api.md"]
    assert item in page.split('<ul class="slc-misses">')[1].split("</ul>\n")[0]
