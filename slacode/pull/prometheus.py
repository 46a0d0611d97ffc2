"""Prometheus source: aggregation pushed down to the server, one aligned series per query.

The intervals are those of ``align.layout``: local days, split where evaluation cuts a
day (a rolling window's start, a maintenance window's edges), or the objective's
``resolution`` with ``whole_days: false``. Each is asked for as ``sum(increase(SEL[L]))``
evaluated at the interval's *end*, so the value at ``t`` covers ``(t - L, t]``. A run
of equal, contiguous intervals (the days of a year) is one range query stepping from
end to end; all other intervals of a fetch (a daylight-saving day, the pieces of a cut
day, the day still running) go into one instant query, each pinned to its own end
with the ``@`` modifier (Prometheus 2.33+, Thanos, Mimir, Cortex, VictoriaMetrics
1.79+). The expressions of an objective travel in the same query, told apart by a
``slacode_part`` label (``combined``). Counter resets are handled by ``increase``; an
interval where the server has no samples has no data.

Rules, per objective method:

* events: ``good``/``total`` (or ``bad``/``total``, or ``good``/``bad``) selectors. An
  interval without ``total`` samples has no data; a missing ``good`` or ``bad`` series
  next to a present ``total`` counts as 0 (error series often appear only with the
  first error). ``good`` is clamped to ``[0, total]`` (extrapolation can overshoot).
* latency: ``histogram`` + ``threshold``: good = ``<h>_bucket{...,le="<threshold s>"}``,
  total = ``<h>_count{...}``; the ``le`` value matches both ``0.3`` and ``0.30`` forms.
* slices: a slice of length S is bad when ``bad/total > slice_threshold`` over
  ``(t-S, t]``; per interval the server counts, with subqueries ``[STEP:S]``, slices with
  data (``count_over_time`` of ``sum(increase(total[S]))``), bad slices
  (``sum_over_time((ratio > bool thr)[STEP:S])``) and, if needed, slices with traffic.
  A 0/0 slice counts by the objective's ``zero_traffic``: good (default), bad, or not
  at all (no-data). A slice without samples is not counted; an interval with none has
  no data. Subquery steps are aligned to multiples of S, so S must divide the offset of
  local midnight (true for every real timezone with S = 1m or 5m).

Faults: an answer that is not the API's successful JSON (HTTP error, ``status: error``,
an HTML page, truncated JSON) and an answer with ``warnings`` (Thanos, Mimir and Cortex
warn when a store did not answer and the result is partial) leave every interval the
query covered without data, with the reason; they are never cached. A partial answer
is not counted because its figure would look better or worse than the truth.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.util.retry import Retry

from slacode.config import PrometheusServer, Settings
from slacode.model import Objective, PrometheusQuery
from slacode.pull.align import layout, uniform_runs
from slacode.pull.base import Counts, CountSeries, Gap, PullRequest
from slacode.pull.cache import Cache, CachedPoint

log = logging.getLogger(__name__)

#: Prometheus refuses range queries of more than 11,000 points per series.
MAX_POINTS = 11_000
#: points per range query we ask for (a margin under the server's limit)
CHUNK_POINTS = 10_000
#: longest ``Retry-After`` we honour; longer waits are cut to this, so a pull stays bounded
MAX_RETRY_AFTER = 30.0


# --- secrets --------------------------------------------------------------------------------

class RedactFilter(logging.Filter):
    """Removes credentials from log records: known secret values, ``Authorization`` headers
    and ``user:password@`` in URLs."""

    _AUTH = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(\w+\s+)?[^\s'\",}]+")
    _USERINFO = re.compile(r"(//|host=['\"])[^/@\s:'\"]+:[^/@\s'\"]+@")

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def redact(self, text: str) -> str:
        for s in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(s, "***")
        text = self._AUTH.sub(r"\1***", text)
        return self._USERINFO.sub(r"\1***@", text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:
            return True
        clean = self.redact(msg)
        if clean != msg:
            record.msg, record.args = clean, None
        if record.exc_info:  # a traceback quotes exception messages, URLs included
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text, record.exc_info = self.redact(text), None
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


REDACTOR = RedactFilter()
_REDACTED_LOGGERS = (
    __name__, "slacode", "slacode.pull", "urllib3", "urllib3.connectionpool",
    "urllib3.connection", "urllib3.util.retry", "requests",
)
for _name in _REDACTED_LOGGERS:
    logging.getLogger(_name).addFilter(REDACTOR)


def redact(text: str) -> str:
    """``text`` without any credential this process has read from the environment."""
    return REDACTOR.redact(text)


def install_redaction(handler: logging.Handler) -> None:
    """Redact on a handler too: logger filters do not see records of child loggers."""
    if REDACTOR not in handler.filters:
        handler.addFilter(REDACTOR)


# --- HTTP -----------------------------------------------------------------------------------

class _Retry(Retry):
    """urllib3 Retry whose ``Retry-After`` wait is capped, so a pull ends in bounded time."""

    def get_retry_after(self, response):
        value = super().get_retry_after(response)
        return None if value is None else min(value, MAX_RETRY_AFTER)


def _env_headers(server: PrometheusServer) -> dict[str, str]:
    headers: dict[str, str] = {}
    raw = os.environ.get(server.headers_env, "") if server.headers_env else ""
    for part in raw.split(";"):
        name, sep, value = part.partition(":")
        if sep and name.strip():
            headers[name.strip()] = value.strip()
            if len(value.strip()) >= 4:
                REDACTOR.secrets.add(value.strip())
    return headers


def make_session(server: PrometheusServer) -> requests.Session:
    """One session per server: pooled connections, retries with backoff, auth from env."""
    s = requests.Session()
    retry = _Retry(
        total=server.retries,
        connect=server.retries,
        read=server.retries,
        status=server.retries,
        backoff_factor=0.5,
        backoff_max=10,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "POST"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(
        max_retries=retry, pool_connections=1, pool_maxsize=max(1, server.concurrency)
    )
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    s.verify = server.verify_tls
    s.headers["Accept"] = "application/json"
    s.headers["User-Agent"] = "slacode"
    s.headers.update(_env_headers(server))
    token = os.environ.get(server.token_env, "") if server.token_env else ""
    user = os.environ.get(server.username_env, "") if server.username_env else ""
    password = os.environ.get(server.password_env, "") if server.password_env else ""
    if token:
        REDACTOR.secrets.add(token)
        s.headers["Authorization"] = f"Bearer {token}"
    elif user or password:
        if password:
            REDACTOR.secrets.add(password)
        s.auth = (user, password)
    return s


@dataclass
class Answer:
    """One query's outcome: values by evaluation time, or the reason there are none."""

    values: dict[int, float] = field(default_factory=dict)
    error: str = ""  # a fault (down, timeout, HTTP error, unreadable body); not cached
    warnings: tuple[str, ...] = ()
    # values by the ``slacode_part`` label of a combined query (see ``combined``)
    parts: dict[str, dict[int, float]] = field(default_factory=dict)


