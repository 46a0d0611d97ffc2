"""The ledger: frozen records of closed periods, restatement candidates, restatements."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from slacode import ledger
from slacode.evaluate import evaluate
from slacode.evaluate.results import ServiceResults
from slacode.model import Agreement, Objective, Position, Source, Window
from slacode.problems import SlacodeError
from slacode.pull.base import Counts, CountSeries


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


NOW = ts("2026-11-26T00:00:00+00:00")
START = ts("2026-09-01T00:00:00+00:00")
BAD = ts("2026-10-10T10:00:00+00:00")


def run(bad_events: float) -> tuple[ServiceResults, ...]:
    """Payments with 1000 events an hour; ``bad_events`` of them failed at BAD."""
    pts = tuple(Counts(t, t + 3600, 1000.0 - (bad_events if t == BAD else 0.0), 1000.0)
                for t in range(START, NOW, 3600))
    o = Objective("availability", "availability", 99.9, Window("month"), Source("file"))
    ag = Agreement("pay", "Payments", 1, date(2025, 1, 1), "slas/pay.yaml",
                   objectives=(o,))
    return evaluate([ag], {("pay", "availability"): CountSeries("pay", "availability", 3600, pts,
                                                                as_of=NOW)}, NOW, history_months=2)


def oct_result(results: tuple[ServiceResults, ...]):
    return next(p for p in results[0].periods if p.period == "2026-10")


def test_freeze_writes_one_stable_record_per_closed_period(tmp_path: Path) -> None:
    rep = ledger.freeze(run(0), tmp_path, NOW)
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for p in rep.written) == [
        "pay/2026-09.json", "pay/2026-10.json"]  # the open November is not frozen
    text = (tmp_path / "pay" / "2026-10.json").read_text()
    rec = json.loads(text)
    assert text == json.dumps(rec, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert rec["results"]["availability"]["value"] == 100.0
    assert rec["frozen_at"] == "2026-11-26T00:00:00+00:00" and rec["history"] == []
    assert oct_result(rep.results).frozen_at == "2026-11-26T00:00:00+00:00"
    # freezing again writes nothing and finds no difference
    again = ledger.freeze(run(0), tmp_path, NOW + 86400)
    assert again.written == () and again.candidates == ()
    assert (tmp_path / "pay" / "2026-10.json").read_text() == text


def test_changed_data_leaves_the_record_untouched_and_reports_it(tmp_path: Path) -> None:
    ledger.freeze(run(0), tmp_path, NOW)
    before = (tmp_path / "pay" / "2026-10.json").read_bytes()
    fresh = run(744)  # late data: 744 bad events of 744 000 -> 99.9 % exactly
    rep = ledger.freeze(fresh, tmp_path, NOW + 86400)
    assert (tmp_path / "pay" / "2026-10.json").read_bytes() == before
    assert rep.written == ()
    value = next(c for c in rep.candidates if c.field == "value")
    assert (value.service, value.period, value.objective) == ("pay", "2026-10", "availability")
    assert (value.frozen, value.new) == (100.0, 99.9)
    assert oct_result(rep.results).value == 100.0  # the ledger wins
    assert oct_result(ledger.apply(fresh, tmp_path).results).value == 100.0
    assert "value frozen 100.0, now 99.9" in str(value)


def test_restate_keeps_both_versions_and_the_reason(tmp_path: Path) -> None:
    ledger.freeze(run(0), tmp_path, NOW)
    fresh = run(744)
    rep = ledger.restate("pay", "2026-10", "late data from the EU region", fresh, tmp_path,
                         now=NOW + 86400)
    rec = json.loads((tmp_path / "pay" / "2026-10.json").read_text())
    assert rec["results"]["availability"]["value"] == 99.9
    assert rec["reason"] == "late data from the EU region"
    (old,) = rec["history"]
    assert old["results"]["availability"]["value"] == 100.0
    assert (old["frozen_at"], old["replaced_at"]) == ("2026-11-26T00:00:00+00:00",
                                                      "2026-11-27T00:00:00+00:00")
    shown = oct_result(rep.results)
    assert shown.value == 99.9 and rep.candidates == ()
    assert [(r.at, r.reason) for r in shown.restatements] == [
        ("2026-11-27T00:00:00+00:00", "late data from the EU region")]
    (r,) = ledger.restated(rep.results)
    assert (r.service, r.period, r.objective, r.restated_at[:10]) == (
        "pay", "2026-10", "availability", "2026-11-27")


def test_restate_needs_a_frozen_record_and_a_reason(tmp_path: Path) -> None:
    with pytest.raises(SlacodeError, match="freeze it first"):
        ledger.restate("pay", "2026-10", "why", run(0), tmp_path, now=NOW)
    ledger.freeze(run(0), tmp_path, NOW)
    with pytest.raises(SlacodeError, match="reason"):
        ledger.restate("pay", "2026-10", " ", run(0), tmp_path, now=NOW)
    with pytest.raises(SlacodeError, match="no closed period"):
        ledger.restate("pay", "2026-11", "why", run(0), tmp_path, now=NOW)


def test_record_round_trips_to_the_same_result(tmp_path: Path) -> None:
    res = run(5000)  # breached October with misses and a budget
    ledger.freeze(res, tmp_path, NOW)
    shown = oct_result(ledger.apply(res, tmp_path).results)
    fresh = oct_result(res)
    assert shown.misses and shown == replace(fresh, frozen_at=shown.frozen_at)


def test_no_data_waits_a_week_before_it_is_frozen(tmp_path: Path) -> None:
    o = Objective("availability", "availability", 99.9, Window("month"), Source("file"))
    ag = Agreement("pay", "Payments", 1, date(2025, 1, 1), "slas/pay.yaml", objectives=(o,))
    early = ts("2026-11-03T00:00:00+00:00")  # October closed 2 days ago, its pull failed
    res = evaluate([ag], {}, early, history_months=1)
    assert ledger.freeze(res, tmp_path, early).written == ()
    later = ts("2026-11-09T00:00:00+00:00")  # a week on, no data is what October had
    res = evaluate([ag], {}, later, history_months=1)
    (path,) = ledger.freeze(res, tmp_path, later).written
    assert json.loads(Path(path).read_text())["results"]["availability"]["verdict"] == "no-data"


@pytest.mark.parametrize(("field", "value", "said"), [
    ("value", "abc", "results.availability.value: \"abc\" is not a number"),
    ("verdict", "great", "results.availability.verdict: \"great\" is not one of"),
    ("misses", {"x": 1}, "results.availability.misses: {\"x\": 1} is not a list"),
    ("misses", [{"what": 5}], "results.availability.misses[0].what: 5 is not text"),
    ("credit", {"percent": "x"}, "results.availability.credit.percent: \"x\" is not a number"),
    ("end", "tomorrow", "results.availability.end: \"tomorrow\" is not an ISO 8601 time"),
    ("period", 5, "results.availability.period: 5 is not text"),
])
def test_a_record_edited_into_nonsense_is_a_clear_error(tmp_path: Path, field: str,
                                                        value: object, said: str) -> None:
    ledger.freeze(run(0), tmp_path, NOW)
    path = tmp_path / "pay" / "2026-10.json"
    rec = json.loads(path.read_text())
    rec["results"]["availability"][field] = value
    path.write_text(json.dumps(rec))
    with pytest.raises(SlacodeError) as err:
        ledger.apply(run(0), tmp_path)
    assert str(err.value).startswith(f"{path}: ") and said in str(err.value)


def test_a_disagreement_is_a_warning_at_the_objective(tmp_path: Path) -> None:
    from slacode.pipeline import candidate_problems

    ledger.freeze(run(0), tmp_path, NOW)
    rep = ledger.apply(run(600), tmp_path)  # October's data changed after it was frozen
    o = Objective("availability", "availability", 99.9, Window("month"), Source("file"))
    ag = Agreement("pay", "Payments", 1, date(2025, 1, 1), "slas/pay.yaml", objectives=(o,),
                   positions={"/objectives/0": Position(12, 5)})
    (p,) = candidate_problems(rep.candidates, [ag])
    assert (p.path, p.line, p.col, p.severity, p.code) == ("slas/pay.yaml", 12, 5, "warning",
                                                          "ledger.candidate")
    assert p.message.startswith("pay 2026-10 availability: a fresh evaluation disagrees")
    assert "value frozen 100.0, now 99.919355" in p.message
    assert "--restate 2026-10 --service pay" in p.message


def test_what_was_missed_explains_a_figure_and_is_no_restatement(tmp_path: Path) -> None:
    ledger.freeze(run(1000), tmp_path, NOW)  # an hour down: October is breached
    path = tmp_path / "pay" / "2026-10.json"
    rec = json.loads(path.read_text())
    assert rec["results"]["availability"]["misses"]
    # frozen by a version of slacode that listed misses differently (without incidents)
    rec["results"]["availability"]["misses"] = []
    path.write_text(json.dumps(rec))
    assert ledger.apply(run(1000), tmp_path).candidates == ()
    assert ledger.apply(run(0), tmp_path).candidates  # the figure itself still is one


def two_objectives(bad_events: float, slow: float) -> tuple[ServiceResults, ...]:
    """Payments with availability (``bad_events`` failed at BAD) and latency (``slow``
    requests too slow at BAD): two objectives judged over the same months."""
    def pts(bad: float):
        return tuple(Counts(t, t + 3600, 1000.0 - (bad if t == BAD else 0.0), 1000.0)
                     for t in range(START, NOW, 3600))
    avail = Objective("availability", "availability", 99.9, Window("month"), Source("file"))
    fast = Objective("latency", "latency", 99.0, Window("month"), Source("file"))
    ag = Agreement("pay", "Payments", 1, date(2025, 1, 1), "slas/pay.yaml",
                   objectives=(avail, fast))
    return evaluate([ag], {
        ("pay", "availability"): CountSeries("pay", "availability", 3600, pts(bad_events),
                                             as_of=NOW),
        ("pay", "latency"): CountSeries("pay", "latency", 3600, pts(slow), as_of=NOW),
    }, NOW, history_months=2)


def test_a_restatement_marks_only_the_objectives_whose_figures_changed(tmp_path: Path) -> None:
    ledger.freeze(two_objectives(0, 0), tmp_path, NOW)
    rep = ledger.restate("pay", "2026-10", "late data from the EU region",
                         two_objectives(744, 0), tmp_path, now=NOW + 86400)
    rec = json.loads((tmp_path / "pay" / "2026-10.json").read_text())
    assert rec["restated"] == ["availability"]
    october = {p.objective: p for p in rep.results[0].periods if p.period == "2026-10"}
    assert [r.reason for r in october["availability"].restatements] == [
        "late data from the EU region"]
    assert october["latency"].restatements == ()  # its figures did not change: not marked
    # the page's "Restated" marks and the feed's entries come from these: one, not two
    assert [(r.objective, r.period) for r in ledger.restated(rep.results)] == [
        ("availability", "2026-10")]
    # a second restatement, of latency only, keeps the first one's mark where it was
    rep = ledger.restate("pay", "2026-10", "latency histogram fixed",
                         two_objectives(744, 500), tmp_path, now=NOW + 2 * 86400)
    assert [(r.objective, r.reason) for r in ledger.restated(rep.results)] == [
        ("availability", "late data from the EU region"), ("latency", "latency histogram fixed")]


def test_a_record_restated_before_the_marks_existed_still_marks_every_objective(
        tmp_path: Path) -> None:
    ledger.freeze(two_objectives(0, 0), tmp_path, NOW)
    ledger.restate("pay", "2026-10", "late data", two_objectives(744, 0), tmp_path,
                   now=NOW + 86400)
    path = tmp_path / "pay" / "2026-10.json"
    rec = json.loads(path.read_text())
    del rec["restated"]  # as written by an older slacode
    path.write_text(json.dumps(rec))
    shown = ledger.apply(two_objectives(744, 0), tmp_path).results
    assert sorted(r.objective for r in ledger.restated(shown)) == ["availability", "latency"]
