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
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import math
import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    HTTPError,
    InvalidHeader,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    ResponseError,
)
from urllib3.util.retry import Retry

from slacode.config import PrometheusServer, Settings
from slacode.model import Objective, PrometheusQuery
from slacode.promql import pooled_problem
from slacode.pull.align import layout, uniform_runs
from slacode.pull.base import Counts, CountSeries, Gap, PullRequest
from slacode.pull.cache import Cache, CachedPoint, Row

log = logging.getLogger(__name__)

#: Prometheus refuses range queries of more than 11,000 points per series.
MAX_POINTS = 11_000
#: points per range query we ask for (a margin under the server's limit)
CHUNK_POINTS = 10_000
#: inner points of a subquery per range query (a margin under VictoriaMetrics' default
#: ``-search.maxPointsPerTimeseries=30000``, which it applies to the inner expression
#: evaluated over the whole range: a year of days holding one-minute slices is 570,000
#: and answered HTTP 422). A range query of time slices from raw samples spans at most
#: this many slices: 17 days of one-minute slices, 86 days of five-minute ones. The
#: server's work is the same in fewer or more requests, so every engine gets this bound.
SUBQUERY_POINTS = 25_000
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


# --- secrets --------------------------------------------------------------------------------

class RedactFilter(logging.Filter):
    """Removes credentials from log records: known secret values (in every spelling a
    server may echo them, see :func:`_spellings`), ``Authorization`` headers and the
    userinfo of URLs (``user:password@``, ``user@``)."""

    _AUTH = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(\w+\s+)?[^\s'\",}]+")
    _USERINFO = re.compile(r"(//|host=['\"])[^/@\s:'\"]+(?::[^/@\s'\"]+)?@")

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()
        self._known: frozenset[str] = frozenset()
        self._pattern: re.Pattern[str] | None = None

    def _compiled(self) -> re.Pattern[str] | None:
        """One pattern for all known secrets, longest first; made again when they change."""
        known = frozenset(self.secrets) - {""}  # a copy: sessions may add while we log
        if known != self._known:
            ordered = sorted(known, key=lambda s: (-len(s), s))
            pattern = re.compile("|".join(_spellings(s) for s in ordered)) if ordered else None
            self._known, self._pattern = known, pattern
        return self._pattern

    def redact(self, text: str) -> str:
        pattern = self._compiled()
        if pattern is not None:
            text = pattern.sub("***", text)
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


def _spellings(secret: str) -> str:
    """A pattern for ``secret`` in every spelling a server may echo it: as is, or with any
    of its characters percent-encoded (UTF-8 or latin-1 bytes, hex digits in either case;
    a space also as ``+``), so ``p%2fw``, ``p%2Fw`` and ``p/w`` are one secret. A secret
    as written in a URL is remembered decoded too (:func:`_remember_url_secrets`)."""
    out = []
    for ch in secret:
        alts = [re.escape(ch)]
        if ch == " ":
            alts.append(r"\+")
        for encoding in ("utf-8", "latin-1"):
            try:
                raw = ch.encode(encoding)
            except UnicodeEncodeError:
                continue
            alts.append("".join("%" + "".join(f"[{d}{d.lower()}]" if d.isalpha() else d
                                              for d in f"{b:02X}") for b in raw))
        unique = list(dict.fromkeys(alts))
        out.append(unique[0] if len(unique) == 1 else f"(?:{'|'.join(unique)})")
    return "".join(out)


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

#: how often a query's watchdog looks at its deadline (seconds)
_TICK = 0.05
#: decoded bytes read from an answer at a time
_CHUNK = 64 * 1024
#: the wait between retries (backoff, ``Retry-After``); tests replace it to record waits
_sleep = time.sleep
#: the :class:`_Budget` of the query this thread is sending (requests and urllib3 run a
#: query in the thread that asked)
_current = threading.local()


class _GiveUp(ResponseError):
    """A retry the query's :class:`_Budget` does not allow; its text is the reason."""


class _Budget:
    """What one query may still cost: time until its deadline (``query_timeout``, or the
    run's ``run_timeout`` when that comes first) and the longest ``Retry-After`` it waits
    for.

    ``read_timeout`` bounds each read, so a server that sends a byte every few seconds,
    in its headers or its body, would hold a query for ever: :meth:`watch` runs in a
    thread of its own and shuts the query's connections down at the deadline, which
    ends a read that is blocked. It waits with ``time.sleep`` in short ticks rather than
    on a lock, whose timed waits hang under libfaketime (the suite's moved clock)."""

    def __init__(self, deadline: float, passed: str, max_retry_after: float) -> None:
        self.deadline = deadline
        self.passed = passed  # what happened when the deadline passes (after the server's name)
        self.max_retry_after = max_retry_after
        self.connections: list[HTTPConnection] = []
        self.expired = False
        self.done = False

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def watch(self) -> None:
        while not self.done:
            left = self.left()
            if left > 0:
                time.sleep(min(left, _TICK))
                continue
            self.expired = True
            for conn in list(self.connections):  # again each tick: a retry's new one too
                sock = getattr(conn, "sock", None)
                if sock is not None:
                    # the plain socket's shutdown, also under TLS: it ends a blocked read
                    with contextlib.suppress(OSError):
                        socket.socket.shutdown(sock, socket.SHUT_RDWR)
            time.sleep(_TICK)


class _Watched:
    """A connection that joins the watch of the query sending on it (:class:`_Budget`)."""

    def connect(self) -> None:
        self._join()
        super().connect()  # type: ignore[misc]

    def request(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._join()  # a kept-alive connection serves several queries
        super().request(*args, **kwargs)  # type: ignore[misc]

    def _join(self) -> None:
        budget = getattr(_current, "budget", None)
        if budget is not None and self not in budget.connections:
            budget.connections.append(self)  # type: ignore[arg-type]


class _HTTPConnection(_Watched, HTTPConnection):
    pass


class _HTTPSConnection(_Watched, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class _Adapter(HTTPAdapter):
    """requests' adapter with connections a query's deadline can end (:class:`_Budget`)."""

    def init_poolmanager(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

    def proxy_manager_for(self, proxy, **kwargs):  # type: ignore[no-untyped-def]
        """Through an HTTP proxy (``HTTPS_PROXY``) too; SOCKS proxies keep their own pools."""
        manager = super().proxy_manager_for(proxy, **kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
        return manager


class _Retry(Retry):
    """urllib3 Retry that waits within the query's :class:`_Budget`: a ``Retry-After``
    longer than ``max_retry_after`` ends the query at once (a server saying "come back
    tomorrow" is not waited for, nor cut short and asked again), and so does a wait that
    would pass the query's deadline. Waits go through :data:`_sleep`."""

    def sleep(self, response=None) -> None:  # type: ignore[no-untyped-def]
        budget: _Budget | None = getattr(_current, "budget", None)
        wait = None
        if self.respect_retry_after_header and response is not None:
            try:
                wait = self.get_retry_after(response)
            except InvalidHeader:  # not a number of seconds nor a date: back off instead
                wait = None
        if budget is not None and wait is not None and wait > budget.max_retry_after:
            # urllib3 cuts what it parses to its own maximum (6 hours)
            more = " or more" if wait >= getattr(self, "retry_after_max", math.inf) else ""
            raise MaxRetryError(None, "", _GiveUp(  # type: ignore[arg-type]
                f"asked to wait {wait:.0f}s{more} before asking again (Retry-After), "
                f"longer than max_retry_after ({budget.max_retry_after:g}s)"))
        if not wait:
            wait = self.get_backoff_time()
        if budget is not None and wait >= budget.left():
            budget.expired = True  # the wait would end past the deadline: it ends now
            raise MaxRetryError(None, "", _GiveUp(budget.passed))  # type: ignore[arg-type]
        if wait > 0:
            _sleep(wait)


def _env_headers(server: PrometheusServer) -> dict[str, str]:
    """Extra headers from the variable named by ``headers_env``: every value is taken for a
    secret (an API key, a tenant's credential), and so is the credential of an
    ``Authorization: <scheme> <credential>`` value on its own (basic auth decoded)."""
    headers: dict[str, str] = {}
    raw = os.environ.get(server.headers_env, "") if server.headers_env else ""
    for part in raw.split(";"):
        name, sep, value = part.partition(":")
        if sep and name.strip():
            headers[name.strip()] = value = value.strip()
            if len(value) >= 4:
                REDACTOR.secrets.add(value)
            scheme, _, credential = value.partition(" ")
            credential = credential.strip()
            if len(credential) >= 4:
                REDACTOR.secrets.add(credential)
            if scheme.lower() == "basic" and credential:
                try:
                    plain = base64.b64decode(credential, validate=True).decode("utf-8")
                except (ValueError, UnicodeDecodeError):
                    continue
                user, _, password = plain.partition(":")
                _remember_basic(user, password)
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
    adapter = _Adapter(
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
    _remember_url_secrets(server.resolved_url())
    if token:
        REDACTOR.secrets.add(token)
        s.headers["Authorization"] = f"Bearer {token}"
    elif user or password:
        _remember_basic(user, password)
        s.auth = (user, password)
    return s


def _remember_basic(user: str, password: str) -> None:
    """Basic auth credentials in every form a server may echo them back: the password
    (:func:`_spellings` covers its percent-encodings), ``user:password`` and the
    header's base64 of it. The user name alone is not a secret."""
    if password:
        REDACTOR.secrets.update({password, f"{user}:{password}"})
    if not (user or password):
        return
    for encoding in ("latin-1", "utf-8"):  # requests sends latin-1 when it can
        try:
            raw = f"{user}:{password}".encode(encoding)
        except UnicodeEncodeError:
            continue
        b64 = base64.b64encode(raw).decode("ascii")
        REDACTOR.secrets.update({b64, f"Basic {b64}"})


def _remember_url_secrets(url: str) -> None:
    """``user:password@`` in the server's URL: requests sends it as basic auth, so the
    password is as secret as the password variable's, as written (percent-encoded) and
    decoded (:func:`_spellings` covers the other spellings). A user name alone
    (``https://reader@host``) is not a secret: it is not remembered as a word, which would
    garble every text that contains it; the URL's userinfo and the basic auth header it
    makes are still redacted (``RedactFilter``), as any URL's and header's are."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return
    userinfo, at, _host = netloc.rpartition("@")
    if not at or not userinfo:
        return
    user, colon, password = userinfo.partition(":")
    if colon and password:
        REDACTOR.secrets.update({userinfo, unquote(userinfo), password})
    _remember_basic(unquote(user), unquote(password))


@dataclass
class Answer:
    """One query's outcome: values by evaluation time, or the reason there are none.

    ``error`` and ``warnings`` hold the server's words as they came (they may quote the
    credentials it was sent): :func:`_series` makes them public, in one place."""

    error: str = ""  # a fault (down, timeout, HTTP error, unreadable body); not cached
    warnings: tuple[str, ...] = ()
    # values by evaluation time, by the ``slacode_part`` label of a combined query (see
    # ``combined``; "" for an answer without it); series of one part are added up here,
    # and :func:`_unattributed` refuses an answer in which a part has more than one
    parts: dict[str, dict[int, float]] = field(default_factory=dict)
    # the labels of every series (or sample) of the answer, in order: which expression a
    # series belongs to is checked against them (:func:`_unattributed`)
    labels: list[dict[str, str]] = field(default_factory=list)


#: sent with every query: VictoriaMetrics' response cache moves a range query of 50 or
#: more points onto multiples of its step (Berlin midnights onto UTC ones); ``nocache=1``
#: keeps the instants asked for. Prometheus, Thanos and Mimir ignore the parameter.
NO_CACHE = {"nocache": 1}

#: redirects followed within the configured server (a proxy moving its API path)
MAX_REDIRECTS = 3
_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of ``url``, or None when it has no host or a bad port."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        port = parts.port or _PORTS.get(scheme, 0)
    except ValueError:
        return None
    return (scheme, parts.hostname, port) if parts.hostname else None


class PrometheusClient:
    """The HTTP API of one server; counts the queries it sends (retries not included).

    After a connection failure or timeout (retries exhausted, or a query past its
    ``query_timeout``) the server counts as down for the rest of the run: later queries
    are not sent and get the same reason, so a dead server costs one timeout, not one per
    objective. The run's time on this server starts with the client: no query runs past
    ``run_timeout`` after that.
    """

    def __init__(self, server: PrometheusServer, session: requests.Session | None = None) -> None:
        self.server = server
        self.url = server.resolved_url().rstrip("/")
        self.session = session or make_session(server)
        self.queries = 0
        self._lock = threading.Lock()
        self.down = ""  # set after a connection failure: later queries are not sent
        self._run_deadline = time.monotonic() + server.run_timeout

    def query_range(self, expr: str, start: int, end: int, step: int) -> Answer:
        if (end - start) // step + 1 > MAX_POINTS:
            raise ValueError("range query over the server's points limit; split it")
        return self._post("/api/v1/query_range",
                          {"query": expr, "start": start, "end": end, "step": step,
                           **NO_CACHE}, "matrix")

    def query(self, expr: str, time: int) -> Answer:
        return self._post("/api/v1/query", {"query": expr, "time": time, **NO_CACHE}, "vector")

    def _name(self) -> str:
        return f"Prometheus server {self.server.name!r}"

    def _post(self, path: str, data: dict[str, object], result_type: str) -> Answer:
        if self.down:
            return Answer(error=self.down)
        budget = self._budget()
        if budget.left() <= 0:  # the run's time is up: not sent
            self.down = f"{self._name()} {budget.passed}"
            log.warning("%s", self.down)
            return Answer(error=self.down)
        with self._lock:
            self.queries += 1
        log.debug("query %s %s", path, data)
        _current.budget = budget
        watchdog = threading.Thread(target=budget.watch, name="prometheus-deadline",
                                    daemon=True)
        watchdog.start()
        try:
            answer = self._send(path, data, result_type)
        finally:
            budget.done = True
            _current.budget = None
        if budget.expired and answer.error:  # whatever the cut connection looked like
            self.down = answer.error = f"{self._name()} {budget.passed}"
            log.warning("%s", self.down)
        return answer

    def _budget(self) -> _Budget:
        """The limits of a query starting now: ``query_timeout``, within ``run_timeout``."""
        server = self.server
        deadline = time.monotonic() + server.query_timeout
        passed = f"did not finish answering within {server.query_timeout:g}s (query_timeout)"
        if self._run_deadline < deadline:
            deadline = self._run_deadline
            passed = (f"did not finish this run's queries within {server.run_timeout:g}s "
                      "(run_timeout)")
        return _Budget(deadline, passed, server.max_retry_after)

    def _send(self, path: str, data: dict[str, object], result_type: str) -> Answer:
        """The query's answer; after a connection failure the server counts as down."""
        timeout = (self.server.connect_timeout, self.server.read_timeout)
        url = self.url + path
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                # redirects are followed here, not by requests: it would send the headers
                # of ``headers_env`` (an API key, a tenant) to any host a server names.
                # The body is streamed: read up to ``max_body_mb`` (:meth:`_body`)
                resp = self.session.post(url, data=data, timeout=timeout,
                                         allow_redirects=False, stream=True)
                if not resp.is_redirect:
                    break
                resp.close()
                url = self._redirected(url, resp.headers["Location"])
                if not url:
                    return Answer(error=f"{self._name()} redirected the query to another "
                                        "host; slacode does not follow it, so neither the "
                                        "query nor the credentials went there")
            else:
                return Answer(error=f"{self._name()} redirected the query more than "
                                    f"{MAX_REDIRECTS} times")
        except requests.exceptions.RequestException as exc:
            reason = self._fault(exc)
            budget = getattr(_current, "budget", None)
            if budget is not None and budget.expired:
                return Answer(error=reason)  # cut at the deadline: _post says so
            if not isinstance(exc, requests.exceptions.RetryError):
                self.down = reason
            log.warning("%s", reason)
            return Answer(error=reason)
        try:
            body, reason = self._body(resp)
            if reason:
                return Answer(error=reason)
            return self._parse(resp, body, result_type)
        finally:
            resp.close()

    def _body(self, resp: requests.Response) -> tuple[bytes | None, str]:
        """The answer's body, decoded (gzip, deflate), or None when it breaks off; or the
        reason it is not read: more than ``max_body_mb`` once decoded. It is counted as it
        is decoded, a chunk at a time (urllib3 decodes at most the bytes asked for), so a
        gzip bomb costs the limit, not the gigabytes it unpacks to."""
        limit = int(self.server.max_body_mb * 2**20)
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in resp.raw.stream(_CHUNK, decode_content=True):
                size += len(chunk)
                if size > limit:
                    return None, (f"{self._name()} answered with more than "
                                  f"{self.server.max_body_mb:g} MiB (max_body_mb); the "
                                  "answer was not read")
                chunks.append(chunk)
        except (HTTPError, OSError):  # cut off, a read timeout, a bad encoding
            return None, ""
        return b"".join(chunks), ""

    def _redirected(self, url: str, location: str) -> str:
        """Where a redirect from ``url`` leads when it stays on the configured server (same
        scheme, host and port; its path and query only, on the configured URL's own
        netloc), or "" when it leads to another host, which is logged."""
        target = urljoin(url, location)
        elsewhere = _origin(target)
        if elsewhere is not None and elsewhere == _origin(self.url):
            parts = urlsplit(target)
            return urlunsplit((*urlsplit(self.url)[:2], parts.path, parts.query, ""))
        shown = "://".join(elsewhere[:2]) + f":{elsewhere[2]}" if elsewhere else "an invalid URL"
        log.warning("%s redirected a query to %s, another host: not followed",
                    self._name(), shown)
        return ""

    def _fault(self, exc: requests.exceptions.RequestException) -> str:
        name = self._name()
        cause = exc.args[0] if exc.args else None
        reason = cause.reason if isinstance(cause, MaxRetryError) else cause
        if isinstance(reason, _GiveUp):
            return f"{name} {reason}"
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

    def _server_words(self, doc: object) -> str:
        """What a failed answer says, as a published reason may carry it: the API's fixed
        error type only. The server's own message may name series of other agreements
        (internal metrics among them) and goes to the run's log, redacted."""
        if not isinstance(doc, dict) or not (doc.get("error") or doc.get("errorType")):
            return ""
        kind = str(doc.get("errorType") or "")
        log.warning("%s answered: %s", self._name(),
                    public_text(f"{kind} {doc.get('error', '')!s}".strip()))
        kind = kind if kind in API_ERROR_TYPES else "error"
        return f": {kind} (the server's message is in the run's log)"

    def _parse(self, resp: requests.Response, body: bytes | None, result_type: str) -> Answer:
        name = self._name()
        try:
            doc = json.loads(body) if body is not None else None
        except (ValueError, RecursionError):  # RecursionError: nested beyond belief
            doc = None
        if resp.status_code >= 400:
            detail = self._server_words(doc)
            what = {429: " (too many requests)"}.get(resp.status_code, "")
            retried = (
                f" after {self.server.retries} retries"
                if resp.status_code in (429, 500, 502, 503, 504) else ""
            )
            return Answer(error=f"{name} answered HTTP {resp.status_code}{what}{retried}{detail}")
        if not isinstance(doc, dict):
            ctype = resp.headers.get("Content-Type", "unknown").split(";")[0]
            if "json" in ctype:
                return Answer(error=f"{name} answered with invalid or truncated JSON")
            return Answer(error=f"{name} answered with a {ctype} body instead of the API's JSON")
        warnings = tuple(str(w) for w in doc.get("warnings") or ())
        if doc.get("isPartial") is True:
            # VictoriaMetrics cluster: a storage node did not answer, and it says so with
            # this flag instead of ``warnings``; the same partial answer, the same handling
            warnings += (PARTIAL_FLAG,)
        if doc.get("status") != "success":
            return Answer(error=f"{name} query failed{self._server_words(doc) or ''}",
                          warnings=warnings)
        try:
            payload = doc["data"]
            rtype = payload["resultType"]
            result = payload["result"]
            parts: dict[str, dict[int, float]] = {}
            labels: list[dict[str, str]] = []
            if rtype == "matrix" and result_type == "matrix":
                for series in result:
                    labels.append(series.get("metric", {}))
                    part = parts.setdefault(labels[-1].get(PART, ""), {})
                    for ts, val in series["values"]:
                        t = round(float(ts))
                        part[t] = part.get(t, 0.0) + float(val)
            elif rtype == "vector" and result_type == "vector":
                for sample in result:
                    labels.append(sample.get("metric", {}))
                    part = parts.setdefault(labels[-1].get(PART, ""), {})
                    ts, val = sample["value"]
                    t = round(float(ts))
                    part[t] = part.get(t, 0.0) + float(val)
            elif rtype == "scalar" and result_type == "vector":
                ts, val = result
                parts[""] = {round(float(ts)): float(val)}
            else:
                return Answer(error=f"{name} answered an unexpected result type {rtype!r}")
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return Answer(error=f"{name} answered JSON without the expected data")
        return Answer(warnings=warnings, parts=parts, labels=labels)


# --- query plans ----------------------------------------------------------------------------

Combine = Callable[[dict[str, float | None]], tuple[float | None, float | None, str]]
#: the ``errorType`` values of the Prometheus HTTP API: fixed words, safe to publish
API_ERROR_TYPES = frozenset({"timeout", "canceled", "execution", "bad_data", "internal",
                             "unavailable", "not_found", "not_acceptable"})
#: seconds up to each edge of a window in which ``total`` must have a sample for the
#: window to count (:func:`_edges`). Twice Prometheus's lookback of 5 minutes, so that a
#: series scraped every 5 minutes always has one, jitter included; a shorter gap is
#: bridged as each engine bridges it
LIVE = 600
#: an interval whose ``total`` is not observed at both edges (:func:`_edges`): no
#: samples, or a scrape gap at its start or end
NO_SAMPLES = ("not enough samples to measure this interval (total needs one in the "
              f"{LIVE // 60} minutes up to its start and one in those up to its end)")
#: the warning an answer marked ``"isPartial": true`` stands for (VictoriaMetrics cluster)
PARTIAL_FLAG = "the answer is marked partial (isPartial: true)"
NAN = "the server returned NaN for this interval"
INF = "the server returned an infinite value for this interval"
NEGATIVE = "the server returned a negative count for this interval"
#: kept with a point whose ``good`` series was absent while events were counted (counted
#: as 0 good): absent in every interval of a fetch, it is a wrong selector (:func:`_reviewed`)
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
class Plan:
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
#: parts per combined instant query (a query string stays a few kilobytes)
MAX_PARTS = 48
#: expressions per pooled range query: several objectives over the same days share one
#: request, and a cold pull still sends enough requests for the server to run in parallel
RANGE_PARTS = 16
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

    return Plan(exprs, combine)


def _latency(obj: Objective, q: PrometheusQuery) -> Plan:
    if q.good and q.total:
        return _events(q)
    if not q.histogram or obj.threshold is None:
        raise ValueError("latency needs a histogram and a threshold, or good and total selectors")
    bucket, count = _histogram_selectors(q.histogram, obj.threshold.seconds)
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

    return Plan(events.exprs, combine)


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


def _slices(obj: Objective, recorded: bool) -> Plan:
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
    return Plan(exprs, combine, subquery=True, weight=1 if recorded else SUBQUERY_WEIGHT,
                inner_step=0 if recorded else s)


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
_Fetched = tuple[dict[int, Row], tuple[str, ...], dict[int, str]]


@dataclass
class _Job:
    """One fetch of one measurement: what the cache holds, what is asked, what came back.

    Objectives over the same measurement (a month and a rolling 28 days of one SLI) have
    the same ``memo`` and share a job."""

    memo: tuple[object, ...]
    client: PrometheusClient
    plan: Plan
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
            reason = (f"{self.client._name()} warned that its answer to this query may be "
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
    plan: Plan
    key: dict[str, object]
    memo: tuple[object, ...]


#: one query's share of a job: the intervals it covers
_Item = tuple[_Job, list[tuple[int, int]]]
#: what a query gave one item: (job, intervals, values by expression, fault, warnings)
_Answered = tuple[_Job, list[tuple[int, int]], dict[str, dict[int, float]], str, tuple[str, ...]]


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
            "server": _safe_url(client.url),
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
        jobs: dict[tuple[object, ...], _Job] = {}
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

        def finish(job: _Job, now: int) -> None:
            self.cache.store(job.key, job.fresh, now, known=job.known)
            self._fetched[job.memo] = (_reviewed(job.points), tuple(job.warnings), job.faults)
            for i in waiting.get(job.memo, ()):
                if ready is not None:
                    ready(i)

        now = max((r.now for r in requests), default=0)
        asks = _pooled(list(jobs.values()))
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
        plan: Plan,
        key: dict[str, object],
        memo: tuple[object, ...],
        spans: list[tuple[int, int]],
        now: int,
    ) -> _Job:
        settled = now - self.cache.settle
        wanted = dict(spans)
        # cached points of this layout only: a day that was split yesterday (at a rolling
        # window's start) and is whole today is asked for again, and the cache forgets
        # the pieces
        known = {s: p for s, p in self.cache.load(key).items() if wanted.get(s) == p[1]}
        points = {s: p for s, p in known.items() if p[1] <= settled}  # final ones
        todo = [sp for sp in spans if sp[0] not in points]
        return _Job(memo, client, plan, key, known, points, todo)


def _reviewed(points: dict[int, Row]) -> dict[int, Row]:
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


def _pooled(jobs: list[_Job]) -> list[tuple[bool, list[_Item]]]:
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
            return (f"{client._name()} answered a series that no expression of the query "
                    "produces: not counted")
        if part in seen:
            return (f"{client._name()} answered two series for one expression of the query: "
                    "not counted")
        seen.add(part)
    if not set(ans.parts) <= names:
        return (f"{client._name()} answered a series that no expression of the query "
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
            return (f"{client._name()} answered for other instants than those asked for "
                    f"({_utc(extra[0])} where {_utc(near)} was asked): not counted, since "
                    "such a value covers another interval")
    return ""


def _utc(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def _safe_url(url: str) -> str:
    return re.sub(r"//[^/@]*@", "//", url)


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


#: longest reason or warning passed on (a server's error text can be pages long)
MAX_TEXT = 400


def public_text(text: str) -> str:
    """Text that leaves the source (gap reasons, server warnings): what the server said
    may quote the credentials it was sent, so every such text passes here, redacted
    before it is shortened (a cut must not leave half a secret)."""
    if not text:
        return text
    text = redact(text)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1].rstrip() + "…"


def add_gap(gaps: list[Gap], start: int, end: int, reason: str, fault: bool = False) -> None:
    """Append a gap, merging it with the previous one when they touch and agree."""
    last = gaps[-1] if gaps else None
    if last is not None and last.end == start and (last.reason, last.fault) == (reason, fault):
        gaps[-1] = Gap(last.start, end, reason, fault)
    else:
        gaps.append(Gap(start, end, reason, fault))
