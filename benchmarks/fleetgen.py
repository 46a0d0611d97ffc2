"""The benchmark fleet: services, their outages, their samples, agreements and incidents.

Deterministic: the same (services, start, end, seed) give the same data byte for byte,
so a cached TSDB, the agreements and the incidents file always agree.

Per service (``svc-0001`` ...) three series, one sample every 5 minutes:

* ``http_request_duration_seconds_count{service}``: all requests (the events' total),
* ``http_request_duration_seconds_bucket{service,le="0.3"}``: requests under 300 ms,
* ``http_request_errors_total{service}``: requests answered with a server error.

Only the one histogram bucket the latency objective reads is written (a real histogram
has about ten; the others would only add backfill time). One more service, ``edge-1m``,
has the same series at 1-minute resolution and a 1-minute time-slice objective.

Traffic follows a daily and weekly curve with noise; each service has a small base
error rate and slow share, and outages (a Poisson process, about two a month; mostly
short, some hours long, some total) plus fleet-wide events that hit a random tenth of
the services at once. Samples are made one UTC day at a time (so that memory stays
small and promtool gets one file per day); counters carry over from day to day.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

#: bump when the generated samples change, so cached TSDBs are rebuilt
GENERATOR_VERSION = 1
DAY = 86400
SEED = 20261126
FAMILIES = {"http_request_duration_seconds": "histogram", "http_request_errors": "counter"}
ONE_MINUTE_SERVICE = "edge-1m"


@dataclass(frozen=True)
class Outage:
    start: int
    end: int
    error_ratio: float  # share of requests failing during the outage
    slow_ratio: float  # share of requests slower than 300 ms during the outage


@dataclass(frozen=True)
class Profile:
    id: str
    step: int  # seconds between samples
    rate: float  # requests per step at the daily mean
    base_error: float
    base_slow: float
    outages: tuple[Outage, ...]


def service_ids(n: int) -> list[str]:
    return [f"svc-{i:04d}" for i in range(1, n + 1)] + [ONE_MINUTE_SERVICE]


def _fleet_events(start: int, end: int, ids: list[str]) -> dict[str, list[Outage]]:
    """Correlated outages: about every 45 days a shared dependency fails for a tenth."""
    rng = random.Random(f"{SEED}-fleet")
    out: dict[str, list[Outage]] = {}
    t = start + int(rng.expovariate(1 / (45 * DAY)))
    while t < end:
        dur = rng.choice((600, 1200, 1800, 3600, 5400))
        err = rng.uniform(0.1, 0.6)
        for sid in rng.sample(ids, max(1, len(ids) // 10)):
            out.setdefault(sid, []).append(Outage(t, t + dur, err, rng.uniform(0.2, 0.6)))
        t += int(rng.expovariate(1 / (45 * DAY)))
    return out


def profiles(n: int, start: int, end: int) -> list[Profile]:
    """The fleet's services with their traffic and outages over ``[start, end)``."""
    ids = service_ids(n)
    shared = _fleet_events(start, end, ids)
    out = []
    for sid in ids:
        rng = random.Random(f"{SEED}-{sid}")
        step = 60 if sid == ONE_MINUTE_SERVICE else 300
        rate = math.exp(rng.uniform(math.log(200), math.log(5000))) * step / 300
        outages = list(shared.get(sid, ()))
        t = start + int(rng.expovariate(1 / (15 * DAY)))
        while t < end:
            kind = rng.random()
            if kind < 0.6:
                dur = rng.randrange(1, 7) * 300  # 5 to 30 minutes
            elif kind < 0.9:
                dur = rng.randrange(6, 25) * 300  # 30 minutes to 2 hours
            else:
                dur = rng.randrange(24, 73) * 300  # 2 to 6 hours
            total = rng.random() < 0.15
            err = 1.0 if total else rng.uniform(0.02, 0.5)
            outages.append(Outage(t, t + dur, err, rng.uniform(0.1, 0.5)))
            t += dur + int(rng.expovariate(1 / (15 * DAY)))
        outages.sort(key=lambda o: o.start)
        out.append(Profile(sid, step, rate, rng.uniform(0.0001, 0.0008),
                           rng.uniform(0.001, 0.008), tuple(outages)))
    return out