class PrometheusClient:
    """The HTTP API of one server; counts the queries it sends (retries not included).

    After a connection failure or timeout (retries exhausted) the server counts as down
    for the rest of the run: later queries are not sent and get the same reason, so a
    dead server costs one timeout, not one per objective.
    """

    def __init__(self, server: PrometheusServer, session: requests.Session | None = None) -> None:
        self.server = server
        self.url = server.resolved_url().rstrip("/")
        self.session = session or make_session(server)
        self.queries = 0
        self._lock = threading.Lock()
        self.down = ""  # set after a connection failure: later queries are not sent

    def query_range(self, expr: str, start: int, end: int, step: int) -> Answer:
        if (end - start) // step + 1 > MAX_POINTS:
            raise ValueError("range query over the server's points limit; split it")
        return self._post("/api/v1/query_range",
                          {"query": expr, "start": start, "end": end, "step": step}, "matrix")

    def query(self, expr: str, time: int) -> Answer:
        return self._post("/api/v1/query", {"query": expr, "time": time}, "vector")

    def _name(self) -> str:
        return f"Prometheus server {self.server.name!r}"

    def _post(self, path: str, data: dict[str, object], result_type: str) -> Answer:
        if self.down:
            return Answer(error=self.down)
        with self._lock:
            self.queries += 1
        log.debug("query %s %s", path, data)
        timeout = (self.server.connect_timeout, self.server.read_timeout)
        try:
            resp = self.session.post(self.url + path, data=data, timeout=timeout)
        except requests.exceptions.RequestException as exc:
            reason = self._fault(exc)
            if not isinstance(exc, requests.exceptions.RetryError):
                self.down = reason
            log.warning("%s", reason)
            return Answer(error=reason)
        try:
            return self._parse(resp, result_type)
        finally:
            resp.close()

    def _fault(self, exc: requests.exceptions.RequestException) -> str:
        name = self._name()
        cause = exc.args[0] if exc.args else None
        reason = cause.reason if isinstance(cause, MaxRetryError) else cause
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return f"{name} did not accept a connection within {self.server.connect_timeout:g}s"
        if isinstance(exc, requests.exceptions.ReadTimeout) or isinstance(
            reason, ReadTimeoutError
        ):
            return f"{name} did not answer within {self.server.read_timeout:g}s"
        if isinstance(exc, requests.exceptions.SSLError):
            return f"{name}: TLS certificate verification failed"
        if isinstance(exc, requests.exceptions.RetryError):
            return f"{name} kept answering with errors after {self.server.retries} retries"
        if isinstance(reason, NewConnectionError) or "refused" in str(exc).lower():
            return f"{name} unreachable: connection refused"
        if isinstance(reason, ProtocolError) or isinstance(
            exc, requests.exceptions.ChunkedEncodingError
        ):
            return f"{name} closed the connection before answering"
        if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
            return f"{name}: invalid URL"
        return f"{name} unreachable: {type(exc).__name__}"

    def _parse(self, resp: requests.Response, result_type: str) -> Answer:
        name = self._name()
        try:
            doc = resp.json()
        except (ValueError, requests.exceptions.RequestException):
            doc = None
        if resp.status_code >= 400:
            detail = ""
            if isinstance(doc, dict) and doc.get("error"):
                detail = f": {doc.get('errorType', '')!s} {str(doc['error'])[:300]}".rstrip()
            what = {429: " (too many requests)"}.get(resp.status_code, "")
            retried = (
                f" after {self.server.retries} retries"
                if resp.status_code in (429, 500, 502, 503, 504) else ""
            )
            return Answer(error=redact(
                f"{name} answered HTTP {resp.status_code}{what}{retried}{detail}"
            ))
        if not isinstance(doc, dict):
            ctype = resp.headers.get("Content-Type", "unknown").split(";")[0]
            if "json" in ctype:
                return Answer(error=f"{name} answered with invalid or truncated JSON")
            return Answer(error=f"{name} answered with a {ctype} body instead of the API's JSON")
        warnings = tuple(redact(str(w)) for w in doc.get("warnings") or ())
        if doc.get("status") != "success":
            detail = f"{doc.get('errorType', 'error')}: {str(doc.get('error', ''))[:300]}"
            return Answer(error=redact(f"{name} query failed: {detail}"), warnings=warnings)
        try:
            payload = doc["data"]
            rtype = payload["resultType"]
            result = payload["result"]
            values: dict[int, float] = {}
            parts: dict[str, dict[int, float]] = {}
            if rtype == "matrix" and result_type == "matrix":
                for series in result:
                    part = parts.setdefault(series.get("metric", {}).get(PART, ""), {})
                    for ts, val in series["values"]:
                        t, v = round(float(ts)), float(val)
                        _add(values, t, v)
                        _add(part, t, v)
            elif rtype == "vector" and result_type == "vector":
                for sample in result:
                    part = parts.setdefault(sample.get("metric", {}).get(PART, ""), {})
                    ts, val = sample["value"]
                    t, v = round(float(ts)), float(val)
                    _add(values, t, v)
                    _add(part, t, v)
            elif rtype == "scalar" and result_type == "vector":
                ts, val = result
                _add(values, round(float(ts)), float(val))
            else:
                return Answer(error=f"{name} answered an unexpected result type {rtype!r}")
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return Answer(error=f"{name} answered JSON without the expected data")
        return Answer(values=values, warnings=warnings, parts=parts)


