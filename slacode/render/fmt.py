"""Number, time and duration formatting shared by pages, data files, badges and the feed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache

from slacode.durations import Duration, span_parts

_ZH_UNITS = {
    "ms": "毫秒",
    "s": "秒",
    "m": "分钟",
    "h": "小时",
    "d": "天",
    "w": "周",
    "mo": "个月",
    "y": "年",
}


def number(value: float, places: int = 3) -> str:
    """``99.95``, ``100``, ``99.973``: at most ``places`` decimals, no trailing zeros."""
    s = f"{value:.{places}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def figure(value: float | None, unit: str, none: str = "—") -> str:
    """A figure with its unit; ``none`` when there is no data."""
    if value is None:
        return none
    if unit == "%":
        return number(value, 3) + "%"
    return number(value, 2)


def amount(value: float) -> str:
    """An error budget's amount of its countable unit (events, requests, slices,
    responses, incidents): ``19,837`` from 100 up (a fraction of a request says
    nothing), else at most one decimal (``13.5``, ``0.2``: a budget of a few incidents
    is often a fraction of one); thousands separated as money is on the page."""
    if abs(value) >= 99.5:
        return f"{round(value):,}"
    return number(value, 1)


def percent(value: float | None, places: int = 1) -> str:
    return "—" if value is None else number(value, places) + "%"


def duration(d: Duration | None, language: str = "en") -> str:
    if d is None:
        return "—"
    if language == "zh":
        return f"{d.amount} {_ZH_UNITS[d.unit]}"
    return d.words()


def elapsed(seconds: float, language: str = "en", days: bool = True) -> str:
    """A stretch of time in words, as evaluation says one (``2 hours 30 minutes``,
    ``2 小时 30 分钟``): for amounts that are not one of the agreement's durations, such
    as the part of a maintenance window beyond the monthly maximum, or how long an
    incident took (``days`` False: working time, said in hours)."""
    return " ".join(duration(Duration(v, u), language) for v, u in span_parts(seconds, days))


def parse_time(value: str | int | float | datetime) -> datetime:
    """An ISO string, a UNIX time or a datetime as an aware datetime (UTC when naive)."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, int | float):
        dt = datetime.fromtimestamp(value, tz=UTC)
    else:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def when(value: str | int | float | datetime | None) -> str:
    """``2026-11-25 14:00 UTC+08:00``: minutes precision, with the offset it was given in."""
    if value in (None, ""):
        return "—"
    dt = parse_time(value)
    zone = _zone_label(dt.utcoffset() or _ZERO)
    if dt.year >= 1000:  # strftime's "%Y" pads no earlier year: those take the slow way
        return f"{dt.year}-{dt.month:02d}-{dt.day:02d} {dt.hour:02d}:{dt.minute:02d} {zone}"
    return dt.strftime("%Y-%m-%d %H:%M ") + zone


_ZERO = timedelta(0)


@cache
def _zone_label(off: timedelta) -> str:
    if off == _ZERO:
        return "UTC"
    total = int(off.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def day(value: date | datetime | str | None) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def iso_utc(value: str | int | float | datetime) -> str:
    """``2026-11-26T00:00:00Z``: for Atom and JSON timestamps."""
    return parse_time(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
