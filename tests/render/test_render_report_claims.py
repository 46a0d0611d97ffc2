"""A period report lists the credits its period owes with the state of each claim window,
and, on a customer's own site and the internal one, the claims made with what evaluation
says of them (a late one flagged); the public report names no claim."""

from __future__ import annotations

import re

from test_render_claims import _files


def _claims_table(files: dict[str, str], period: str) -> str:
    page = files[f"reports/{period}.md"]
    table = page.split('<table data-table="report-claims">', 1)[1].split("</table>", 1)[0]
    return re.sub(r"<[^>]+>", " ", table)


def test_the_report_of_a_month_that_owes_a_credit_says_until_when_to_claim_it() -> None:
    table = _claims_table(_files(), "2026-08")
    assert "Payments API" in table and "30%" in table and "closed on 1 Oct 2026" in table
    assert "CLM-" not in table
    assert '<table data-table="report-claims">' not in _files()["reports/2026-07.md"]


def test_a_customers_report_shows_its_claims_and_the_internal_one_every_flag() -> None:
    assert "CLM-1 on 5 Sept 2026: paid" in _claims_table(_files("customer:acme"), "2026-08")
    internal = _claims_table(_files("internal"), "2026-02")
    assert "CLM-2 on 20 Apr 2026: rejected" in internal and "after the window closed" in internal
