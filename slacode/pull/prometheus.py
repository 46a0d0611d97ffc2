"""Prometheus source: aggregation pushed down to the server, one aligned series per query.

The intervals are those of ``align.layout``: local days, split where evaluation cuts a
day (a rolling window's start, a maintenance window's edges), or the objective's
``resolution`` with ``whole_days: false``. Each is asked for as ``sum(increase(SEL[L]))``
evaluated at the interval's *end*, so the value at ``t`` covers ``(t - L, t]``. A run
of equal, contiguous intervals (the days of a year) is one range query stepping from
end to end; all other intervals (a daylight-saving day, the pieces of a cut day, the
day still running) go into instant queries, each pinned to its own end with the ``@``
modifier (Prometheus 2.33+, Thanos, Mimir, Cortex, VictoriaMetrics 1.79+). Queries are
pooled across objectives (``PrometheusSource.prefetch``): many expressions travel in
one query, told apart by a ``slacode_part`` label (``combined``). Counter resets are
handled by ``increase``; an interval where the server has no samples has no data.

Measurable windows, alike on every engine: an interval (or a slice) counts only where
``total`` is observed at both its edges, with a sample in the :data:`LIVE` seconds (or
the window's length, if shorter) up to its start and up to its end (``_edges``). Short
of that, engines disagree (Prometheus answers nothing, VictoriaMetrics 0, or the
requests of a whole scrape gap in the window after it), so a gap would read as zero
traffic on one engine and not on another.

Engines: every query is sent with ``nocache=1`` (:data:`NO_CACHE`: VictoriaMetrics'
response cache otherwise moves a range query of 50 or more points onto multiples of its
step), every value must be at an instant asked for (``_moved``: one elsewhere covers
another interval, and the reason says so), a range query of time slices from raw
samples spans at most :data:`SUBQUERY_POINTS` slices (VictoriaMetrics limits a
subquery's inner points), and an answer marked ``"isPartial": true`` (VictoriaMetrics
cluster) is a warning. Nothing else depends on the engine, and no engine is detected:
each rule is harmless where it is not needed.

Rules, per objective method:

* events: ``good``/``total`` (or ``bad``/``total``, or ``good``/``bad``) selectors. An
  interval without ``total`` samples has no data; a missing ``good`` or ``bad`` series
  next to a present ``total`` (or the other one of ``good``/``bad``) counts as 0 (error
  series often appear only with the first error), except that a ``good`` selector
  matching nothing in every interval of the fetch while events were counted is a wrong
  selector: no data (``GOOD_UNMATCHED``), not 0% good. A ``bad`` selector matching
  nothing stays 0 bad: that is what a healthy service's error counter looks like.
  ``good`` (or ``bad``) above ``total`` by up to 0.1% (at least one event) is
  extrapolation and is capped to ``total``; more, or an infinite, NaN or negative value
  (no count is negative), is no data for that interval with the reason.
* latency: ``histogram`` + ``threshold``: good = ``<h>_bucket{...,le="<threshold s>"}``,
  total = ``<h>_count{...}``; the ``le`` value matches both ``0.3`` and ``0.30`` forms.
  A histogram exports all its buckets with its count, so no bucket next to a count means
  the threshold is no bucket boundary: no data in that interval, not 0 fast requests.
* slices: a slice of length S is bad when ``bad/total > slice_threshold`` over
  ``(t-S, t]``; per interval the server counts, with subqueries ``[STEP:S]``, slices with
  data (``count_over_time`` of the measurable ``sum(increase(total[S]))``), bad slices
  (``sum_over_time((ratio > bool thr)[STEP:S])``) and, if needed, slices with traffic.
  A 0/0 slice counts by the objective's ``zero_traffic``: good (default), bad, or not
  at all (no-data). A slice without samples is not counted; an interval with none has
  no data. Subquery steps are aligned to multiples of S, so S must divide the offset of
  local midnight (true for every real timezone with S = 1m or 5m). A slice without a
  ``good`` series counts 0 good, so with a ``good`` selector the server also counts its
  samples per interval (``matched``): none in any interval of the fetch while slices
  had traffic is ``GOOD_UNMATCHED``, as for events.

Faults: an answer that is not the API's successful JSON (HTTP error, ``status: error``,
an HTML page, truncated JSON, a redirect to another host, which is never followed: the
query and the credentials stay with the configured server) and an answer with
``warnings`` (Thanos, Mimir and Cortex warn when a store did not answer and the result
is partial; VictoriaMetrics cluster sets ``isPartial``) leave every interval the
query covered without data, with the reason; they are never cached. A pooled query
that fails or warns is asked again per objective, so a fault or a warning marks only the
objectives it is about. The reason says that the server warned, not what: the server's
words (which may name internal metrics) stay in the run's warnings. A partial answer
is not counted because its figure would look better or worse than the truth.

Pooled queries join several agreements' expressions in one text, so no expression may
reach into another: selectors are checked at load (``slacode.promql``), a pooled query
is sent only when it parses into exactly the parts it was built from, part names carry
a tag drawn per query, and an answer whose series are not exactly one per part, each
labelled with nothing but its part's name, is not credited to anyone (``_ask``).

Where each part lives: the query plans (rules per method, measurable windows) in
:mod:`slacode.pull.planning`, pure code that ``slacode rules`` and ``slacode alerts``
share; the HTTP client and answer parsing (faults, engines' answers) in
:mod:`slacode.pull.client`; credential redaction in :mod:`slacode.redact`; this module
is the pooled-query source itself (:class:`PrometheusSource`).
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from slacode.config import Settings
from slacode.promql import pooled_problem
from slacode.pull.align import layout, uniform_runs
from slacode.pull.base import Counts, CountSeries, Gap, PullRequest, add_gap
from slacode.pull.cache import Cache, CachedPoint, Row
from slacode.pull.client import Answer, PrometheusClient
from slacode.pull.planning import (
    NO_SAMPLES,
    PART,
    RULES,
    QueryPlan,
    combined,
    plan_for,
    range_expr,
    reviewed,
)
from slacode.redact import public_text, safe_url

log = logging.getLogger(__name__)

#: points per range query we ask for (a margin under the server's limit)
CHUNK_POINTS = 10_000
#: inner points of a subquery per range query (a margin under VictoriaMetrics' default
#: ``-search.maxPointsPerTimeseries=30000``, which it applies to the inner expression
#: evaluated over the whole range: a year of days holding one-minute slices is 570,000
#: and answered HTTP 422). A range query of time slices from raw samples spans at most
#: this many slices: 17 days of one-minute slices, 86 days of five-minute ones. The
#: server's work is the same in fewer or more requests, so every engine gets this bound.
SUBQUERY_POINTS = 25_000
#: parts per combined instant query (a query string stays a few kilobytes)
MAX_PARTS = 48
#: expressions per pooled range query: several objectives over the same days share one
#: request, and a cold pull still sends enough requests for the server to run in parallel
RANGE_PARTS = 16


#: points by interval start, server warnings, fault reasons by interval start
_Fetched = tuple[dict[int, Row], tuple[str, ...], dict[int, str]]


@dataclass
class Job:
    """One fetch of one measurement: what the cache holds, what is asked, what came back.

    Objectives over the same measurement (a month and a rolling 28 days of one SLI) have
    the same ``memo`` and share a job."""

    memo: tuple[object, ...]
    client: PrometheusClient
    plan: QueryPlan
    key: dict[str, object]
    known: dict[int, Row]  # the cache's points of this layout
    points: dict[int, Row]  # final ones among them, then every answered interval
    todo: list[tuple[int, int]]
    fresh: list[CachedPoint] = field(default_factory=list)
    faults: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    asks: int = 0  # queries still out for this job

    def record(
        self,
        spans: list[tuple[int, int]],
        got: dict[str, dict[int, float]],
        reason: str,
        warn: tuple[str, ...],
    ) -> None:
        """Take one query's answer for some of the job's intervals."""
        self.warnings.extend(w for w in warn if w not in self.warnings)
        if warn and not reason:
            # the server's words stay in the run's warnings (the log): they may name
            # internal metrics or stores, and a reason is published with the figures
            reason = (f"{self.client.name} warned that its answer to this query may be "
                      "partial (the warning is in the run's log)")
        names = self.plan.exprs
        for s, e in spans:
            if reason:
                self.faults[s] = reason
                continue
            good, total, why = self.plan.combine({n: got[n].get(s) for n in names})
            p = CachedPoint(s, e, good, total, why)
            self.points[s] = p
            self.fresh.append(p)


class _Target(NamedTuple):
    """What a request asks: the server, the queries, the cache key, and the memo key
    under which objectives over the same measurement share one fetch."""

    client: PrometheusClient
    plan: QueryPlan
    key: dict[str, object]
    memo: tuple[object, ...]


#: one query's share of a job: the intervals it covers
_Item = tuple[Job, list[tuple[int, int]]]
#: what a query gave one item: (job, intervals, values by expression, fault, warnings)
_Answered = tuple[Job, list[tuple[int, int]], dict[str, dict[int, float]], str, tuple[str, ...]]


# --- the source -----------------------------------------------------------------------------

class PrometheusSource:
    """``kind: prometheus``; one client (session) per configured server.

    ``pull`` hands all requests to :meth:`prefetch` first, which pools the intervals of
    many objectives into few queries; :meth:`fetch` then answers from memory. A fetch
    that was not prefetched asks on its own."""

    kind = "prometheus"

    def __init__(self, settings: Settings, cache: Cache | None = None) -> None:
        self.settings = settings
        self.cache = cache or Cache(None)
        self._clients: dict[str, PrometheusClient] = {}
        self._lock = threading.Lock()
        self._fetching: dict[tuple[object, ...], threading.Lock] = {}
        self._fetched: dict[tuple[object, ...], _Fetched] = {}
        self._built: dict[tuple[object, ...], CountSeries] = {}

    @property
    def queries(self) -> int:
        return sum(c.queries for c in self._clients.values())

    def client(self, name: str) -> PrometheusClient | str:
        """The client for a server name, or the reason there is none."""
        with self._lock:
            if name in self._clients:
                return self._clients[name]
            server = self.settings.server(name)
            if server is None:
                return f"no Prometheus server named {name!r} in the settings"
            if not server.resolved_url():
                return (f"Prometheus server {name!r} has no URL "
                        f"(set {server.url_env} or the server's url)")
            self._clients[name] = PrometheusClient(server)
            return self._clients[name]

    def _target(self, request: PullRequest) -> tuple[list[tuple[int, int]], str, _Target | None]:
        """The request's intervals and either why it cannot be asked or what to ask."""
        obj, agr = request.objective, request.agreement
        spans = layout(request.start, min(request.end, request.now), request.step,
                       agr.timezone, request.cuts, self.settings.whole_days)
        q = obj.source.prometheus
        client = self.client(q.server) if q is not None else ""
        try:
            recorded = isinstance(client, PrometheusClient) and client.server.recording_rules
            plan = plan_for(obj, recorded=recorded)
        except ValueError as exc:
            return spans, f"cannot query: {exc}", None
        if isinstance(client, str):
            return spans, client, None
        key = {
            "kind": "prometheus",
            "server": safe_url(client.url),
            "exprs": plan.exprs,
            # how values combine; RULES is bumped when that changes (points stored
            # under the old rule would be read with the new meaning)
            "rule": f"{obj.method or obj.kind}:{obj.zero_traffic}:{RULES}",
            "step": request.step,
            "tz": agr.timezone,
        }
        memo = (json.dumps(key, sort_keys=True), request.now, tuple(spans))
        return spans, "", _Target(client, plan, key, memo)

    def fetch(self, request: PullRequest) -> CountSeries:
        spans, reason, target = self._target(request)
        if target is None:
            return _series(request, spans, {}, reason, ())
        memo = target.memo
        with self._lock:
            lock = self._fetching.setdefault(memo, threading.Lock())
        with lock:  # objectives sharing a measurement wait for its one fetch
            if memo not in self._fetched:
                self.prefetch([request])
        built = self._built.get(memo)
        if built is None:  # objectives sharing a measurement share its series too
            points, warnings, faults = self._fetched[memo]
            built = self._built[memo] = _series(request, spans, points, "", warnings, faults)
        return replace(built, service=request.agreement.id, objective=request.objective.id,
                       step=request.step)

    def prefetch(
        self,
        requests: Sequence[PullRequest],
        ready: Callable[[int], None] | None = None,
    ) -> None:
        """Ask for all ``requests`` at once and keep the answers for :meth:`fetch`.

        Runs of the same days across objectives go into one range query (up to
        :data:`RANGE_PARTS` expressions, a subquery weighing :data:`SUBQUERY_WEIGHT`),
        and the odd intervals of every objective (the day still running, the pieces of a
        cut day) into shared instant queries of up to :data:`MAX_PARTS`: a nightly pull
        of 200 services sends tens of requests, not hundreds. A query that fails is
        asked again per objective, so one broken selector leaves only its own objective
        without data. ``ready(i)`` is called once for every request, as soon as its
        measurement is known (progress display).
        """
        jobs: dict[tuple[object, ...], Job] = {}
        waiting: dict[tuple[object, ...], list[int]] = {}
        for i, req in enumerate(requests):
            spans, _reason, target = self._target(req)
            if target is None or target.memo in self._fetched:
                if ready is not None:
                    ready(i)
                continue
            client, plan, key, memo = target
            if memo not in jobs:
                jobs[memo] = self._job(client, plan, key, memo, spans, req.now)
            waiting.setdefault(memo, []).append(i)

        def finish(job: Job, now: int) -> None:
            self.cache.store(job.key, job.fresh, now, known=job.known)
            self._fetched[job.memo] = (reviewed(job.points), tuple(job.warnings), job.faults)
            for i in waiting.get(job.memo, ()):
                if ready is not None:
                    ready(i)

        now = max((r.now for r in requests), default=0)
        asks = pooled_queries(list(jobs.values()))
        for job in jobs.values():
            if not job.asks:
                finish(job, now)
        if not asks:
            return
        workers = max(1, max(j.client.server.concurrency for j in jobs.values()))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="prometheus") as pool:
            futures = [pool.submit(_ask, uniform, items) for uniform, items in asks]
            for future in as_completed(futures):
                answered = future.result()
                for job, spans, got, reason, warn in answered:
                    job.record(spans, got, reason, warn)
                for job in {id(a[0]): a[0] for a in answered}.values():
                    job.asks -= 1
                    if not job.asks:
                        finish(job, now)

    def _job(
        self,
        client: PrometheusClient,
        plan: QueryPlan,
        key: dict[str, object],
        memo: tuple[object, ...],
        spans: list[tuple[int, int]],
        now: int,
    ) -> Job:
        settled = now - self.cache.settle
        wanted = dict(spans)
        # cached points of this layout only: a day that was split yesterday (at a rolling
        # window's start) and is whole today is asked for again, and the cache forgets
        # the pieces
        known = {s: p for s, p in self.cache.load(key).items() if wanted.get(s) == p[1]}
        points = {s: p for s, p in known.items() if p[1] <= settled}  # final ones
        todo = [sp for sp in spans if sp[0] not in points]
        return Job(memo, client, plan, key, known, points, todo)


