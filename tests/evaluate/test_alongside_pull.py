"""Each agreement is evaluated as soon as its own measurements are pulled, while the
rest are still being fetched: the results must be exactly those of evaluating after
the whole pull, and a fault in evaluation must surface, not hang the build."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import slacode.evaluate
from slacode import pipeline
from slacode.config import load_settings
from slacode.evaluate import evaluate
from slacode.load import load_agreements
from slacode.pull import pull

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(tmp_path: Path):
    settings = load_settings(ROOT, cache=str(tmp_path / "cache"))
    agreements = tuple(load_agreements([ROOT / "slas"], root=ROOT).agreements)
    return settings, agreements, settings.now_epoch()


def test_each_agreement_is_handed_over_once_with_its_own_measurements_before_the_pull_ends(
    demo,
) -> None:
    settings, agreements, now = demo
    pulled: list[str] = []
    handed: dict[str, tuple[int, dict]] = {}

    def done(agr, measurements) -> None:
        assert agr.id not in handed
        handed[agr.id] = (len(pulled), measurements)

    res = pull(agreements, settings, now, progress=pulled.append, done=done)
    assert set(handed) == {a.id for a in agreements}
    for agr in agreements:
        _, mine = handed[agr.id]
        assert mine == {k: m for k, m in res.measurements.items() if k[0] == agr.id}
    # file sources are read one after another: the first agreement is complete (and
    # can be evaluated) long before the last objective is read
    assert min(n for n, _ in handed.values()) < len(pulled) // 2


def test_evaluating_alongside_the_pull_gives_the_same_results_in_the_same_order(demo) -> None:
    settings, agreements, now = demo
    versions = pipeline.past_versions(settings)
    pulled, results = pipeline.pull_and_evaluate(agreements, settings, now, versions=versions)
    after = evaluate(agreements, pulled.measurements, now,
                     history_months=settings.history_months, versions=versions)
    assert [r.service for r in results] == [a.id for a in agreements]
    assert results == after
    # the composite of payments-api needs auth-internal's figures, evaluated apart
    assert any(p.composite is not None for r in results for p in r.periods)


def test_a_fault_in_evaluation_is_raised_in_the_build_not_lost_in_its_thread(
    demo, monkeypatch
) -> None:
    settings, agreements, now = demo
    real = slacode.evaluate.evaluate_one

    def faulty(agr, *args, **kwargs):
        if agr.id == agreements[1].id:
            raise ZeroDivisionError("a bug in evaluation")
        return real(agr, *args, **kwargs)

    monkeypatch.setattr(slacode.evaluate, "evaluate_one", faulty)
    with pytest.raises(ZeroDivisionError, match="a bug in evaluation"):
        pipeline.pull_and_evaluate(agreements, settings, now)
    assert gc.get_freeze_count() == 0  # nothing of the failed run is kept from the collector


def test_a_build_reports_its_stage_times(demo) -> None:
    settings, _, _ = demo
    res = pipeline.run(settings)
    assert res.ok and res.files
    assert set(res.seconds) == {"load", "history", "pull", "evaluate", "ledger", "render"}
    assert all(s >= 0 for s in res.seconds.values())
    assert res.queries == 0  # the demo reads files only
    # the build's data is kept from the collector only while the build runs: a long
    # `mkdocs serve` frees each old build
    assert gc.get_freeze_count() == 0
