"""The service page's "How to claim" and "Improvement actions" sections: where and how to
claim, each owed credit's window (open, closed, claimed, paid), a customer's own claims
on its own site only, actions without their internal owners outside the internal build,
every value from YAML escaped, in English and Chinese."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import render_sample as sample

from slacode.durations import Duration
from slacode.evaluate.claims import check_claims
from slacode.model import Action, ClaimProcedure
from slacode.pull.claims import Claim
from slacode.render import render

HOSTILE = '<img src=x onerror="window.__pwned=1">'
CLAIMS = (
    Claim("CLM-1", "payments-api", "acme", "2026-08", "availability", date(2026, 9, 5),
          "paid", date(2026, 9, 20), 1500.0),
    Claim("CLM-2", "payments-api", "globex", "2026-02", "availability", date(2026, 4, 20),
          "rejected"),
)
ACTIONS = (
    Action("payments-api", "ACT-9", f"Second region {HOSTILE}", "availability", "2026-08",
           date(2026, 11, 1), "open", owner="team-payments-secret",
           link="https://tracker.example.com/ACT-9"),
    Action("payments-api", "ACT-10", "Retry on timeouts", "availability", "2026-02",
           date(2026, 4, 1), "done", owner="team-payments-secret", link="javascript:alert(1)"),
)


def _agreements() -> tuple:
    pay, desk, auth, acme = sample.agreements()
    credits = replace(pay.credits, pay_within=Duration.parse("30d"), claim=ClaimProcedure(
        f"billing@example.com {HOSTILE}", ("your account id", f"the month {HOSTILE}")))
    return replace(pay, credits=credits), desk, auth, acme


def _files(audience: str = "public", language: str = "en") -> dict[str, str]:
    agreements, results = _agreements(), sample.results()
    report = check_claims(agreements, results, CLAIMS, sample.NOW_TS)
    return render(agreements, results, now=sample.NOW, audience=audience, language=language,
                  incidents=sample.incidents(), actions=ACTIONS, claims=report)


def _section(page: str, heading: str) -> str:
    return page.split(f"### {heading}", 1)[1].split("\n### ", 1)[0]


def _rows(page: str, table: str) -> dict[str, str]:
    """Each body row by its key, with its text (tags dropped) after its HTML."""
    body = page.split(f'<table data-table="{table}">', 1)[1].split("</table>", 1)[0]
    return {m.group(1): m.group(0) + " " + re.sub(r"<[^>]+>", "", m.group(0))
            for m in re.finditer(r'<tr data-\w+="([^"]+)">.*?</tr>', body)}


def test_how_to_claim_gives_channel_what_to_include_window_and_payment_escaped() -> None:
    how = _section(_files()["services/payments-api.md"], "How to claim")
    assert "Claim a credit through:" in how
    assert "A credit may be claimed up to 30 days after its period ends." in how
    assert "An owed credit is paid within 30 days of the claim." in how
    assert "Include: your account id, the month" in how
    assert HOSTILE not in how and "&#60;img" in how


def test_the_public_page_shows_each_windows_state_but_no_customers_claim() -> None:
    page = _files()["services/payments-api.md"]
    rows = _rows(page, "claims")
    assert set(rows) == {"2026-08", "2026-02"}
    assert "closed on 1 Oct 2026" in rows["2026-08"] and "30%" in rows["2026-08"]
    assert "1,500.00 USD" in rows["2026-08"]
    assert "CLM-" not in page and "acme" not in page.split("### How to claim", 1)[1][:3000]


def test_a_customers_site_shows_what_it_was_owed_claimed_and_paid_and_no_one_elses() -> None:
    rows = _rows(_files("customer:acme")["services/payments-api.md"], "claims")
    assert 'data-state="paid"' in rows["2026-08"]
    assert "CLM-1 on 5 Sept 2026: paid" in rows["2026-08"]
    assert "CLM-1 on 5 Sept 2026: paid · 1,500.00 USD 20 Sept 2026" in rows["2026-08"]
    assert "CLM-2" not in "".join(rows.values())
    assert 'data-state="closed"' in rows["2026-02"]
    internal = _rows(_files("internal")["services/payments-api.md"], "claims")
    assert "CLM-2 on 20 Apr 2026: rejected" in internal["2026-02"]
    assert 'data-flag="late"' in internal["2026-02"] and "after the window closed" in internal[
        "2026-02"]


def test_an_agreement_without_credits_says_so() -> None:
    page = _files()["services/support-desk.md"]
    assert "This agreement grants no service credits." in _section(page, "How to claim")
    assert '<table data-table="claims">' not in page


def test_actions_show_their_state_and_only_the_internal_build_names_owners() -> None:
    page = _files()["services/payments-api.md"]
    rows = _rows(page, "actions")
    assert list(rows) == ["ACT-9", "ACT-10"]
    assert "1 Nov 2026Open overdue" in rows["ACT-9"] and 'data-status="open"' in rows["ACT-9"]
    assert re.search(r'href="https(:|&#58;)//tracker.example.com/ACT-9"', rows["ACT-9"])
    assert "Done" in rows["ACT-10"] and "javascript:" not in rows["ACT-10"]
    assert HOSTILE not in page and "team-payments-secret" not in page
    assert "team-payments-secret" in _files("internal")["services/payments-api.md"]
    assert '<table data-table="actions">' not in _files()["services/support-desk.md"]


def test_the_chinese_page_says_it_in_chinese() -> None:
    files = _files(language="zh")
    page = files["services/payments-api.md"]
    assert "### 如何申请赔偿" in page and "## 改进措施" in page
    assert "已于 2026年10月1日 截止" in _rows(page, "claims")["2026-08"]
    assert "本协议不提供服务赔偿。" in files["services/support-desk.md"]