def _add(values: dict[int, float], ts: int, val: float) -> None:
    values[ts] = values.get(ts, 0.0) + val


# --- query plans ----------------------------------------------------------------------------

Combine = Callable[[dict[str, float | None]], tuple[float | None, float | None, str]]
NO_SAMPLES = "no samples in this interval"
NAN = "the server returned NaN for this interval"


@dataclass(frozen=True)
class Plan:
    exprs: dict[str, str]  # name -> PromQL with ``__R__`` for the interval length
    combine: Combine
    subquery: bool = False  # ranges are subquery ranges (one second short, see _range)


_WINDOW = re.compile(r"\[__R__((?::\d+s)?)\]")
#: label that tells the parts of a combined query apart
PART = "slacode_part"
#: parts per combined instant query (a query string stays a few kilobytes)
MAX_PARTS = 48


def _range(tmpl: str, seconds: int, subquery: bool, at: int | None = None) -> str:
    """Put the interval length in, and with ``at`` pin the window's end with ``@``.

    Subquery ranges are one second short: Prometheus 2.x includes a subquery's start,
    3.x does not, and ``[3599s:300s]`` has 12 points in both."""
    length = f"{seconds - 1}s" if subquery else f"{seconds}s"
    pin = f" @ {at}" if at is not None else ""
    return _WINDOW.sub(lambda m: f"[{length}{m.group(1)}]{pin}", tmpl)


