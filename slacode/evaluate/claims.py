"""Credit claims checked against what evaluation says is owed.

The policy asks for a way for customers to pursue what they are owed, and for disputes
to be handled. Evaluation computes each closed period's credit (``PeriodResult.credit``,
with the last day to claim it); the claims record (``slacode.pull.claims``) says what
customers claimed and what was paid. Here the two meet:

- a claim for a period and objective that owes no credit is flagged (``claims.unwarranted``);
- a claim made after the claim window closed (``claims.late``);
- a paid amount other than the owed one (``claims.amount``);
- an owed credit claimed in time and still unpaid ``credits.pay_within`` after the claim
  (``claims.unpaid``), or rejected although it is owed (``claims.disputed``).

Each flag is a warning at the claim's row and field, and stays with the claim for the
pages. "No data" owes nothing: a claim for such a period is flagged as unwarranted with
that reason, never judged met or breached.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from slacode.evaluate.results import PeriodResult, ServiceResults
from slacode.model import Agreement
from slacode.problems import Code, Problem
from slacode.pull.claims import Claim

FlagCode = Literal["unknown", "unwarranted", "late", "amount", "unpaid", "disputed",
                   "customer"]
WindowState = Literal["open", "closed", "claimed", "paid", "none", "not-owed"]


@dataclass(frozen=True)
class ClaimFlag:
    """Why a claim needs someone's attention: a code and its message (English, for logs)."""

    code: FlagCode
    message: str
    field: str  # the claims record's column it concerns


@dataclass(frozen=True)
class CheckedClaim:
    """A claim with what evaluation says of it."""

    claim: Claim
    flags: tuple[ClaimFlag, ...] = ()


@dataclass(frozen=True)
class OwedCredit:
    """One closed period of an agreement's credit objective that owes a credit, or that a
    claim names: what is owed, until when it may be claimed, and the claims made."""

    service: str
    objective: str
    period: str
    percent: float  # 0 when nothing is owed (a claim named the period anyway)
    amount: float | None
    currency: str
    claim_by: str  # ISO date; "" when the agreement sets no window
    claims: tuple[CheckedClaim, ...] = ()


@dataclass(frozen=True)
class ClaimsReport:
    """Every agreement's owed credits and checked claims, and the flags as problems."""

    credits: tuple[OwedCredit, ...]
    claims: tuple[CheckedClaim, ...]  # every claim read, its flags included
    problems: tuple[Problem, ...]

    def of(self, service: str) -> tuple[OwedCredit, ...]:
        return tuple(c for c in self.credits if c.service == service)


def local_today(a: Agreement, now: int) -> date:
    """The agreement's local date at ``now``: claim windows close at the end of their last
    day there, and payment deadlines run by its days."""
    return datetime.fromtimestamp(now, ZoneInfo(a.timezone or "UTC")).date()


def window_state(credit: OwedCredit, claims: Sequence[CheckedClaim], today: date
                 ) -> WindowState:
    """The state a page shows for one owed credit: ``paid`` or ``claimed`` (from the
    claims the page may show), else ``open`` until its claim date or ``closed`` after it
    (``none``: the agreement sets no claim window; ``not-owed``: only a claim names the
    period, which owes nothing)."""
    if not credit.percent:
        return "not-owed"
    if any(c.claim.status == "paid" for c in claims):
        return "paid"
    if any(c.claim.status in ("open", "approved") for c in claims):
        return "claimed"
    if not credit.claim_by:
        return "none"
    return "open" if today.isoformat() <= credit.claim_by[:10] else "closed"


def check_claims(agreements: Sequence[Agreement], results: Sequence[ServiceResults],
                 claims: Sequence[Claim], now: int) -> ClaimsReport:
    """Check ``claims`` against the credits ``results`` owe (the ledger's figures where
    frozen: what customers were told) at the evaluation time ``now``."""
    by_id = {a.id: a for a in agreements}
    periods: dict[tuple[str, str, str], PeriodResult] = {}
    for r in results:
        for p in r.periods:
            if p.closed:
                periods[(p.service, p.objective, p.period)] = p
    checked: list[CheckedClaim] = []
    for c in claims:
        checked.append(CheckedClaim(c, tuple(_flags(c, by_id.get(c.service), periods, now))))
    owed: dict[tuple[str, str, str], OwedCredit] = {}
    for a in agreements:
        if a.credits is None:
            continue
        for key, p in sorted(periods.items()):
            if key[0] == a.id and key[1] == a.credits.objective and p.credit is not None \
                    and p.credit.percent > 0 and p.verdict != "no-data":
                owed[key] = _owed(p)
    for cc in checked:
        c = cc.claim
        key = (c.service, c.objective, c.period)
        named = by_id.get(c.service)
        if named is None or named.credits is None or c.objective != named.credits.objective:
            continue
        if key not in owed:
            judged = periods.get(key)
            owed[key] = _owed(judged) if judged is not None and judged.credit is not None \
                and judged.verdict != "no-data" else OwedCredit(
                    c.service, c.objective, c.period, 0.0, None, named.credits.currency, "")
        owed[key] = _with_claim(owed[key], cc)
    problems = []
    for cc in checked:
        for f in cc.flags:
            line, col = cc.claim.where(f.field)
            problems.append(Problem(cc.claim.path, line, col, "warning",
                                    f"claim {cc.claim.id}: {f.message}", Code(f"claims.{f.code}")))
    return ClaimsReport(tuple(owed[k] for k in sorted(owed)), tuple(checked),
                        tuple(sorted(problems)))


