"""Stage 3: evaluate measurements against agreements (pure, deterministic arithmetic).

Public surface: :func:`evaluate`; or :func:`evaluate_one` per agreement and
:func:`combine` to join them, so that evaluation can run while the rest is still being
pulled. ``results`` holds the result types; ``periods``, ``clock`` (business hours),
``objectives``, ``budget`` and ``credits`` do the arithmetic.

Versions in force: each period is judged by the version of the agreement effective
at the period's start (the version with the latest ``effective`` date on or before the
local date the period starts). So a new version applies from the first period starting
on or after its effective date, and an open period keeps the version it started under.
Periods that start before the first version took effect, or after the end of the
contract in force, are not evaluated: nothing was promised, so there is no verdict and
no credit. Rolling windows use the version in force at the evaluation time, and are
judged only when a promise held at their start and holds now; the 90-day strip shows
the measurements of the version in force (the oldest before the first one). Periods
and days are always laid out in the timezone of the agreement given in ``agreements``.

Finality: a closed period is final (the ledger may freeze it) once nothing in it can
still change. Until then its result carries :class:`~slacode.evaluate.results.Hold` records,
each with its end; ``final_at`` is the latest end. The rules:

* every closed period waits :data:`LATE_DATA_GRACE` after its end: measurements of its
  last hours may arrive late (scrape and remote-write lag, a nightly pull that failed);
* a period whose verdict is "no data" waits :data:`NO_DATA_GRACE` after its end: one
  failed pull must not freeze "no data";
* an incident objective waits for every incident opened in the period that is still
  within its target time, until that incident's deadline (its outcome is known then
  at the latest, met or missed); a complaint objective likewise for each complaint;
* a satisfaction objective waits :data:`SURVEY_WINDOW` after the period's end:
  responses dated in the period may still be recorded.

Dependencies: an availability objective's ``composite`` is the product of the
availability figures of the services in ``depends_on`` (each one's first availability
objective with a figure for the same period id), or ``None`` when any is missing.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from slacode.evaluate.budget import best_case, error_budget, judge, projected_ratio, r6
from slacode.evaluate.clock import Clock
from slacode.evaluate.credits import credit_for
from slacode.evaluate.objectives import (
    CountIndex,
    Outcome,
    Span,
    SurveyIndex,
    Tally,
    complaint_outcomes,
    count_tally,
    escalation_outcomes,
    incident_outcomes,
    incident_tally,
    ratio_value,
    recovery_outcomes,
    survey_method,
    survey_tally,
)
from slacode.evaluate.periods import (
    DAY,
    Period,
    days_between,
    iso,
    last_days,
    local_date,
    periods_for,
)
from slacode.evaluate.results import (
    KEPT,
    DailyValue,
    Hold,
    HoldKind,
    IncidentVerdict,
    Miss,
    PeriodResult,
    Reason,
    ServiceResults,
)
from slacode.heap import long_lived
from slacode.history import in_force
from slacode.model import Agreement, Maintenance, MaintenanceAccount, Objective, maintenance_account
from slacode.pull.base import (
    ComplaintRecords,
    CountSeries,
    IncidentRecords,
    Measurement,
    SurveyRecords,
)

__all__ = [
    "LATE_DATA_GRACE",
    "NO_DATA_GRACE",
    "SURVEY_WINDOW",
    "Partial",
    "combine",
    "evaluate",
    "evaluate_one",
]

#: how far back the projection of an open period looks for the recent rate
RECENT = 7 * DAY
COUNT_KINDS = ("availability", "latency")
#: judged per complaint, as incident objectives are per incident
COMPLAINT_KINDS = ("complaint-response", "complaint-resolution")
#: judged per incident of ``continuity.priorities`` against the RTO and RPO
RECOVERY_KINDS = ("recovery-time", "recovery-point")
#: objectives whose verdict per incident the page shows beside the incident
PER_INCIDENT_KINDS = (*RECOVERY_KINDS, "escalation")
#: every closed period is final no sooner than this after its end (late measurements)
LATE_DATA_GRACE = DAY
#: a closed period with no data is final no sooner than this after its end
NO_DATA_GRACE = 7 * DAY
#: survey responses dated in a period may be recorded this long after its end
SURVEY_WINDOW = 7 * DAY

#: verdicts that judge nothing: no bad days are listed under them
_NO_VERDICT = ("no-data", "insufficient-data")

#: a maintenance window's span and its "start/end" text, as results name it
_Window = tuple[int, int, str]


def evaluate(
    agreements: Sequence[Agreement],
    measurements: Mapping[tuple[str, str], Measurement],
    now: int,
    history_months: int = 13,
    *,
    versions: Mapping[str, Sequence[Agreement]] | None = None,
) -> tuple[ServiceResults, ...]:
    """Results for every agreement: each objective's periods (closed ones and the open
    one), the last 90 days, budgets, credits and dependency composites. Same inputs,
    same output, byte for byte.

    ``versions`` maps an agreement id to its past versions (see the module docstring);
    without it the given agreement judges every period.
    """
    partials = []
    with long_lived() as keep:
        for ag in agreements:
            partials.append(evaluate_one(ag, measurements, now, history_months,
                                         past=(versions or {}).get(ag.id, ())))
            keep()
        return combine(partials)


@dataclass(frozen=True)
class Partial:
    """One agreement's results before dependency composites, which need every service:
    what :func:`evaluate_one` gives and :func:`combine` joins."""

    results: ServiceResults
    rows: tuple[_Row, ...]


def evaluate_one(
    agreement: Agreement,
    measurements: Mapping[tuple[str, str], Measurement],
    now: int,
    history_months: int = 13,
    *,
    past: Sequence[Agreement] = (),
) -> Partial:
    """One agreement, as soon as its own measurements are in (the rest may still be
    being pulled); ``past`` are its past versions."""
    res, rows = _Service(agreement, tuple(past), measurements, now, history_months).run()
    return Partial(res, tuple(rows))


def combine(partials: Sequence[Partial]) -> tuple[ServiceResults, ...]:
    """The agreements' results in the order given, with dependency composites."""
    return _with_composites([(p.results, p.rows) for p in partials])


