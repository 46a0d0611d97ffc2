"""Measuring one objective over a time range: good, total, coverage, misses.

Count series (events availability, time slices, latency) are indexed once into
prefix sums, so any period or day is two binary searches and a subtraction; no
per-interval objects are made per period.

Rules documented here because the figures depend on them:

* **Maintenance exclusion** (windows announced with enough notice): an interval
  overlapping an excluded window keeps only the share of its length outside the
  window, and its good and total counts are scaled by that share (events are assumed
  spread evenly over the interval). The excluded time is also taken out of the time
  that should have had data, so coverage is not lowered by it. Intervals outside
  excluded windows are never touched.
* **Period edges**: an interval that straddles a period boundary is split the same way
  (pro rata); with intervals aligned to local midnights this does not happen.
* **Zero traffic** (``zero_traffic``): an interval with 0 of 0 events has data unless the
  objective says ``no-data``; a range whose total is 0 reads 100% (``good``) or 0% (``bad``).
* **Coverage**: seconds with data divided by the seconds of the range that had passed at
  the evaluation time, less excluded maintenance.
* **Incidents** (and **complaints**, judged the same way) count in the period they were
  opened. One with its response (or resolution) after the target, or still without it
  when its deadline has passed, is missed; one still within its deadline is pending and
  not counted yet. A range without counted incidents reads 100%: nothing was missed. A
  closed period with a pending incident is not final until that incident's deadline
  (see ``evaluate``).
"""

from __future__ import annotations

import math
import operator
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate

from slacode.durations import Duration, span_words
from slacode.evaluate.clock import Clock, make_clock
from slacode.evaluate.periods import iso
from slacode.evaluate.results import Miss, Reason
from slacode.model import CLOCK_24X7, Agreement, Objective, Span, merge, overlap
from slacode.pull.base import (
    ComplaintRecords,
    CountSeries,
    Gap,
    IncidentRecords,
    SurveyRecords,
)


@dataclass
class Tally:
    """What a range of one objective measured."""

    good: float = 0.0
    total: float = 0.0
    covered: float = 0.0  # seconds with data
    expected: float = 0.0  # seconds that should have had data
    value: float | None = None
    responses: int | None = None  # satisfaction only
    misses: list[Miss] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        if self.expected <= 0:
            return 0.0
        return min(1.0, self.covered / self.expected)


def gap_reasons(gaps: tuple[Gap, ...], a: int, b: int, tz: str, limit: int = 5
                ) -> list[Reason]:
    if not gaps:  # the common case, asked for a hundred thousand times in a fleet
        return []
    hits = [g for g in gaps if g.start < b and g.end > a]
    out = []
    for g in hits[:limit]:
        start, end = iso(max(g.start, a), tz), iso(min(g.end, b), tz)
        out.append(Reason("gap", {"start": start, "end": end, "why": g.reason},
                          f"no data {start} to {end}: {g.reason}"))
    if len(hits) > limit:
        n = len(hits) - limit
        out.append(Reason("gaps-more", {"n": n}, f"and {n} more gaps without data"))
    return out


class CountIndex:
    """Prefix sums over a count series, with excluded maintenance already taken out."""

    def __init__(
        self, series: CountSeries, excluded: Sequence[Span], zero_traffic: str
    ) -> None:
        pts = series.points
        self.starts = starts = [p.start for p in pts]
        self.ends = ends = [p.end for p in pts]
        n = len(pts)
        goods = [p.good for p in pts]
        totals = [p.total for p in pts]
        no_data_zero = zero_traffic == "no-data"
        if None in goods or None in totals or (no_data_zero and 0 in totals):
            g, t, d = [0.0] * n, [0.0] * n, [0.0] * n
            for i, (good, total) in enumerate(zip(goods, totals, strict=True)):
                if good is None or total is None or (no_data_zero and total == 0):
                    continue
                g[i], t[i], d[i] = float(good), float(total), float(ends[i] - starts[i])
        else:  # the common case, without a Python loop per interval
            g = list(map(float, goods))  # type: ignore[arg-type]
            t = list(map(float, totals))  # type: ignore[arg-type]
            d = list(map(operator.sub, ends, starts))
        for ws, we in excluded:
            i = max(0, bisect_right(ends, ws))
            while i < n and starts[i] < we:
                length = ends[i] - starts[i]
                cut = min(ends[i], we) - max(starts[i], ws)
                if length > 0 and cut > 0:
                    keep = 1.0 - cut / length
                    g[i] *= keep
                    t[i] *= keep
                    d[i] *= keep
                i += 1
        self._g, self._t, self._d = g, t, d  # d: seconds with data (int or float)
        self.pg = [0.0, *accumulate(g)]
        self.pt = [0.0, *accumulate(t)]
        self.pd = [0.0, *accumulate(d)]

    def sums(self, a: int, b: int) -> tuple[float, float, float]:
        """Good, total and seconds with data inside ``[a, b)``."""
        lo = bisect_right(self.ends, a)
        hi = bisect_left(self.starts, b)
        if lo >= hi:
            return 0.0, 0.0, 0.0
        g = self.pg[hi] - self.pg[lo]
        t = self.pt[hi] - self.pt[lo]
        d = self.pd[hi] - self.pd[lo]
        for i in (lo,) if lo == hi - 1 else (lo, hi - 1):
            s, e = self.starts[i], self.ends[i]
            if s < a or e > b:
                drop = 1.0 - (min(e, b) - max(s, a)) / (e - s)
                g -= drop * self._g[i]
                t -= drop * self._t[i]
                d -= drop * self._d[i]
        return g, t, d