def _curve(step: int) -> list[float]:
    """Traffic factor per sample slot of a day (low at night UTC, peak mid-afternoon)."""
    n = DAY // step
    return [1.0 + 0.45 * math.sin(2 * math.pi * (i / n - 0.375)) for i in range(n)]


def day_samples(
    p: Profile, day_start: int, carry: tuple[int, int, int] = (0, 0, 0)
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    """(count, fast bucket, errors) samples of one UTC day, counters continuing ``carry``.

    The sample at ``t`` adds the requests of ``(t - step, t]``; a day's samples run from
    its midnight to the last step before the next."""
    rng = random.Random(f"{SEED}-{p.id}-{day_start}")
    curve = _curve(p.step)
    weekend = 0.75 if datetime.fromtimestamp(day_start, UTC).weekday() >= 5 else 1.0
    starts = [o.start for o in p.outages]
    k = max(0, bisect.bisect_right(starts, day_start - p.step) - 1)
    count, fast, errors = carry
    c_s, f_s, e_s = [], [], []
    for i, t in enumerate(range(day_start, day_start + DAY, p.step)):
        while k < len(p.outages) - 1 and p.outages[k].end <= t - p.step:
            k += 1
        o = p.outages[k] if p.outages else None
        err, slow = p.base_error, p.base_slow
        if o is not None and o.start < t and t - p.step < o.end:
            share = (min(t, o.end) - max(t - p.step, o.start)) / p.step
            err = err + (o.error_ratio - err) * share
            slow = slow + (o.slow_ratio - slow) * share
        n = int(p.rate * curve[i] * weekend * (0.9 + 0.2 * rng.random()))
        bad = min(n, int(n * err + rng.random()))
        count += n
        fast += n - min(n, int(n * slow + rng.random()))
        errors += bad
        c_s.append((t, count))
        f_s.append((t, fast))
        e_s.append((t, errors))
    return c_s, f_s, e_s


def day_series(
    profs: list[Profile], day_start: int, carry: dict[str, tuple[int, int, int]]
) -> Iterator[object]:
    """Every service's series for one day, as ``tests.prometheus_server.Series``;
    ``carry`` holds each service's counters and is updated."""
    from tests.prometheus_server import Series

    for p in profs:
        c_s, f_s, e_s = day_samples(p, day_start, carry.get(p.id, (0, 0, 0)))
        carry[p.id] = (c_s[-1][1], f_s[-1][1], e_s[-1][1])
        lab = (("service", p.id),)
        yield Series("http_request_duration_seconds_count", lab, c_s)
        yield Series("http_request_duration_seconds_bucket", (*lab, ("le", "0.3")), f_s)
        yield Series("http_request_errors_total", lab, e_s)


# --- agreements and incidents ---------------------------------------------------------------

def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def agreement_yaml(sid: str, effective: str) -> str:
    """One service's agreement: events availability (calendar month with credits, and a
    rolling 28 days), time slices, latency from the histogram, and P1 first response."""
    total = f'http_request_duration_seconds_count{{service="{sid}"}}'
    bad = f'http_request_errors_total{{service="{sid}"}}'
    slice_len = "1m" if sid == ONE_MINUTE_SERVICE else "5m"
    team = f"team-{int(sid[4:]) % 17:02d}" if sid.startswith("svc-") else "team-edge"
    return f"""\
id: {sid}
name: Service {sid}
version: 1
effective: {effective}
visibility: public
timezone: UTC
owners: [{team}]
parties:
  provider: {{name: Example Cloud, contact: sla@example.com}}
  customer: {{name: All customers}}
service:
  description: Benchmark fleet service {sid}.
objectives:
  - id: availability
    name: Monthly availability
    kind: availability
    method: events
    target: 99.9
    window: calendar-month
    source:
      prometheus:
        bad: '{bad}'
        total: '{total}'
  - id: availability-28d
    name: Availability, last 28 days
    kind: availability
    method: events
    target: 99.9
    window: rolling-28d
    source:
      prometheus:
        bad: '{bad}'
        total: '{total}'
  - id: good-slices
    name: Good {slice_len} slices
    kind: availability
    method: slices
    slice: {slice_len}
    slice_threshold: 5
    target: 99.5
    window: calendar-month
    source:
      prometheus:
        bad: '{bad}'
        total: '{total}'
  - id: latency
    name: Fast responses
    kind: latency
    threshold: 300ms
    target: 99.0
    window: calendar-month
    source:
      prometheus:
        histogram: 'http_request_duration_seconds{{service="{sid}"}}'
  - id: p1-response
    name: P1 first response
    kind: response-time
    priority: P1
    within: 15m
    clock: 24x7
    target: 100
    window: calendar-quarter
    source:
      incidents: {{path: data/incidents.csv}}
priorities:
  P1: {{name: Critical, response: 15m}}
  P2: {{name: High}}
credits:
  objective: availability
  tiers:
    - {{below: 99.9, credit: 10}}
    - {{below: 99.0, credit: 25}}
    - {{below: 95.0, credit: 100}}
  cap: 100
  claim_within: 30d
  monthly_fee: 1000
  currency: USD
"""


def incidents_csv(profs: list[Profile], until: int) -> str:
    """Outages of 15 minutes or more that started before ``until``, as incident records."""
    rows = ["id,service,priority,opened,first_response,resolved,title,customer_visible"]
    for p in profs:
        rng = random.Random(f"{SEED}-{p.id}-incidents")
        for n, o in enumerate(p.outages):
            if o.end - o.start < 900 or o.start >= until:
                continue
            prio = "P1" if o.error_ratio >= 0.3 else "P2"
            opened = o.start + rng.randrange(60, 600)
            first = opened + int(rng.lognormvariate(math.log(420), 0.6))
            resolved = max(o.end, first) + rng.randrange(0, 1800)
            resolved_s = "" if resolved > until else _iso(resolved)
            first_s = _iso(first) if first <= until else ""
            rows.append(f"INC-{p.id}-{n:03d},{p.id},{prio},{_iso(opened)},{first_s},"
                        f"{resolved_s},Elevated errors on {p.id},true")
    return "\n".join(rows) + "\n"


def write_project(root: Path, n: int, start: int, end: int, until: int) -> list[Profile]:
    """Agreements under ``root/slas`` and incidents (opened before ``until``) in
    ``root/data/incidents.csv``, for the fleet whose data covers ``[start, end)``."""
    profs = profiles(n, start, end)
    slas = root / "slas"
    slas.mkdir(parents=True, exist_ok=True)
    effective = datetime.fromtimestamp(start, UTC).date().isoformat()
    for p in profs:
        (slas / f"{p.id}.yaml").write_text(agreement_yaml(p.id, effective), encoding="utf-8")
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "data" / "incidents.csv").write_text(incidents_csv(profs, until), encoding="utf-8")
    return profs


def true_availability(p: Profile, start: int, end: int) -> float:
    """The exact share of good requests (percent) of the samples at ``start < t <= end``,
    from the generated increments themselves: what both tools estimate through PromQL."""
    total = bad = 0
    for day in range(start // DAY * DAY, end + 1, DAY):
        c_s, _, e_s = day_samples(p, day)
        prev_c = prev_e = 0
        for (t, c), (_, e) in zip(c_s, e_s, strict=True):
            if start < t <= end:
                total += c - prev_c
                bad += e - prev_e
            prev_c, prev_e = c, e
    return 100.0 * (total - bad) / total if total else float("nan")
