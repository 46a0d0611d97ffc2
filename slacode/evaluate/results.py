"""Results: what ``evaluate`` produces and ``ledger`` and ``render`` read.

Plain, JSON-friendly values (ISO strings for times, floats for figures) so that the
ledger can write them as frozen records and ``slacode evaluate --format json`` can
print them with documented, stable keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

#: closed periods: met, breached; open periods: on-track, at-risk, below-target,
#: cannot-recover (see :mod:`slacode.evaluate.budget`); either: no-data, insufficient-data
Verdict = Literal["met", "breached", "on-track", "at-risk", "below-target", "cannot-recover",
                  "no-data", "insufficient-data"]

#: every verdict, worst first: a service's status is its worst objective's verdict
SEVERITY: tuple[str, ...] = ("breached", "cannot-recover", "below-target", "at-risk",
                             "no-data", "insufficient-data", "on-track", "met")
#: verdicts of a period that keeps (or so far keeps) its promise
KEPT: frozenset[str] = frozenset({"met", "on-track"})
#: open-period verdicts (a closed period is met or breached)
OPEN_STATES: tuple[Verdict, ...] = ("on-track", "at-risk", "below-target", "cannot-recover")


@dataclass(frozen=True)
class Budget:
    """Error budget of one objective in one period, in the objective's own unit.

    For events objectives the unit is events; for time slices, slices (e.g. minutes);
    for incident objectives, incidents. ``burn_rate`` is consumed/allowed divided by
    the elapsed share of the period (1.0 = on track to use exactly the budget).
    """

    unit: str
    allowed: float
    consumed: float
    remaining: float
    burn_rate: float | None


@dataclass(frozen=True)
class Credit:
    percent: float  # of the period's fee, after the cap
    amount: float | None = None  # money, when the agreement gives a fee
    currency: str = ""
    tier_below: float | None = None  # the tier that applied
    claim_by: str = ""  # ISO date: the last day a claim is accepted
    bonus_percent: float = 0.0
    bonus_amount: float | None = None  # money of the bonus, when the agreement gives a fee


#: a reason's parameters: plain JSON values (ISO times, seconds, ids, figures)
Params = Mapping[str, str | int | float]


@dataclass(frozen=True)
class Reason:
    """Why a period's verdict or figure is what it is, as data: a ``code`` (one of
    :data:`REASON_CODES`) with its ``params``, which render words per language through
    its message catalogue (``reason.<code>``), and the English ``text`` for readers of the
    JSON and the ledger. A reason with no code (a frozen record written before codes, or
    text from a data source) is shown as its text, as it is.

    Parameter conventions, which render relies on: ``start``, ``end``, ``due`` are ISO
    times; ``*_s`` are seconds; ``goal`` is a duration as the agreement writes it
    (``15m``); ``clock`` is a calendar id ("" = around the clock)."""

    code: str = ""
    params: Params = field(default_factory=dict, hash=False)
    text: str = ""


#: every code evaluation gives a reason or a miss; render's catalogue words each one
#: (``reason.<code>`` in both languages: a test checks)
REASON_CODES = (
    "gap",  # start, end, why (the source's own words, shown as they came)
    "gaps-more",  # n
    "no-measurements",
    "counts-too-large",
    "no-incident-records",
    "no-complaint-records",
    "no-survey-records",
    "no-incidents-counted",  # priority ("" = every priority)
    "no-complaints-counted",
    "incidents-pending",  # n
    "complaints-pending",  # n
    "few-responses",  # n, needed
    "low-coverage",  # coverage, needed (fractions 0..1)
    "unseen-outage",  # start, end, priority ("" = any incident)
    "loss-not-recorded",  # priority, id
    # what was missed (Miss.code)
    "bad-day",  # date, value, target
    "late",  # subject (incident|complaint), priority, id, step, took_s, clock, goal, goal_s
    "not-done",  # subject, priority, id, step, due, goal, goal_s, clock
    "data-lost",  # priority, id, lost_s, goal
    "escalated-late",  # priority, id, level, name, took_s, clock, goal
    "not-escalated",  # priority, id, level, name, due, goal
)


@dataclass(frozen=True, slots=True)
class Miss:
    """What a breach or a missed incident target consisted of, for the page's breach list.
    ``code`` and ``params`` say it as data (see :class:`Reason`); ``what`` in English.
    Records frozen before codes have only ``what``."""

    what: str  # e.g. "P1 incident INC-12 first response after 42 minutes (target 15 minutes)"
    start: str = ""
    end: str = ""
    incident: str = ""
    code: str = ""
    params: Params = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Restatement:
    """A frozen record that was replaced: when, and why (render: "restated on DATE: reason")."""

    at: str  # ISO time the new figures were written
    reason: str


HoldKind = Literal["late-data", "no-data", "incident", "survey", "complaint"]


@dataclass(frozen=True)
class Hold:
    """Why a closed period is not final yet, and until when: the ledger freezes a period
    only once it has no hold, so that what customers are told never changes afterwards.

    ``late-data``: measurements of the period's last hours may still arrive; ``no-data``:
    an objective has no data, which a failed pull would also give; ``incident``:
    ``count`` incidents opened in the period are still within their target time, so
    their outcome is not known (``complaint``: the same for complaints); ``survey``:
    responses dated in the period may still be recorded. ``until`` is an ISO time, or ""
    when no deadline is in sight (an incident whose business-hours clock finds no
    working time within its horizon).
    """

    kind: HoldKind
    until: str
    count: int = 0


@dataclass(frozen=True)
class PeriodResult:
    service: str
    objective: str
    period: str  # "2026-11", "2026-Q4", "2026", or "rolling-28d" for the window ending now
    start: str  # ISO 8601 with offset, in the agreement's timezone
    end: str
    closed: bool  # the period has ended (before the evaluation time)
    value: float | None  # the figure (percent, or score for mean satisfaction); None = no data
    target: float
    unit: str  # "%" or "score"
    verdict: Verdict
    margin: float | None  # value - target
    coverage: float  # share of the period's intervals that had data, 0..1
    as_of: str  # ISO time of the newest data used
    agreement_version: int
    budget: Budget | None = None
    credit: Credit | None = None
    projection: float | None = None  # open periods: the figure expected at period end
    composite: float | None = None  # availability of the dependency chain in this period
    excluded_maintenance: tuple[str, ...] = ()  # windows excluded, as "start/end" ISO strings
    late_maintenance: tuple[str, ...] = ()  # windows announced too late: not excluded
    #: stretches of maintenance beyond the monthly maximum: not excluded
    over_cap_maintenance: tuple[str, ...] = ()
    misses: tuple[Miss, ...] = ()
    reasons: tuple[Reason, ...] = ()  # why the verdict is what it is, e.g. gap reasons
    frozen_at: str = ""  # set by the ledger: ISO time the shown figures were frozen; "" = live
    restatements: tuple[Restatement, ...] = ()  # set by the ledger, oldest first
    #: closed periods: ISO time from which nothing in the period can change any more
    #: (the latest of its holds' ends, also those already past); "" for open periods, or
    #: when a hold has no end in sight
    final_at: str = ""
    holds: tuple[Hold, ...] = ()  # closed periods: what is still not final at evaluation time

    def as_dict(self) -> dict[str, object]:
        """The documented JSON shape (``slacode evaluate --format json``)."""
        return _as_plain_data(self)  # type: ignore[return-value]


#: leaf types returned as they are (checked by exact type: the fast path of :func:`_as_plain_data`)
_LEAVES = frozenset({str, int, float, bool, type(None)})


def _as_plain_data(x: object) -> object:
    """``dataclasses.asdict`` without its deep copy of every leaf, which made it most of
    the cost of rendering a fleet's JSON; results are frozen, so nothing is shared.
    Leaves are recognised by exact type before anything else: most values are leaves."""
    if type(x) in _LEAVES:
        return x
    names = getattr(type(x), "__dataclass_fields__", None)
    if names is not None:
        out = {}
        for name in names:
            v = getattr(x, name)
            out[name] = v if type(v) in _LEAVES else _as_plain_data(v)
        return out
    if isinstance(x, tuple | list):
        return type(x)(_as_plain_data(v) for v in x)
    if isinstance(x, dict):
        return {k: _as_plain_data(v) for k, v in x.items()}
    return x


@dataclass(frozen=True, slots=True)
class DailyValue:
    """One day of the 90-day strip."""

    date: str  # ISO date in the agreement's timezone
    value: float | None  # None = no data that day
    good: float | None = None
    total: float | None = None


@dataclass(frozen=True)
class IncidentVerdict:
    """How one incident fared against one per-incident objective (recovery time or point,
    escalation):
    what the page shows beside the incident, met ones included."""

    objective: str
    kind: str  # the objective's kind: recovery-time (RTO), recovery-point (RPO), escalation
    incident: str
    status: str  # met | missed | pending | unknown (what it is judged by was not recorded)
    what: str = ""  # missed: what was missed; unknown: what was not recorded (English)
    code: str = ""  # ``what`` as data (see :class:`Reason`)
    params: Params = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class ServiceResults:
    service: str
    as_of: str  # newest data across the service's objectives; "" = none
    evaluated_at: str  # the evaluation time ("now")
    periods: tuple[PeriodResult, ...]  # every objective, every period, oldest first
    daily: dict[str, tuple[DailyValue, ...]]  # objective id -> last 90 days
    current: tuple[PeriodResult, ...] = ()  # each objective's open period
    #: per incident, under the recovery and escalation objectives of the version in force now
    incident_verdicts: tuple[IncidentVerdict, ...] = ()

    def for_objective(self, objective: str) -> tuple[PeriodResult, ...]:
        return tuple(p for p in self.periods if p.objective == objective)
