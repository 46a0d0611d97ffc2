"""Stage 2: pull measurements for each objective from its source.

Public surface: :func:`pull`. ``base`` holds the measurement types and the
:class:`~slacode.pull.base.Source` protocol; ``files`` and ``prometheus`` are the
source kinds, registered explicitly in :data:`SOURCES`; ``cache`` keeps final
intervals so that a nightly run asks only for what is new.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from slacode.config import Settings
from slacode.model import Agreement
from slacode.problems import Problem
from slacode.pull.base import Measurement


@dataclass(frozen=True)
class PullResult:
    measurements: dict[tuple[str, str], Measurement]  # (service id, objective id) -> data
    queries: int  # HTTP queries sent (0 for file sources and fully cached ranges)
    problems: tuple[Problem, ...]  # gaps and source faults, as warnings (errors with --strict)


def pull(
    agreements: Sequence[Agreement],
    settings: Settings,
    now: int,
    start: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> PullResult:
    """Measurements for every objective from ``start`` (default: ``history_months`` before
    ``now``, at the first midnight of that month in each agreement's timezone) to ``now``.

    ``progress`` is called with one line per objective. Never raises for data faults.
    """
    raise NotImplementedError
