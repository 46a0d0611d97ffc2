"""Interval boundaries in the agreement's timezone.

Intervals restart at every local midnight, so a daylight-saving day has 23 or 25
one-hour intervals, and a step that does not divide the local day ends the day with
a shorter interval (a 7h step on a 24-hour day gives 7, 7, 7 and 3 hours). Days are
never merged across midnight: daily and monthly sums in ``evaluate`` stay exact.
Steps of a day or more must be whole days and then count local days (a 1d step on
a daylight-saving day is 23 or 25 hours long).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DAY = 86400


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name or "UTC")


def _midnight(d, tz: ZoneInfo) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=tz).timestamp())


def local_midnight(ts: int, tz: str) -> int:
    """The local midnight at or before ``ts``."""
    z = zone(tz)
    return _midnight(datetime.fromtimestamp(ts, z).date(), z)


def next_midnight(ts: int, tz: str) -> int:
    """The first local midnight strictly after ``ts``."""
    z = zone(tz)
    return _midnight(datetime.fromtimestamp(ts, z).date() + timedelta(days=1), z)


def month_start(ts: int, tz: str, months_back: int = 0) -> int:
    """Local midnight on the first day of the month ``months_back`` months before ``ts``'s."""
    z = zone(tz)
    d = datetime.fromtimestamp(ts, z)
    y, m = divmod(d.month - 1 - months_back, 12)
    return int(datetime(d.year + y, m + 1, 1, tzinfo=z).timestamp())


def intervals(start: int, end: int, step: int, tz: str) -> list[tuple[int, int]]:
    """Intervals ``[s, e)`` covering ``[start, end)``; the last one is cut at ``end``.

    ``start`` should be a local midnight (see :func:`local_midnight`); intervals are laid
    from each local midnight, so they line up with days and months in ``tz``. A fleet's
    objectives mostly share start, step and timezone, so the layout is computed once.
    """
    return list(_intervals(start, end, step, tz))


@lru_cache(maxsize=64)
def _intervals(start: int, end: int, step: int, tz: str) -> tuple[tuple[int, int], ...]:
    if step <= 0:
        raise ValueError("step must be positive")
    out: list[tuple[int, int]] = []
    if step >= DAY:
        if step % DAY:
            raise ValueError("steps of a day or more must be whole days")
        z = zone(tz)
        day = datetime.fromtimestamp(local_midnight(start, tz), z).date()
        t = _midnight(day, z)
        while t < end:
            day += timedelta(days=step // DAY)
            e = _midnight(day, z)
            if e > start:
                out.append((max(t, start), min(e, end)))
            t = e
        return tuple(out)
    day_start = local_midnight(start, tz)
    while day_start < end:
        day_end = next_midnight(day_start, tz)
        t = day_start
        while t < day_end and t < end:
            e = min(t + step, day_end, end)
            if e > start:
                out.append((max(t, start), e))
            t = e
        day_start = day_end
    return tuple(out)


def request_spans(start: int, end: int, now: int, step: int, tz: str) -> list[tuple[int, int]]:
    """The intervals a pull asks for: ``[start, min(end, now))``, nothing after ``now``."""
    stop = min(end, now)
    return intervals(start, stop, step, tz) if stop > start else []


def layout(
    start: int,
    now: int,
    step: int,
    tz: str,
    cuts: tuple[int, ...] = (),
    whole_days: bool = True,
) -> list[tuple[int, int]]:
    """The intervals a server is asked for: local days, split at each of ``cuts``.

    Every figure slacode publishes is a sum over local days (periods, the 90-day strip,
    bad days, the day still running) except where a rolling window starts and where a
    maintenance window starts or ends; those instants are the ``cuts``, and a day that
    holds one is split there, so every figure is a sum of whole intervals and nothing
    is prorated. A year becomes about 400 intervals instead of 8,800 hours: the server,
    the wire, the cache and evaluation all do twenty times less. ``whole_days=False``
    lays out ``step``-long intervals instead (still split at the cuts).
    """
    if now <= start:
        return []
    return list(_layout(start, now, DAY if whole_days else step, tz, tuple(sorted(set(cuts)))))


@lru_cache(maxsize=256)
def _layout(
    start: int, stop: int, step: int, tz: str, cuts: tuple[int, ...]
) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for s, e in _intervals(start, stop, step, tz):
        i = bisect_right(cuts, s)
        while i < len(cuts) and cuts[i] < e:
            out.append((s, cuts[i]))
            s = cuts[i]
            i += 1
        out.append((s, e))
    return tuple(out)


def uniform_runs(spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Split contiguous intervals of equal length into runs a fixed-step range query can
    cover (a run of whole days, a run of hours); an interval unlike its neighbours (a
    daylight-saving day, a cut, the one ending at ``now``) is a run of one."""
    runs: list[list[tuple[int, int]]] = []
    for s, e in spans:
        if runs:
            last = runs[-1]
            ls, le = last[-1]
            if le == s and le - ls == e - s:
                last.append((s, e))
                continue
        runs.append([(s, e)])
    return runs
