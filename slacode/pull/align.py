"""Interval boundaries in the agreement's timezone.

Intervals restart at every local midnight, so a daylight-saving day has 23 or 25
one-hour intervals, and a step that does not divide the local day ends the day with
a shorter interval (a 7h step on a 24-hour day gives 7, 7, 7 and 3 hours). Days are
never merged across midnight: daily and monthly sums in ``evaluate`` stay exact.
Steps of a day or more must be whole days and then count local days (a 1d step on
a daylight-saving day is 23 or 25 hours long).
"""

from __future__ import annotations

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


def uniform_runs(spans: list[tuple[int, int]], step: int) -> list[list[tuple[int, int]]]:
    """Split contiguous full-length intervals into runs a fixed-step range query can cover.

    Intervals shorter than ``step`` (the end of a day, or cut at ``now``) come out as runs
    of one, to be asked for on their own.
    """
    runs: list[list[tuple[int, int]]] = []
    for s, e in spans:
        full = e - s == step
        if (
            full
            and runs
            and runs[-1][-1][1] == s
            and runs[-1][-1][1] - runs[-1][-1][0] == step
        ):
            runs[-1].append((s, e))
        else:
            runs.append([(s, e)])
    return runs
