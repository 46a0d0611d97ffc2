"""``slacode evaluate``: table, JSON keys, --freeze and --restate (load and pull faked)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from evalkit import agreement, series, ts

from slacode.cli import cli
from slacode.load import LoadResult
from slacode.problems import SlacodeError
from slacode.pull import PullResult

NOW = "2026-11-26T00:00:00+00:00"
BAD = ts("2026-10-10T10:00:00+00:00")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    state = {"bad": 0.0}
    ag = agreement("pay")

    def fake_load(paths, root=None, today=None, data_root=None, cache=None):
        return LoadResult((ag,), ())

    def fake_pull(agreements, settings, now, start=None, progress=None, versions=None,
                  done=None):
        data = series("pay", "availability", ts("2026-09-01T00:00:00+00:00"), now,
                      total=lambda t: 1000.0,
                      good=lambda t: 1000.0 - (state["bad"] if t == BAD else 0.0))
        measurements = {("pay", "availability"): data}
        for agr in agreements if done else ():
            done(agr, measurements)
        return PullResult(measurements, 0, ())

    monkeypatch.setattr("slacode.load.load_agreements", fake_load)
    monkeypatch.setattr("slacode.pull.pull", fake_pull)
    monkeypatch.chdir(tmp_path)
    return state


def run(*args: str) -> str:
    res = CliRunner().invoke(cli, ["evaluate", "--now", NOW, *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def test_json_has_the_documented_keys(project: dict[str, float]) -> None:
    doc = json.loads(run("--format", "json"))
    row = next(r for r in doc["results"] if r["period"] == "2026-10")
    for key in ("service", "objective", "period", "value", "target", "verdict", "budget",
                "credit", "coverage", "as_of"):
        assert key in row
    assert (row["service"], row["value"], row["verdict"]) == ("pay", 100.0, "met")
    assert doc["evaluated_at"] == NOW and doc["restatement_candidates"] == []
    assert run("--format", "json") == run("--format", "json")  # deterministic


def test_table_freeze_and_restate(project: dict[str, float], tmp_path: Path) -> None:
    text = run()
    assert text.splitlines()[0].split()[:3] == ["SERVICE", "OBJECTIVE", "PERIOD"]
    assert "2026-10" in text and "2026-11 (open)" in text
    assert "wrote ledger/pay/2026-10.json" in run("--freeze")
    record = tmp_path / "ledger" / "pay" / "2026-10.json"
    frozen = record.read_text()
    project["bad"] = 2000.0  # data changed after freezing
    out = run()
    assert "restatement candidate: pay 2026-10 availability: value frozen 100.0" in out
    assert record.read_text() == frozen
    run("--restate", "2026-10", "--service", "pay", "--reason", "late data")
    rec = json.loads(record.read_text())
    assert rec["reason"] == "late data" and len(rec["history"]) == 1
    assert rec["history"][0]["results"]["availability"]["value"] == 100.0
    assert "restatement candidate" not in run()


def test_restate_without_reason_is_an_error(project: dict[str, float]) -> None:
    with pytest.raises(SlacodeError, match="--reason"):
        CliRunner().invoke(cli, ["evaluate", "--now", NOW, "--restate", "2026-10"],
                           catch_exceptions=False)


def test_the_table_says_budgets_and_credits_as_the_site_does() -> None:
    """The demo's table: incidents are whole, budgets read as on the pages (no "-173.136
    events", "0.362919 incidents"), and a period that owes nothing says "-" like the rest."""
    from slacode.cli.evaluate import table
    from slacode.config import load_settings
    from slacode.pipeline import evaluate_project

    root = Path(__file__).resolve().parents[2]
    text = table(evaluate_project(load_settings(root)).results)
    rows = {tuple(line.split()[:3]): line for line in text.splitlines()[1:]}
    # columns are as wide as their longest cell: compare the words, not the padding
    assert re.sub(r"\s+", " ", rows[("support-desk", "p4-resolution", "2026-Q3")]).endswith(
        "Missed incidents allowed in 2026-Q3: 3 · used 2 -")
    # what may fail and what did: no share of a count that reads as successes
    assert "Failed requests allowed this month: 992 · used 1,165 (173 over)" in rows[
        ("payments-api", "availability", "2026-11")]
    assert "Slow requests allowed this month: 19,837 · used 6,586" in rows[
        ("payments-api", "latency", "2026-11")]
    assert "2 · used 2 · 1 more missed incident breaches the quarter" in rows[
        ("support-desk", "p4-resolution", "2026-Q4")]
    assert not re.search(r"\d\.\d+ incidents|\s-\d|\(0\.00 ", text)
    assert "bonus 2%" in rows[("acme-analytics", "availability", "2026-10")]
