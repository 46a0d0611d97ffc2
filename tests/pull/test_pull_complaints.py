"""The complaint file (``source: complaints``): read like the incident file, bad rows
are ``path:line:col`` problems, a missing file is no data with the reason."""

from __future__ import annotations

from pathlib import Path

from pull_support import make_agreement

from slacode.config import Settings
from slacode.durations import Duration
from slacode.evaluate import evaluate
from slacode.model import Objective, Source, Window
from slacode.pull import pull
from slacode.pull.base import ComplaintRecords

DAY0 = 1_789_948_800  # 2026-09-21T00:00:00Z, a Monday
NOW = DAY0 + 86400
HEADER = "id,service,customer,opened,acknowledged,resolved,channel,category\n"


def complaint_objective(path: str = "c.csv") -> Objective:
    return Objective("ack", "complaint-response", 90.0, Window("month"),
                     Source("complaints", path=path), within=Duration(4, "h"))


def run(tmp_path: Path, now: int = NOW, path: str = "c.csv"):
    return pull([make_agreement(complaint_objective(path))],
                Settings(root=tmp_path, cache="cache"), now, start=DAY0)


def test_complaints_of_the_service_are_read_with_customer_channel_and_category(
        tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(
        HEADER
        + "C1,api,Northwind,2026-09-21T01:00:00Z,2026-09-21T01:30:00Z,2026-09-21T09:00:00Z,"
          "Email,Billing\n"
        + "C2,other,Contoso,2026-09-21T02:00:00Z,,,Phone,Outage\n"
        + "C3,,Fabrikam,2026-09-21T03:00:00Z,2026-09-22T05:00:00Z,,Portal,Slow answers\n",
        encoding="utf-8")
    res = run(tmp_path)
    m = res.measurements[("api", "ack")]
    assert isinstance(m, ComplaintRecords)
    assert [c.id for c in m.complaints] == ["C1", "C3"]  # another service's is not counted
    c1, c3 = m.complaints
    assert (c1.customer, c1.channel, c1.category) == ("Northwind", "Email", "Billing")
    assert c1.acknowledged == DAY0 + 5400 and c1.resolved == DAY0 + 9 * 3600
    assert c3.acknowledged is None  # after now: not yet
    assert res.problems == ()


def test_a_bad_complaint_row_is_a_problem_at_its_field_and_voids_its_month(
        tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(
        HEADER
        + "C1,api,Northwind,2026-09-21T01:00:00Z,2026-09-21T01:30:00Z,,Email,Billing\n"
        + "C2,api,Contoso,2026-10-02T10:00:00Z,2026-10-02T09:00:00Z,,Phone,Outage\n"
        + "C1,api,Contoso,2026-10-03T10:00:00Z,,,Phone,Outage\n"
        + "C4,api,Contoso,yesterday,,,Phone,Outage\n",
        encoding="utf-8")
    now = DAY0 + 45 * 86400  # 2026-11-05: September and October are closed
    res = run(tmp_path, now=now)
    assert [str(p) for p in res.problems if p.code == "pull.bad-row"] == [
        "c.csv:3:37: error: acknowledged is before opened",
        "c.csv:4:1: error: id: duplicate complaint 'C1'",
        "c.csv:5:16: error: opened: 'yesterday' is not a time (ISO 8601 with offset, or UNIX "
        "seconds)",
    ]
    (out,) = evaluate([make_agreement(complaint_objective())], res.measurements, now,
                      history_months=3)
    by = {p.period: p for p in out.for_objective("ack")}
    # a row whose time cannot be read could be in any month: none has a figure
    assert by["2026-09"].value is None and by["2026-10"].value is None
    assert by["2026-10"].verdict == "no-data"


def test_a_missing_complaint_file_is_no_data_with_the_reason(tmp_path: Path) -> None:
    res = run(tmp_path, path="nowhere.csv")
    m = res.measurements[("api", "ack")]
    assert isinstance(m, ComplaintRecords) and m.complaints == ()
    assert m.gaps[0].fault and m.gaps[0].reason == "file not found: nowhere.csv"
    (out,) = evaluate([make_agreement(complaint_objective("nowhere.csv"))], res.measurements,
                      NOW, history_months=1)
    (september,) = [p for p in out.for_objective("ack") if p.period == "2026-09"]
    assert september.verdict == "no-data" and september.value is None