def combined(parts: list[tuple[str, str]]) -> str:
    """One query for several expressions: each result is labelled ``slacode_part`` with
    its name (``or`` keeps them apart). A fetch then costs one request per run of days
    plus one for all its odd intervals, instead of one per expression and interval; the
    server does the same work, and a nightly pull sends a third of the requests."""
    return " or ".join(f'label_replace({expr}, "{PART}", "{name}", "", "")'
                       for name, expr in parts)


def _inc(selector: str) -> str:
    return f"sum(increase({selector.strip()}[__R__]))"


def _le_regex(seconds: float) -> str:
    text = f"{seconds:g}"
    if "e" in text:
        text = repr(float(seconds))
    esc = text.replace(".", "\\\\.")
    return f"{esc}0*" if "." in text else f"{esc}(\\\\.0*)?"


def _histogram_selectors(histogram: str, seconds: float) -> tuple[str, str]:
    """``name{labels}`` -> (``name_bucket{labels,le=~...}``, ``name_count{labels}``)."""
    m = re.fullmatch(r"\s*([A-Za-z_:][A-Za-z0-9_:]*)\s*(\{(.*)\})?\s*", histogram)
    if not m:
        raise ValueError(f"histogram {histogram!r} is not a metric selector")
    name, labels = m.group(1), (m.group(3) or "").strip().rstrip(",")
    le = f'le=~"{_le_regex(seconds)}"'
    bucket_labels = f"{labels},{le}" if labels else le
    count = f"{name}_count{{{labels}}}" if labels else f"{name}_count"
    return f"{name}_bucket{{{bucket_labels}}}", count


def _events(q: PrometheusQuery) -> Plan:
    if q.total and (q.good or q.bad):
        exprs = {"total": _inc(q.total)}
        if q.good:
            exprs["good"] = _inc(q.good)
        else:
            exprs["bad"] = _inc(q.bad)
    elif q.good and q.bad:
        exprs = {"good": _inc(q.good), "bad": _inc(q.bad)}
    else:
        raise ValueError("needs good and total, bad and total, or good and bad selectors")

    def combine(v: dict[str, float | None]) -> tuple[float | None, float | None, str]:
        if any(x is not None and math.isnan(x) for x in v.values()):
            return None, None, NAN
        if "total" in v:
            total = v["total"]
            if total is None:
                return None, None, NO_SAMPLES
            total = max(total, 0.0)
            good = (v["good"] or 0.0) if "good" in v else total - (v["bad"] or 0.0)
        else:
            if v["good"] is None and v["bad"] is None:
                return None, None, NO_SAMPLES
            good, bad = max(v["good"] or 0.0, 0.0), max(v["bad"] or 0.0, 0.0)
            total = good + bad
        return min(max(good, 0.0), total), total, ""

    return Plan(exprs, combine)


def _latency(obj: Objective, q: PrometheusQuery) -> Plan:
    if q.good and q.total:
        return _events(q)
    if not q.histogram or obj.threshold is None:
        raise ValueError("latency needs a histogram and a threshold, or good and total selectors")
    bucket, count = _histogram_selectors(q.histogram, obj.threshold.seconds)
    return _events(PrometheusQuery(good=bucket, total=count))


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
    tot = f"sum(increase({q.total.strip()}[{s}s]))"
    if q.bad:
        errors = f"sum(increase({q.bad.strip()}[{s}s]))"
        bad = f"({errors} or 0 * {tot}) / {tot}"
        summed = f"{errors} / {tot} > bool {thr!r}"
    else:
        bad = f"({tot} - (sum(increase({q.good.strip()}[{s}s])) or 0 * {tot})) / {tot}"
        summed = f"{bad} > bool {thr!r}"
    flag = f"{bad} > bool {thr!r}"
    traffic = f"{tot} > bool 0" if obj.zero_traffic != "good" else ""
    digest = hashlib.sha256(f"{s}\n{flag}\n{traffic}".encode()).hexdigest()[:16]
    return SliceRule(s, flag, traffic, digest, tot, summed)


