"""How figures, budgets and counts are worded: one precision rule per objective, Babel's
numbers in both languages, whole counts of incidents, and "nothing to count"."""

from __future__ import annotations

import pytest

from slacode.evaluate.results import Budget, PeriodResult, Reason
from slacode.render import fmt
from slacode.render.pages import Words, budget_phrase


def _period(period: str = "2026-Q4", closed: bool = False, **kw: object) -> PeriodResult:
    base: dict[str, object] = dict(
        service="desk", objective="p4", period=period, start="2026-10-01T00:00:00+08:00",
        end="2027-01-01T00:00:00+08:00", closed=closed, value=87.5, target=90.0, unit="%",
        verdict="below-target", margin=-2.5, coverage=1.0, as_of="", agreement_version=1)
    return PeriodResult(**(base | kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(("target", "places"), [(99.95, 3), (99.9, 2), (90, 1), (95.0, 1),
                                                (99.999, 4), (99.9999, 4), (4.2, 2)])
def test_an_objective_shows_one_decimal_more_than_its_target(target: float, places: int
                                                             ) -> None:
    assert fmt.places_for(target) == places


def test_one_column_one_precision_and_a_miss_never_rounds_up_to_the_target() -> None:
    column = [fmt.figure(v, "%", target=99.95) for v in (99.98, 99.979, 99.6)]
    assert column == ["99.980%", "99.979%", "99.600%"]
    assert fmt.figure(99.94999, "%", target=99.95) == "99.949%"  # below target, says so
    assert fmt.figure(87.5, "%", target=90) == "87.5%"


@pytest.mark.parametrize(("language", "count", "money"), [
    ("en", "1,234,568", "1,234.50 USD"),
    ("zh", "1,234,568", "1,234.50 USD"),
])
def test_numbers_and_money_are_written_by_babel_in_the_sites_locale(
    language: str, count: str, money: str
) -> None:
    assert fmt.count(1234567.6, language) == count
    assert fmt.money(1234.5, "USD", language) == money
    assert fmt.money(1500, "JPY", language) == "1,500 JPY"  # the currency's own decimals
    assert fmt.figure(99.5, "%", target=99.9, language=language) == "99.50%"


def test_fixed_decimals_follow_the_locale() -> None:
    # a locale with a decimal comma writes the same figure its own way: nothing by hand
    fmt.LOCALES["de"] = "de_DE"
    try:
        assert fmt.figure(99.5, "%", target=99.9, language="de") == "99,50%"
        assert fmt.count(19837, "de") == "19.837"
    finally:
        del fmt.LOCALES["de"]


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Missed P4 incidents allowed this quarter: 2 · used 2 · 1 more missed P4 "
           "incident breaches the quarter"),
    ("zh", "本季度允许的未达标的 P4 事件：2 · 已用 2 · 再有 1 个未达标的 P4 事件，本季度即未达标"),
])
def test_tickets_count_whole_and_say_how_many_more_misses_break_the_quarter(
    language: str, text: str
) -> None:
    p = _period(budget=Budget("incidents", 2.4, 2.0, 0.4, 1.5))
    assert budget_phrase(p, language, "P4") == text
    assert "0.4" not in text and "2.4" not in text


def test_a_closed_period_names_itself_and_says_how_far_over_it_went() -> None:
    p = _period("2026-Q3", closed=True, budget=Budget("incidents", 1.4, 3.0, -1.6, None))
    assert budget_phrase(p, "en", "P4") == (
        "Missed P4 incidents allowed in 2026-Q3: 1 · used 3 (2 over)")


@pytest.mark.parametrize(("language", "shown"), [("en", "No P1 incidents in this period"),
                                                 ("zh", "本周期没有 P1 事件")])
def test_a_period_with_nothing_to_count_says_so_instead_of_100_percent(
    language: str, shown: str
) -> None:
    none = Reason("no-incidents-counted", {"priority": "P1"}, "no incidents counted")
    p = _period(value=100.0, target=100.0, verdict="on-track", reasons=(none,))
    html = str(Words(language).period_fig(p))
    assert shown in html and "100" not in html
    # a period that counted something shows its figure
    assert str(Words(language).period_fig(_period())) == "87.5%"


def test_a_service_page_says_every_time_in_one_zone_and_names_it() -> None:
    import html
    import re

    import render_sample as sample

    from slacode.render import render

    files = render(sample.agreements(), sample.results(), now=sample.NOW, language="en",
                   incidents=sample.incidents())
    desk = html.unescape(files["services/support-desk.md"])
    # built, evaluated, data as of, incidents, deadlines: all in the agreement's zone
    assert set(re.findall(r"\d\d:\d\d (UTC[+-]?[\d:]*)", desk)) == {"UTC+08:00"}
    assert "times in Asia/Shanghai (UTC+08:00)" in desk
    api = html.unescape(files["services/payments-api.md"])
    assert set(re.findall(r"\d\d:\d\d (UTC[+-]?[\d:]*)", api)) == {"UTC"}
