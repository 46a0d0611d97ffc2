"""The customer report's HTML: everything from an agreement or a data file is text, the
embedded report data cannot end its script block, and the figures it prints are the
texts ``--verify`` makes of the records."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from datetime import date

import render_sample as sample

from slacode.model import Maintenance
from slacode.render import fmt
from slacode.render.customer_report import (
    CustomerReport,
    Section,
    figures,
    in_month,
)
from slacode.render.customer_report import (
    html as report_html,
)


def _report(hostile: bool) -> tuple[CustomerReport, str]:
    pay = sample.agreements(hostile=hostile)[0]
    bad = sample.HOSTILE if hostile else "Database upgrade"
    window = Maintenance(fmt.parse_time("2026-10-11T02:00:00Z"),
                         fmt.parse_time("2026-10-11T03:00:00Z"),
                         fmt.parse_time("2026-09-28T09:00:00Z"), bad)
    pay = replace(pay, maintenance=(window,), visibility="customer:acme")
    res = sample.results()[0]
    october = tuple(replace(p, frozen_at="2026-11-02T00:00:00+00:00") for p in res.periods
                    if in_month(p, date(2026, 10, 1), date(2026, 10, 31)))
    assert october
    incidents = tuple(replace(i, opened=int(fmt.parse_time("2026-10-05T10:00:00Z").timestamp()),
                              first_response=None, resolved=None, title=bad)
                      for i in sample.incidents()["payments-api"][:1])
    r = CustomerReport("acme", "2026-10", date(2026, 10, 1), date(2026, 10, 31), "en",
                       sample.NOW, "sha256:" + "0" * 64, ("payments-api/2026-10.json",),
                       (Section(pay, (pay,), october, incidents, (), res),))
    return r, report_html(r)


def test_hostile_text_is_literal_text_and_the_data_block_stays_closed() -> None:
    _r, text = _report(hostile=True)
    assert "<script>window" not in text and "<img" not in text and "javascript:" not in text
    assert html.unescape(sample.HOSTILE) in html.unescape(text)  # shown, as text
    assert text.count("<script") == 1 and text.count("</script>") == 1
    block = re.search(r'<script type="application/json" id="slacode-report">(.*?)</script>',
                      text, re.S)
    assert block is not None
    assert json.loads(block.group(1))["records"] == ["payments-api/2026-10.json"]


def test_each_printed_figure_is_tagged_with_its_record_field() -> None:
    r, text = _report(hostile=False)
    tagged = dict(re.findall(r'<span data-ledger="([^"]+)">([^<]*)</span>', text))
    p = r.sections[0].results[0]
    shown = figures(p, "en")
    assert {"value", "target", "verdict", "coverage"} <= set(shown)
    for field, words in shown.items():
        assert html.unescape(tagged[f"{p.service}/{p.period}/{p.objective}/{field}"]) == words
    assert "Database upgrade" in text and "INC-1" in text


def test_no_data_shows_no_figure_nor_credit_and_a_hidden_incident_is_not_named() -> None:
    from slacode.evaluate.results import Credit, Miss

    r, _ = _report(hostile=False)
    s = r.sections[0]
    first = replace(s.results[0], verdict="no-data", value=99.1234,
                    credit=Credit(10.0, 500.0, "USD", 99.95, "2026-11-30"),
                    misses=(Miss("P2 incident INC-2 first response after 2 hours "
                                 "(target 1 hour)", incident="INC-2"),))
    text = report_html(replace(r, sections=(replace(
        s, results=(first, *s.results[1:]), hidden=frozenset({"INC-2"})),)))
    assert "99.123" not in text and "500.00 USD" not in text
    assert figures(first, "en")["value"] == "no data" and "credit" not in figures(first, "en")
    assert "INC-2" not in text
    assert "incident (not public) first response" in html.unescape(text)


def test_the_months_changes_are_listed_without_who_owns_the_service() -> None:
    from datetime import UTC, datetime

    from slacode.history import Change, ChangeEntry

    def entry(commit: str, *changes: Change) -> ChangeEntry:
        return ChangeEntry(service="payments-api", path="slas/payments-api.yaml", commit=commit,
                           author="someone", date=datetime(2026, 10, 9, tzinfo=UTC),
                           subject="internal subject", pr=None, version=4,
                           effective=date(2026, 10, 15), changes=changes)

    owners = Change("owners: team-payments → team-core")
    owners = replace(owners, pointer="/owners")
    target = replace(Change("monthly availability target 99.9% → 99.95%"),
                     pointer="/objectives/0/target")
    r, _ = _report(hostile=False)
    s = r.sections[0]
    text = html.unescape(report_html(replace(r, sections=(replace(
        s, changes=(entry("a1", owners, target), entry("b2", owners)),),))))
    assert "monthly availability target 99.9% → 99.95%" in text
    assert "team-core" not in text and "internal subject" not in text and "someone" not in text
    assert text.count("9 Oct 2026") == 1  # the owners-only commit is not news outside


def test_a_private_address_in_the_months_changes_is_not_printed() -> None:
    """A version that was not the customer's own (here: public) named an escalation address
    it kept private; the customer's report lists that month's change without the address,
    as the customer's site does."""
    from datetime import UTC, datetime

    from slacode.history import Change, ChangeEntry
    from slacode.model import EscalationLevel
    from slacode.render.contacts import hidden_in

    r, _ = _report(hostile=False)
    s = r.sections[0]
    vp = EscalationLevel(3, "vp-eng@example.com", name="VP Engineering")
    before = replace(s.agreement, visibility="public", version=3, escalation=(vp,))
    added = ChangeEntry(service="payments-api", path="slas/payments-api.yaml", commit="c3",
                        author="a", date=datetime(2026, 10, 9, tzinfo=UTC), subject="s",
                        pr=None, version=3, effective=date(2026, 10, 15),
                        changes=(Change("escalation level 3 added: vp-eng@example.com"),))
    hidden = tuple(sorted(hidden_in((before, s.agreement), "customer:acme").items()))
    assert dict(hidden)["vp-eng@example.com"] == "VP Engineering"
    text = html.unescape(report_html(replace(r, sections=(replace(
        s, changes=(added,), hidden_contacts=hidden),))))
    assert "escalation level 3 added: VP Engineering" in text
    assert "vp-eng@example.com" not in text
