"""Figures and times as readers see them, including the rare inputs the fast paths skip."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from slacode.render import escape, fmt

PLUS8 = timezone(timedelta(hours=8))
MINUS330 = timezone(timedelta(hours=-3, minutes=-30))


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (99.95, "%", "99.95%"),
        (100.0, "%", "100%"),
        (-0.0001, "%", "0%"),
        (0.0, "score", "0"),
        (4.205, "score", "4.21"),
        (-1.5, "score", "-1.5"),
        (float("nan"), "%", "nan%"),
        (None, "%", "—"),
    ],
)
def test_figures_drop_trailing_zeros_and_never_show_minus_zero(
    value: float | None, unit: str, expected: str
) -> None:
    assert fmt.figure(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [
        (datetime(2026, 11, 25, 6, 5, tzinfo=UTC), "25 Nov 2026, 06:05 UTC",
         "2026年11月25日 06:05 (UTC)"),
        (datetime(2026, 11, 25, 14, 0, tzinfo=PLUS8), "25 Nov 2026, 14:00 UTC+08:00",
         "2026年11月25日 14:00 (UTC+08:00)"),
        (datetime(2026, 1, 2, 3, 4, tzinfo=MINUS330), "2 Jan 2026, 03:04 UTC-03:30",
         "2026年1月2日 03:04 (UTC-03:30)"),
        (datetime(999, 1, 2, 3, 4, tzinfo=UTC), "2 Jan 999, 03:04 UTC", "999年1月2日 03:04 (UTC)"),
        ("2026-11-25T14:00:00Z", "25 Nov 2026, 14:00 UTC", "2026年11月25日 14:00 (UTC)"),
        (None, "—", "—"),
    ],
)
def test_times_show_minutes_and_the_offset_they_were_given_in(value: object, english: str,
                                                              chinese: str) -> None:
    assert (fmt.when(value), fmt.when(value, "zh")) == (english, chinese)
    with fmt.page_language("zh"):  # a page's language, when a call names none
        assert fmt.when(value) == chinese


def test_days_months_and_quarters_read_as_each_language_writes_them() -> None:
    assert (fmt.day(date(2026, 11, 26)), fmt.day("2026-11-26", "zh")) == \
        ("26 Nov 2026", "2026年11月26日")
    assert (fmt.day(date(2026, 3, 5), short=True), fmt.day(date(2026, 3, 5), "zh", short=True)) \
        == ("5 Mar", "3月5日")
    assert (fmt.month(2026, 3), fmt.month(2026, 3, "zh")) == ("March 2026", "2026年3月")
    assert (fmt.quarter(2026, 4), fmt.quarter(2026, 4, "zh")) == ("Q4 2026", "2026年第4季度")
    assert (fmt.day(None), fmt.day("not a date")) == ("—", "not a date")
    # a <time> keeps the ISO form for machines beside the words for people
    assert fmt.time_tag(date(2026, 11, 26), "26 Nov 2026") == \
        '<time datetime="2026-11-26">26 Nov 2026</time>'


def test_clean_drops_controls_and_unifies_line_breaks_and_leaves_plain_text_alone() -> None:
    assert escape.clean("a\r\nb\rc\x00d\x7f\ufffee") == "a\nb\ncde"
    assert escape.clean("99.95%") == "99.95%"
    assert escape.clean(None) == "" and escape.clean(5) == "5"


@pytest.mark.parametrize("unit", ["%", "score"])
def test_figures_hold_nothing_that_escaping_would_change(unit: str) -> None:
    """Pages put figures into HTML without escaping them again."""
    for value in (0.0, -0.0004, 99.123456, -12.5, 1e22, -1e-9, float("inf"), float("-inf")):
        shown = fmt.figure(value, unit)
        assert escape.text(shown) == shown, shown
