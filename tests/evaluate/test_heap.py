"""The build's long-lived data is kept from Python's cyclic collector while a stage runs,
and handed back when the outermost stage ends (or fails)."""

from __future__ import annotations

import gc

import pytest

from slacode.heap import long_lived


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_data_made_before_is_kept_and_everything_is_handed_back_at_the_end() -> None:
    with long_lived() as keep:
        kept = gc.get_freeze_count()
        assert kept > 0
        made = [Cycle() for _ in range(100)]
        keep()
        assert gc.get_freeze_count() >= kept + 100
        with long_lived():  # a stage inside another: only the outermost hands back
            pass
        assert gc.get_freeze_count() >= kept + 100
        del made
    assert gc.get_freeze_count() == 0
    assert gc.collect() >= 100  # the cycles made inside are garbage again, and collected


def test_a_failing_stage_hands_everything_back() -> None:
    with pytest.raises(RuntimeError), long_lived():
        raise RuntimeError("a bug")
    assert gc.get_freeze_count() == 0
