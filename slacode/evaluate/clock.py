"""Clocks for incident targets: 24x7, or business hours that pause outside working time.

A business day is a working day of the calendar: one of its weekdays that is not a
public holiday (``holidays`` package, with the subdivision) nor an extra holiday, or
any day listed as an extra working day, or a weekend day that the country moves work
onto (the ``holidays`` package knows these, e.g. Saturday 2026-10-10 in China). On a
business day the clock runs from ``start`` to ``end`` local time (an end of 23:59:59.999999
means midnight); a day at a daylight-saving change counts its real hours.

Targets in days and weeks on a business clock count working days: ``1d`` is one working
day's hours (9 hours for 09:00-18:00), ``1w`` is as many working days as the calendar has
weekdays. Hours, minutes and seconds are working time. Months and years (not meant for
incident targets) count as 30 and 365 days.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Protocol

import holidays

from slacode.durations import Duration
from slacode.evaluate.periods import local_date, zone
from slacode.model import Calendar

#: days a deadline is searched for before it counts as "never" (no working days)
_MAX_DAYS = 3 * 366


class Clock(Protocol):
    def elapsed(self, start: int, end: int) -> int:
        """Clock seconds between two instants (0 when ``end`` <= ``start``)."""
        ...

    def deadline(self, start: int, seconds: float) -> int | None:
        """The instant when ``seconds`` of clock time have passed since ``start``."""
        ...

    def span(self, duration: Duration) -> float:
        """A target duration in clock seconds."""
        ...


def _calendar_seconds(d: Duration, day: float, week_days: int) -> float:
    if d.unit == "mo":
        return d.amount * 30 * day
    if d.unit == "y":
        return d.amount * 365 * day
    if d.unit == "d":
        return d.amount * day
    if d.unit == "w":
        return d.amount * week_days * day
    return d.seconds


class Clock24x7:
    def elapsed(self, start: int, end: int) -> int:
        return max(0, end - start)

    def deadline(self, start: int, seconds: float) -> int | None:
        return start + round(seconds)

    def span(self, duration: Duration) -> float:
        return _calendar_seconds(duration, 86400, 7)


class BusinessClock:
    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.tz = calendar.timezone or "UTC"
        self._holidays = (
            holidays.country_holidays(calendar.holidays, subdiv=calendar.subdivision or None)
            if calendar.holidays
            else None
        )
        self._extra_off = frozenset(calendar.extra_holidays)
        self._extra_on = frozenset(calendar.extra_working_days)
        self._weekdays = frozenset(calendar.weekdays)
        self._hours: dict[date, tuple[int, int] | None] = {}
        start, end = calendar.start, calendar.end
        end_s = 86400 if end >= time(23, 59, 59) else end.hour * 3600 + end.minute * 60 + end.second
        start_s = start.hour * 3600 + start.minute * 60 + start.second
        self.day_seconds = float(max(0, end_s - start_s))

    def is_working_day(self, d: date) -> bool:
        if d in self._extra_on:
            return True
        if d in self._extra_off:
            return False
        h = self._holidays
        if h is not None and d in h:  # `in` also fills the year, including weekend_workdays
            return False
        if d.weekday() in self._weekdays:
            return True
        return h is not None and d in getattr(h, "weekend_workdays", ())

    def hours(self, d: date) -> tuple[int, int] | None:
        """Working hours of local day ``d`` as UNIX seconds ``[start, end)``; ``None`` off days."""
        if d in self._hours:
            return self._hours[d]
        out: tuple[int, int] | None = None
        if self.is_working_day(d) and self.day_seconds > 0:
            z = zone(self.tz)
            s = int(datetime.combine(d, self.calendar.start, tzinfo=z).timestamp())
            if self.calendar.end >= time(23, 59, 59):
                e = int(datetime.combine(d + timedelta(days=1), time(0), tzinfo=z).timestamp())
            else:
                e = int(datetime.combine(d, self.calendar.end, tzinfo=z).timestamp())
            out = (s, e) if e > s else None
        self._hours[d] = out
        return out

    def elapsed(self, start: int, end: int) -> int:
        if end <= start:
            return 0
        total = 0
        d = local_date(start, self.tz)
        last = local_date(end, self.tz)
        while d <= last:
            h = self.hours(d)
            if h is not None:
                total += max(0, min(h[1], end) - max(h[0], start))
            d += timedelta(days=1)
        return total

    def deadline(self, start: int, seconds: float) -> int | None:
        left = float(seconds)
        d = local_date(start, self.tz)
        for _ in range(_MAX_DAYS):
            h = self.hours(d)
            if h is not None:
                s = max(h[0], start)
                if h[1] > s:
                    if left <= h[1] - s:
                        return s + round(left)
                    left -= h[1] - s
            d += timedelta(days=1)
        return None

    def span(self, duration: Duration) -> float:
        return _calendar_seconds(duration, self.day_seconds, len(self._weekdays) or 5)


def make_clock(calendar: Calendar | None) -> Clock:
    """The clock of a calendar; ``None`` (the ``24x7`` clock id) runs all the time."""
    return Clock24x7() if calendar is None else BusinessClock(calendar)