def ratio_value(good: float, total: float, covered: float, zero_traffic: str) -> float | None:
    """The figure of ``good`` of ``total``; None (no data) without data, and when a sum is
    not finite: a figure of NaN or infinity is no figure, and no JSON can hold it."""
    if covered <= 0 or not (math.isfinite(good) and math.isfinite(total)):
        return None
    if total <= 0:
        return {"good": 100.0, "bad": 0.0}.get(zero_traffic)
    return 100.0 * good / total


def count_tally(
    index: CountIndex | None,
    series: CountSeries | None,
    objective: Objective,
    a: int,
    c: int,
    excluded: Sequence[Span],
    tz: str,
) -> Tally:
    """The range ``[a, c)`` (``c`` already cut at the evaluation time)."""
    expected = max(0, c - a) - overlap(excluded, a, c)
    if index is None or series is None:
        return Tally(expected=expected, reasons=[
            Reason("no-measurements", {}, "no measurements for this objective")])
    g, t, d = index.sums(a, c) if c > a else (0.0, 0.0, 0.0)
    tally = Tally(
        good=g,
        total=t,
        covered=d,
        expected=expected,
        value=ratio_value(g, t, d, objective.zero_traffic),
    )
    tally.reasons = gap_reasons(series.gaps, a, c, tz)
    if not (math.isfinite(g) and math.isfinite(t)):
        tally.reasons.insert(0, Reason("counts-too-large", {},
                                       "the counts are too large to add up: no figure"))
    return tally


# --- incidents ---------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    id: str
    opened: int
    status: str  # met | missed | pending | unknown (a fact it is judged by was not recorded)
    miss: Miss | None = None
    due: int | None = None  # pending: the deadline, when its outcome will be known at the latest
    reason: Reason | None = None  # unknown: what was not recorded


def incident_target(
    ag: Agreement, objective: Objective, priority: str
) -> tuple[Duration | None, str]:
    """Target duration and clock id: the objective's own, else the priority matrix's."""
    if objective.within is not None:
        return objective.within, objective.clock
    row = next((p for p in ag.priorities if p.id == priority), None)
    if row is None:
        return None, objective.clock
    within = row.response if objective.kind == "response-time" else row.resolution
    clock = objective.clock if objective.clock != CLOCK_24X7 else row.clock
    return within, clock


def incident_outcomes(
    ag: Agreement,
    objective: Objective,
    records: IncidentRecords,
    now: int,
    clocks: dict[str, Clock],
) -> list[Outcome]:
    """Each relevant incident's outcome at ``now``, sorted by opening time."""
    out: list[Outcome] = []
    what = "first response" if objective.kind == "response-time" else "resolution"
    step = "response" if objective.kind == "response-time" else "resolution"
    for inc in records.incidents:
        if inc.service not in ("", ag.id):
            continue
        if objective.priority and inc.priority != objective.priority:
            continue
        within, clock_id = incident_target(ag, objective, inc.priority)
        if within is None or inc.opened > now:
            continue
        done = inc.first_response if objective.kind == "response-time" else inc.resolved
        out.append(_timed(ag, _Subject("incident", inc.priority, inc.id, what, step),
                          inc.opened, done, within, clock_id, now, clocks))
    out.sort(key=lambda o: (o.opened, o.id))
    return out