def pooled_queries(jobs: list[Job]) -> list[tuple[bool, list[_Item]]]:
    """Group the jobs' missing intervals into queries: (uniform, items) per query.

    Counts every job's queries in ``job.asks``."""
    runs: dict[tuple[int, int, int, int], list[_Item]] = {}
    odd: dict[int, list[_Item]] = {}
    for job in jobs:
        cid = id(job.client)
        for run in uniform_runs(job.todo):
            if len(run) == 1:
                odd.setdefault(cid, []).append((job, run))
                continue
            length = run[0][1] - run[0][0]
            size = CHUNK_POINTS
            if job.plan.inner_step:
                size = min(size, max(1, SUBQUERY_POINTS * job.plan.inner_step // length))
            for i in range(0, len(run), size):
                chunk = run[i:i + size]
                runs.setdefault((cid, chunk[0][0], chunk[-1][1], length), []).append((job, chunk))
    asks: list[tuple[bool, list[_Item]]] = []
    for items in runs.values():
        asks += [(True, group) for group in _groups(items, RANGE_PARTS)]
    for items in odd.values():
        asks += [(False, group) for group in _groups(items, MAX_PARTS)]
    # first the queries of the first objectives: objectives then complete one after
    # another while the rest are out (and can be evaluated), not all with the last query
    rank = {id(job): n for n, job in enumerate(jobs)}
    asks.sort(key=lambda ask: min(rank[id(job)] for job, _ in ask[1]))
    for _uniform, items in asks:
        for job in {id(j): j for j, _ in items}.values():
            job.asks += 1
    return asks


def _groups(items: list[_Item], parts: int) -> list[list[_Item]]:
    """Consecutive groups of items with at most ``parts`` expressions each (at least one item)."""
    groups: list[list[_Item]] = []
    size = parts
    for item in items:
        plan = item[0].plan
        n = len(plan.exprs) * plan.weight
        if size + n > parts:
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += n
    return groups


def _ask(uniform: bool, items: list[_Item]) -> list[_Answered]:
    """One query for all ``items``; when it fails, warns or holds series that cannot be
    told apart, and holds several objectives, one query per objective (:func:`_alone`):
    a broken expression costs only its own objective, and a warning (the server's words)
    marks only the objective whose expression it is about.

    Uniform: the items share one run of equal contiguous intervals, and one range query
    steps from interval end to interval end. Otherwise each item is one odd interval,
    evaluated by an instant query with its parts pinned to their ends with ``@``.

    Several agreements' expressions in one query text must not reach into each other
    (issue 17): the pooled query is sent only when it parses into exactly the parts it
    was built from (:func:`slacode.promql.pooled_problem`), each part's name carries a
    tag drawn for this query, which no agreement text can know, and every series of
    the answer must be one its part's expression can produce (:func:`_unattributed`).
    """
    client = items[0][0].client
    tag = secrets.token_hex(8)
    parts: list[tuple[str, str]] = []
    for k, (job, spans) in enumerate(items):
        for name, tmpl in job.plan.exprs.items():
            s, e = spans[0]
            at = None if uniform else e
            parts.append((f"{tag}.{k}.{name}", range_expr(tmpl, e - s, job.plan.subquery, at)))
    query = combined(parts)
    pooled = len({id(job) for job, _ in items}) > 1
    if pooled:
        wrong = pooled_problem(query, parts, PART)
        if wrong:
            log.warning("a pooled query is asked per objective instead: %s", wrong)
            return _alone(uniform, items)
    if uniform:
        s0, e0 = items[0][1][0]
        ans = client.query_range(query, e0, items[0][1][-1][1], e0 - s0)
        asked = {e for _s, e in items[0][1]}  # the items share one run of intervals
    else:
        at_time = max(spans[-1][1] for _, spans in items)
        ans = client.query(query, at_time)
        asked = {at_time}
    reason = ans.error or _unattributed(client, ans, {name for name, _ in parts})
    if pooled and (reason or ans.warnings) and not client.down:
        return _alone(uniform, items)
    # asked alone, a server that moves instants would move them again: not asked again
    reason = reason or _moved(client, ans, asked)
    out: list[_Answered] = []
    for k, (job, spans) in enumerate(items):
        got: dict[str, dict[int, float]] = {}
        for name in job.plan.exprs:
            values = ans.parts.get(f"{tag}.{k}.{name}", {}) if not reason else {}
            if uniform:
                length = spans[0][1] - spans[0][0]
                got[name] = {e - length: values[e] for e in values}
            else:
                got[name] = {spans[0][0]: sum(values.values())} if values else {}
        out.append((job, spans, got, reason, ans.warnings))
    return out


def _alone(uniform: bool, items: list[_Item]) -> list[_Answered]:
    """:func:`_ask` once per objective (per job) of a pooled query."""
    by_job: dict[int, list[_Item]] = {}
    for item in items:
        by_job.setdefault(id(item[0]), []).append(item)
    return [a for group in by_job.values() for a in _ask(uniform, group)]


def _unattributed(client: PrometheusClient, ans: Answer, names: set[str]) -> str:
    """Why the series of ``ans`` cannot each be credited to the one expression that
    produced them, or "".

    Every expression slacode asks for aggregates into one series without labels (a
    ``sum``, or a range function of one), which :func:`combined` labels with its part's
    name. So each series must carry exactly that one label, naming a part the query
    asked for, and no part may come twice. Anything else means the query did not mean
    what it was built to mean (a selector that rewrote it, a server that mixes answers):
    no series of it is credited to anyone."""
    seen: set[str] = set()
    for metric in ans.labels:
        part = metric.get(PART) if isinstance(metric, dict) else None
        if part not in names or len(metric) != 1:
            return (f"{client.name} answered a series that no expression of the query "
                    "produces: not counted")
        if part in seen:
            return (f"{client.name} answered two series for one expression of the query: "
                    "not counted")
        seen.add(part)
    if not set(ans.parts) <= names:
        return (f"{client.name} answered a series that no expression of the query "
                "produces: not counted")
    return ""


def _moved(client: PrometheusClient, ans: Answer, asked: set[int]) -> str:
    """Why the values of ``ans`` are not at the instants asked for, or "".

    A value stands for the interval that ends at its timestamp: one at another instant
    covers another interval (VictoriaMetrics' response cache, without ``nocache``, moves
    a range query onto multiples of its step, Berlin midnights onto UTC ones). Such an
    answer is not counted, and the reason says what happened, not "no samples"."""
    for values in ans.parts.values():
        extra = sorted(set(values) - asked)
        if extra:
            near = min(asked, key=lambda t: abs(t - extra[0]))
            return (f"{client.name} answered for other instants than those asked for "
                    f"({_utc(extra[0])} where {_utc(near)} was asked): not counted, since "
                    "such a value covers another interval")
    return ""


def _utc(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def _series(
    request: PullRequest,
    spans: Iterable[tuple[int, int]],
    points: dict[int, Row],
    default_reason: str,
    warnings: tuple[str, ...],
    faults: dict[int, str] | None = None,
) -> CountSeries:
    # every text that leaves the source is made public here, once per distinct text
    clean = {r: public_text(r) for r in {*(faults or {}).values(), default_reason}}
    faults = {s: clean[r] for s, r in (faults or {}).items()}
    default_reason = clean[default_reason]
    counts: list[Counts] = []
    gaps: list[Gap] = []
    as_of: int | None = None
    get, add = points.get, counts.append
    for s, e in spans:
        p = get(s)
        if p is not None and p[2] is not None and p[3] is not None and s not in faults:
            add(Counts(s, e, p[2], p[3]))  # good, total
            as_of = e
            continue
        counts.append(Counts(s, e, None, None))
        known = p[4] if p is not None else ""  # the reason there is no data
        fault = faults.get(s) or ("" if known else default_reason)
        add_gap(gaps, s, e, fault or known or NO_SAMPLES, fault=bool(fault))
    return CountSeries(
        service=request.agreement.id,
        objective=request.objective.id,
        step=request.step,
        points=tuple(counts),
        gaps=tuple(gaps),
        as_of=as_of,
        warnings=tuple(public_text(w) for w in warnings),
    )


