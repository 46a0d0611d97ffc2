"""Synthetic scrapes with known truth: what the Prometheus tests backfill and compare to.

Five UTC days (2026-10-22 .. 2026-10-27) of one-minute scrapes of a service ``api``
around the end of daylight-saving time in Europe/Berlin (2026-10-25, a 25-hour day),
with outages, a zero-traffic stretch, a counter reset (process restart), a two-hour
scrape gap and a latency histogram. Exact event counts per interval come from the same
per-minute increments, so a test can compare what the server computes to the truth.
Deterministic (seeded), standard library only, importable without pytest.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from prometheus_server import Series


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


T0 = ts("2026-10-22T00:00:00")
MINUTES = 5 * 1440
#: samples with timestamps in (GAP[0], GAP[1]] are missing: the scraper was down
GAP = (ts("2026-10-24T10:00:00"), ts("2026-10-24T12:00:00"))
#: process restart: every counter starts again from 0 at this sample
RESET = ts("2026-10-23T13:07:00")
QUIET = (ts("2026-10-26T03:00:00"), ts("2026-10-26T03:30:00"))  # no traffic at all
#: (start, end, error share) over sample timestamps in (start, end]; 5-minute aligned
OUTAGES = (
    (ts("2026-10-23T09:15:00"), ts("2026-10-23T09:45:00"), 0.30),
    (ts("2026-10-25T00:30:00"), ts("2026-10-25T01:10:00"), 1.00),  # across the DST change
    (ts("2026-10-26T14:00:00"), ts("2026-10-26T14:05:00"), 0.50),
)
SLOW = (ts("2026-10-24T15:00:00"), ts("2026-10-24T17:00:00"))  # latency degradation
BUCKETS = ("0.1", "0.3", "1", "+Inf")

GOOD_SEL = 'http_requests_total{job="api",code!~"5.."}'
BAD_SEL = 'http_requests_total{job="api",code=~"5.."}'
TOTAL_SEL = 'http_requests_total{job="api"}'
HISTOGRAM = 'http_request_duration_seconds{job="api"}'


@dataclass(frozen=True)
class Truth:
    """Per-minute increments; index i is the sample at ``T0 + 60*i`` (events in the minute
    before it)."""

    good: list[int]
    bad: list[int]
    fast: list[int]  # requests at or under 0.3 s
    scraped: list[bool]

    def _sum(self, arr: list[int], a: int, b: int) -> int:
        i, j = (a - T0) // 60, (b - T0) // 60
        return sum(arr[i + 1: j + 1])

    def events(self, a: int, b: int) -> tuple[int, int]:
        """(good, total) requests in ``(a, b]``."""
        g, x = self._sum(self.good, a, b), self._sum(self.bad, a, b)
        return g, g + x

    def latency(self, a: int, b: int) -> tuple[int, int]:
        return self._sum(self.fast, a, b), self.events(a, b)[1]

    def samples_in(self, a: int, b: int) -> int:
        """Scrapes in ``[a, b]`` (Prometheus 2.x range selectors include both ends)."""
        i, j = (a - T0) // 60, (b - T0) // 60
        return sum(1 for k in range(max(i, 0), min(j, MINUTES) + 1) if self.scraped[k])

    def measurable(self, a: int, b: int) -> bool:
        """Whether the window ``(a, b]`` can be measured on any engine: a scrape in the ten
        minutes (or the window, if shorter) up to its start and one in those up to its
        end. Not so right after the scrape gap, nor in it."""
        edge = min(600, b - a)
        after = b - edge + 60 - (b - edge - T0) % 60  # the first scrape after b - edge
        return self.samples_in(a - edge, a) >= 1 and self.samples_in(after, b) >= 1

    def slices(self, a: int, b: int, size: int, threshold: float) -> tuple[int, int] | None:
        """(good, total) slices of ``size`` seconds ending in ``(a, b]``; a slice is bad when
        bad/total > threshold, 0/0 is good, a slice that is not :meth:`measurable` has no
        data."""
        good = total = 0
        for end in range(a + size, b + 1, size):
            if not self.measurable(end - size, end):
                continue
            g, t = self.events(end - size, end)
            total += 1
            good += 0 if t and (t - g) / t > threshold else 1
        return (good, total) if total else None


def generate(seed: int = 7) -> tuple[list[Series], dict[str, str], Truth]:
    rnd = random.Random(seed)
    good, bad, fast, slow_le1, scraped = [0], [0], [0], [0], [True]
    for i in range(1, MINUTES + 1):
        t = T0 + 60 * i
        hour = (t // 3600) % 24
        diurnal = 1.0 + 0.5 * (1 if 8 <= hour < 20 else -1) * (0.5 + (hour % 6) / 10)
        total = 0 if QUIET[0] < t <= QUIET[1] else round(120 * diurnal * rnd.uniform(0.9, 1.1))
        share = next((s for a, b, s in OUTAGES if a < t <= b), None)
        errors = round(total * share) if share is not None else (1 if rnd.random() < 0.2 else 0)
        errors = min(errors, total)
        slow_share = 0.2 if SLOW[0] < t <= SLOW[1] else 0.005
        n_fast = total - round(total * slow_share)
        good.append(total - errors)
        bad.append(errors)
        fast.append(n_fast)
        slow_le1.append(round((total - n_fast) * 0.7))
        scraped.append(not GAP[0] < t <= GAP[1])
    truth = Truth(good, bad, fast, scraped)

    def counter(incs: list[int]) -> list[tuple[int, float]]:
        out, value = [], 0
        for i, inc in enumerate(incs):
            t = T0 + 60 * i
            value = inc if t == RESET else value + inc
            if scraped[i]:
                out.append((t, float(value)))
        return out

    fast_le01 = [round(f * 0.6) for f in fast]
    totals = [g + b for g, b in zip(good, bad, strict=True)]
    le1 = [f + s for f, s in zip(fast, slow_le1, strict=True)]
    job = (("job", "api"),)
    series = [
        Series("http_requests_total", (("code", "200"), *job), counter(good)),
        Series("http_requests_total", (("code", "500"), *job), counter(bad)),
        *(
            Series("http_request_duration_seconds_bucket", (*job, ("le", le)), counter(incs))
            for le, incs in zip(BUCKETS, (fast_le01, fast, le1, totals), strict=True)
        ),
        Series("http_request_duration_seconds_count", job, counter(totals)),
        Series("http_request_duration_seconds_sum", job,
               counter([round(x * 0.12) for x in totals])),
    ]
    types = {"http_requests": "counter", "http_request_duration_seconds": "histogram"}
    return series, types, truth
