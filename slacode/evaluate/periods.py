"""Evaluation periods in the agreement's timezone.

Calendar periods (month, quarter, year) start at a local midnight, so a month in
Asia/Shanghai starts eight hours before the same month in UTC, and a day at the end
of daylight saving time lasts 25 hours. A rolling window of N days ends at the
evaluation time and starts exactly N x 24 hours earlier.

Which periods are evaluated: every calendar period that starts at or after the first
local midnight of the month ``history_months`` months before the evaluation month,
plus the open period (the one holding the evaluation time). Rolling objectives have
one period: the window ending now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from slacode.model import Window

DAY = 86400


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name or "UTC")


@lru_cache(maxsize=8192)
def midnight(d: date, tz: str) -> int:
    """UNIX time of local midnight starting ``d`` in ``tz`` (memoised: a fleet's periods,
    strips and bad days ask for the same few hundred midnights a third of a million times)."""
    return int(datetime(d.year, d.month, d.day, tzinfo=zone(tz)).timestamp())


def local_date(ts: int, tz: str) -> date:
    return datetime.fromtimestamp(ts, zone(tz)).date()


@lru_cache(maxsize=16384)
def iso(ts: int, tz: str) -> str:
    """ISO 8601 with the offset of ``tz`` at that instant (stable, second precision).

    Memoised: a fleet's periods and breach lists name the same few hundred midnights
    over and over (a sixth of a million times for 200 services)."""
    return datetime.fromtimestamp(ts, zone(tz)).isoformat()


@dataclass(frozen=True)
class Period:
    id: str  # "2026-11", "2026-Q4", "2026", "rolling-28d"
    kind: str  # month | quarter | year | rolling
    start: int
    end: int

    def complete(self, now: int) -> bool:
        return self.end <= now

    def closed(self, now: int) -> bool:
        """A calendar period that has ended: the ledger may freeze it."""
        return self.kind != "rolling" and self.end <= now

    @property
    def months(self) -> int:
        """Number of calendar months (for the fee of the period); 0 for rolling windows."""
        return {"month": 1, "quarter": 3, "year": 12}.get(self.kind, 0)


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    yy, mm = divmod(m - 1 + n, 12)
    return y + yy, mm + 1


def history_start(now: int, tz: str, history_months: int) -> int:
    """Local midnight on the first day of the month ``history_months`` before ``now``'s."""
    d = local_date(now, tz)
    y, m = _add_months(d.year, d.month, -history_months)
    return midnight(date(y, m, 1), tz)


def _calendar_period(kind: str, y: int, m: int, tz: str) -> Period:
    """The period of ``kind`` holding month ``(y, m)``."""
    if kind == "month":
        sy, sm, n, pid = y, m, 1, f"{y:04d}-{m:02d}"
    elif kind == "quarter":
        q = (m - 1) // 3
        sy, sm, n, pid = y, 3 * q + 1, 3, f"{y:04d}-Q{q + 1}"
    elif kind == "year":
        sy, sm, n, pid = y, 1, 12, f"{y:04d}"
    else:
        raise ValueError(f"not a calendar window: {kind}")
    ey, em = _add_months(sy, sm, n)
    return Period(pid, kind, midnight(date(sy, sm, 1), tz), midnight(date(ey, em, 1), tz))


def periods_for(window: Window, tz: str, now: int, history_months: int) -> list[Period]:
    """The periods evaluated for ``window``, oldest first; the last one holds ``now``."""
    return list(_periods_for(window, tz, now, history_months))


@lru_cache(maxsize=256)
def _periods_for(window: Window, tz: str, now: int, history_months: int) -> tuple[Period, ...]:
    """Memoised: the services of a fleet mostly share their windows and timezone."""
    if window.kind == "rolling":
        return (rolling(window.days, now),)
    first = history_start(now, tz, history_months)
    d = local_date(first, tz)
    y, m = d.year, d.month
    out: list[Period] = []
    while True:
        p = _calendar_period(window.kind, y, m, tz)
        if p.start > now:
            break
        if p.start >= first and (not out or out[-1].id != p.id):
            out.append(p)
        y, m = _add_months(y, m, 1)
    # The open period always shows, even when it began before the history start.
    current = _calendar_period(window.kind, *_ym(now, tz), tz)
    if not out or out[-1].id != current.id:
        out.append(current)
    return tuple(out)


def _ym(ts: int, tz: str) -> tuple[int, int]:
    d = local_date(ts, tz)
    return d.year, d.month


def rolling(days: int, now: int) -> Period:
    return Period(f"rolling-{days}d", "rolling", now - days * DAY, now)


def days_between(start: int, end: int, tz: str) -> list[tuple[date, int, int]]:
    """Local days overlapping ``[start, end)`` as ``(date, start, end)``, cut to the range."""
    return list(_days_between(start, end, tz))


@lru_cache(maxsize=1024)
def _days_between(start: int, end: int, tz: str) -> tuple[tuple[date, int, int], ...]:
    out: list[tuple[date, int, int]] = []
    d = local_date(start, tz)
    while True:
        s = midnight(d, tz)
        if s >= end:
            break
        nxt = d + timedelta(days=1)
        e = midnight(nxt, tz)
        out.append((d, max(s, start), min(e, end)))
        d = nxt
    return tuple(out)


def last_days(now: int, tz: str, n: int = 90) -> list[tuple[date, int, int]]:
    """The ``n`` local days ending at ``now`` (the last cut at ``now``; at midnight, yesterday)."""
    last = local_date(now - 1, tz)
    first = last - timedelta(days=n - 1)
    return days_between(midnight(first, tz), now, tz)
