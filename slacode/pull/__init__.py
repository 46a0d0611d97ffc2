"""Stage 2: pull measurements for each objective from its source.

Public surface: :func:`pull`. ``base`` holds the measurement types and the
:class:`~slacode.pull.base.Source` protocol; ``files`` and ``prometheus`` are the
source kinds, registered explicitly in :data:`SOURCES`; ``cache`` keeps final
intervals so that a nightly run asks only for what is new.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

from slacode.config import Settings
from slacode.model import Agreement, Objective, maintenance_account
from slacode.problems import Code, Problem, as_errors
from slacode.pull.align import local_midnight, month_start
from slacode.pull.base import (
    MAX_COUNT,
    ComplaintRecords,
    Counts,
    CountSeries,
    Gap,
    IncidentRecords,
    Measurement,
    PullRequest,
    Source,
    SurveyRecords,
)
from slacode.pull.cache import Cache

log = logging.getLogger(__name__)

#: interval of pulled measurements when an objective gives no ``resolution``
DEFAULT_STEP = 3600


class SourceFactory(Protocol):
    def __call__(self, settings: Settings, cache: Cache) -> Source: ...


#: source kind (``Objective.source.kind``) -> "module:class"; the only place kinds are
#: known. Imported on first use: a build from files never loads the HTTP stack, and
#: ``slacode.pull.base`` (the measurement types every later stage reads) stays cheap.
SOURCES: dict[str, str] = {
    "prometheus": "slacode.pull.prometheus:PrometheusSource",
    "file": "slacode.pull.files:FileSource",
    "incidents": "slacode.pull.files:IncidentSource",
    "survey": "slacode.pull.files:SurveySource",
    "complaints": "slacode.pull.files:ComplaintSource",
}


def source_factory(kind: str) -> SourceFactory:
    """The class registered for a source kind (``KeyError`` for an unknown kind)."""
    module, _, name = SOURCES[kind].partition(":")
    factory: SourceFactory = getattr(importlib.import_module(module), name)
    return factory

#: kinds whose fetches run in parallel (bounded by the servers' ``concurrency``)
REMOTE_KINDS = frozenset({"prometheus"})


@dataclass(frozen=True)
class PullResult:
    measurements: dict[tuple[str, str], Measurement]  # (service id, objective id) -> data
    queries: int  # HTTP queries sent (0 for file sources and fully cached ranges)
    # gaps (code pull.gap) and source faults (pull.fault), as warnings (errors with
    # ``strict: true``: :func:`slacode.problems.as_errors`)
    problems: tuple[Problem, ...]

    @property
    def gaps(self) -> int:
        """Number of objectives with at least one gap."""
        return sum(1 for m in self.measurements.values() if m.gaps)

    def rows(self) -> list[dict[str, object]]:
        """Each objective's measurement as ``slacode pull --format json`` lists it, with
        stable keys: what was pulled, how much of it has data, and each gap's reason."""
        rows = []
        for (service, oid), m in self.measurements.items():
            row: dict[str, object] = {
                "service": service, "objective": oid, "as_of": utc_text(m.as_of),
                "gaps": [{"start": utc_text(g.start), "end": utc_text(g.end),
                          "reason": g.reason, "fault": g.fault} for g in m.gaps],
            }
            if isinstance(m, CountSeries):
                row.update(intervals=len(m.points), with_data=sum(p.has_data for p in m.points),
                           step=m.step, warnings=list(m.warnings))
            elif isinstance(m, IncidentRecords):
                row["incidents"] = len(m.incidents)
            elif isinstance(m, SurveyRecords):
                row["responses"] = len(m.responses)
            elif isinstance(m, ComplaintRecords):
                row["complaints"] = len(m.complaints)
            row["summary"] = summary(m)
            rows.append(row)
        return rows


