"""Service credits and bonuses from the agreement's tier table.

A tier applies when the achieved figure is strictly below its ``below``; of all the
tiers that apply, the lowest (the most severe) wins. The credit is capped at ``cap``
percent. A bonus applies when the figure is at or above its ``at_least``; the highest
such bonus wins. Money is the percent of the period's fee (monthly fee x months in
the period). A claim is accepted up to and including the day ``claim_within`` after
the period's last day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from slacode.evaluate.periods import Period, zone
from slacode.evaluate.results import Credit
from slacode.model import Credits


def claim_by(period: Period, credits: Credits, tz: str) -> str:
    if credits.claim_within is None:
        return ""
    end = datetime.fromtimestamp(period.end, zone(tz))
    last = credits.claim_within.add_to(end) - timedelta(seconds=1)
    return last.date().isoformat()


def credit_for(credits: Credits, achieved: float, period: Period, tz: str) -> Credit:
    hits = [t for t in credits.tiers if achieved < t.below]
    tier = min(hits, key=lambda t: t.below) if hits else None
    percent = min(tier.credit, credits.cap) if tier else 0.0
    wins = [b for b in credits.bonuses if achieved >= b.at_least]
    bonus = max(wins, key=lambda b: b.at_least).bonus if wins else 0.0
    fee = credits.monthly_fee * period.months if credits.monthly_fee is not None else None
    return Credit(
        percent=float(percent),
        amount=None if fee is None else round(fee * percent / 100.0, 2),
        currency=credits.currency,
        tier_below=tier.below if tier else None,
        claim_by=claim_by(period, credits, tz),
        bonus_percent=float(bonus),
        bonus_amount=None if fee is None or not wins else round(fee * bonus / 100.0, 2),
    )
