"""Open-period states: computed in one place (``budget.judge``), each one reachable and
none confused with another at its boundaries."""

from __future__ import annotations

import pytest

from slacode.evaluate.budget import best_case, judge


def _open(value: float, best: float | None, projection: float | None = None) -> str:
    return judge(value, 99.0, 1.0, 0.9, complete=False, projection=projection, best=best)


def test_each_open_state_and_the_closed_ones() -> None:
    assert _open(99.5, 99.9, 99.4) == "on-track"
    assert _open(99.5, 99.9, 98.0) == "at-risk"  # on target so far, the trend misses
    assert _open(98.0, 99.5, 98.0) == "below-target"  # a good rest still reaches 99
    assert _open(90.0, 98.9, 90.0) == "cannot-recover"  # not even a perfect rest does
    assert judge(98.0, 99.0, 1.0, 0.9, complete=True) == "breached"  # closed: no hedging
    assert judge(99.0, 99.0, 1.0, 0.9, complete=True) == "met"
    assert judge(99.5, 99.0, 0.5, 0.9, complete=False) == "no-data"  # never on track


@pytest.mark.parametrize(("best", "state"), [(99.0, "below-target"), (98.999, "cannot-recover")])
def test_cannot_recover_starts_exactly_where_the_best_case_misses(best: float, state: str
                                                                  ) -> None:
    assert _open(97.0, best) == state


def test_the_best_case_counts_the_rest_of_the_period_at_its_rate_so_far_all_good() -> None:
    # a quarter one third through: 6 of 8 tickets in time; the rest brings 16 more
    assert best_case(6, 8, 1 / 3) == pytest.approx(100 * 22 / 24)
    # ...a target of 95 % cannot be reached any more, 90 % still can
    assert judge(75.0, 95.0, 1.0, 0.9, False, best=best_case(6, 8, 1 / 3)) == "cannot-recover"
    assert judge(75.0, 90.0, 1.0, 0.9, False, best=best_case(6, 8, 1 / 3)) == "below-target"
    # a mean score: the rest all at the scale's top
    assert best_case(30.0, 10, 0.5, best=5.0) == pytest.approx((30 + 50) / 20)


def test_without_volume_nothing_bounds_the_rest() -> None:
    # nothing counted yet, or no time passed: no best case, so never "cannot recover"
    assert best_case(0, 0, 0.5) is None and best_case(5, 5, 0.0) is None
    assert _open(99.5, None) == "on-track"
