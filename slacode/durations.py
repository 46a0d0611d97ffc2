"""The one duration syntax of agreements: a whole number and a unit, e.g. ``15m``, ``6mo``.

Units: ``ms`` milliseconds, ``s`` seconds, ``m`` minutes, ``h`` hours, ``d`` days,
``w`` weeks, ``mo`` calendar months, ``y`` calendar years. Months and years are
calendar arithmetic, so they have no fixed length in seconds; everything else does.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import overload

PATTERN = r"^[1-9][0-9]{0,5}(ms|s|m|h|d|w|mo|y)$"
_RE = re.compile(PATTERN)
_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
#: The longest duration an agreement may give. Six digits would allow 999999 years,
#: which no date can hold: past this bound a duration is refused when the agreement is
#: validated, so no later date arithmetic meets it.
MAX_YEARS = 1000
_MAX_SECONDS = MAX_YEARS * 366 * 86400
_WORDS = {"ms": "millisecond", "s": "second", "m": "minute", "h": "hour", "d": "day",
          "w": "week", "mo": "month", "y": "year"}


@dataclass(frozen=True, order=True)
class Duration:
    amount: int
    unit: str  # one of ms s m h d w mo y

    @classmethod
    def parse(cls, text: str) -> Duration:
        m = _RE.match(text.strip()) if isinstance(text, str) else None
        if not m:
            raise ValueError(
                f"invalid duration {text!r}: expected a whole number and a unit "
                "(ms, s, m, h, d, w, mo, y), e.g. 300ms, 15m, 8h, 3d, 6mo"
            )
        d = cls(int(m.group(0)[: -len(m.group(1))]), m.group(1))
        problem = d.too_long()
        if problem:
            raise ValueError(problem)
        return d

    def too_long(self) -> str:
        """Why this duration exceeds :data:`MAX_YEARS` ("" when it does not)."""
        if self.is_calendar:
            long = self.amount * (12 if self.unit == "y" else 1) > MAX_YEARS * 12
        else:
            long = self.amount * _SECONDS[self.unit] > _MAX_SECONDS
        return f"duration '{self}' is too long: at most {MAX_YEARS} years" if long else ""

    @property
    def is_calendar(self) -> bool:
        return self.unit in ("mo", "y")

    @property
    def seconds(self) -> float:
        """Length in seconds; calendar units have none, so they raise."""
        if self.is_calendar:
            raise ValueError(f"{self} is a calendar duration and has no fixed length")
        return self.amount * _SECONDS[self.unit]

    @overload
    def add_to(self, when: datetime) -> datetime: ...
    @overload
    def add_to(self, when: date) -> date: ...

    def add_to(self, when: date | datetime) -> date | datetime:
        """``when`` plus this duration; calendar units clamp the day (Jan 31 + 1mo = Feb 28).

        A result past the last representable date is that date (``date.max``, or
        ``datetime.max`` in ``when``'s zone): "due in the year 9999" rather than a crash.
        """
        try:
            if not self.is_calendar:
                return when + timedelta(seconds=self.seconds)
            months = self.amount * (12 if self.unit == "y" else 1)
            y, m = divmod(when.month - 1 + months, 12)
            year, month = when.year + y, m + 1
            day = min(when.day, calendar.monthrange(year, month)[1])
            return when.replace(year=year, month=month, day=day)
        except (OverflowError, ValueError):
            if isinstance(when, datetime):
                return datetime.max.replace(tzinfo=when.tzinfo)
            return date.max

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    def words(self) -> str:
        """``15 minutes``, ``1 day``: for pages and diffs."""
        w = _WORDS[self.unit]
        return f"{self.amount} {w}{'' if self.amount == 1 else 's'}"


def span_parts(seconds: float, days: bool = True) -> list[tuple[int, str]]:
    """A stretch of time as (amount, unit) from days down to minutes, units ``d``, ``h``,
    ``m`` (``s`` alone when under a minute); working time is said in hours (``days``
    False: a working day is not 24 h). Shared by evaluation's English and render's words
    in every language, so that both say the same amounts."""
    s = round(seconds)
    d, rem = divmod(s, 86400) if days else (0, s)
    h, rem = divmod(rem, 3600)
    m = rem // 60
    parts = [(v, u) for v, u in ((d, "d"), (h, "h"), (m, "m")) if v]
    return parts or [(s, "s")]


def span_words(seconds: float, days: bool = True) -> str:
    """``1 day 2 hours 5 minutes`` (see :func:`span_parts`)."""
    return " ".join(f"{v} {_WORDS[u]}{'' if v == 1 else 's'}"
                    for v, u in span_parts(seconds, days))
