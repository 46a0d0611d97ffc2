"""Figures and times as readers see them, including the rare inputs the fast paths skip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

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
    ("value", "expected"),
    [
        (datetime(2026, 11, 25, 6, 5, tzinfo=UTC), "2026-11-25 06:05 UTC"),
        (datetime(2026, 11, 25, 14, 0, tzinfo=PLUS8), "2026-11-25 14:00 UTC+08:00"),
        (datetime(2026, 1, 2, 3, 4, tzinfo=MINUS330), "2026-01-02 03:04 UTC-03:30"),
        # a year before 1000 as strftime writes it (unpadded on glibc)
        (datetime(999, 1, 2, 3, 4, tzinfo=UTC), f"{datetime(999, 1, 2):%Y}-01-02 03:04 UTC"),
        ("2026-11-25T14:00:00Z", "2026-11-25 14:00 UTC"),
        (None, "—"),
    ],
)
def test_times_show_minutes_and_the_offset_they_were_given_in(value: object, expected: str) -> None:
    assert fmt.when(value) == expected


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