#: names of the series the recording rules of ``slacode rules`` write
RECORDED_BAD = "slacode:slice_bad"
RECORDED_TRAFFIC = "slacode:slice_traffic"


def _slices(obj: Objective, recorded: bool) -> Plan:
    rule = slice_rule(obj)
    s = rule.slice
    if recorded:
        # the server records one sample per slice (``slacode rules``): plain range
        # functions over those samples, instead of evaluating every slice again
        sel = f'{RECORDED_BAD}{{slacode_key="{rule.key}"}}'
        exprs = {"slices": f"count_over_time({sel}[__R__])",
                 "bad": f"sum_over_time({sel}[__R__])"}
        if rule.traffic:
            tsel = f'{RECORDED_TRAFFIC}{{slacode_key="{rule.key}"}}'
            exprs["traffic"] = f"sum_over_time({tsel}[__R__])"
    else:
        exprs = {
            "slices": f"count_over_time(({rule.total})[__R__:{s}s])",
            "bad": f"sum_over_time(({rule.summed})[__R__:{s}s])",
        }
        if rule.traffic:
            exprs["traffic"] = f"sum_over_time(({rule.traffic})[__R__:{s}s])"
    zero = obj.zero_traffic

    def combine(v: dict[str, float | None]) -> tuple[float | None, float | None, str]:
        if any(x is not None and math.isnan(x) for x in v.values()):
            return None, None, NAN
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
    return Plan(exprs, combine, subquery=True)


def plan_for(obj: Objective, recorded: bool = False) -> Plan:
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


#: points by interval start, server warnings, fault reasons by interval start
_Fetched = tuple[dict[int, CachedPoint], tuple[str, ...], dict[int, str]]


# --- the source -----------------------------------------------------------------------------