def complaint_outcomes(
    ag: Agreement,
    objective: Objective,
    records: ComplaintRecords,
    now: int,
    clocks: dict[str, Clock],
) -> list[Outcome]:
    """Each complaint's outcome at ``now`` (acknowledged, or resolved, within the
    objective's time on its clock), sorted by opening time: judged exactly as incidents
    are, so a complaint still without an answer after its deadline is missed."""
    if objective.within is None:
        return []
    out: list[Outcome] = []
    ack = objective.kind == "complaint-response"
    what = "acknowledgement" if ack else "resolution"
    subject = _Subject("complaint", "", "", what, "acknowledgement" if ack else "resolution")
    for c in records.complaints:
        if c.opened > now:
            continue
        done = c.acknowledged if ack else c.resolved
        out.append(_timed(ag, replace(subject, id=c.id), c.opened, done,
                          objective.within, objective.clock, now, clocks))
    out.sort(key=lambda o: (o.opened, o.id))
    return out


def recovery_outcomes(
    ag: Agreement,
    objective: Objective,
    records: IncidentRecords,
    now: int,
    clocks: dict[str, Clock],
) -> list[Outcome]:
    """Each incident of ``continuity.priorities`` judged against the RTO (restored within,
    on the objective's clock; an incident resolved without a restoration time was
    restored by then at the latest) or the RPO (data lost at most). Data loss not recorded
    once service is back (or once the RTO has passed without restoration) is ``unknown``:
    the period gets no figure, since "not recorded" is not "nothing lost"."""
    rto = objective.within if objective.kind == "recovery-time" else None
    rto = rto or ag.continuity.rto
    out: list[Outcome] = []
    for inc in records.incidents:
        if inc.service not in ("", ag.id) or inc.priority not in ag.continuity.priorities:
            continue
        if inc.opened > now:
            continue
        label = f"{inc.priority} incident {inc.id}"
        back = inc.restored if inc.restored is not None else inc.resolved
        if objective.kind == "recovery-time":
            if rto is not None and not rto.is_calendar:
                out.append(_timed(ag, _Subject("incident", inc.priority, inc.id,
                                               "service restoration", "restoration"),
                                  inc.opened, back, rto, objective.clock, now, clocks))
            continue
        rpo = objective.within or ag.continuity.rpo
        if rpo is None or rpo.is_calendar:
            continue
        tz = ag.timezone
        if inc.data_lost is not None:
            if inc.data_lost <= rpo.seconds:
                out.append(Outcome(inc.id, inc.opened, "met"))
            else:
                text = (f"{label} lost {span_words(inc.data_lost)} of data "
                        f"(target at most {rpo.words()})")
                end = "" if back is None else iso(back, tz)
                lost: dict[str, str | int | float] = {
                    "priority": inc.priority, "id": inc.id, "lost_s": inc.data_lost,
                    "goal": str(rpo)}
                out.append(Outcome(inc.id, inc.opened, "missed",
                                   Miss(text, iso(inc.opened, tz), end, inc.id, "data-lost",
                                        lost)))
            continue
        due = None if rto is None or rto.is_calendar else int(inc.opened + rto.seconds)
        if back is not None or (due is not None and now > due):
            out.append(Outcome(inc.id, inc.opened, "unknown", reason=Reason(
                "loss-not-recorded", {"priority": inc.priority, "id": inc.id},
                f"{label}: no data loss recorded")))
        else:
            out.append(Outcome(inc.id, inc.opened, "pending", due=due))
    out.sort(key=lambda o: (o.opened, o.id))
    return out


