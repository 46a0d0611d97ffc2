"""Calendar periods of an agreement's timezone, as PromQL computed from ``time()``.

Why PromQL and not dates written into the file: the rules file is generated once,
committed and checked in CI, so it must not depend on the day it was made. Prometheus
only knows UTC (``month()``, ``day_of_month()`` ...), so the period's edges are worked
out from the time itself, with the zone's UTC offset at the start of each calendar
month as a small lookup table (``offsets``).

The one assumption: no zone changes its offset within a few hours of a month's
first local midnight (daylight saving starts and ends on a Sunday in the small hours,
never on the first of a month). Under it the edges are exact, daylight saving
included: a month of Europe/Berlin that holds the switch to summer time is 743 hours
long, and ``slacode:period_end - slacode:period_start`` says so.

How: ``local`` is the time plus the offset of the month a little ahead of it (far
enough ahead to cover the largest offset), which always falls in the right local
month (see ``local_time``); the period's first day follows from ``day_of_month`` /
``day_of_year`` of that, and its UTC start is that day's midnight minus the offset of
its month. ``floor`` rather than ``%`` keeps it right before 1970 too (``promtool test
rules`` starts its synthetic clock at 0, where zones west of UTC are still in 1969).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DAY = 86400
#: years whose offsets at month starts are taken (the most common per month): fixed, so
#: the file never depends on the day it is generated; a tzdata update that changes a
#: zone's rules changes the file, and ``slacode alerts --check`` says so
OFFSET_YEARS = range(2026, 2036)
#: how far back a period's subquery reaches: the longest period plus a daylight-saving hour
SUBQUERY_RANGE = {"month": "32d", "quarter": "93d", "year": "367d"}
#: months in a period (a credit's fee is the monthly fee times these)
MONTHS = {"month": 1, "quarter": 3, "year": 12}


@lru_cache(maxsize=64)
def offsets(tz: str) -> tuple[int, ...]:
    """The zone's UTC offset in seconds at the first local midnight of each month,
    January first."""
    zone = ZoneInfo(tz or "UTC")
    out = []
    for month in range(1, 13):
        # an aware datetime always has an offset (``or``: its type allows None)
        seen = Counter(int((datetime(y, month, 1, tzinfo=zone).utcoffset() or timedelta())
                           .total_seconds()) for y in OFFSET_YEARS)
        out.append(seen.most_common(1)[0][0])
    return tuple(out)


def step(tz: str) -> int:
    """Seconds of one step of a period's subquery: an hour, or 15 minutes for zones whose
    offset is not whole hours (India, Nepal), so that a step never straddles the start."""
    return 3600 if all(o % 3600 == 0 for o in offsets(tz)) else 900


def _offset_of(month: str, tz: str) -> str:
    """PromQL: the offset at the start of ``month`` (an expression worth 1..12)."""
    table = offsets(tz)
    base = Counter(table).most_common(1)[0][0]
    terms = [f"{base}"] + [f"({o - base}) * ({month} == bool {m})"
                           for m, o in enumerate(table, 1) if o != base]
    return terms[0] if len(terms) == 1 else "(" + " + ".join(terms) + ")"


def local_time(tz: str) -> str:
    """PromQL: the time as a wall clock of ``tz`` would read it if it were UTC (exact
    month, day and, away from daylight-saving switches, hour).

    The offset is that of the month ``ahead`` seconds later. With ``ahead`` at least the
    largest offset, that month is the local month or the next one, and near the end of
    a local month (the only place where it is the next one) that next month's offset is
    the one in force."""
    table = offsets(tz)
    if not any(table):
        return "vector(time())"
    ahead = max(0, *table)
    return f"vector(time()) + {_offset_of(f'month(vector(time() + {ahead}))', tz)}"


def period_bounds(kind: str, tz: str, local: str) -> tuple[str, str]:
    """PromQL for the UTC start and end of the ``kind`` (month, quarter, year) period
    holding now, given ``local`` (a selector of the recorded ``local_time``)."""
    day = f"(floor({local} / {DAY}) * {DAY})"
    month = f"month({local})"
    year_start = f"({day} - (day_of_year({local}) - 1) * {DAY})"
    leap = f"(days_in_month({year_start} + {31 * DAY}) == bool 29)"
    if kind == "month":
        first = f"({day} - (day_of_month({local}) - 1) * {DAY})"
        length = f"days_in_month({local})"
        starts, following = month, f"({month} % 12 + 1)"
    elif kind == "quarter":
        first = (f"({year_start} + {DAY} * (({month} >= bool 4) * (90 + {leap})"
                 f" + ({month} >= bool 7) * 91 + ({month} >= bool 10) * 92))")
        length = (f"(({month} < bool 4) * (90 + {leap}) + ({month} >= bool 4) * "
                  f"({month} < bool 7) * 91 + ({month} >= bool 7) * 92)")
        starts = f"(floor(({month} - 1) / 3) * 3 + 1)"
        following = f"(({starts} + 2) % 12 + 1)"
    elif kind == "year":
        first, length, starts, following = year_start, f"(365 + {leap})", "1", "1"
    else:
        raise ValueError(f"not a calendar period: {kind}")
    return (_minus(first, _offset_of(starts, tz)),
            _minus(f"{first} + {length} * {DAY}", _offset_of(following, tz)))


def _minus(expr: str, offset: str) -> str:
    return expr if offset == "0" else f"{expr} - {offset}"