# --- one agreement -------------------------------------------------------------


@dataclass
class _Row:
    result: PeriodResult
    depends_on: tuple[str, ...]
    kind: str
    order: int


def _bounds(w: Maintenance) -> tuple[int, int]:
    return int(w.start.timestamp()), int(w.end.timestamp())


def _named(ws: list[Maintenance], tz: str) -> list[_Window]:
    """Distinct spans of ``ws`` in order, each with its "start/end" text."""
    return [(s, e, f"{iso(s, tz)}/{iso(e, tz)}") for s, e in sorted({_bounds(w) for w in ws})]


def _as_of(found: list[tuple[bool, int]]) -> int:
    """How fresh a service's figures are: the stalest of its measured streams (one
    source stopping must not hide behind a fresh one); records (incidents, surveys),
    whose time is only the file's last change, count when there is no stream."""
    streams = [t for records, t in found if not records]
    return min(streams) if streams else max(t for _, t in found)


class _Service:
    def __init__(
        self,
        ag: Agreement,
        past: tuple[Agreement, ...],
        measurements: Mapping[tuple[str, str], Measurement],
        now: int,
        history_months: int,
    ) -> None:
        self.ag = ag
        self.tz = ag.timezone or "UTC"
        self.now = now
        self.history_months = history_months
        self.measurements = measurements
        mine = {v.version: v for v in past if v.id == ag.id}
        mine[ag.version] = ag
        self.versions = sorted(mine.values(), key=lambda v: (v.effective, v.version))
        self._indexes: dict[tuple[object, ...], CountIndex] = {}
        self._surveys: dict[tuple[object, ...], SurveyIndex] = {}
        self._outcomes: dict[tuple[object, ...], tuple[list[Outcome], list[int]]] = {}
        self._clocks: dict[tuple[int, str], dict[str, Clock]] = {}
        self._accounts: dict[int, MaintenanceAccount] = {}
        self._windows: dict[int, tuple[list[_Window], ...]] = {}
        #: each day below target, by version, objective and day: one for every period
        #: that lists it (a breached month's days are also its quarter's and year's)
        self._bad_days: dict[tuple[int, str, int], Miss] = {}
        #: (opened, resolved, id, priority) of each incident
        self._incidents: list[tuple[int, int, str, str]] | None = None

    def in_force(self, ts: int) -> Agreement:
        if len(self.versions) == 1:
            return self.versions[0]
        return in_force(self.versions, local_date(ts, self.tz)) or self.versions[0]

    def promised(self, ts: int) -> Agreement | None:
        """The version a period starting at ``ts`` is judged by, or ``None`` when no
        promise held then: before the first version took effect, or after the end of
        the contract of the version in force."""
        day = local_date(ts, self.tz)
        v = in_force(self.versions, day)
        if v is None or (v.contract.end is not None and day > v.contract.end):
            return None
        return v

    # -- measurements, indexed once ------------------------------------------------

    def measurement(self, oid: str) -> Measurement | None:
        return self.measurements.get((self.ag.id, oid))

    def excluded(self, v: Agreement, o: Objective) -> tuple[Span, ...]:
        if o.kind not in COUNT_KINDS:
            return ()
        return self.maintenance(v).excluded

    def maintenance(self, v: Agreement) -> MaintenanceAccount:
        if v.version not in self._accounts:  # once per version, not once per period
            self._accounts[v.version] = maintenance_account(v)
        return self._accounts[v.version]

    def count_index(
        self, v: Agreement, o: Objective
    ) -> tuple[CountIndex | None, CountSeries | None]:
        m = self.measurement(o.id)
        if not isinstance(m, CountSeries):
            return None, None
        excl = self.excluded(v, o)
        key = (o.id, excl, o.zero_traffic)
        if key not in self._indexes:
            self._indexes[key] = CountIndex(m, excl, o.zero_traffic)
        return self._indexes[key], m

    def survey_index(self, o: Objective) -> tuple[SurveyIndex | None, SurveyRecords | None]:
        m = self.measurement(o.id)
        if not isinstance(m, SurveyRecords):
            return None, None
        key = (o.id, o.at_least)
        if key not in self._surveys:
            self._surveys[key] = SurveyIndex(m, o.at_least)
        return self._surveys[key], m

    def outcomes(
        self, v: Agreement, o: Objective
    ) -> tuple[list[Outcome] | None, list[int], IncidentRecords | ComplaintRecords | None]:
        m = self.measurement(o.id)
        complaints = o.kind in COMPLAINT_KINDS
        if not isinstance(m, ComplaintRecords if complaints else IncidentRecords):
            return None, [], None
        key = (o.id, v.version)
        if key not in self._outcomes:
            clocks = self._clocks.setdefault((v.version, o.id), {})
            if isinstance(m, ComplaintRecords):
                outs = complaint_outcomes(v, o, m, self.now, clocks)
            elif o.kind in RECOVERY_KINDS:
                outs = recovery_outcomes(v, o, m, self.now, clocks)
            elif o.kind == "escalation":
                outs = escalation_outcomes(v, o, m, self.now, clocks)
            else:
                outs = incident_outcomes(v, o, m, self.now, clocks)
            self._outcomes[key] = (outs, [x.opened for x in outs])
        outs, opened = self._outcomes[key]
        return outs, opened, m

    def tally(self, v: Agreement, o: Objective, a: int, c: int) -> Tally:
        if o.kind in COUNT_KINDS:
            index, series = self.count_index(v, o)
            return count_tally(index, series, o, a, c, self.excluded(v, o), self.tz)
        if o.kind == "satisfaction":
            sindex, srec = self.survey_index(o)
            return survey_tally(sindex, srec, o, a, c, self.tz)
        outs, opened, rec = self.outcomes(v, o)
        noun = "complaint" if o.kind in COMPLAINT_KINDS else "incident"
        return incident_tally(outs, opened, rec, a, c, self.tz, noun, o.priority)

    # -- periods ----------------------------------------------------------------------

    def objective_ids(self) -> list[str]:
        ids = [o.id for o in self.ag.objectives]
        for v in reversed(self.versions):
            ids += [o.id for o in v.objectives if o.id not in ids]
        return ids

    def plan(self, oid: str) -> list[tuple[Period, Agreement, Objective]]:
        by_version = {v.version: v.objective(oid) for v in self.versions}  # not per period
        windows = []
        for v in self.versions:
            o = by_version[v.version]
            if o is not None and o.window not in windows:
                windows.append(o.window)
        now_version = self.promised(self.now)
        chosen: dict[str, tuple[Period, Agreement, Objective]] = {}
        for w in windows:
            for p in periods_for(w, self.tz, self.now, self.history_months):
                judge = self.promised(p.start)
                if p.kind == "rolling" and judge is not None:  # judged by today's promise
                    judge = now_version
                if judge is None:  # nothing was promised then: no verdict, no credit
                    continue
                o = by_version[judge.version]
                if o is not None and o.window == w and p.id not in chosen:
                    chosen[p.id] = (p, judge, o)
        return sorted(chosen.values(), key=lambda x: (x[0].start, x[0].end, x[0].id))

    def period_result(self, p: Period, v: Agreement, o: Objective) -> PeriodResult:
        now, tz = self.now, self.tz
        c = min(p.end, now)
        complete = p.end <= now
        t = self.tally(v, o, p.start, c)
        elapsed = (c - p.start) / (p.end - p.start) if p.end > p.start else 1.0
        elapsed = max(0.0, min(1.0, elapsed))
        mean = o.kind == "satisfaction" and survey_method(o) == "mean"
        value = r6(t.value)
        coverage = r6(t.coverage) or 0.0
        budget = None
        if not mean and t.value is not None:
            budget = error_budget(budget_unit(o), t.good, t.total, o.target, elapsed)
        projection = None
        if not complete and t.value is not None:
            projection = value
            if o.kind in COUNT_KINDS and t.total > 0:
                recent = self.tally(v, o, max(p.start, c - RECENT), c)
                rate = recent.good / recent.total if recent.total > 0 else None
                projection = r6(projected_ratio(t.good, t.total, rate, elapsed))
        insufficient = o.kind == "satisfaction" and (t.responses or 0) < o.min_responses
        best = None
        if not complete and t.value is not None:
            best = best_case(t.good, t.total, elapsed, float(o.scale_max) if mean else 1.0)
        verdict = judge(
            value, o.target, coverage, o.min_coverage, complete, projection, best, insufficient
        )
        reasons = list(t.reasons)
        if verdict in KEPT and o.kind in COUNT_KINDS:
            unseen = self.unseen_outage(v, o, p.start, c)
            if unseen is not None:  # missing data is never compliance, least of all in an outage
                verdict = "no-data"
                reasons.insert(0, unseen)
        elif verdict == "no-data" and t.value is not None:
            reasons.insert(0, Reason(
                "low-coverage", {"coverage": coverage, "needed": o.min_coverage},
                f"data for {coverage:.1%} of the period, below the {o.min_coverage:.0%} needed"))
        if verdict == "no-data":
            # no figure beside "no data", in the results themselves (JSON, CSV, ledger):
            # a reader of the value who skips the verdict would take a figure from part
            # of the period, or from before an unseen outage, for the period's
            value = budget = projection = None
        misses = list(t.misses)
        if o.kind in COUNT_KINDS and verdict not in KEPT and verdict not in _NO_VERDICT:
            misses += self.bad_days(v, o, p.start, c)
        credit = None
        if (
            v.credits is not None
            and v.credits.objective == o.id
            and p.closed(now)
            and value is not None
            and verdict in ("met", "breached")
        ):
            credit = credit_for(v.credits, value, p, tz)
        excluded, late, over_cap = self.windows(v, o, p)
        final_at, holds = self.finality(p, v, o, verdict) if p.closed(now) else ("", ())
        m = self.measurement(o.id)
        as_of = getattr(m, "as_of", None)
        return PeriodResult(
            service=self.ag.id,
            objective=o.id,
            period=p.id,
            start=iso(p.start, tz),
            end=iso(p.end, tz),
            closed=p.closed(now),
            value=value,
            target=float(o.target),
            unit="score" if mean else "%",
            verdict=verdict,
            margin=None if value is None else r6(value - o.target),
            coverage=coverage,
            as_of="" if as_of is None else iso(min(as_of, c), tz),
            agreement_version=v.version,
            budget=budget,
            credit=credit,
            projection=projection,
            excluded_maintenance=excluded,
            late_maintenance=late,
            over_cap_maintenance=over_cap,
            misses=tuple(misses),
            reasons=tuple(reasons),
            final_at=final_at,
            holds=holds,
        )

    def finality(
        self, p: Period, v: Agreement, o: Objective, verdict: str
    ) -> tuple[str, tuple[Hold, ...]]:
        """When the closed period ``p`` is final, and what still holds it at ``now`` (see
        the module docstring for the rules)."""
        ends: list[tuple[HoldKind, int | None, int]] = [
            ("late-data", p.end + LATE_DATA_GRACE, 0)]
        if verdict == "no-data":
            ends.append(("no-data", p.end + NO_DATA_GRACE, 0))
        if o.kind == "satisfaction":
            ends.append(("survey", p.end + SURVEY_WINDOW, 0))
        elif o.kind not in COUNT_KINDS:
            outs, opened, _rec = self.outcomes(v, o)
            lo, hi = bisect_left(opened, p.start), bisect_left(opened, p.end)
            pending = [x for x in (outs or [])[lo:hi] if x.status == "pending"]
            if pending:
                dues = [x.due for x in pending]
                last = None if None in dues else max(d for d in dues if d is not None)
                kind: HoldKind = "complaint" if o.kind in COMPLAINT_KINDS else "incident"
                ends.append((kind, last, len(pending)))
        known = [e for _k, e, _n in ends]
        final_at = "" if None in known else iso(max(e for e in known if e is not None), self.tz)
        holds = tuple(Hold(kind, "" if end is None else iso(end, self.tz), n)
                      for kind, end, n in ends if end is None or end > self.now)
        return final_at, holds

    def windows(
        self, v: Agreement, o: Objective, p: Period
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """The excluded and the late maintenance windows overlapping ``p``, and the
        stretches beyond the monthly maximum, as text."""
        if o.kind not in COUNT_KINDS:
            return (), (), ()
        if v.version not in self._windows:
            account = self.maintenance(v)
            kept = [w for w in v.maintenance if w.end > w.start and w not in account.late]
            self._windows[v.version] = (
                _named(kept, self.tz), _named(list(account.late), self.tz),
                [(s, e, f"{iso(s, self.tz)}/{iso(e, self.tz)}") for s, e in account.over_cap],
            )

        def hits(ws: list[_Window]) -> tuple[str, ...]:
            return tuple(text for s, e, text in ws if s < p.end and e > p.start)

        ok, late, over = self._windows[v.version]
        return hits(ok), hits(late), hits(over)

    def bad_days(self, v: Agreement, o: Objective, a: int, c: int) -> list[Miss]:
        """Each day below target, with the service's incidents open that day (a reader
        wants to know what happened, and a claim for credit names it)."""
        index, _ = self.count_index(v, o)
        target, tz = o.target, self.tz
        of_target = f"% (target {target:g}%)"
        known = self._bad_days
        out = []
        for d, s, e, _g, _t, _cov, val in _day_figures(index, o, days_between(a, c, tz)):
            if val is None or val + 1e-9 >= target:
                continue
            key = (v.version, o.id, s)
            miss = known.get(key)
            if miss is None:
                day = _day_iso(d)
                miss = known[key] = Miss(
                    f"{day}: {val:.3f}{of_target}", iso(s, tz), iso(e, tz),
                    ", ".join(self.incidents_between(s, e)), "bad-day",
                    {"date": day, "value": r6(val) or 0.0, "target": float(target)})
            out.append(miss)
        return out

    def incidents_between(self, start: int, end: int, priority: str | None = None) -> list[str]:
        """Ids of this service's incidents open at some time in ``[start, end)`` (of one
        ``priority`` only, when given)."""
        if self._incidents is None:
            found: dict[str, tuple[int, int, str]] = {}
            for oid in {o.id for v in self.versions for o in v.objectives}:  # its own only
                m = self.measurements.get((self.ag.id, oid))
                if not isinstance(m, IncidentRecords):
                    continue
                for i in m.incidents:
                    if i.service in ("", self.ag.id):
                        found[i.id] = (i.opened, i.resolved or self.now, i.priority)
            self._incidents = sorted((o, r, i, pr) for i, (o, r, pr) in found.items())
        return [i for o, r, i, pr in self._incidents
                if o < end and r > start and priority in (None, pr)]

    def unseen_outage(self, v: Agreement, o: Objective, start: int, end: int) -> Reason | None:
        """Why a "met" in ``[start, end)`` cannot be trusted: the source had no data while
        an incident of the most urgent priority (all incidents without a matrix) was
        open, so the figure may not contain that outage. None when there is no such gap."""
        m = self.measurement(o.id)
        if not isinstance(m, CountSeries) or not m.gaps:
            return None
        urgent = v.priorities[0].id if v.priorities else None
        for g in m.gaps:
            a, b = max(g.start, start), min(g.end, end)
            if a < b and self.incidents_between(a, b, urgent):
                which = f"a {urgent} incident" if urgent else "an incident"
                start_at, end_at = iso(a, self.tz), iso(b, self.tz)
                return Reason(
                    "unseen-outage", {"start": start_at, "end": end_at, "priority": urgent or ""},
                    f"no data from {start_at} to {end_at} while {which} "
                    "was open: the figure cannot show that outage")
        return None

    def daily(self, v: Agreement, o: Objective) -> tuple[DailyValue, ...]:
        days = last_days(self.now, self.tz, 90)
        if o.kind in COUNT_KINDS:  # straight from the index: see _day_figures
            index, _ = self.count_index(v, o)
            return tuple(
                DailyValue(_day_iso(d), r6(val), r6(g), r6(t))
                if cov > 0 and val is not None
                else DailyValue(_day_iso(d), None, None, None)
                for d, _s, _e, g, t, cov, val in _day_figures(index, o, days)
            )
        out = []
        for d, s, e in days:
            t = self.tally(v, o, s, e)
            has = t.covered > 0 and t.value is not None
            if o.kind not in ("satisfaction",) and t.total == 0:
                has = False  # a day without counted incidents or complaints shows no figure
            out.append(
                DailyValue(
                    date=_day_iso(d),
                    value=r6(t.value) if has else None,
                    good=r6(t.good) if has else None,
                    total=r6(t.total) if has else None,
                )
            )
        return tuple(out)

    def run(self) -> tuple[ServiceResults, list[_Row]]:
        rows: list[_Row] = []
        daily: dict[str, tuple[DailyValue, ...]] = {}
        now_version = self.in_force(self.now)
        as_ofs = []
        verdicts: list[IncidentVerdict] = []
        for order, oid in enumerate(self.objective_ids()):
            for p, v, o in self.plan(oid):
                rows.append(_Row(self.period_result(p, v, o), v.depends_on, o.kind, order))
            o_now = now_version.objective(oid)
            if o_now is not None:
                daily[oid] = self.daily(now_version, o_now)
            if o_now is not None and o_now.kind in PER_INCIDENT_KINDS:
                verdicts += self.incident_verdicts(now_version, o_now)
            m = self.measurement(oid)
            a = getattr(m, "as_of", None)
            if a is not None:
                as_ofs.append((not isinstance(m, CountSeries), min(a, self.now)))
        rows.sort(key=lambda r: (r.result.start, r.result.end, r.order))
        res = ServiceResults(
            service=self.ag.id,
            as_of=iso(_as_of(as_ofs), self.tz) if as_ofs else "",
            evaluated_at=iso(self.now, self.tz),
            periods=(),
            daily=daily,
            incident_verdicts=tuple(verdicts),
        )
        return res, rows

    def incident_verdicts(self, v: Agreement, o: Objective) -> list[IncidentVerdict]:
        """Each judged incident's verdict under ``o``, for the page's incident table."""
        outs, _opened, _rec = self.outcomes(v, o)
        out = []
        for x in outs or ():
            if x.miss is not None:
                why = Reason(x.miss.code, x.miss.params, x.miss.what)
            else:
                why = x.reason or Reason()
            out.append(IncidentVerdict(o.id, o.kind, x.id, x.status, why.text, why.code,
                                       why.params))
        return out


#: a day's ISO date, one string per day however many strips show it: a fleet's 90-day
#: strips hold 90 days x objectives x services of them
_day_iso = lru_cache(maxsize=4096)(date.isoformat)


def _day_figures(
    index: CountIndex | None, o: Objective, days: list[tuple[date, int, int]]
) -> list[tuple[date, int, int, float, float, float, float | None]]:
    """Each day with its good, total, seconds with data and figure: what ``count_tally``
    gives for one day (``[s, e)`` is never empty; no index, no data), without a Tally,
    expected time and gap reasons, which the 90-day strips and breach lists of a fleet
    (a third of a million days) do not read."""
    zero = o.zero_traffic
    out = []
    for d, s, e in days:
        g, t, cov = index.sums(s, e) if index is not None else (0.0, 0.0, 0.0)
        out.append((d, s, e, g, t, cov, ratio_value(g, t, cov, zero)))
    return out


def budget_unit(o: Objective) -> str:
    """What an objective's error budget is counted in (events, slices, minutes, ...):
    the unit a page names next to the budget's figures."""
    if o.kind == "availability":
        return "slices" if o.method == "slices" else "events"
    if o.kind == "latency":
        return "requests"
    if o.kind == "satisfaction":
        return "responses"
    if o.kind in COMPLAINT_KINDS:
        return "complaints"
    return "incidents"


def _with_composites(
    evaluated: Sequence[tuple[ServiceResults, Sequence[_Row]]],
) -> tuple[ServiceResults, ...]:
    figures: dict[tuple[str, str], float] = {}
    for _res, rows in evaluated:
        for r in sorted(rows, key=lambda r: r.order):
            key = (r.result.service, r.result.period)
            if r.kind == "availability" and r.result.value is not None and key not in figures:
                figures[key] = r.result.value
    out = []
    for res, rows in evaluated:
        periods = []
        for r in rows:
            pr = r.result
            if r.kind == "availability" and r.depends_on:
                deps = [figures.get((d, pr.period)) for d in r.depends_on]
                if all(x is not None for x in deps):
                    prod = 1.0
                    for x in deps:
                        prod *= x / 100.0  # type: ignore[operator]
                    pr = replace(pr, composite=r6(prod * 100.0))
            periods.append(pr)
        current = tuple(p for p in periods if not p.closed)  # periods never start after now
        out.append(replace(res, periods=tuple(periods), current=current))
    return tuple(out)