def escalation_outcomes(
    ag: Agreement,
    objective: Objective,
    records: IncidentRecords,
    now: int,
    clocks: dict[str, Clock],
) -> list[Outcome]:
    """Each incident (of the objective's priority, or all) checked against every
    escalation level with an ``after``: an incident still unresolved that long after it
    opened (on the objective's clock) must have reached the level by then. Reaching it
    later is a late escalation, not reaching it at all a missing one; either misses the
    incident (the first such level is named). A level whose time is still ahead while the
    incident is open leaves the incident pending until then."""
    levels = sorted((e for e in ag.escalation if e.after is not None and not e.after.is_calendar),
                    key=lambda e: e.level)
    if not levels:
        return []
    tz = ag.timezone
    if objective.clock not in clocks:
        clocks[objective.clock] = make_clock(ag.calendar(objective.clock))
    clock = clocks[objective.clock]
    out: list[Outcome] = []
    for inc in records.incidents:
        if inc.service not in ("", ag.id) or inc.opened > now:
            continue
        if objective.priority and inc.priority != objective.priority:
            continue
        reached = dict(inc.escalations)
        label = f"{inc.priority} incident {inc.id}"
        miss: Miss | None = None
        due_next: int | None = None
        for e in levels:
            due = clock.deadline(inc.opened, clock.span(e.after))  # type: ignore[arg-type]
            if due is None or (inc.resolved is not None and inc.resolved <= due):
                continue  # resolved in time: this level was never needed
            name = f"level {e.level}" + (f" ({e.name})" if e.name else "")
            goal = e.after.words()  # type: ignore[union-attr]
            params: dict[str, str | int | float] = {
                "priority": inc.priority, "id": inc.id, "level": e.level, "name": e.name or "",
                "goal": str(e.after)}
            at = reached.get(e.level)
            if at is not None and at <= due:
                continue
            if at is not None:
                took = clock.elapsed(inc.opened, at)
                hours = "" if objective.clock == CLOCK_24X7 else (
                    f" of {objective.clock} working time")
                text = (f"{label} escalated to {name} after {span_words(took, not hours)}{hours} "
                        f"(target {goal})")
                params |= {"took_s": took, "clock": "" if not hours else objective.clock}
                miss = Miss(text, iso(inc.opened, tz), iso(at, tz), inc.id, "escalated-late",
                            params)
                break
            if now > due:
                text = f"{label} not escalated to {name} by {iso(due, tz)} (target {goal})"
                params["due"] = iso(due, tz)
                miss = Miss(text, iso(inc.opened, tz), "", inc.id, "not-escalated", params)
                break
            due_next = due if due_next is None else min(due_next, due)
        if miss is not None:
            out.append(Outcome(inc.id, inc.opened, "missed", miss))
        elif due_next is not None:
            out.append(Outcome(inc.id, inc.opened, "pending", due=due_next))
        else:
            out.append(Outcome(inc.id, inc.opened, "met"))
    out.sort(key=lambda o: (o.opened, o.id))
    return out


@dataclass(frozen=True)
class _Subject:
    """What :func:`_timed` judges: an incident's or a complaint's step, in English words
    (``what``) and as a code (``step``: response, resolution, acknowledgement,
    restoration)."""

    kind: str  # incident | complaint
    priority: str
    id: str
    what: str
    step: str

    @property
    def label(self) -> str:
        if self.kind == "complaint":
            return f"complaint {self.id}"
        return f"{self.priority} incident {self.id}"


def _timed(
    ag: Agreement, subject: _Subject, opened: int, done: int | None,
    within: Duration, clock_id: str, now: int, clocks: dict[str, Clock],
) -> Outcome:
    """Whether the subject's step (done at ``done``, or not yet) came within ``within``
    of ``opened`` on the clock ``clock_id``: met, missed, or pending until its deadline."""
    label, rid, what = subject.label, subject.id, subject.what
    tz = ag.timezone
    if clock_id not in clocks:
        clocks[clock_id] = make_clock(ag.calendar(clock_id))
    clock = clocks[clock_id]
    limit = clock.span(within)
    hours = "" if clock_id == CLOCK_24X7 else f" of {clock_id} working time"
    goal = within.words()
    params: dict[str, str | int | float] = {
        "subject": subject.kind, "priority": subject.priority, "id": rid,
        "step": subject.step, "goal": str(within), "clock": clock_id if hours else ""}
    if hours and within.unit not in ("h", "m", "s", "ms"):
        goal += f": {span_words(limit, False)} of working time"
        params["goal_s"] = limit
    if done is not None and done <= now:
        took = clock.elapsed(opened, done)
        if took <= limit:
            return Outcome(rid, opened, "met")
        text = f"{label} {what} after {span_words(took, not hours)}{hours} (target {goal})"
        params["took_s"] = took
        return Outcome(rid, opened, "missed", Miss(text, iso(opened, tz), iso(done, tz), rid,
                                                   "late", params))
    due = clock.deadline(opened, limit)
    if due is not None and now > due:
        text = f"{label} no {what} by its deadline {iso(due, tz)} (target {goal})"
        params["due"] = iso(due, tz)
        return Outcome(rid, opened, "missed", Miss(text, iso(opened, tz), "", rid,
                                                   "not-done", params))
    return Outcome(rid, opened, "pending", due=due)


