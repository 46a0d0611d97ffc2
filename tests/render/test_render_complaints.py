"""The service page says how many complaints came in each month, by channel and category,
in English and Chinese, and never who complained."""

from __future__ import annotations

import re
from datetime import datetime

import render_sample as sample

from slacode.pull.base import Complaint
from slacode.render import render


def _ts(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


COMPLAINTS = {"payments-api": (
    Complaint("CMP-1", _ts("2026-10-30T23:30:00+00:00"), customer="Northwind <b>Ltd</b>",
              channel="Email", category="Billing"),
    Complaint("CMP-2", _ts("2026-11-02T08:00:00+00:00"), customer="Contoso",
              channel="Phone", category="Outage"),
    Complaint("CMP-3", _ts("2026-11-03T08:00:00+00:00"), customer="Contoso",
              channel="Email", category="<script>x</script>"),
)}


def _page(language: str = "en", audience: str = "public") -> str:
    files = render(sample.agreements(), sample.results(), now=sample.NOW, audience=audience,
                   language=language, incidents=sample.incidents(), complaints=COMPLAINTS)
    return sample.unlabelled(files["services/payments-api.md"])


def _rows(page: str) -> list[str]:
    table = page.split('<table data-table="complaints">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr data-period=.*?</tr>", table)


def test_each_month_shows_its_complaint_count_by_channel_and_category_newest_first() -> None:
    page = _page()
    assert "#### Complaints received" in page
    november, october = _rows(page)
    assert november == ('<tr data-period="2026-11"><th scope="row">2026-11</th>'
                        '<td class="slc-num">2</td><td>Email&nbsp;1<br>Phone&nbsp;1</td>'
                        "<td>&#60;script&#62;x&#60;/script&#62;&nbsp;1<br>Outage&nbsp;1</td>"
                        "</tr>")
    assert '<td class="slc-num">1</td><td>Email&nbsp;1</td><td>Billing&nbsp;1</td>' in october


def test_who_complained_is_never_on_the_page_not_even_internally() -> None:
    for audience in ("public", "internal"):
        page = _page(audience=audience)
        assert "Northwind" not in page and "Contoso" not in page
        assert "CMP-1" not in page


def test_the_complaint_table_reads_in_chinese() -> None:
    page = _page("zh")
    assert "#### 收到的投诉" in page
    assert "<th scope=\"col\">投诉数</th><th scope=\"col\">按渠道</th>" in page
    assert '<tr data-period="2026-11"><th scope="row">2026-11</th>' in page


def test_a_page_without_complaint_records_has_no_complaint_table() -> None:
    files = render(sample.agreements(), sample.results(), now=sample.NOW,
                   incidents=sample.incidents())
    assert 'data-table="complaints"' not in files["services/payments-api.md"]
