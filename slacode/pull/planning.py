"""Query planning for Prometheus-compatible sources: pure code, no HTTP.

What to ask a server for one objective (:func:`plan_for`: the PromQL templates of a
:class:`QueryPlan` and how their values combine into good and total counts of one
interval), how a template becomes a query (:func:`range_expr`, :func:`combined`), the
recording rules of time slices (:func:`slice_rule`) and the whole fetch's second look
at its points (:func:`reviewed`). ``slacode.pull.prometheus`` sends these plans
(the rules per objective method, measurable windows and engines are described
there); ``slacode rules`` and ``slacode alerts`` build on them without importing the
HTTP stack.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from slacode.model import Objective, PrometheusQuery
from slacode.pull.cache import Row

#: version of how answers combine into points, part of the cache key: 2 keeps ``good``
#: series absent from an interval apart (NO_GOOD) and refuses good above total; 3 tells
#: an absent ``good`` next to counted events (NO_GOOD) from one without (NO_GOOD_IDLE),
#: for ``good``/``bad`` selectors and time slices too; 4 refuses negative counts (3 read
#: them as 0, and cached such points as figures); 5: an answer's series are credited
#: only to the part that produced them (one series per part, never summed), so points a
#: pooled query's rewritten text may have forged before are asked for again; 6: a window
#: (interval or slice) counts only where total is observed at both its edges, on every
#: engine (``_edges``), so points VictoriaMetrics answered 0 (or a scrape gap's requests)
#: for are asked for again
RULES = 6

Combine = Callable[[dict[str, float | None]], tuple[float | None, float | None, str]]
#: seconds up to each edge of a window in which ``total`` must have a sample for the
#: window to count (:func:`_edges`). Twice Prometheus's lookback of 5 minutes, so that a
#: series scraped every 5 minutes always has one, jitter included; a shorter gap is
#: bridged as each engine bridges it
LIVE = 600
#: an interval whose ``total`` is not observed at both edges (:func:`_edges`): no
#: samples, or a scrape gap at its start or end
NO_SAMPLES = ("not enough samples to measure this interval (total needs one in the "
              f"{LIVE // 60} minutes up to its start and one in those up to its end)")
NAN = "the server returned NaN for this interval"
INF = "the server returned an infinite value for this interval"
NEGATIVE = "the server returned a negative count for this interval"
#: kept with a point whose ``good`` series was absent while events were counted (counted
#: as 0 good): absent in every interval of a fetch, it is a wrong selector (:func:`reviewed`)
NO_GOOD = "the good selector matched no series in this interval"
#: the same in an interval without events: no evidence either way
NO_GOOD_IDLE = "the good selector matched no series in this interval, which had no events"
#: the reason of every interval of a fetch whose good selector never matched
GOOD_UNMATCHED = ("the good selector matched no series while total has data: "
                  "check the selector")


def _unusable(v: dict[str, float | None]) -> str:
    """Why values are unusable (NaN, infinite or negative), or "".

    Every expression counts something (``increase`` of counters, counts of slices), so
    a negative value is not a count: clipping it to 0 would turn it into a figure (0 good
    events is a breach, 0 bad ones a perfect score)."""
    for x in v.values():
        if x is not None and not math.isfinite(x):
            return NAN if math.isnan(x) else INF
    if any(x is not None and x < 0 for x in v.values()):
        return NEGATIVE
    return ""


def _excess(part: str, value: float, total: float) -> str:
    """Why ``value`` (good or bad) cannot be a share of ``total``, or "".

    ``increase`` extrapolates each series to the window's edges on its own, so good can
    exceed total by a hair; more than 0.1% of total (at least one event) is not that."""
    if value - total <= max(1.0, total / 1000):
        return ""
    return f"{part} ({_number(value)}) is greater than total ({_number(total)})"


def _number(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class QueryPlan:
    exprs: dict[str, str]  # name -> PromQL with ``__R__`` for the interval length
    combine: Combine
    subquery: bool = False  # ranges are subquery ranges (one second short, see _range)
    # what one expression weighs in a pooled query (``SUBQUERY_WEIGHT`` for time slices
    # evaluated from raw samples, which cost the server one evaluation per slice)
    weight: int = 1
    # the step of a subquery (seconds; 0 = none): a range query evaluates its inner
    # expression at every step over the whole range, which bounds the range
    # (``SUBQUERY_POINTS``)
    inner_step: int = 0


_WINDOW = re.compile(r"\[__R__((?::\d+s)?)\]")
#: label that tells the parts of a combined query apart
PART = "slacode_part"
#: a subquery expression (time slices evaluated from raw samples) counts as this many:
#: it costs the server a slice's evaluation per slice, so such objectives are pooled
#: less (a range query holds one), and a query stays well within ``read_timeout``
SUBQUERY_WEIGHT = 8


def range_expr(tmpl: str, seconds: int, subquery: bool = False, at: int | None = None) -> str:
    """Put the interval length in, and with ``at`` pin the window's end with ``@``.

    Subquery ranges are one second short: Prometheus 2.x includes a subquery's start,
    3.x does not, and ``[3599s:300s]`` has 12 points in both."""
    length = f"{seconds - 1}s" if subquery else f"{seconds}s"
    pin = f" @ {at}" if at is not None else ""
    edge = f"[{min(seconds, LIVE)}s]{pin}"
    tmpl = tmpl.replace("[__EDGE__] offset __R__", f"{edge} offset {seconds}s")
    tmpl = tmpl.replace("[__EDGE__]", edge)
    return _WINDOW.sub(lambda m: f"[{length}{m.group(1)}]{pin}", tmpl)


def combined(parts: list[tuple[str, str]]) -> str:
    """One query for several expressions: each result is labelled ``slacode_part`` with
    its name (``or`` keeps them apart). A fetch then costs one request per run of days
    plus one for all its odd intervals, instead of one per expression and interval; the
    server does the same work, and a nightly pull sends a third of the requests."""
    return " or ".join(f'label_replace({expr}, "{PART}", "{name}", "", "")'
                       for name, expr in parts)


def _edges(selector: str, window: str, offset: str) -> str:
    """1 where ``selector`` is observed at both edges of the window: a sample in the
    ``window`` up to its end, and one in the ``window`` up to its start (``offset``
    earlier). ``window`` is :data:`LIVE`, or the window's own length when shorter.

    An increase over a window is the window's count only between a sample at (or just
    before) its start and one at (or just before) its end. Short of that the engines
    part: without a sample in the window Prometheus answers nothing and VictoriaMetrics
    0 (the difference of the last earlier sample to itself), so a scrape gap reads as
    zero traffic there and a time slice in it as a slice with data; in the first window
    after a gap Prometheus extrapolates the window's own samples and VictoriaMetrics
    counts from the last sample before the gap, the whole gap's requests. Asked on every
    engine, such a window is "no data" on both, and a day that holds the whole gap still
    counts its requests, on both. Two short reads of ``total`` per window (or slice):
    ``good`` and ``bad`` are read as before, their series adding what the engine
    counts. In templates, ``__EDGE__`` is the pinned edge window, see :func:`range_expr`."""
    sel = selector.strip()
    return (f"count(count_over_time({sel}[{window}])) and "
            f"count(count_over_time({sel}[{window}] offset {offset}))")


def _inc(selector: str) -> str:
    return f"sum(increase({selector.strip()}[__R__]))"


def _total(selector: str) -> str:
    """``sum(increase(...))`` of the total selector where the window is observed at both
    edges (:func:`_edges`): every other count of an interval is read next to this one."""
    return f"{_inc(selector)} and {_edges(selector, '__EDGE__', '__R__')}"


def _le_regex(seconds: float) -> str:
    text = f"{seconds:g}"
    if "e" in text:
        text = repr(float(seconds))
    esc = text.replace(".", "\\\\.")
    return f"{esc}0*" if "." in text else f"{esc}(\\\\.0*)?"


def histogram_selectors(histogram: str, seconds: float) -> tuple[str, str]:
    """``name{labels}`` -> (``name_bucket{labels,le=~...}``, ``name_count{labels}``)."""
    m = re.fullmatch(r"\s*([A-Za-z_:][A-Za-z0-9_:]*)\s*(\{(.*)\})?\s*", histogram)
    if not m:
        raise ValueError(f"histogram {histogram!r} is not a metric selector")
    name, labels = m.group(1), (m.group(3) or "").strip().rstrip(",")
    le = f'le=~"{_le_regex(seconds)}"'
    bucket_labels = f"{labels},{le}" if labels else le
    count = f"{name}_count{{{labels}}}" if labels else f"{name}_count"
    return f"{name}_bucket{{{bucket_labels}}}", count


def _events(q: PrometheusQuery) -> QueryPlan:
    if q.total and (q.good or q.bad):
        exprs = {"total": _total(q.total)}
        if q.good:
            exprs["good"] = _inc(q.good)
        else:
            exprs["bad"] = _inc(q.bad)
    elif q.good and q.bad:
        # total is good + bad: the window is observed when either is, at both edges
        seen = (f"(({_edges(q.good, '__EDGE__', '__R__')}) or "
                f"({_edges(q.bad, '__EDGE__', '__R__')}))")
        exprs = {"good": f"{_inc(q.good)} and {seen}", "bad": f"{_inc(q.bad)} and {seen}"}
    else:
        raise ValueError("needs good and total, bad and total, or good and bad selectors")

    def combine(v: dict[str, float | None]) -> tuple[float | None, float | None, str]:
        bad_value = _unusable(v)
        if bad_value:
            return None, None, bad_value
        if "total" in v:
            total = v["total"]
            if total is None:
                return None, None, NO_SAMPLES
            if "good" in v:
                good = v["good"]
                if good is None:
                    return 0.0, total, NO_GOOD if total else NO_GOOD_IDLE
                why = _excess("good", good, total)
            else:
                bad = v["bad"] or 0.0
                why = _excess("bad", bad, total)
                good = max(total - bad, 0.0)  # bad above total by extrapolation's hair
            if why:
                return None, None, why
        else:
            if v["good"] is None and v["bad"] is None:
                return None, None, NO_SAMPLES
            good, bad = v["good"] or 0.0, v["bad"] or 0.0
            total = good + bad
            if v["good"] is None:
                return 0.0, total, NO_GOOD if total else NO_GOOD_IDLE
        return min(good, total), total, ""

    return QueryPlan(exprs, combine)


def _latency(obj: Objective, q: PrometheusQuery) -> QueryPlan:
    if q.good and q.total:
        return _events(q)
    if not q.histogram or obj.threshold is None:
        raise ValueError("latency needs a histogram and a threshold, or good and total selectors")
    bucket, count = histogram_selectors(q.histogram, obj.threshold.seconds)
    events = _events(PrometheusQuery(good=bucket, total=count))
    # Every bucket of a histogram is exported together, so a missing one next to
    # present counts means the threshold is not a bucket boundary: that is no data,
    # not zero fast requests (which would show a false breach).
    no_bucket = (f"the histogram has no bucket at le={obj.threshold.seconds:g} "
                 f"(the threshold {obj.threshold} must be one of its bucket boundaries)")

    def combine(v: dict[str, float | None]) -> tuple[float | None, float | None, str]:
        if v.get("good") is None and v.get("total") is not None:
            return None, None, no_bucket
        return events.combine(v)

    return QueryPlan(events.exprs, combine)


@dataclass(frozen=True)
class SliceRule:
    """The per-slice expressions of a time-slice objective, as a recording rule records
    them: ``bad`` is 1 for a bad slice and 0 for a good one, with one sample per slice
    that has data; ``traffic`` (only when ``zero_traffic`` is not ``good``) is 1 for a
    slice with requests. ``key`` names this exact rule: a changed threshold, slice or
    selector gives a new key, so figures never mix two definitions."""

    slice: int  # seconds
    bad: str
    traffic: str
    key: str
    total: str  # requests in one slice (a sample for every slice with data)
    summed: str  # ``bad`` as a sum over slices needs it: a slice without a bad series
    # adds nothing there, so it goes without ``or`` (that set operation per slice was
    # most of the subquery's cost)


def slice_rule(obj: Objective) -> SliceRule:
    """``ValueError`` when the objective is not a measurable time-slice objective."""
    q = obj.source.prometheus
    if q is None:
        raise ValueError("the source has no prometheus selectors")
    if obj.slice is None or obj.slice_threshold is None:
        raise ValueError("time slices need a slice length and a slice threshold")
    s = int(obj.slice.seconds)
    thr = obj.slice_threshold / 100.0
    if not q.total or not (q.good or q.bad):
        raise ValueError("time slices need total and good or bad selectors")
    plain = f"sum(increase({q.total.strip()}[{s}s]))"
    # a slice has data where total is observed at both its edges, as an interval has
    # (``_edges``); the condition is asked once per slice expression, outermost
    seen = f"({_edges(q.total, f'{min(s, LIVE)}s', f'{s}s')})"
    tot = f"({plain} and {seen})"
    if q.bad:
        errors = f"sum(increase({q.bad.strip()}[{s}s]))"
        bad = f"({errors} or 0 * {plain}) / {plain}"
        summed = f"({errors} / {plain} > bool {thr!r}) and {seen}"
    else:
        bad = f"({plain} - (sum(increase({q.good.strip()}[{s}s])) or 0 * {plain})) / {plain}"
        summed = f"({bad} > bool {thr!r}) and {seen}"
    flag = f"({bad} > bool {thr!r}) and {seen}"
    traffic = f"({plain} > bool 0) and {seen}" if obj.zero_traffic != "good" else ""
    digest = hashlib.sha256(f"{s}\n{flag}\n{traffic}".encode()).hexdigest()[:16]
    return SliceRule(s, flag, traffic, digest, tot, summed)


#: names of the series the recording rules of ``slacode rules`` write
RECORDED_BAD = "slacode:slice_bad"
RECORDED_TRAFFIC = "slacode:slice_traffic"


def _slices(obj: Objective, recorded: bool) -> QueryPlan:
    rule = slice_rule(obj)
    s = rule.slice
    if recorded:
        # the server records one sample per slice (``slacode rules``): plain range
        # functions over those samples, instead of evaluating every slice again
        sel = f'{RECORDED_BAD}{{slacode_key="{rule.key}"}}'
        # summed like every other expression: one series without labels (_unattributed)
        exprs = {"slices": f"sum(count_over_time({sel}[__R__]))",
                 "bad": f"sum(sum_over_time({sel}[__R__]))"}
        if rule.traffic:
            tsel = f'{RECORDED_TRAFFIC}{{slacode_key="{rule.key}"}}'
            exprs["traffic"] = f"sum(sum_over_time({tsel}[__R__]))"
    else:
        exprs = {
            "slices": f"count_over_time(({rule.total})[__R__:{s}s])",
            "bad": f"sum_over_time(({rule.summed})[__R__:{s}s])",
        }
        if rule.traffic:
            exprs["traffic"] = f"sum_over_time(({rule.traffic})[__R__:{s}s])"
    q = obj.source.prometheus
    if q is not None and q.good:
        # a slice without good series counts 0 good (``or 0 * total``): whether the good
        # selector matches at all is asked apart, from raw samples (no subquery)
        exprs["matched"] = f"sum(count_over_time({q.good.strip()}[__R__]))"
    zero = obj.zero_traffic

    def combine(v: dict[str, float | None]) -> tuple[float | None, float | None, str]:
        good, total, why = figures(v)
        if good is not None and "matched" in v and v["matched"] is None:
            # bad slices of a good selector that matched nothing are slices with traffic
            return good, total, NO_GOOD if v["bad"] else NO_GOOD_IDLE
        return good, total, why

    def figures(v: dict[str, float | None]) -> tuple[float | None, float | None, str]:
        bad_value = _unusable(v)
        if bad_value:
            return None, None, bad_value
        slices = v["slices"]
        if not slices:
            return None, None, NO_SAMPLES
        bad = min(v["bad"] or 0.0, slices)
        if zero == "good":
            return slices - bad, slices, ""
        traffic = min(v.get("traffic") or 0.0, slices)
        if zero == "bad":
            return traffic - bad, slices, ""
        if not traffic:
            return None, None, "no traffic in this interval (zero_traffic: no-data)"
        return traffic - bad, traffic, ""

    # ranges one second short (see _range): a sample at an interval's start belongs to
    # the interval before, for subqueries and recorded samples alike
    return QueryPlan(exprs, combine, subquery=True, weight=1 if recorded else SUBQUERY_WEIGHT,
                inner_step=0 if recorded else s)


def plan_for(obj: Objective, recorded: bool = False) -> QueryPlan:
    """The queries and the rule for one objective; ``ValueError`` when it cannot be measured.

    ``recorded``: the server runs the recording rules of ``slacode rules``, so time slices
    are read from the recorded series.
    """
    q = obj.source.prometheus
    if q is None:
        raise ValueError("the source has no prometheus selectors")
    if obj.method == "slices":
        return _slices(obj, recorded)
    if obj.kind == "latency":
        return _latency(obj, q)
    return _events(q)


def reviewed(points: dict[int, Row]) -> dict[int, Row]:
    """The whole fetch's view of its points: a ``good`` selector that matched no series in
    any interval while events were counted is a wrong selector (a typo), and every
    interval is "no data" rather than 0% good. Absent in only some intervals it stays 0
    good: a success counter appears with its first success. The cache keeps the points
    as answered (with :data:`NO_GOOD` or :data:`NO_GOOD_IDLE`), so a later fetch judges
    them again."""
    absent = (NO_GOOD, NO_GOOD_IDLE)
    counted = [p for p in points.values() if p[2] is not None and p[3] is not None]
    if not counted or any(p[4] not in absent for p in counted) or not any(
        p[4] == NO_GOOD for p in counted
    ):
        return points
    return {s: (p[0], p[1], None, None, GOOD_UNMATCHED) if p[4] in absent else p
            for s, p in points.items()}

