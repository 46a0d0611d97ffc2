"""Closed periods never change silently: an empty restatement, a vanished agreement."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_ledger import NOW, run

from slacode import ledger
from slacode.model import Agreement
from slacode.pipeline import orphan_problems
from slacode.problems import SlacodeError


def test_a_restatement_that_changes_no_figure_is_refused_and_writes_nothing(
    tmp_path: Path,
) -> None:
    ledger.freeze(run(0), tmp_path, NOW)
    record = tmp_path / "pay" / "2026-10.json"
    before = record.read_bytes()
    with pytest.raises(SlacodeError, match=r"nothing to restate for pay 2026-10.*nothing written"):
        ledger.restate("pay", "2026-10", "no change", run(0), tmp_path, now=NOW + 86400)
    assert record.read_bytes() == before
    assert ledger.restated(ledger.apply(run(0), tmp_path).results) == ()  # not "Restated"


def test_a_restatement_with_changed_figures_is_still_written(tmp_path: Path) -> None:
    ledger.freeze(run(0), tmp_path, NOW)
    rep = ledger.restate("pay", "2026-10", "late data", run(744), tmp_path, now=NOW + 86400)
    assert len(rep.written) == 1
    assert [r.reason for r in ledger.restated(rep.results)] == ["late data"]


def test_frozen_records_of_an_agreement_that_no_longer_exists_are_a_warning(
    tmp_path: Path,
) -> None:
    ledger.freeze(run(0), tmp_path, NOW)  # ledger/pay/ holds two closed months
    frozen = ledger.frozen_services(tmp_path)
    assert frozen == {"pay": 2}
    kept = Agreement("pay", "Payments", 1, date(2025, 1, 1), "slas/pay.yaml")
    assert orphan_problems("ledger", frozen, [kept]) == ()
    other = Agreement("web", "Web", 1, date(2025, 1, 1), "slas/web.yaml")
    (p,) = orphan_problems("ledger", frozen, [other])
    assert p.path == "ledger/pay/" and p.severity == "warning"
    assert p.code == "ledger.orphan"  # a strict build stops on it and publishes nothing
    assert "2 frozen closed periods of pay" in p.message and "contract.end" in p.message
