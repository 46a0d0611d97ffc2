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
    page = sample.unlabelled(_page())
    tips = dict(re.findall(r"<title>(\d{4}-\d\d-\d\d)&#58; ([^<]*)</title>", page))
    # a day with an incident says so after its figure ("99.99% · INC-1 P1 ..., 2 hours")
    strip = {day: tip.split(" · ")[0] for day, tip in tips.items()}
    marked = {day: tip for day, tip in tips.items() if " · " in tip}
    assert list(marked) == ["2026-11-16"] and "INC-1 P1" in marked["2026-11-16"]
    assert marked["2026-11-16"].endswith(", 2 hours")
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
    page = sample.unlabelled(page)
    # the opening time (its zone said once, above), then how long until the first response
    # and until resolution
    row = re.search(r'<tr data-incident="INC-1"><th scope="row">INC-1</th>(.*?)</tr>', page)
    assert row and "<td>10 minutes</td>" in row.group(1) and ">2 hours</span>" in row.group(1)
    assert "Times in UTC" in page


def test_text_escapes_line_breaks_controls_and_markup_in_one_pass() -> None:
    assert escape.text("a\r\nb\rc\nd\x00e<f>&") == "a b c de&#60;f&#62;&#38;"
    assert escape.text("2026-11-25 99.95%") == "2026-11-25 99.95%"
    assert escape.text(None) == "" and escape.text(12) == "12"


def test_cards_objective_table_and_misses_escape_names_descriptions_and_reasons() -> None:
    """Those rows are built in Python, outside the template's escaping gate."""
    from dataclasses import replace

    from slacode.evaluate.results import Miss, Reason

    bad = '<img src=x onerror="alert(1)"> **b** {: #i }'
    ags = list(sample.agreements())
    objs = tuple(replace(o, name=o.name + bad, description=bad) for o in ags[0].objectives)
    ags[0] = replace(ags[0], objectives=objs)
    res = list(sample.results())
    periods = tuple(
        replace(p, misses=(Miss(bad), Miss(bad), Miss(bad)), reasons=(Reason(text=bad),),
                verdict="no-data")
        if p.objective == "availability"
        else p
        for p in res[0].periods
    )
    res[0] = replace(res[0], periods=periods, current=())
    page = render(ags, res, now=sample.NOW)["services/payments-api.md"]
    assert "<img src=x" not in page and "**b**" not in page and "{: #i }" not in page
    cards = page.split('<div class="slc-cards">')[1].split("</div>")[0]
    assert escape.text(bad) in cards and 'class="slc-reason"' in cards
    table = page.split('data-table="objectives"')[1].split("</table>")[0]
    assert table.count(escape.text(bad)) == 2 * len(objs)  # name and description
    misses = page.split('<ul class="slc-misses">')[1].split("</ul>\n")[0]
    assert escape.text(bad) in misses and "2 more misses" in misses
    # every miss is reachable: per period its objective's name and its three misses
    periods = misses.count("<li><strong>")
    assert periods > 8 and misses.count(escape.text(bad)) == 4 * periods
