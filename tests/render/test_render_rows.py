"""Rows built in Python rather than in the template: what readers see in them."""

from __future__ import annotations

import re

import render_sample as sample

from slacode.render import escape, render


def _page(service: str = "payments-api") -> str:
    files = render(
        sample.agreements(),
        sample.results(),
        now=sample.NOW,
        audience="public",
        incidents=sample.incidents(),
    )
    return files[f"services/{service}.md"]


def test_daily_strip_and_table_show_the_same_figure_for_each_day() -> None:
    page = _page()
    strip = dict(re.findall(r"<title>(\d{4}-\d\d-\d\d)&#58; ([^<]*)</title>", page))
    rows = dict(re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)</td><td>(.*?)</td></tr>", page))
    assert len(strip) == 90 and strip.keys() == rows.keys()
    for day, figure in strip.items():
        if figure == "no data":  # the strip says it in words, the table with the mark
            assert 'class="slc-nodata"' in rows[day], day
        else:
            assert rows[day] == figure, day
    assert strip["2026-09-27"] == "no data" and strip["2026-10-27"] == "98.9%"


def test_period_rows_name_open_periods_and_carry_credits() -> None:
    page = _page()
    table = page.split('data-table="periods" data-objective="availability"')[1].split("</table>")[0]
    rows = re.findall(r'<tr data-period="([^"]+)">(.*?)</tr>', table)
    assert rows and rows[0][0] == "2026-11" and "(open)" in rows[0][1]
    assert all("(open)" not in r for _, r in rows[1:])
    assert all('class="slc-credit"' in r for _, r in rows)


def test_incident_rows_escape_titles_and_mark_missing_times() -> None:
    page = _page()
    assert "Card payments <b>failing</b>" not in page
    assert escape.text("Card payments <b>failing</b>") in page
    row = re.search(r'<tr><th scope="row">INC-1</th>(.*?)</tr>', page)
    assert row and row.group(1).count("UTC") == 3  # opened, first response, resolved


def test_text_escapes_line_breaks_controls_and_markup_in_one_pass() -> None:
    assert escape.text("a\r\nb\rc\nd\x00e<f>&") == "a b c de&#60;f&#62;&#38;"
    assert escape.text("2026-11-25 99.95%") == "2026-11-25 99.95%"
    assert escape.text(None) == "" and escape.text(12) == "12"
