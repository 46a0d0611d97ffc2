"""The service page says who at the customer accepted the version in force, and when; a
customer agreement without it says it is not accepted yet."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import render_sample as sample

from slacode.model import Acceptance
from slacode.render import render


def _acme_page(acceptance: Acceptance | None, language: str = "en") -> str:
    ags = tuple(replace(a, acceptance=acceptance) if a.id == "acme-analytics" else a
                for a in sample.agreements())
    files = render(ags, sample.results(), now=sample.NOW, audience="customer:acme",
                   language=language, incidents=sample.incidents())
    return files["services/acme-analytics.md"]


def test_the_acceptance_shows_beside_the_version() -> None:
    page = _acme_page(Acceptance("Maria Keller <IT>", date(2026, 10, 20), "Note 3"))
    status = next(line for line in page.splitlines() if 'class="slc-status"' in line)
    assert ('<span class="slc-accepted">accepted by Maria Keller &#60;IT&#62; on 20 Oct 2026 '
            "(Note 3)</span>") in status


def test_the_acceptance_reads_in_chinese() -> None:
    page = _acme_page(Acceptance("Maria Keller", date(2026, 10, 20)), "zh")
    assert '<span class="slc-accepted">已由 Maria Keller 于 2026年10月20日 验收</span>' in page


def test_a_customer_version_not_accepted_says_so() -> None:
    page = _acme_page(None)
    assert '<span class="slc-accepted">not yet accepted by the customer</span>' in page
