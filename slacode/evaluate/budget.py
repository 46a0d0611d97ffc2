"""Error budgets, projections and verdicts: the judgement shared by every objective kind.

The budget of a ratio objective is the share of bad units the target allows, applied to
the period's expected volume (so far, scaled up to the whole period by elapsed time).
An open period is:

* ``breached`` when it can no longer be met (more bad units than the whole period allows);
* ``at-risk`` when the figure so far or its projection to the period end misses the target;
* ``met`` otherwise.

A complete period is ``met`` or ``breached``. Data coverage below ``min_coverage`` is
``no-data`` and satisfaction with too few responses ``insufficient-data``: never met.
"""

from __future__ import annotations

from slacode.evaluate.results import Budget, Verdict

EPS = 1e-9


def r6(x: float | None) -> float | None:
    """Figures are kept to 6 decimals: stable JSON, no float noise in the ledger.

    Whole numbers (most counts of good and total) are returned as they are: rounding
    would give them back unchanged, and ``round`` to decimals is slow (it formats the
    number), which made it the largest cost of a fleet's daily figures."""
    if x is None:
        return None
    if type(x) is float and x.is_integer():
        return x + 0.0
    return round(x, 6) + 0.0


def error_budget(unit: str, good: float, total: float, target: float, elapsed: float) -> Budget:
    """``elapsed`` is the share of the period that has passed (1.0 when complete)."""
    consumed = max(0.0, total - good)
    full = total / elapsed if elapsed > 0 else 0.0
    allowed = max(0.0, (1.0 - target / 100.0) * full)
    burn = (consumed / allowed) / elapsed if allowed > 0 and elapsed > 0 else None
    return Budget(
        unit=unit,
        allowed=r6(allowed) or 0.0,
        consumed=r6(consumed) or 0.0,
        remaining=r6(allowed - consumed) or 0.0,
        burn_rate=r6(burn),
    )


def projected_ratio(
    good: float, total: float, recent_ratio: float | None, elapsed: float
) -> float | None:
    """Percent at the period end if the rest of the period runs at ``recent_ratio``
    with the volume seen so far."""
    if total <= 0 or elapsed <= 0:
        return None
    rest = total * (1.0 - elapsed) / elapsed
    rate = good / total if recent_ratio is None else recent_ratio
    return 100.0 * (good + rate * rest) / (total + rest)


def judge(
    value: float | None,
    target: float,
    coverage: float,
    min_coverage: float,
    complete: bool,
    projection: float | None = None,
    budget: Budget | None = None,
    insufficient: bool = False,
) -> Verdict:
    if value is None or coverage + EPS < min_coverage:
        return "no-data"
    if insufficient:
        return "insufficient-data"
    if complete:
        return "met" if value + EPS >= target else "breached"
    if budget is not None and budget.remaining < -EPS:
        return "breached"
    if value + EPS < target or (projection is not None and projection + EPS < target):
        return "at-risk"
    return "met"