def _owed(p: PeriodResult) -> OwedCredit:
    c = p.credit
    assert c is not None
    return OwedCredit(p.service, p.objective, p.period, c.percent if p.verdict != "no-data" else 0,
                      c.amount, c.currency, c.claim_by)


def _with_claim(o: OwedCredit, cc: CheckedClaim) -> OwedCredit:
    from dataclasses import replace

    return replace(o, claims=(*o.claims, cc))


def _money(amount: float | None, currency: str) -> str:
    return "" if amount is None else f"{amount:,.2f} {currency}".strip()


def _flags(c: Claim, a: Agreement | None, periods: dict[tuple[str, str, str], PeriodResult],
           now: int) -> list[ClaimFlag]:
    if a is None:
        return [ClaimFlag("unknown", f"no agreement has the id '{c.service}'", "service")]
    if a.credits is None:
        return [ClaimFlag("unwarranted", f"{a.id} grants no credits", "service")]
    cr = a.credits
    out: list[ClaimFlag] = []
    if a.customer_name and c.customer != a.customer_name:
        out.append(ClaimFlag("customer", f"{a.id} is the agreement of customer "
                             f"'{a.customer_name}', not of '{c.customer}'", "customer"))
    if c.objective != cr.objective:
        return [*out, ClaimFlag("unwarranted", f"{a.id} owes credits on its objective "
                                f"'{cr.objective}' only, not on '{c.objective}'", "objective")]
    p = periods.get((c.service, c.objective, c.period))
    if p is None:
        return [*out, ClaimFlag("unwarranted", f"{a.id} {c.objective} has no closed period "
                                f"'{c.period}' at the evaluation time: nothing is owed "
                                "(yet)", "period")]
    credit = p.credit
    owed = credit is not None and credit.percent > 0 and p.verdict != "no-data"
    if not owed:
        why = ("it has no data, which owes nothing" if p.verdict == "no-data"
               else f"it was {p.verdict} at {p.value:.3f} {p.unit} against {p.target:g} {p.unit}"
               if p.value is not None else f"it was {p.verdict}")
        out.append(ClaimFlag("unwarranted", f"no credit is owed for {a.id} {c.objective} "
                             f"{c.period}: {why}", "period"))
    claim_by = credit.claim_by if credit is not None else ""
    late = bool(claim_by) and c.claimed.isoformat() > claim_by[:10]
    if late:
        out.append(ClaimFlag("late", f"claimed on {c.claimed.isoformat()}, after the claim "
                             f"window closed on {claim_by[:10]}", "claimed"))
    if not owed or credit is None:
        return out
    if c.status == "paid":
        if c.amount is None:
            out.append(ClaimFlag("amount", "marked paid without an amount", "amount"))
        elif credit.amount is not None and abs(c.amount - credit.amount) >= 0.005:
            out.append(ClaimFlag("amount", f"paid {_money(c.amount, credit.currency)}, but "
                                 f"{_money(credit.amount, credit.currency)} is owed", "amount"))
        if c.paid is None:
            out.append(ClaimFlag("amount", "marked paid without the date it was paid", "paid"))
    if late:
        return out
    today = local_today(a, now)
    if c.status in ("open", "approved") and cr.pay_within is not None:
        due = cr.pay_within.add_to(c.claimed)
        if due < today:
            out.append(ClaimFlag("unpaid", f"still unpaid {(today - c.claimed).days} days after "
                                 f"the claim: credits are paid within {cr.pay_within} "
                                 f"(due {due.isoformat()})", "status"))
    if c.status == "paid" and cr.pay_within is not None and c.paid is not None \
            and cr.pay_within.add_to(c.claimed) < c.paid:
        out.append(ClaimFlag("unpaid", f"paid on {c.paid.isoformat()}, later than "
                             f"{cr.pay_within} after the claim", "paid"))
    if c.status == "rejected":
        out.append(ClaimFlag("disputed", f"rejected, but {credit.percent:g} % "
                             f"({_money(credit.amount, credit.currency) or 'of the fee'}) is owed "
                             f"for {a.id} {c.objective} {c.period}", "status"))
    return out
