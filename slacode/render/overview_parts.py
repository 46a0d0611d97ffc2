"""What the overview (and the reports index) say beside a figure: which period it is,
and the credit owed or projected.

The overview lists monthly and quarterly objectives side by side, so a bare "2026-11"
next to "2026-Q4" left the reader to guess which is which: every period is named in words
with its kind ("November 2026 (month)"). A breached service showed no credit, which is
the first thing a customer looks for: the overview shows the credit owed for the latest
closed period (while its claim window is open) and, for an open period below a tier, the
credit the agreement's tiers give if the period ended at its projected figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from slacode.evaluate.results import PeriodResult, ServiceResults
from slacode.model import Agreement
from slacode.render import escape, fmt
from slacode.render.strings import t

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_YEAR = re.compile(r"\d{4}")
_ROLLING = re.compile(r"rolling-(\d+)d")

#: months a period of each kind lasts: a credit is a share of the monthly fee times these
_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def period_kind(period: str) -> str:
    """``month``, ``quarter``, ``year``, ``rolling`` or ``""`` for an id none of these."""
    for kind, rx in (("month", _MONTH), ("quarter", _QUARTER), ("year", _YEAR),
                     ("rolling", _ROLLING)):
        if rx.fullmatch(period):
            return kind
    return ""


def period_name(period: str, language: str, kind: bool = True, short: bool = False) -> str:
    """A period id in words: "November 2026 (month)", "Q4 2026 (quarter)", "2026 (year)",
    "last 28 days (rolling)"; without ``kind`` only the first part; ``short`` abbreviates
    a month ("Nov 2026", for a table's first column). Not escaped."""
    suffix = "" if kind else "_bare"
    if m := _MONTH.fullmatch(period):  # month and quarter names through Babel
        name = fmt.month(int(m[1]), int(m[2]), language, short=short)
        return t("period.named.month", language, name=name) if kind else name
    if m := _QUARTER.fullmatch(period):
        name = fmt.quarter(int(m[1]), int(m[2]), language)
        return t("period.named.quarter", language, name=name) if kind else name
    if _YEAR.fullmatch(period):
        return t("period.year" + suffix, language, year=period)
    if m := _ROLLING.fullmatch(period):
        return t("period.rolling" + suffix, language, days=m[1])
    return period


def short_labels(periods: list[str], language: str) -> list[tuple[str, str]]:
    """Labels under a chart's bars: a month's short name ("Nov") with its year under the
    first bar and under each January; "Q4" with the year likewise; a year as itself."""
    out: list[tuple[str, str]] = []
    last_year = ""
    for period in periods:
        if m := _MONTH.fullmatch(period):
            first, year = fmt.month_short(int(m[2]), language), m[1]
        elif m := _QUARTER.fullmatch(period):
            first, year = f"Q{m[2]}", m[1]
        else:
            first, year = period, ""
        out.append((first, year if year and year != last_year else ""))
        last_year = year or last_year
    return out


@dataclass(frozen=True)
class CreditNote:
    """A credit the overview shows: owed for a closed period, or projected for an open one."""

    state: str  # "owed" or "projected"
    period: str
    percent: float
    amount: float | None
    currency: str
    claim_by: str = ""


def projected_credit(a: Agreement, p: PeriodResult) -> CreditNote | None:
    """The credit the agreement's tiers give an open period if it ends at its projected
    figure (its figure so far when there is no projection); None when no tier applies."""
    cr = a.credits
    figure = p.projection if p.projection is not None else p.value
    if cr is None or p.closed or figure is None or p.objective != cr.objective:
        return None
    hits = [tier for tier in cr.tiers if figure < tier.below]
    if not hits:
        return None
    percent = min(min(hits, key=lambda tier: tier.below).credit, cr.cap)
    months = _MONTHS.get(period_kind(p.period))
    amount = None
    if cr.monthly_fee is not None and months:
        amount = round(cr.monthly_fee * months * percent / 100.0, 2)
    return CreditNote("projected", p.period, float(percent), amount, cr.currency)


def credit_notes(a: Agreement, res: ServiceResults | None, today: date | None
                 ) -> list[CreditNote]:
    """What the overview shows in its credit column for ``a``: the latest closed period's
    credit while it can still be claimed (or has no claim window), and the open period's
    projected credit. Empty when nothing is owed or projected."""
    cr = a.credits
    if cr is None or res is None:
        return []
    periods = list(res.for_objective(cr.objective))
    out: list[CreditNote] = []
    closed = [p for p in periods if p.closed]
    if closed and closed[-1].credit is not None and closed[-1].credit.percent:
        p, c = closed[-1], closed[-1].credit
        if not (c.claim_by and today is not None and c.claim_by[:10] < today.isoformat()):
            out.append(CreditNote("owed", p.period, c.percent, c.amount, c.currency,
                                  c.claim_by))
    opened = [p for p in periods if not p.closed]
    if opened and (note := projected_credit(a, opened[-1])) is not None:
        out.append(note)
    return out


def credit_text(notes: list[CreditNote], language: str) -> Markup:
    """The credit column's words, escaped: "10% (500.00 USD) owed for November 2025,
    claim by 2025-12-30" / "projected 10% ... if November 2026 ends as it goes"; "—"."""
    if not notes:
        return Markup("—")
    lines = []
    for n in notes:
        share = fmt.percent(n.percent, 2)
        if n.amount is not None:
            share += f" ({n.amount:,.2f} {n.currency})".rstrip()
        period = period_name(n.period, language, kind=False)
        words = t(f"overview.credit_{n.state}", language, credit=share, period=period)
        if n.claim_by:
            words += t("overview.credit_claim_by", language, date=fmt.day(n.claim_by))
        lines.append(f'<span class="slc-credit-{n.state}">{escape.text(words)}</span>')
    return Markup("<br>".join(lines))