def utc_text(ts: int | None) -> str | None:
    """A time as the JSON outputs give it (``2026-11-26T00:00:00Z``); None stays None."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def step_of(objective: Objective) -> int:
    """Seconds per interval: the objective's ``resolution``, default one hour."""
    res = objective.resolution
    if res is None:
        return DEFAULT_STEP
    if res.is_calendar:
        raise ValueError(f"resolution {res} must be a fixed duration (e.g. 1h, 5m, 1d)")
    step = int(res.seconds)
    if step < 1:
        raise ValueError(f"resolution {res} must be at least one second")
    if step >= 86400 and step % 86400:
        raise ValueError(f"resolution {res} must be whole days when a day or longer")
    return step


def _minute(ts: int) -> str:
    """A time as a gap's message says it, to the minute (``2026-08-12T01:00Z``)."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%MZ")


def pull(
    agreements: Sequence[Agreement],
    settings: Settings,
    now: int,
    start: int | None = None,
    progress: Callable[[str], None] | None = None,
    versions: Mapping[str, Sequence[Agreement]] | None = None,
    done: Callable[[Agreement, dict[tuple[str, str], Measurement]], None] | None = None,
) -> PullResult:
    """Measurements for every objective from ``start`` (default: ``history_months`` before
    ``now``, at the first midnight of that month in each agreement's timezone) to ``now``.

    ``progress`` is called with one line per objective. ``versions`` (agreement id ->
    past versions, as evaluation gets them) adds the maintenance windows of past
    versions to where days are cut, so a period evaluated against an old version
    excludes its windows exactly too. Never raises for data faults.

    ``done`` is called once per agreement with its measurements as soon as the last of
    them is in, from the thread that fetched it, so that evaluation can start while other
    queries are still out. It must return quickly: hand the work to another thread.
    """
    cache = Cache(settings.path(settings.cache))
    sources: dict[str, Source] = {}
    problems: list[Problem] = []
    jobs: list[tuple[PullRequest, int]] = []
    for agr in agreements:
        a_start = (
            month_start(now, agr.timezone, settings.history_months)
            if start is None else local_midnight(start, agr.timezone)
        )
        for idx, obj in enumerate(agr.objectives):
            pos = agr.pos(f"/objectives/{idx}/resolution")
            try:
                step = step_of(obj)
            except ValueError as exc:
                problems.append(Problem(agr.path, pos.line, pos.col, "error",
                                        f"{agr.id}/{obj.id}: {exc}", Code.PULL_RESOLUTION))
                continue
            if obj.source.kind not in SOURCES:
                problems.append(Problem(agr.path, pos.line, pos.col, "error",
                                        f"{agr.id}/{obj.id}: unknown source kind "
                                        f"{obj.source.kind!r}", Code.PULL_SOURCE_KIND))
                continue
            if obj.source.kind not in sources:
                sources[obj.source.kind] = source_factory(obj.source.kind)(settings, cache)
            slice_len = int(obj.slice.seconds) if obj.method == "slices" and obj.slice else 1
            past = (versions or {}).get(agr.id, ())
            # whole slices
            at = tuple(sorted({c - c % slice_len for c in _cuts(agr, obj, now, past)}))
            jobs.append((PullRequest(agr, obj, a_start, now, step, now, at), idx))

    results: dict[int, Measurement] = {}
    own: dict[int, list[int]] = {id(a): [] for a in agreements}  # agreement -> its jobs
    for n, (req, _) in enumerate(jobs):
        own[id(req.agreement)].append(n)
    waiting = {k: len(v) for k, v in own.items()}
    lock = threading.Lock()

    def finish(agr: Agreement) -> None:
        if done is not None:
            done(agr, {(agr.id, jobs[n][0].objective.id): results[n] for n in own[id(agr)]})

    def run(n: int) -> None:
        req = jobs[n][0]
        src = sources[req.objective.source.kind]
        try:
            m = src.fetch(req)
        except Exception as exc:
            log.error("%s/%s: internal error: %s", req.agreement.id, req.objective.id,
                      type(exc).__name__, exc_info=log.isEnabledFor(logging.DEBUG))
            m = _failed(req, f"internal error: {type(exc).__name__}")
        m = _bounded(m)
        with lock:
            first = n not in results
            results[n] = m
            waiting[id(req.agreement)] -= first
            last = first and waiting[id(req.agreement)] == 0
        if progress is not None:
            progress(f"{req.agreement.id}/{req.objective.id}: {summary(m)}")
        if last:
            finish(req.agreement)

    for agr in agreements:  # nothing to fetch: ready now
        if waiting[id(agr)] == 0:
            finish(agr)

    # sources that can pool many requests into few queries get them all at once, in a
    # thread of their own, and report each measurement as it is ready; meanwhile files are
    # read here, so a service with a file objective is not complete only after the last query
    remote: list[int] = []
    local: list[int] = []
    for n, (req, _) in enumerate(jobs):
        (remote if req.objective.source.kind in REMOTE_KINDS else local).append(n)
    pooling = []
    for kind, src in sources.items():
        prefetch = getattr(src, "prefetch", None)
        mine = [n for n in remote if jobs[n][0].objective.source.kind == kind]
        if prefetch is None or not mine:
            continue
        pooling.append(threading.Thread(
            target=_prefetch, name=f"pull-{kind}",
            args=(kind, prefetch, [jobs[n][0] for n in mine],
                  lambda i, mine=mine: run(mine[i]))))
        pooling[-1].start()
    for n in local:
        run(n)
    for thread in pooling:
        thread.join()
    # what no pool answered (a source without one, or a bug in it): one fetch per thread
    remote = [n for n in remote if n not in results]
    workers = max((s.concurrency for s in settings.servers), default=1)
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="pull") as pool:
        for f in [pool.submit(run, n) for n in remote]:
            f.result()
    cache.flush()

    measurements: dict[tuple[str, str], Measurement] = {}
    for n, (req, idx) in enumerate(jobs):
        m = results[n]
        measurements[(req.agreement.id, req.objective.id)] = m
        problems.extend(_gap_problems(req, idx, m))
    for src in sources.values():
        problems.extend(getattr(src, "problems", ()))
    queries = sum(getattr(s, "queries", 0) for s in sources.values())
    if settings.strict:  # every interval without data is an error (the one rule)
        problems = list(as_errors(problems, gaps=True))
    return PullResult(measurements, queries, tuple(sorted(set(problems))))


def _prefetch(
    kind: str,
    prefetch: Callable[[Sequence[PullRequest], Callable[[int], None]], None],
    requests: Sequence[PullRequest],
    ready: Callable[[int], None],
) -> None:
    try:
        prefetch(requests, ready)
    except Exception as exc:  # a bug there: each objective is fetched on its own after
        log.error("%s: pooled fetch failed: %s", kind, type(exc).__name__,
                  exc_info=log.isEnabledFor(logging.DEBUG))


def _cuts(
    agr: Agreement, obj: Objective, now: int, past: Sequence[Agreement] = ()
) -> tuple[int, ...]:
    """Where evaluation splits a day for ``obj``: the edges of the maintenance windows of
    the agreement and of its ``past`` versions (and where a window passes the monthly
    maximum of maintenance), and the start of every rolling window
    over the same source.

    Objectives over one source (a calendar month and a rolling 28 days of one SLI) get
    the same cuts, so they ask for the same intervals and the Prometheus source answers
    both from one fetch; an objective over another source is not split for them.
    """
    cuts = {
        now - o.window.days * 86400
        for o in agr.objectives
        if o.window.kind == "rolling" and o.source == obj.source
    }
    for v in (agr, *past):
        for w in v.maintenance:
            if w.end > w.start:
                cuts |= {int(w.start.timestamp()), int(w.end.timestamp())}
        # where the monthly maximum of maintenance is reached inside a window
        cuts.update(t for span in maintenance_account(v).over_cap for t in span)
    return tuple(sorted(cuts))


def _failed(req: PullRequest, reason: str) -> Measurement:
    gap = (Gap(req.start, req.end, reason, fault=True),)
    kind = req.objective.source.kind
    if kind == "incidents":
        return IncidentRecords(req.agreement.id, req.objective.id, (), req.start, req.end, gap)
    if kind == "survey":
        return SurveyRecords(req.agreement.id, req.objective.id, (), req.start, req.end, gap)
    if kind == "complaints":
        return ComplaintRecords(req.agreement.id, req.objective.id, (), req.start, req.end, gap)
    from slacode.pull.align import intervals

    spans = intervals(req.start, req.end, req.step, req.agreement.timezone)
    pts = tuple(Counts(s, e, None, None) for s, e in spans)
    return CountSeries(req.agreement.id, req.objective.id, req.step, pts, gap)


def _bounded(m: Measurement) -> Measurement:
    """``m`` with each interval whose count is not a number a service can count (over
    :data:`~slacode.pull.base.MAX_COUNT`, infinite or NaN) turned into no data, with a
    gap that says so. Done here, once for every source kind: a server answering 1e308
    would otherwise make a period's sum infinite, its figure NaN, and its JSON invalid."""
    if not isinstance(m, CountSeries):
        return m
    wild = [p for p in m.points if p.has_data
            and not (abs(p.good) <= MAX_COUNT and abs(p.total) <= MAX_COUNT)]  # type: ignore[arg-type]
    if not wild:
        return m
    worst = next(x for p in wild for x in (p.good, p.total)
                 if not abs(x) <= MAX_COUNT)  # type: ignore[arg-type]
    reason = (f"the source gave a count of {worst:g}, more than any interval holds "
              f"(at most 2**53): not data")
    wild_starts = {p.start for p in wild}
    gaps = [*m.gaps, *(Gap(p.start, p.end, reason, fault=True) for p in wild)]
    points = tuple(Counts(p.start, p.end, None, None) if p.start in wild_starts else p
                   for p in m.points)
    return replace(m, points=points, gaps=tuple(sorted(gaps, key=lambda g: (g.start, g.end))))


def summary(m: Measurement) -> str:
    """One line for logs and the progress display."""
    if isinstance(m, CountSeries):
        missing = sum(1 for p in m.points if not p.has_data)
        text = f"{len(m.points)} intervals, {missing} without data"
    elif isinstance(m, IncidentRecords):
        text = f"{len(m.incidents)} incidents"
    elif isinstance(m, ComplaintRecords):
        text = f"{len(m.complaints)} complaints"
    else:
        text = f"{len(m.responses)} responses"
    if m.gaps:
        text += f" ({m.gaps[0].reason})"
    return text


def _gap_problems(req: PullRequest, idx: int, m: Measurement) -> list[Problem]:
    agr, obj = req.agreement, req.objective
    pos = agr.pos(f"/objectives/{idx}/source")
    by_reason: dict[tuple[str, bool], list[Gap]] = {}
    for g in m.gaps:
        by_reason.setdefault((g.reason, g.fault), []).append(g)
    out = []
    for (reason, fault), gaps in by_reason.items():
        if isinstance(m, CountSeries):
            n = sum(1 for p in m.points
                    if not p.has_data and any(g.start <= p.start < g.end for g in gaps))
            what = f"{n} interval{'s' if n != 1 else ''} without data"
        else:
            what = "no data"
        where = f"from {_minute(gaps[0].start)} to {_minute(gaps[0].end)}"
        if len(gaps) > 1:
            where += f" and {len(gaps) - 1} more stretch{'es' if len(gaps) > 2 else ''}"
        out.append(Problem(agr.path, pos.line, pos.col, "warning",
                           f"{agr.id}/{obj.id}: {what} {where}: {reason}",
                           Code.PULL_FAULT if fault else Code.PULL_GAP))
    if isinstance(m, CountSeries):
        for w in m.warnings:
            out.append(Problem(agr.path, pos.line, pos.col, "warning",
                               f"{agr.id}/{obj.id}: server warning: {w}", Code.PULL_WARNING))
    return out
