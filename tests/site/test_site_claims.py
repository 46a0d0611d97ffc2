"""The demo site (the repository's own strict build, with its git history) shows the
improvement actions of its breached periods and how to claim each owed credit, with the
state of each window at the pinned "now" (2026-11-26)."""

from __future__ import annotations

import html
import re
from pathlib import Path


def _text(site: Path, service: str, section: str) -> str:
    page = (site / "services" / service / "index.html").read_text()
    start = page.index(f'id="{section}"')
    end = page.find("<h2", start + 1)
    chunk = page[start:end if section == "improvement-actions" else page.find("<h3", start + 1)]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", chunk)))


def test_breached_periods_show_their_actions_and_an_overdue_one_is_marked(demo_site: Path) -> None:
    pay = _text(demo_site, "payments-api", "improvement-actions")
    assert "PAY-ACT-7 · Fail card processing over to the second region automatically" in pay
    assert "2026-03 15 May 2026 Done" in pay and "Dropped" in pay and "overdue" not in pay
    assert "team-payments" not in pay
    desk = _text(demo_site, "support-desk", "improvement-actions")
    assert "SD-ACT-3" in desk and "20 Nov 2026 Open overdue" in desk


def test_each_owed_credit_says_how_and_until_when_to_claim_it(demo_site: Path) -> None:
    how = _text(demo_site, "payments-api", "how-to-claim")
    assert "Claim a credit through: https://support.example.com/billing/credit-claim" in how
    assert "Include: your account id, the month, the objective." in how
    assert "March 2026 30% (1,500.00 USD) closed on 30 Apr 2026" in how
    assert "December 2025 10% (500.00 USD) closed on 30 Jan 2026" in how
    assert "CLM-" not in how  # who claimed is the customer's business
    assert "This agreement grants no service credits." in _text(
        demo_site, "status-web", "how-to-claim")
