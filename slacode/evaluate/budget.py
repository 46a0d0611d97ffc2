"""Error budgets, projections and verdicts: the judgement shared by every objective kind.

The budget of a ratio objective is the share of bad units the target allows, applied to
the period's expected volume (so far, scaled up to the whole period by elapsed time).
Verdicts (:func:`judge`, the one place they are decided). A closed period is ``met`` or
``breached``. An open period gets one of four states that cannot be confused, worst first:

* ``cannot-recover``: even if everything still to come in the period is good, the period
  ends below its target (:func:`best_case` below the target);
* ``below-target``: the figure so far is below the target, but a good rest of the period
  can still bring it up to the target;
* ``at-risk``: the figure so far meets the target, but at the recent rate (the
  projection) the period ends below it;
* ``on-track``: the figure so far and its projection meet the target.

Data coverage below ``min_coverage`` is ``no-data`` and satisfaction with too few
responses ``insufficient-data``, open or closed: never met.

**How much is still to come.** Evaluation does not know the rest of a period's volume
(requests, tickets, survey answers). "Cannot recover" bounds it by the period's own rate
so far: the rest brings at most ``volume so far × (1 − elapsed) / elapsed`` units (time
slices: exactly the slices left, since slices come at a fixed rate). The best case
counts every one of them good (a ratio at 100 %, a mean score at the scale's maximum).
For ratios this is the error budget's own rule: the best case misses the target exactly
when more units went bad than the target allows of that whole-period volume
(``Budget.remaining < 0``), so the page's "budget used up" and "cannot recover" agree.
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


def best_case(
    good: float, total: float, elapsed: float, best: float = 1.0
) -> float | None:
    """The figure the period ends with when everything still to come is good: the rest
    brings ``total × (1 − elapsed) / elapsed`` units (the period's rate so far), each
    worth ``best`` (1.0 for a ratio, the scale's maximum for a mean score). Percent for
    ratios (``best`` 1.0), the mean score otherwise; None when nothing was counted yet
    or no time has passed (nothing bounds the rest)."""
    if total <= 0 or elapsed <= 0:
        return None
    rest = total * (1.0 - min(1.0, elapsed)) / elapsed
    figure = (good + best * rest) / (total + rest)
    return 100.0 * figure if best == 1.0 else figure


def judge(
    value: float | None,
    target: float,
    coverage: float,
    min_coverage: float,
    complete: bool,
    projection: float | None = None,
    best: float | None = None,
    insufficient: bool = False,
) -> Verdict:
    """The period's verdict (see the module docstring): ``best`` is :func:`best_case`,
    ``projection`` the figure expected at the period end at the recent rate."""
    if value is None or coverage + EPS < min_coverage:
        return "no-data"
    if insufficient:
        return "insufficient-data"
    if complete:
        return "met" if value + EPS >= target else "breached"
    if best is not None and best + EPS < target:
        return "cannot-recover"
    if value + EPS < target:
        return "below-target"
    if projection is not None and projection + EPS < target:
        return "at-risk"
    return "on-track"
