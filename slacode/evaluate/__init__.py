"""Stage 3: evaluate measurements against agreements (pure, deterministic arithmetic).

Public surface: :func:`evaluate`. ``results`` holds the result types; ``periods``,
``clock`` (business hours), ``objectives``, ``credits`` do the arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from slacode.evaluate.results import ServiceResults
from slacode.model import Agreement
from slacode.pull.base import Measurement


def evaluate(
    agreements: Sequence[Agreement],
    measurements: Mapping[tuple[str, str], Measurement],
    now: int,
    history_months: int = 13,
) -> tuple[ServiceResults, ...]:
    """Results for every agreement: each objective's periods (closed ones and the open
    one), the last 90 days, budgets, credits and dependency composites. Same inputs,
    same output, byte for byte."""
    raise NotImplementedError
