"""Measurements: what ``pull`` hands to ``evaluate``, and the interface every source implements.

Times are integer UNIX seconds (UTC) so that arithmetic is exact and deterministic.
Intervals start at midnights in the agreement's timezone and never cross one: a source
lays out the objective's resolution (files) or whole local days split at the request's
``cuts`` (Prometheus, see ``align.layout``); a daylight-saving day lasts 23 or 25 hours.
Intervals need not be of equal length: evaluation sums them as they come.

Missing data is explicit: an interval whose counts are ``None`` had no data, and a
:class:`Gap` says why. It is never the same as zero bad events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Protocol

from slacode.model import Agreement, Objective

#: The largest count an interval may hold: 2**53, up to which a float counts events
#: exactly. A larger figure is no count any service produces (a sample of 1e308 is a bug
#: or an attack), and summing such figures over a period overflows to infinity, which no
#: percentage or JSON document can hold. A source reports it as no data, with the reason.
MAX_COUNT = float(2**53)


class Counts(NamedTuple):
    """Good and total events (or slices) in ``[start, end)``; ``None`` = no data.

    A named tuple rather than a dataclass: a fleet's pull makes millions of them, and
    a tuple is built several times faster.
    """

    start: int
    end: int
    good: float | None
    total: float | None

    @property
    def has_data(self) -> bool:
        return self.good is not None and self.total is not None


@dataclass(frozen=True)
class Gap:
    """A stretch without trustworthy data, and the reason shown to readers."""

    start: int
    end: int
    reason: str  # e.g. "Prometheus unreachable: connection refused", "no series returned"
    # The source failed (down, timeout, error or unreadable answer, partial data, file
    # missing), as opposed to data that is simply absent; a strict build fails on a fault.
    fault: bool = False
    # A record that could not be read may lie here (a bad incident or survey row): a
    # period overlapping it has no figure, since the record might change it (a missed
    # incident left out would read as met). Records only; counts mark intervals instead.
    void: bool = False


@dataclass(frozen=True)
class CountSeries:
    """Events ratio, time-slice or latency objectives: one :class:`Counts` per interval.

    For ``slices`` objectives, ``good``/``total`` count slices (e.g. minutes), not requests.
    """

    service: str
    objective: str
    step: int  # the objective's resolution; intervals may be longer (whole days, see layout)
    points: tuple[Counts, ...]  # ordered, contiguous, covering the pulled range
    gaps: tuple[Gap, ...] = ()
    as_of: int | None = None  # time of the newest data point seen; None = never any data
    warnings: tuple[str, ...] = ()  # e.g. partial-data warnings passed on by the server


@dataclass(frozen=True)
class Incident:
    id: str
    priority: str
    opened: int
    first_response: int | None = None
    resolved: int | None = None
    title: str = ""
    customer_visible: bool = True
    service: str = ""  # records files may hold several services; "" = the objective's own
    restored: int | None = None  # when service was restored (recovery-time); None = not said
    data_lost: float | None = None  # seconds of data lost (recovery-point); None = not said
    #: (level, when it was reached) of each escalation level the incident reached
    escalations: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class IncidentRecords:
    service: str
    objective: str
    incidents: tuple[Incident, ...]
    start: int  # range the records cover
    end: int
    gaps: tuple[Gap, ...] = ()
    as_of: int | None = None


@dataclass(frozen=True)
class SurveyResponse:
    time: int
    score: float


@dataclass(frozen=True)
class SurveyRecords:
    service: str
    objective: str
    responses: tuple[SurveyResponse, ...]
    start: int
    end: int
    gaps: tuple[Gap, ...] = ()
    as_of: int | None = None


@dataclass(frozen=True)
class Complaint:
    """One complaint about the service (``kind: complaints``). ``customer`` names who
    complained, so it is shown only in internal builds; ``channel`` and ``category``
    say how it came in and what it was about."""

    id: str
    opened: int
    acknowledged: int | None = None
    resolved: int | None = None
    customer: str = ""
    channel: str = ""
    category: str = ""


@dataclass(frozen=True)
class ComplaintRecords:
    service: str
    objective: str
    complaints: tuple[Complaint, ...]
    start: int  # range the records cover
    end: int
    gaps: tuple[Gap, ...] = ()
    as_of: int | None = None


Measurement = CountSeries | IncidentRecords | SurveyRecords | ComplaintRecords


@dataclass(frozen=True)
class PullRequest:
    """What a source is asked for: one objective over ``[start, end)`` at ``step`` seconds.

    ``start`` is aligned by the caller to a midnight in the agreement's timezone, and
    ``now`` is the explicit evaluation time: nothing after it is asked for.
    """

    agreement: Agreement
    objective: Objective
    start: int
    end: int
    step: int
    now: int
    # Instants where evaluation splits a day (a rolling window's start, a maintenance
    # window's start and end): a source that lays out whole days (``align.layout``)
    # starts an interval at each, so figures never prorate an interval.
    cuts: tuple[int, ...] = ()


class Source(Protocol):
    """A kind of measurement source. Implementations are registered in ``slacode.pull``."""

    kind: str

    def fetch(self, request: PullRequest) -> Measurement:
        """Return measurements for the request; never raise for a data fault.

        A server that is down, slow, answers an error or returns no series gives a
        measurement whose affected intervals have no data and a :class:`Gap` with the
        reason. Exceptions are for programming errors only.
        """
        ...

    # Optional: ``prefetch(requests, ready)`` asks for many requests at once (pooling
    # them into few queries) and calls ``ready(i)`` as each one's measurement is known;
    # ``pull`` then calls ``fetch`` for each, which answers from memory.


def add_gap(gaps: list[Gap], start: int, end: int, reason: str, fault: bool = False) -> None:
    """Append a gap, merging it with the previous one when they touch and agree."""
    last = gaps[-1] if gaps else None
    if last is not None and last.end == start and (last.reason, last.fault) == (reason, fault):
        gaps[-1] = Gap(last.start, end, reason, fault)
    else:
        gaps.append(Gap(start, end, reason, fault))

