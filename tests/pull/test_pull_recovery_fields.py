"""The incident file's recovery columns: when service was restored and how much data was
lost; a bad value is a problem at its field, an empty one is "not recorded"."""

from __future__ import annotations

from pathlib import Path

from pull_support import make_agreement

from slacode.config import Settings
from slacode.model import Objective, Source, Window
from slacode.pull import pull
from slacode.pull.base import IncidentRecords

DAY0 = 1_789_948_800  # 2026-09-21T00:00:00Z
NOW = DAY0 + 2 * 86400
HEADER = "id,priority,opened,resolved,restored,data_lost\n"


def run(tmp_path: Path, rows: str):
    (tmp_path / "i.csv").write_text(HEADER + rows, encoding="utf-8")
    o = Objective("rto", "recovery-time", 100.0, Window("month"),
                  Source("incidents", path="i.csv"))
    return pull([make_agreement(o)], Settings(root=tmp_path, cache="cache"), NOW, start=DAY0)


def test_restored_and_data_lost_are_read_as_times_and_seconds(tmp_path: Path) -> None:
    res = run(tmp_path, "A,P1,2026-09-21T01:00:00Z,,2026-09-21T03:00:00Z,15m\n"
                        "B,P1,2026-09-21T05:00:00Z,,,0\n"
                        "C,P1,2026-09-21T06:00:00Z,,,\n")
    m = res.measurements[("api", "rto")]
    assert isinstance(m, IncidentRecords)
    assert [(i.id, i.restored, i.data_lost) for i in m.incidents] == [
        ("A", DAY0 + 3 * 3600, 900.0), ("B", None, 0.0), ("C", None, None)]
    assert res.problems == ()


def test_a_bad_recovery_value_is_a_problem_at_its_field(tmp_path: Path) -> None:
    res = run(tmp_path, "A,P1,2026-09-21T01:00:00Z,,2026-09-21T00:30:00Z,5m\n"
                        "B,P1,2026-09-21T05:00:00Z,,,a lot\n"
                        "C,P1,2026-09-21T06:00:00Z,,,1mo\n")
    assert [str(p) for p in res.problems if p.code == "pull.bad-row"] == [
        "i.csv:2:28: error: restored is before opened",
        "i.csv:3:29: error: data_lost: invalid duration 'a lot': expected a whole number and "
        "a unit (ms, s, m, h, d, w, mo, y), e.g. 300ms, 15m, 8h, 3d, 6mo",
        "i.csv:4:29: error: data_lost: 1mo has no fixed length",
    ]


def test_escalations_are_read_as_levels_and_times(tmp_path: Path) -> None:
    (tmp_path / "i.csv").write_text(
        "id,priority,opened,escalations\n"
        "A,P1,2026-09-21T01:00:00Z,3=2026-09-21T04:00:00Z; 2=2026-09-21T01:30:00Z\n"
        "B,P1,2026-09-21T02:00:00Z,2 at noon\n"
        "C,P1,2026-09-21T03:00:00Z,2=2026-09-21T02:00:00Z\n", encoding="utf-8")
    o = Objective("esc", "escalation", 100.0, Window("month"),
                  Source("incidents", path="i.csv"))
    res = pull([make_agreement(o)], Settings(root=tmp_path, cache="cache"), NOW, start=DAY0)
    m = res.measurements[("api", "esc")]
    assert isinstance(m, IncidentRecords)
    assert [(i.id, i.escalations) for i in m.incidents] == [
        ("A", ((2, DAY0 + 5400), (3, DAY0 + 4 * 3600)))]
    assert [str(p) for p in res.problems if p.code == "pull.bad-row"] == [
        "i.csv:3:27: error: escalations: '2 at noon' is not LEVEL=TIME (e.g. "
        "2=2026-11-19T04:05:00+01:00; levels 1 to 20)",
        "i.csv:4:27: error: escalations: level 2 is before opened",
    ]