class PrometheusSource:
    """``kind: prometheus``; one client (session) per configured server."""

    kind = "prometheus"

    def __init__(self, settings: Settings, cache: Cache | None = None) -> None:
        self.settings = settings
        self.cache = cache or Cache(None)
        self._clients: dict[str, PrometheusClient] = {}
        self._lock = threading.Lock()
        self._fetching: dict[tuple[object, ...], threading.Lock] = {}
        self._fetched: dict[tuple[object, ...], _Fetched] = {}

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

    def fetch(self, request: PullRequest) -> CountSeries:
        obj, agr = request.objective, request.agreement
        spans = layout(request.start, min(request.end, request.now), request.step,
                       agr.timezone, request.cuts, self.settings.whole_days)
        q = obj.source.prometheus
        client = self.client(q.server) if q is not None else ""
        try:
            recorded = isinstance(client, PrometheusClient) and client.server.recording_rules
            plan = plan_for(obj, recorded=recorded)
        except ValueError as exc:
            return _series(request, spans, {}, f"cannot query: {exc}", ())
        if isinstance(client, str):
            return _series(request, spans, {}, client, ())
        key = {
            "kind": "prometheus",
            "server": _safe_url(client.url),
            "exprs": plan.exprs,
            "rule": f"{obj.method or obj.kind}:{obj.zero_traffic}",  # how values combine
            "step": request.step,
            "tz": agr.timezone,
        }
        # Objectives over the same measurement (a month and a rolling 28 days of one SLI)
        # share one fetch: the second waits for the first and reuses its answer.
        memo_key = (json.dumps(key, sort_keys=True), request.now, tuple(spans))
        with self._lock:
            lock = self._fetching.setdefault(memo_key, threading.Lock())
        with lock:
            if memo_key not in self._fetched:
                self._fetched[memo_key] = self._fetch(client, plan, key, spans, request)
        points, warnings, faults = self._fetched[memo_key]
        return _series(request, spans, points, "", warnings, faults)

    def _fetch(
        self,
        client: PrometheusClient,
        plan: Plan,
        key: dict[str, object],
        spans: list[tuple[int, int]],
        request: PullRequest,
    ) -> _Fetched:
        settled = request.now - self.cache.settle
        wanted = dict(spans)
        # cached points of this layout only: a day that was split yesterday (at a rolling
        # window's start) and is whole today is asked for again, and the cache forgets
        # the pieces
        known = {s: p for s, p in self.cache.load(key).items() if wanted.get(s) == p.end}
        points = {s: p for s, p in known.items() if p.end <= settled}
        todo = [sp for sp in spans if sp[0] not in points]
        warnings: list[str] = []
        fresh: list[CachedPoint] = []
        faults: dict[int, str] = {}
        runs = uniform_runs(todo)
        batches = [(True, run[i:i + CHUNK_POINTS]) for run in runs if len(run) > 1
                   for i in range(0, len(run), CHUNK_POINTS)]
        odd = [run[0] for run in runs if len(run) == 1]
        per = max(1, MAX_PARTS // len(plan.exprs))
        batches += [(False, odd[i:i + per]) for i in range(0, len(odd), per)]
        for uniform, batch in batches:
            got, reason, warn = _ask(client, plan, batch, uniform)
            warnings.extend(w for w in warn if w not in warnings)
            if warn and not reason:
                reason = f"{client._name()} answered with partial data: {warn[0]}"
            for s, e in batch:
                if reason:
                    faults[s] = reason
                    continue
                good, total, why = plan.combine({n: got[n].get(s) for n in plan.exprs})
                p = CachedPoint(s, e, good, total, why)
                points[s] = p
                fresh.append(p)
        self.cache.store(key, fresh, request.now, known=known)
        return points, tuple(warnings), faults


def _ask(
    client: PrometheusClient, plan: Plan, batch: list[tuple[int, int]], uniform: bool
) -> tuple[dict[str, dict[int, float]], str, tuple[str, ...]]:
    """Each expression's value per interval start, from one query, or a fault.

    ``batch`` is a run of equal contiguous intervals (``uniform``: one range query
    stepping from interval end to interval end) or a set of odd ones (one instant query,
    each part pinned to its interval's end with ``@``)."""
    s0, e0 = batch[0]
    length = e0 - s0
    if uniform:
        expr = combined([(name, _range(tmpl, length, plan.subquery))
                         for name, tmpl in plan.exprs.items()])
        ans = client.query_range(expr, e0, batch[-1][1], length)
    else:
        expr = combined([(f"{name}.{k}", _range(tmpl, e - s, plan.subquery, at=e))
                         for k, (s, e) in enumerate(batch) for name, tmpl in plan.exprs.items()])
        ans = client.query(expr, max(e for _, e in batch))
    if ans.error:
        return {}, ans.error, ans.warnings
    got: dict[str, dict[int, float]] = {name: {} for name in plan.exprs}
    if uniform:
        for name in plan.exprs:
            by_end = ans.parts.get(name, {})
            got[name] = {e - length: by_end[e] for e in by_end}
    else:
        for k, (s, _e) in enumerate(batch):
            for name in plan.exprs:
                values = ans.parts.get(f"{name}.{k}")
                if values:
                    got[name][s] = sum(values.values())
    return got, "", ans.warnings


def _safe_url(url: str) -> str:
    return re.sub(r"//[^/@]*@", "//", url)


def _series(
    request: PullRequest,
    spans: Iterable[tuple[int, int]],
    points: dict[int, CachedPoint],
    default_reason: str,
    warnings: tuple[str, ...],
    faults: dict[int, str] | None = None,
) -> CountSeries:
    faults = faults or {}
    counts: list[Counts] = []
    gaps: list[Gap] = []
    as_of: int | None = None
    for s, e in spans:
        p = points.get(s)
        if p is not None and p.good is not None and p.total is not None and s not in faults:
            counts.append(Counts(s, e, p.good, p.total))
            as_of = e
            continue
        counts.append(Counts(s, e, None, None))
        known = p.reason if p is not None else ""
        fault = faults.get(s) or ("" if known else default_reason)
        add_gap(gaps, s, e, fault or known or NO_SAMPLES, fault=bool(fault))
    return CountSeries(
        service=request.agreement.id,
        objective=request.objective.id,
        step=request.step,
        points=tuple(counts),
        gaps=tuple(gaps),
        as_of=as_of,
        warnings=warnings,
    )


def add_gap(gaps: list[Gap], start: int, end: int, reason: str, fault: bool = False) -> None:
    """Append a gap, merging it with the previous one when they touch and agree."""
    last = gaps[-1] if gaps else None
    if last is not None and last.end == start and (last.reason, last.fault) == (reason, fault):
        gaps[-1] = Gap(last.start, end, reason, fault)
    else:
        gaps.append(Gap(start, end, reason, fault))
