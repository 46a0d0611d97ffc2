"""Number, time and duration formatting shared by pages, data files, badges and the feed.

Numbers are written by Babel (``babel.numbers``) in the locale of the site's language
(:data:`LOCALES`): grouping, decimal sign and currencies as that locale writes them, so
that no page formats a number by hand.

**Decimals of a figure** follow one rule per objective (:func:`places_for`): one more
decimal than its target is written with (target ``99.95`` -> 3, ``99.9`` -> 2, ``90`` ->
1), at most 4, always that many (``99.980%``, not ``99.98%`` beside ``99.979%``). The extra
decimal shows a miss that rounding to the target's own precision would hide, and figures
are cut, never rounded up (``99.9499`` is ``99.949%``): a figure below its target never
reads as the target. Targets are written as the agreement writes them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import ROUND_DOWN, Decimal
from functools import cache, lru_cache, wraps
from typing import ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from babel.core import Locale
from babel.dates import format_skeleton, get_month_names
from babel.numbers import format_currency, format_decimal, is_currency, parse_pattern

from slacode.durations import Duration, span_parts
from slacode.render import escape

P = ParamSpec("P")
R = TypeVar("R")

#: the Babel locale of each site language
LOCALES = {"en": "en", "zh": "zh_Hans_CN"}


#: the Babel locale of each site language for dates: English days before months
#: ("26 Nov 2026"), which no reader takes for the 11th of a 26th month
DATE_LOCALES = {"en": "en_GB", "zh": "zh_Hans_CN"}


def _locale(language: str) -> str:
    return LOCALES.get(language, "en")


def places_for(target: float) -> int:
    """The decimals of an objective's figures: one more than its target is written with
    (``99.95`` -> 3, ``90`` -> 1), at most 4 (see the module docstring)."""
    text = f"{target:.6f}".rstrip("0").rstrip(".")
    given = len(text.split(".")[1]) if "." in text else 0
    return min(4, given + 1)


@cache
def _decimal_format(pattern: str, language: str) -> Callable[[Decimal | float | int], str]:
    """Babel's ``format_decimal(value, format=pattern, locale=...)`` with the pattern and
    the locale parsed once: a fleet's pages format millions of numbers, and parsing
    both on every call was a fifth of the render stage."""
    parsed = parse_pattern(pattern)
    locale = Locale.parse(_locale(language))
    return lambda value: parsed.apply(value, locale)


@lru_cache(maxsize=1 << 16)  # the same figures recur on a page, its JSON and the reports
def fixed(value: float, places: int, language: str = "en") -> str:
    """``value`` with exactly ``places`` decimals, cut (never rounded up)."""
    q = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
    pattern = "0." + "0" * places if places else "0"
    out = _decimal_format(pattern, language)(q)
    return "0" if out.lstrip("-").strip("0.") == "" and places == 0 else out


def count(n: int | float, language: str = "en") -> str:
    """A whole count with the locale's grouping: ``19,837``."""
    return _decimal_format("#,##0", language)(round(n))


@lru_cache(maxsize=1 << 12)  # Babel parses the currency pattern on every call
def money(value: float, currency: str, language: str = "en") -> str:
    """An amount of money with its ISO code after it (``1,234.50 EUR``: agreements and
    invoices name the currency, and ``$`` alone is ambiguous), grouped as the locale
    groups and with the currency's own decimals (``1,500 JPY``); two decimals when
    ``currency`` is not one Babel knows."""
    if currency and is_currency(currency):
        return format_currency(value, currency, format="#,##0.00 ¤¤",
                               locale=_locale(language))
    plain = format_decimal(value, format="#,##0.00", locale=_locale(language))
    return f"{plain} {currency}".strip()

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


@lru_cache(maxsize=1 << 16)
def number(value: float, places: int = 3, language: str = "en") -> str:
    """``99.95``, ``100``, ``99.973``: at most ``places`` decimals, no trailing zeros
    (targets, thresholds, rates: numbers as the agreement writes them)."""
    if not math.isfinite(value):  # never in results (no figure is None): said as it is
        return str(value)
    pattern = "0." + "#" * places if places else "0"
    s = _decimal_format(pattern, language)(round(value, places))
    return "0" if s in ("-0", "") else s


def figure(value: float | None, unit: str, none: str = "—", target: float | None = None,
           language: str = "en") -> str:
    """A figure with its unit; ``none`` when there is no data. Given the objective's
    ``target``, with that objective's fixed decimals (:func:`places_for`)."""
    if value is None:
        return none
    if target is not None:
        text = fixed(value, places_for(target), language)
        return text + "%" if unit == "%" else text
    if unit == "%":
        return number(value, 3, language) + "%"
    return number(value, 2, language)


def amount(value: float, language: str = "en") -> str:
    """An error budget's amount of its countable unit (events, requests, slices):
    ``19,837`` from 100 up (a fraction of a request says nothing), else at most one
    decimal (``13.5``); grouped as the locale groups."""
    if abs(value) >= 99.5:
        return count(value, language)
    return number(value, 1, language)


def percent(value: float | None, places: int = 1, language: str = "en") -> str:
    return "—" if value is None else number(value, places, language) + "%"


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


