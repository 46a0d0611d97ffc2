"""What the period tables say about the ledger: which objective was restated, which
closed period is still provisional (and why, until when), and which frozen figures are
under review; in English and in Chinese."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import render_sample as sample

from slacode.evaluate.results import Hold, Restatement, ServiceResults
from slacode.render import render

RESTATED = Restatement("2026-11-02T00:00:00+00:00", "late data")


def _results(change) -> tuple[ServiceResults, ...]:
    out = []
    for r in sample.results():
        if r.service == "payments-api":
            r = replace(r, periods=tuple(change(p) for p in r.periods))
        out.append(r)
    return tuple(out)


def _row(page: str, objective: str, period: str) -> str:
    table = page.split(f'data-table="periods" data-objective="{objective}"')[1]
    table = table.split("</table>")[0]
    rows = dict(re.findall(r'<tr data-period="([^"]+)">(.*?)</tr>', table))
    after = table.split(f'<tr data-period="{period}">', 1)[1].split('<tr data-period=', 1)[0]
    return rows[period] + after  # the row and the note rows under it


def _page(results, language: str = "en", **kw) -> str:
    return render(sample.agreements(), results, now=sample.NOW, audience="public",
                  language=language, **kw)["services/payments-api.md"]


def test_restated_marks_only_the_objective_that_was_restated() -> None:
    results = _results(lambda p: replace(p, restatements=(RESTATED,))
                       if (p.objective, p.period) == ("availability", "2026-10") else p)
    page = _page(results)
    assert "Restated" in _row(page, "availability", "2026-10")
    assert "Restated" not in _row(page, "latency", "2026-10")


# the hold's time is said in the page's zone (payments-api's: UTC), as every time there
@pytest.mark.parametrize(("language", "tag", "note"), [
    ("en", "Provisional", "Provisional until 30 Nov 2026, 09:00 UTC: 2 incident(s) still "
                          "within their target time."),
    ("zh", "暂定", "暂定至 2026年11月30日 09:00 (UTC)：2 个事件仍在目标时间内。"),
])
def test_a_closed_period_not_final_yet_says_why_and_until_when(
        language: str, tag: str, note: str) -> None:
    hold = Hold("incident", "2026-11-30T17:00:00+08:00", 2)
    results = _results(lambda p: replace(p, holds=(hold,), frozen_at="")
                       if (p.objective, p.period) == ("latency", "2026-10") else p)
    page = _page(results, language)
    row = _row(page, "latency", "2026-10")
    assert tag in row
    text = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), row)
    assert note in text
    assert tag not in _row(page, "availability", "2026-10")


@pytest.mark.parametrize(("language", "tag"), [("en", "Under review"), ("zh", "复核中")])
def test_disputed_frozen_figures_are_marked_under_review(language: str, tag: str) -> None:
    page = _page(sample.results(), language,
                 disputed={("payments-api", "availability", "2026-10")})
    assert tag in _row(page, "availability", "2026-10")
    assert tag not in _row(page, "availability", "2026-09")
    assert tag not in _row(page, "latency", "2026-10")