def record_coverage(
    rec: IncidentRecords | SurveyRecords | ComplaintRecords | None, a: int, c: int
) -> float:
    """Seconds of ``[a, c)`` the records cover, less their gaps."""
    if rec is None:
        return 0.0
    s, e = max(a, rec.start), min(c, rec.end)
    if e <= s:
        return 0.0
    return float((e - s) - overlap(merge([(g.start, g.end) for g in rec.gaps]), s, e))


def incident_tally(
    outcomes: list[Outcome] | None,
    opened: list[int],
    rec: IncidentRecords | ComplaintRecords | None,
    a: int,
    c: int,
    tz: str,
    noun: str = "incident",
    priority: str = "",
) -> Tally:
    """Met of counted ``noun``s (incidents or complaints) opened in ``[a, c)``."""
    tally = Tally(expected=max(0, c - a), covered=record_coverage(rec, a, c))
    if outcomes is None or rec is None:
        tally.reasons = [Reason(f"no-{noun}-records", {}, f"no {noun} records for this objective")]
        return tally
    lo, hi = bisect_left(opened, a), bisect_left(opened, c)
    pending = 0
    unknown: list[Reason] = []
    for o in outcomes[lo:hi]:
        if o.status == "pending":
            pending += 1
            continue
        if o.status == "unknown":
            unknown.append(o.reason or Reason())
            continue
        tally.total += 1
        if o.status == "met":
            tally.good += 1
        elif o.miss is not None:
            tally.misses.append(o.miss)
    if tally.covered > 0:
        tally.value = 100.0 * tally.good / tally.total if tally.total else 100.0
    if tally.total == 0 and tally.covered > 0:
        tally.reasons.append(Reason(f"no-{noun}s-counted", {"priority": priority},
                                    f"no {noun}s counted in this period"))
    if pending:
        tally.reasons.append(Reason(
            f"{noun}s-pending", {"n": pending},
            f"{pending} {noun}(s) still within their target time, not counted yet"))
    tally.reasons += gap_reasons(rec.gaps, a, c, tz)
    _void(tally, rec.gaps, a, c)
    if unknown:  # a fact not recorded is never counted as met
        tally.value = None
        tally.reasons[:0] = unknown
    return tally


def _void(tally: Tally, gaps: tuple[Gap, ...], a: int, c: int) -> None:
    """No figure for ``[a, c)`` when a record that could not be read may lie in it (a
    void gap, see :class:`~slacode.pull.base.Gap`): the incident left out may be the
    missed one, the answer left out may change the score. Its reason is already among
    the gap reasons."""
    if any(g.void and g.start < c and g.end > a for g in gaps):
        tally.value = None


# --- satisfaction ------------------------------------------------------------


class SurveyIndex:
    def __init__(self, rec: SurveyRecords, at_least: float | None) -> None:
        rs = sorted(rec.responses, key=lambda r: (r.time, r.score))
        self.times = [r.time for r in rs]
        self.psum = [0.0, *accumulate(float(r.score) for r in rs)]
        ok = [1 if at_least is not None and r.score >= at_least else 0 for r in rs]
        self.pok = [0, *accumulate(ok)]

    def sums(self, a: int, b: int) -> tuple[int, float, int]:
        lo, hi = bisect_left(self.times, a), bisect_left(self.times, b)
        return hi - lo, self.psum[hi] - self.psum[lo], self.pok[hi] - self.pok[lo]


def survey_method(objective: Objective) -> str:
    if objective.method in ("mean", "share"):
        return objective.method
    return "mean" if objective.at_least is None else "share"


def survey_tally(
    index: SurveyIndex | None,
    rec: SurveyRecords | None,
    objective: Objective,
    a: int,
    c: int,
    tz: str,
) -> Tally:
    tally = Tally(expected=max(0, c - a), covered=record_coverage(rec, a, c))
    if index is None or rec is None:
        tally.reasons = [Reason("no-survey-records", {}, "no survey records for this objective")]
        return tally
    n, total_score, ok = index.sums(a, c)
    tally.responses = n
    if survey_method(objective) == "mean":
        tally.good, tally.total = total_score, float(n)
        tally.value = total_score / n if n else None
    else:
        tally.good, tally.total = float(ok), float(n)
        tally.value = 100.0 * ok / n if n else None
    if n < objective.min_responses:
        tally.reasons.append(Reason(
            "few-responses", {"n": n, "needed": objective.min_responses},
            f"{n} responses, fewer than the {objective.min_responses} needed"))
    tally.reasons += gap_reasons(rec.gaps, a, c, tz)
    _void(tally, rec.gaps, a, c)
    return tally