#: the time zone of the page being written (:func:`page_zone`); None: each time as given
_PAGE_ZONE: ContextVar[tzinfo | None] = ContextVar("page_zone", default=None)
#: the language of the pages being written (:func:`page_language`): how dates read
_PAGE_LANGUAGE: ContextVar[str] = ContextVar("page_language", default="en")


@contextmanager
def page_language(language: str) -> Iterator[None]:
    """Within it, :func:`when`, :func:`day`, :func:`month` and :func:`quarter` write dates
    as ``language`` writes them (through Babel), unless a call names its language: the
    templates and helpers that show a date need not pass the site's language along."""
    token = _PAGE_LANGUAGE.set(language)
    try:
        yield
    finally:
        _PAGE_LANGUAGE.reset(token)


def in_page_language(fn: Callable[P, R]) -> Callable[P, R]:
    """``fn`` (called with a ``language`` keyword) run inside :func:`page_language`."""
    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with page_language(str(kwargs.get("language") or "en")):
            return fn(*args, **kwargs)
    return wrapper


def _date_locale(language: str | None) -> tuple[str, str]:
    lang = language or _PAGE_LANGUAGE.get()
    return lang, DATE_LOCALES.get(lang, "en_GB")


@contextmanager
def page_zone(name: str) -> Iterator[None]:
    """Within it, :func:`when` writes every time in the IANA zone ``name``: a page says
    all its times in one zone (the agreement's), not one in UTC and the next in
    UTC+08:00 for the same instant. An unknown zone leaves times as given."""
    try:
        zone: tzinfo | None = ZoneInfo(name) if name else None
    except (ValueError, KeyError, OSError):
        zone = None
    token = _PAGE_ZONE.set(zone)
    try:
        yield
    finally:
        _PAGE_ZONE.reset(token)


def zone_label(name: str, at: datetime) -> str:
    """``Asia/Shanghai (UTC+08:00)``: a zone and its offset at ``at``, to say which."""
    try:
        off = at.astimezone(ZoneInfo(name)).utcoffset() or _ZERO
    except (ValueError, KeyError, OSError):
        return name
    label = _zone_label(off)
    return name if label == name or name == "UTC" else f"{name} ({label})"


def when(value: str | int | float | datetime | None, language: str | None = None) -> str:
    """``26 Nov 2026, 14:00 UTC+08:00`` (``2026年11月26日 14:00 (UTC+08:00)``): minutes
    precision, with the offset it was given in (in the page's zone inside
    :func:`page_zone`), the date as the language writes it (Babel)."""
    if value is None or value == "":
        return "—"
    dt = parse_time(value)
    page = _PAGE_ZONE.get()
    if page is not None:
        dt = dt.astimezone(page)
    zone = _zone_label(dt.utcoffset() or _ZERO)
    lang, loc = _date_locale(language)
    shown = _date_words(dt.date(), "yMMMd", loc)
    clock = f"{dt.hour:02d}:{dt.minute:02d}"
    return f"{shown} {clock} ({zone})" if lang == "zh" else f"{shown}, {clock} {zone}"


@cache
def _date_words(d: date, skeleton: str, locale: str) -> str:
    return str(format_skeleton(skeleton, d, locale=locale))


def month(year: int, number: int, language: str | None = None, short: bool = False) -> str:
    """``March 2026`` / ``2026年3月`` (``short``: ``Mar 2026``), through Babel."""
    _, loc = _date_locale(language)
    return _date_words(date(year, number, 1), "yMMM" if short else "yMMMM", loc)


def month_short(number: int, language: str | None = None) -> str:
    """A month's short name under a chart's bar: ``Nov`` / ``11月`` (Babel)."""
    _, loc = _date_locale(language)
    return str(get_month_names("abbreviated", "stand-alone", locale=loc)[number])


def quarter(year: int, number: int, language: str | None = None) -> str:
    """``Q4 2026`` / ``2026年第4季度``, through Babel."""
    _, loc = _date_locale(language)
    return _date_words(date(year, 3 * number - 2, 1), "yQQQ", loc)


_ZERO = timedelta(0)


@cache
def _zone_label(off: timedelta) -> str:
    if off == _ZERO:
        return "UTC"
    total = int(off.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def day(value: date | datetime | str | None, language: str | None = None,
        short: bool = False) -> str:
    """``26 Nov 2026`` / ``2026年11月26日`` (``short``: without the year), through Babel;
    text that is no ISO date is shown as it is."""
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime):
        d = value.date()
    elif isinstance(value, date):
        d = value
    else:
        try:
            d = date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    _, loc = _date_locale(language)
    return _date_words(d, "MMMd" if short else "yMMMd", loc)


def time_tag(value: date | datetime | str | None, shown: str) -> str:
    """``shown`` (escaped) in a ``<time>`` element whose ``datetime`` is the ISO form of
    ``value``, for machines; just ``shown`` when ``value`` is no date."""
    if isinstance(value, datetime):
        iso = value.isoformat(timespec="minutes")
    elif isinstance(value, date):
        iso = value.isoformat()
    else:
        return escape.text(shown)
    return f'<time datetime="{escape.text(iso)}">{escape.text(shown)}</time>'


def iso_utc(value: str | int | float | datetime) -> str:
    """``2026-11-26T00:00:00Z``: for Atom and JSON timestamps."""
    return parse_time(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
