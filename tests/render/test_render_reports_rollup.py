"""Quarterly and yearly reports cover objectives judged monthly (and, in a year, quarterly);
claim dates that have passed read as closed windows, on service pages and in reports."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import UTC, datetime

import render_sample as sample

from slacode.evaluate.results import Credit
from slacode.render import escape, reports
from slacode.render import render as render_tree


def _render(**kw: object) -> dict[str, str]:
    return render_tree(sample.agreements(kw.pop("hostile", False)),
                       kw.pop("results", sample.results()), now=sample.NOW, **kw)


def _row(page: str, service: str, objective: str, periods: str) -> str:
    marker = f'data-service="{service}" data-objective="{objective}" data-periods="{periods}"'
    return page.split(marker)[1].split("</tr>")[0]


def _credits(page: str) -> str:
    return re.search(r"<p>Credits owed: (.*?)</p>", page).group(1)


def test_a_quarter_report_rolls_up_the_months_of_monthly_objectives_and_their_credits() -> None:
    files = _render()
    # the sample has no quarterly objective in 2026-Q1: the quarter gets a report anyway
    page = files["reports/2026-Q1.md"]
    assert _credits(page) == "500.00 USD"  # 2026-02's availability credit
    assert 'data-table="report"' not in page  # no quarterly figures to list
    row = _row(page, "payments-api", "availability", "month")
    assert "judged monthly</span> 2 of 3 met" in row
    assert '2026-02 <span class="slc-chip slc-chip-breached">Breached</span>' in row
    # each month's own figure, linked to its month's report; no quarterly figure made up
    # one rule for the column: the objective's decimals (target 99.95: three), zeros kept
    for month, figure in (("2026-01", "99.980%"), ("2026-02", "99.910%"), ("2026-03", "99.990%")):
        assert f'<a href="../{month}/">{month}</a> {figure}' in row
    assert row.count("/ 99.95%") == 1
    assert "2026-02: 10% (500.00 USD)" in row
    assert "Figures are not averaged." in page
    latency = _row(page, "payments-api", "latency", "month")
    assert "2 of 3 met" in latency
    assert '2026-01 <span class="slc-chip slc-chip-breached">' in latency
    # the index lists the quarter with what it owes and the months' verdicts
    index = files["reports/index.md"]
    q1 = index.split('data-period="2026-Q1"')[1].split("</tr>")[0]
    assert "500.00 USD" in q1 and "2 × Breached" in q1 and "shorter periods:" in q1


def test_a_quarter_with_its_own_figures_keeps_them_apart_from_the_roll_up() -> None:
    page = _render()["reports/2026-Q4.md"]
    main = page.split('data-table="report"')[1].split("</table>")[0]
    assert 'data-objective="p1-response"' in main and 'data-periods' not in main
    row = _row(page, "payments-api", "availability", "month")
    assert "(open)" in row  # November is still running
    assert "2 of 2 met" in row  # October met, November still met so far
    assert "This period is still open" in page


def test_a_year_report_rolls_up_months_and_quarters_and_sums_their_credits() -> None:
    files = _render()
    year = files["reports/2026.md"]
    assert _credits(year) == "2,000.00 USD"  # 500 (2026-02) + 1,500 (2026-08)
    row = _row(year, "payments-api", "availability", "month")
    assert "8 of 11 met" in row and "2026-05 <span" in row and "No data" in row
    quarter = _row(year, "payments-api", "p1-response", "quarter")
    # still open and only just on target: at risk, said with the quarter's own verdict
    assert "judged quarterly</span> 0 of 1 met" in quarter and "At risk" in quarter
    assert ('<a href="../2026-Q4/">2026-Q4</a> <span class="slc-meta">(open)</span> 100.0%'
            in quarter)
    assert _credits(files["reports/2025.md"]) == "None"


def test_credits_as_a_share_name_the_month_they_are_owed_for() -> None:
    def edit(p):
        if p.objective == "availability" and p.period == "2026-02":
            return replace(p, credit=Credit(25.0, None, "", 99.0, ""))
        return p

    res = [replace(r, periods=tuple(edit(p) for p in r.periods)) for r in sample.results()]
    page = _render(results=res)["reports/2026-Q1.md"]
    assert html.unescape(_credits(page)) == "25% (Payments API, 2026-02)"


def test_roll_up_rows_escape_the_agreement_name_exactly_once() -> None:
    page = _render(hostile=True)["reports/2026-Q1.md"]
    row = page.split('data-periods="month"')[1].split("</tr>")[0]
    assert escape.text(sample.HOSTILE_NAME) in row
    assert "<img" not in row and "&#38;#" not in row


def test_roll_up_in_chinese() -> None:
    page = _render(language="zh")["reports/2026-Q1.md"]
    assert "按更短周期评估的目标" in page
    row = _row(page, "payments-api", "availability", "month")
    assert "按月评估" in row and "3 个周期中 2 个达标" in row
    assert "申请期已于 2026年3月31日 截止" in row


def test_a_passed_claim_date_reads_as_a_closed_window() -> None:
    files = _render()
    page = files["services/payments-api.md"]
    feb = page.split('<tr data-period="2026-02">')[1].split("</tr>")[0]
    assert "claim window closed 31 Mar 2026" in feb and "claim by" not in feb
    month = files["reports/2026-02.md"]
    assert "claim window closed 31 Mar 2026" in month and "claim by" not in month
    zh = _render(language="zh")["services/payments-api.md"]
    assert "申请期已于 2026年3月31日 截止" in zh


def test_a_claim_window_still_open_keeps_its_deadline() -> None:
    def edit(p):
        if p.objective == "availability" and p.period == "2026-10":
            return replace(p, credit=Credit(10.0, 500.0, "USD", 99.95, "2026-11-30"))
        return p

    res = [replace(r, periods=tuple(edit(p) for p in r.periods)) for r in sample.results()]
    files = _render(results=res)
    oct_row = files["services/payments-api.md"].split('<tr data-period="2026-10">')[1]
    assert "claim by 30 Nov 2026" in oct_row.split("</tr>")[0]
    assert "claim by 30 Nov 2026" in files["reports/2026-10.md"]


def test_a_claim_closes_at_the_end_of_its_last_day_in_the_agreements_timezone() -> None:
    # the build's now is 2026-11-26 00:00 UTC: already the 26th east of UTC, still the
    # 25th in Los Angeles, so a deadline of the 25th has passed in one and not the other
    def edit(p):
        if p.objective == "availability" and p.period == "2026-10":
            return replace(p, credit=Credit(10.0, 500.0, "USD", 99.95, "2026-11-25"))
        return p

    res = [replace(r, periods=tuple(edit(p) for p in r.periods)) for r in sample.results()]
    for tz, expected in (("Pacific/Kiritimati", "claim window closed 25 Nov 2026"),
                         ("America/Los_Angeles", "claim by 25 Nov 2026")):
        ags = [replace(a, timezone=tz) for a in sample.agreements()]
        files = render_tree(ags, res, now=sample.NOW)
        row = files["services/payments-api.md"].split('<tr data-period="2026-10">')[1]
        assert expected in row.split("</tr>")[0], tz
        assert expected in files["reports/2026-10.md"], tz


def test_reports_compare_claims_with_the_build_time_given() -> None:
    ags = [a for a in sample.agreements() if a.visible_to("public")]
    res = {r.service: r for r in sample.results()}
    march = datetime(2026, 3, 15, tzinfo=UTC)
    early = reports.files(ags, res, "en", "built", now=march)["reports/2026-02.md"]
    assert "claim by 31 Mar 2026" in early
    # without one, each service's evaluation time is the build's now
    late = reports.files(ags, res, "en", "built")["reports/2026-02.md"]
    assert "claim window closed 31 Mar 2026" in late


def test_a_report_is_named_by_its_period_and_keeps_its_address() -> None:
    en, zh = _render(), _render(language="zh")
    assert "title: October 2026 report\n" in en["reports/2026-10.md"]
    assert "# 2026年10月报告\n" in zh["reports/2026-10.md"]
    assert "\n# Q1 2026 report\n" in en["reports/2026-Q1.md"]
    index = en["reports/index.md"]
    # the index lists periods by name; links and keys keep the period's id
    assert '<a href="2026-10/">October 2026</a>' in index
    assert '<a href="2026-Q1/">Q1 2026</a>' in index
    assert '<tr data-period="2026-10">' in index
    assert '<a href="2026-10/">2026年10月</a>' in zh["reports/index.md"]
    assert '<a href="2026-Q1/">2026年第1季度</a>' in zh["reports/index.md"]
