"""The HTTP API of a Prometheus-compatible server: sending a query, reading its answer.

One :class:`PrometheusClient` per server: pooled connections, retries within each
query's deadline (:class:`_Budget`), credentials from the environment (remembered for
redaction, :mod:`slacode.redact`), redirects followed only within the configured
server, bodies read up to ``max_body_mb``, and every answer parsed into an
:class:`Answer` or the reason there is none. The faults and engine rules it applies are
described in :mod:`slacode.pull.prometheus`, the source that uses it.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import math
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

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
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from slacode.config import PrometheusServer
from slacode.pull.planning import PART
from slacode.redact import public_text, remember, remember_basic, remember_url_secrets

#: the Prometheus source's log (one name for its queries and faults, as ``--verbose``
#: shows them and as operators filter them)
log = logging.getLogger("slacode.pull.prometheus")

#: Prometheus refuses range queries of more than 11,000 points per series.
MAX_POINTS = 11_000
#: the ``errorType`` values of the Prometheus HTTP API: fixed words, safe to publish
API_ERROR_TYPES = frozenset({"timeout", "canceled", "execution", "bad_data", "internal",
                             "unavailable", "not_found", "not_acceptable"})
#: the warning an answer marked ``"isPartial": true`` stands for (VictoriaMetrics cluster)
PARTIAL_FLAG = "the answer is marked partial (isPartial: true)"

#: how often a query's watchdog looks at its deadline (seconds)
_TICK = 0.05
#: decoded bytes read from an answer at a time
READ_CHUNK = 64 * 1024
#: the wait between retries (backoff, ``Retry-After``); tests replace it to record waits
retry_wait = time.sleep
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

    def request(self, *args: Any, **kwargs: Any) -> None:
        self._join()  # a kept-alive connection serves several queries
        super().request(*args, **kwargs)  # type: ignore[misc]

    def _join(self) -> None:
        budget = getattr(_current, "budget", None)
        if budget is not None and self not in budget.connections:
            budget.connections.append(self)


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

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        """Through an HTTP proxy (``HTTPS_PROXY``) too; SOCKS proxies keep their own pools."""
        manager = super().proxy_manager_for(proxy, **kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
        return manager


class _Retry(Retry):
    """urllib3 Retry that waits within the query's :class:`_Budget`: a ``Retry-After``
    longer than ``max_retry_after`` ends the query at once (a server saying "come back
    tomorrow" is not waited for, nor cut short and asked again), and so does a wait that
    would pass the query's deadline. Waits go through :data:`retry_wait`."""

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
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
            retry_wait(wait)


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
                remember(value)
            scheme, _, credential = value.partition(" ")
            credential = credential.strip()
            if len(credential) >= 4:
                remember(credential)
            if scheme.lower() == "basic" and credential:
                try:
                    plain = base64.b64decode(credential, validate=True).decode("utf-8")
                except (ValueError, UnicodeDecodeError):
                    continue
                user, _, password = plain.partition(":")
                remember_basic(user, password)
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
    remember_url_secrets(server.resolved_url())
    if token:
        remember(token)
        s.headers["Authorization"] = f"Bearer {token}"
    elif user or password:
        remember_basic(user, password)
        s.auth = (user, password)
    return s



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
        return self.post("/api/v1/query_range",
                          {"query": expr, "start": start, "end": end, "step": step,
                           **NO_CACHE}, "matrix")

    def query(self, expr: str, time: int) -> Answer:
        return self.post("/api/v1/query", {"query": expr, "time": time, **NO_CACHE}, "vector")

    @property
    def name(self) -> str:
        """The server as a reason names it: ``Prometheus server 'default'``."""
        return f"Prometheus server {self.server.name!r}"

    def post(self, path: str, data: dict[str, object], result_type: str) -> Answer:
        """Send one API call within its deadline and return its answer, or the reason
        there is none; every query passes here (and is counted), so a test or a
        benchmark that wraps it sees them all."""
        if self.down:
            return Answer(error=self.down)
        budget = self._budget()
        if budget.left() <= 0:  # the run's time is up: not sent
            self.down = f"{self.name} {budget.passed}"
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
            self.down = answer.error = f"{self.name} {budget.passed}"
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
                    return Answer(error=f"{self.name} redirected the query to another "
                                        "host; slacode does not follow it, so neither the "
                                        "query nor the credentials went there")
            else:
                return Answer(error=f"{self.name} redirected the query more than "
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
            for chunk in resp.raw.stream(READ_CHUNK, decode_content=True):
                size += len(chunk)
                if size > limit:
                    return None, (f"{self.name} answered with more than "
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
                    self.name, shown)
        return ""

    def _fault(self, exc: requests.exceptions.RequestException) -> str:
        name = self.name
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
        log.warning("%s answered: %s", self.name,
                    public_text(f"{kind} {doc.get('error', '')!s}".strip()))
        kind = kind if kind in API_ERROR_TYPES else "error"
        return f": {kind} (the server's message is in the run's log)"

    def _parse(self, resp: requests.Response, body: bytes | None, result_type: str) -> Answer:
        name = self.name
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

