"""File sources: interval counts (CSV, JSON lines, gzip), slices, incidents, surveys;
bad rows are ``path:line`` problems, a missing file is no data."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

from pull_support import make_agreement

from slacode.config import Settings
from slacode.durations import Duration
from slacode.evaluate import evaluate
from slacode.model import Objective, Priority, Source, Window
from slacode.pull import pull
from slacode.pull.base import CountSeries, IncidentRecords, SurveyRecords

DAY0 = 1_789_948_800  # 2026-09-21T00:00:00Z, a Monday
NOW = DAY0 + 86400


def obj(path: str, **kw: object) -> Objective:
    kind = kw.pop("kind", "file")
    return Objective(kw.pop("id", "o"), kw.pop("okind", "availability"), 99.0, Window("month"),  # type: ignore[arg-type]
                     Source(kind, path=path), **kw)  # type: ignore[arg-type]


def run(tmp_path: Path, *objectives: Objective, tz: str = "UTC", now: int = NOW):
    return pull([make_agreement(*objectives, tz=tz)], Settings(root=tmp_path, cache="cache"),
                now, start=DAY0)


def write(tmp_path: Path, name: str, text: str) -> None:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if name.endswith(".gz"):
        p.write_bytes(gzip.compress(text.encode()))
    else:
        p.write_text(text, encoding="utf-8")


def counts(res, oid: str = "o") -> CountSeries:
    m = res.measurements[("api", oid)]
    assert isinstance(m, CountSeries)
    return m


def test_csv_rows_are_summed_into_hourly_intervals(tmp_path) -> None:
    rows = "".join(f"{DAY0 + 900 * i},{9},{10}\n" for i in range(8))  # 15-minute rows, 2 hours
    write(tmp_path, "d/r.csv", "start,good,total\n" + rows)
    m = counts(run(tmp_path, obj("d/r.csv")))
    assert len(m.points) == 24
    assert (m.points[0].good, m.points[0].total) == (36, 40)
    assert (m.points[1].good, m.points[1].total) == (36, 40)
    assert not m.points[2].has_data
    assert m.gaps[0].start == DAY0 + 7200 and m.gaps[0].reason == "no rows in d/r.csv"
    assert m.as_of == DAY0 + 7200


def test_jsonl_gzip_with_iso_times_and_empty_rows(tmp_path) -> None:
    lines = [
        {"start": "2026-09-21T00:00:00Z", "good": 5, "total": 5},
        {"start": "2026-09-21T04:00:00+03:00", "good": 0, "total": 0},  # 01:00Z
        {"start": "2026-09-21T02:00:00Z", "good": None, "total": None},
    ]
    write(tmp_path, "r.jsonl.gz", "\n".join(json.dumps(x) for x in lines) + "\n")
    m = counts(run(tmp_path, obj("r.jsonl.gz")))
    assert (m.points[0].good, m.points[0].total) == (5, 5)
    assert (m.points[1].good, m.points[1].total) == (0, 0)  # 0/0 is data, reported as is
    assert not m.points[2].has_data  # an empty row is no data, never good
    assert m.gaps[0].reason == "empty counts in r.jsonl.gz"


def test_bad_rows_are_path_line_problems_and_skipped(tmp_path) -> None:
    write(tmp_path, "r.csv", "start,good,total\n"
          f"{DAY0},5,10\n"
          f"{DAY0 + 3600},12,10\n"
          "yesterday,1,1\n"
          "2026-09-21T05:00:00,1,1\n"
          f"{DAY0 + 7200},-1,3\n"
          f"{DAY0 + 10800},3,\n"
          f"{DAY0},1,1\n")
    res = run(tmp_path, obj("r.csv"))
    msgs = [str(p) for p in res.problems if p.code == "pull.bad-row"]
    assert msgs == [
        "r.csv:3:12: error: good (12) is greater than total (10)",  # the column of good
        "r.csv:4:1: error: start: 'yesterday' is not a time "
        "(ISO 8601 with offset, or UNIX seconds)",
        "r.csv:5:1: error: start: '2026-09-21T05:00:00' has no UTC offset (add Z or +08:00)",
        "r.csv:6:12: error: good: '-1' must be a finite number >= 0",
        "r.csv:7:14: error: good and total must both be given or both be empty",  # total
        "r.csv:8:1: error: start: duplicate of line 2",
    ]
    # the first hour has a duplicate: which of its rows is right is unknown; and two rows
    # whose start cannot be read, in a file not in time order, could be in any hour
    assert not any(p.has_data for p in counts(res).points)
    assert "a bad row in r.csv (line 4) may fall here" in {g.reason for g in counts(res).gaps}


def test_a_bad_row_voids_only_the_intervals_it_may_cover(tmp_path) -> None:
    """One bad row is a problem at its line and column; the rest of the file counts. An
    interval a refused row may cover has no data (its events are unknown), not the sum
    of the rows that survived, which would read as good."""
    rows = [f"{DAY0 + 900 * i},9,10" for i in range(16)]  # 15-minute rows, 4 hours
    rows[5] = "²,1,10"  # hour 1: a start of a superscript two, between rows 4 and 6
    rows[10] = f"{DAY0 + 900 * 10},11,10"  # hour 2: good > total
    rows[13] = f"{DAY0 + 900 * 13},1e308,1e308"  # hour 3: no count is that large
    write(tmp_path, "r.csv", "start,good,total\n" + "\n".join(rows) + "\n")
    res = run(tmp_path, obj("r.csv"))
    got = [str(p) for p in res.problems if p.code == "pull.bad-row"]
    assert got == [
        "r.csv:7:1: error: start: '²' is not a time (ISO 8601 with offset, or UNIX seconds)",
        f"r.csv:12:{len(str(DAY0)) + 2}: error: good (11) is greater than total (10)",
        f"r.csv:15:{len(str(DAY0)) + 2}: error: good: '1e308' is larger than any count "
        "(at most 2**53 = 9007199254740992)",
    ]
    assert not any("internal error" in p.message for p in res.problems)
    m = counts(res)
    assert (m.points[0].good, m.points[0].total) == (36, 40)  # the hour without a bad row
    assert [p.has_data for p in m.points[:5]] == [True, False, False, False, False]
    reasons = {g.start: g.reason for g in m.gaps}
    assert reasons[DAY0 + 3600] == "a bad row in r.csv (line 7) may fall here"
    assert reasons[DAY0 + 7200] == "a bad row in r.csv (line 12) may fall here"
    assert reasons[DAY0 + 10800] == "a bad row in r.csv (line 15) may fall here"


def test_a_byte_order_mark_and_a_bad_byte_are_read_as_text_and_one_bad_row(tmp_path) -> None:
    """A spreadsheet's "CSV UTF-8" starts with a byte order mark: the header still names
    ``start``. A byte that is not UTF-8 makes its row bad, at that byte, not the file."""
    body = "start,good,total\n" + "".join(f"{DAY0 + 3600 * i},9,10\n" for i in range(3))
    (tmp_path / "b.csv").write_bytes(b"\xef\xbb\xbf" + body.encode()
                                     + f"{DAY0 + 3 * 3600},9,1\xff0\n".encode("latin-1"))
    lines = [{"start": DAY0 + 3600 * i, "good": 1, "total": 1} for i in range(3)]
    (tmp_path / "b.jsonl").write_bytes(
        b"\xef\xbb\xbf" + "".join(json.dumps(x) + "\n" for x in lines).encode())
    res = run(tmp_path, obj("b.csv", id="a"), obj("b.jsonl", id="b"))
    got = [str(p) for p in res.problems if p.code == "pull.bad-row"]
    col = len(f"{DAY0 + 3 * 3600},9,1") + 1
    assert got == [f"b.csv:5:{col}: error: invalid UTF-8 (byte 0xff): save the file as UTF-8"]
    for oid, total in (("a", 10), ("b", 1)):
        assert [p.total for p in counts(res, oid).points[:3]] == [total] * 3
    assert not counts(res, "a").points[3].has_data


def test_hostile_jsonl_rows_are_bad_rows_not_internal_errors(tmp_path) -> None:
    """Rows that made Python itself fail (deep nesting, a time past year 9999, a count
    of 1e308, a start of 4300 digits) are each one bad row, named by line."""
    lines = [
        json.dumps({"start": DAY0, "good": 1, "total": 1}),
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"start": 1e300, "good": 1, "total": 1}),
        json.dumps({"start": "0001-01-01T00:00:00+23:59", "good": 1, "total": 1}),
        json.dumps({"start": DAY0 + 7200, "good": 1e308, "total": 1e308}),
        '{"start": ' + "9" * 5000 + ', "good": 1, "total": 1}',
        json.dumps({"start": "9" * 5000, "good": 1, "total": 1}),
        json.dumps({"start": DAY0 + 3600 * 6, "good": 2, "total": 2}),
        json.dumps({"start": DAY0 + 3600 * 7, "good": 3, "total": 3}),
    ]
    write(tmp_path, "h.jsonl", "\n".join(lines) + "\n")
    res = run(tmp_path, obj("h.jsonl"))
    got = {p.line: p.message for p in res.problems if p.code == "pull.bad-row"}
    assert sorted(got) == [2, 3, 4, 5, 6, 7]
    assert got[2] == "invalid JSON: nested too deeply"
    assert got[3] == "start: 1e+300 is not between the years 1970 and 2999"
    assert got[4] == "start: '0001-01-01T00:00:00+23:59' is not between the years 1970 and 2999"
    assert "is larger than any count" in got[5]
    assert got[6].startswith("invalid JSON")
    assert "is not a time" in got[7]
    assert not any("internal error" in p.message for p in res.problems)
    m = counts(res)
    # rows whose start is unreadable lie somewhere between the rows around them: from
    # just after the first hour's row to the seventh hour, no data; after them, counted
    assert [p.total for p in m.points[:8]] == [None] * 6 + [2, 3]


def test_a_field_over_the_csv_limit_is_one_bad_row(tmp_path) -> None:
    text = ("start,good,total\n" f"{DAY0},1,1\n" f"{DAY0 + 3600},1,{'1' * 200_000}\n"
            f"{DAY0 + 7200},3,3\n")
    write(tmp_path, "big.csv", text)
    res = run(tmp_path, obj("big.csv"))
    got = [str(p) for p in res.problems if p.code == "pull.bad-row"]
    assert got == ["big.csv:3:1: error: not a CSV record: field larger than field limit "
                   "(131072)"]
    # the refused record lies somewhere after the first row's start: neither hour is known
    assert [p.total for p in counts(res).points[:3]] == [None, None, 3]


def test_missing_file_and_bad_header_are_no_data_with_reason(tmp_path) -> None:
    write(tmp_path, "h.csv", "when,ok,all\n1,1,1\n")
    res = run(tmp_path, obj("nope.csv", id="a"), obj("h.csv", id="b"))
    a, b = counts(res, "a"), counts(res, "b")
    assert not any(p.has_data for p in a.points + b.points)
    assert a.gaps[0].reason == "file not found: nope.csv"
    assert "h.csv:1: header must name the columns start, good, total" in b.gaps[0].reason
    assert any("file not found: nope.csv" in p.message and p.severity == "warning"
               for p in res.problems)


def test_slices_are_classified_by_threshold_and_zero_traffic(tmp_path) -> None:
    rows = ["start,good,total"]
    for i in range(12):  # one hour of 5-minute slices
        good, total = [(100, 100), (90, 100), (96, 100), (0, 0), ("", "")][i % 5] if i < 5 else (
            100, 100)
        rows.append(f"{DAY0 + 300 * i},{good},{total}")
    write(tmp_path, "s.csv.gz", "\n".join(rows) + "\n")
    base = obj("s.csv.gz", method="slices", slice=Duration(5, "m"), slice_threshold=5.0)
    res = run(tmp_path, replace(base, id="good"), replace(base, id="bad", zero_traffic="bad"),
              replace(base, id="none", zero_traffic="no-data"))
    # 12 slices: one at 10% errors (bad), one at 4% (good), one 0/0, one without data
    assert (counts(res, "good").points[0].good, counts(res, "good").points[0].total) == (10, 11)
    assert (counts(res, "bad").points[0].good, counts(res, "bad").points[0].total) == (9, 11)
    assert (counts(res, "none").points[0].good, counts(res, "none").points[0].total) == (9, 10)


def test_intervals_follow_the_agreement_timezone(tmp_path) -> None:
    rows = "".join(f"{DAY0 - 8 * 3600 + 3600 * i},1,1\n" for i in range(30))
    write(tmp_path, "r.csv", "start,good,total\n" + rows)
    res = pull([make_agreement(obj("r.csv", resolution=Duration(1, "d")), tz="Asia/Shanghai")],
               Settings(root=tmp_path), DAY0 + 86400 - 8 * 3600, start=DAY0)
    m = counts(res)
    assert m.points[0].start == DAY0 - 8 * 3600  # midnight in Shanghai
    assert m.points[0].total == 24


def test_incidents_of_the_service_in_range(tmp_path) -> None:
    header = "id,service,priority,opened,first_response,resolved,title,customer_visible\n"
    write(tmp_path, "i.csv", header +
          "A,api,P1,2026-09-21T01:00:00Z,2026-09-21T01:10:00Z,2026-09-21T03:00:00Z,Down,true\n"
          "B,other,P1,2026-09-21T01:00:00Z,,,Not ours,true\n"
          "C,,P2,2026-09-21T13:00:00+08:00,2026-09-22T05:00:00Z,,Shared,no\n"
          "D,api,P3,2026-09-21T06:00:00Z,2026-09-21T05:00:00Z,,Backwards,true\n"
          "E,api,,2026-09-21T06:00:00Z,,,No priority,true\n")
    res = run(tmp_path, obj("i.csv", kind="incidents", okind="response-time", priority="P1"))
    m = res.measurements[("api", "o")]
    assert isinstance(m, IncidentRecords)
    assert [i.id for i in m.incidents] == ["A", "C"]  # all priorities; evaluate picks
    c = m.incidents[1]
    assert c.opened == DAY0 + 5 * 3600 and c.customer_visible is False
    assert c.first_response is None  # after now: not yet
    assert [str(p) for p in res.problems if p.code == "pull.bad-row"] == [
        "i.csv:5:31: error: first_response is before opened",
        "i.csv:6:7: error: priority: missing",  # the empty field
    ]


def test_survey_scores_within_scale(tmp_path) -> None:
    write(tmp_path, "s.csv", "time,score\n2026-09-21T10:00:00+08:00,5\n"
          "2026-09-21T11:00:00Z,4.5\n2026-09-21T12:00:00Z,7\n2026-09-21T13:00:00Z,\n")
    res = run(tmp_path, obj("s.csv", kind="survey", okind="satisfaction", method="mean"))
    m = res.measurements[("api", "o")]
    assert isinstance(m, SurveyRecords)
    assert [r.score for r in m.responses] == [5, 4.5]
    assert [str(p) for p in res.problems if p.code == "pull.bad-row"] == [
        "s.csv:4:22: error: score: 7 is outside the scale 1..5",
        "s.csv:5:22: error: score: missing",
    ]


def test_demo_data_reads_without_problems() -> None:
    root = Path(__file__).resolve().parents[2]
    rows = (root / "data/payments-api/requests.csv").read_text().splitlines()
    assert rows[0] == "start,good,total" and len(rows) > 10000
    from slacode.pull.files import read_counts

    got, problems = read_counts(root / "data/auth-internal/requests.csv.gz",
                                "data/auth-internal/requests.csv.gz", "csv")
    assert problems == [] and len(got) > 100000


def test_an_incident_of_a_priority_the_matrix_lacks_is_a_warning(tmp_path) -> None:
    from slacode.model import Priority

    write(tmp_path, "i.csv", "id,service,priority,opened,first_response\n"
          "A,api,P1,2026-09-21T01:00:00Z,\nB,api,P7,2026-09-21T02:00:00Z,\n")
    o = obj("i.csv", kind="incidents", okind="response-time", priority="P1")
    ag = replace(make_agreement(o), priorities=(Priority("P1"), Priority("P2")))
    res = pull([ag], Settings(root=tmp_path, cache="cache"), NOW, start=DAY0)
    assert [str(p) for p in res.problems if p.code == "pull.bad-row"] == [
        "i.csv:3:7: warning: priority: 'P7' is not in the priority matrix of api (P1, P2); "
        "incident B is not counted",
    ]


def test_a_bad_field_is_reported_at_the_column_where_it_starts(tmp_path) -> None:
    """Quoted fields (commas, doubled quotes, line breaks inside) and short rows: the
    column is where the offending field starts, on the line it starts on."""
    lines = [
        "id,service,priority,opened,first_response,resolved,title,customer_visible",
        '"A, the first",api,P1,2026-09-21T01:00:00Z,,,"say ""hi"", twice",maybe',
        'B,api,P1,2026-09-21T02:00:00Z,,,"two',
        'lines",nope',
        "C,api,P1,2026-09-21T03:00:00Z,,2026-09-21T02:00:00Z",
        "D,api,P1",
    ]
    write(tmp_path, "i.csv", "\r\n".join(lines) + "\r\n")
    res = run(tmp_path, obj("i.csv", kind="incidents", okind="response-time", priority="P1"))
    got = [str(p) for p in res.problems if p.code == "pull.bad-row"]
    assert got == [
        f"i.csv:2:{lines[1].index('maybe') + 1}: error: customer_visible: 'maybe' is not "
        "true or false",
        f"i.csv:4:{lines[3].index('nope') + 1}: error: customer_visible: 'nope' is not "
        "true or false",  # the record starts on line 3, the field on line 4
        f"i.csv:5:{lines[4].rindex(',') + 2}: error: resolved is before opened",
        f"i.csv:6:{len(lines[5]) + 1}: error: opened: expected a time, got None",  # missing
    ]


def test_a_path_the_system_cannot_look_up_is_a_fault_not_an_internal_error(tmp_path) -> None:
    """A file name over the system's limit made ``is_file`` raise, which the pull turned
    into "internal error: OSError"; it is a source fault saying what is wrong."""
    long = "x" * 5000 + ".csv"
    res = run(tmp_path, obj(long, id="a"),
              obj(long, id="b", kind="incidents", okind="response-time", priority="P1"),
              obj(long, id="c", kind="survey", okind="satisfaction"))
    for oid in ("a", "b", "c"):
        (gap,) = res.measurements[("api", oid)].gaps
        assert gap.fault and gap.reason.startswith("cannot read xxx")
        assert gap.reason.endswith(": File name too long")
    assert not any("internal error" in p.message for p in res.problems)


def test_a_bad_incident_or_survey_row_leaves_its_period_without_a_figure(tmp_path) -> None:
    """A refused incident row may be the missed one, a refused answer may change the
    score: the period it falls in has no figure (not the figure of the rows that were
    read, which would read as met), and the other periods count. A row whose time cannot
    be read could be in any period."""
    from slacode.evaluate import evaluate

    now = DAY0 + 40 * 86400  # 2026-10-31: September and October are judged
    write(tmp_path, "i.csv", "id,priority,opened,first_response\n"
          "A,P1,2026-09-22T01:00:00Z,2026-09-22T01:05:00Z\n"
          "B,P1,2026-10-05T01:00:00Z,2026-10-05T00:05:00Z\n")  # answered before it opened
    write(tmp_path, "s.csv", "time,score\n2026-09-22T01:00:00Z,5\n2026-10-06T01:00:00Z,9\n"
          "2026-10-07T01:00:00Z,4\n")  # 9 is off the 1..5 scale
    objectives = (
        obj("i.csv", id="resp", kind="incidents", okind="response-time", priority="P1",
            within=Duration(15, "m")),
        obj("s.csv", id="csat", kind="survey", okind="satisfaction"),
    )
    agreement = make_agreement(*objectives)
    res = pull([agreement], Settings(root=tmp_path, cache="cache"), now, start=DAY0 - 20 * 86400)
    assert {(p.path, p.line) for p in res.problems if p.code == "pull.bad-row"} == {
        ("i.csv", 3), ("s.csv", 3)}
    (results,) = evaluate([agreement], res.measurements, now, history_months=1)
    got = {(p.objective, p.period): p for p in results.periods}
    assert (got[("resp", "2026-09")].verdict, got[("resp", "2026-09")].value) == ("met", 100.0)
    assert got[("csat", "2026-09")].value == 5.0  # the mean of the one answer read
    for oid, line in (("resp", 3), ("csat", 3)):
        october = got[(oid, "2026-10")]
        assert (october.verdict, october.value) == ("no-data", None)
        assert any(f"(line {line}) may fall here" in r.text for r in october.reasons)

    write(tmp_path, "i.csv", "id,priority,opened\nA,P1,2026-09-22T01:00:00Z\nC,P1,²\n")
    res = pull([agreement], Settings(root=tmp_path, cache="cache"), now, start=DAY0 - 20 * 86400)
    (results,) = evaluate([agreement], res.measurements, now, history_months=1)
    assert {p.period: p.verdict for p in results.periods if p.objective == "resp"} == {
        "2026-09": "no-data", "2026-10": "no-data"}


def test_an_unreadable_incident_row_of_another_service_leaves_this_one_alone(tmp_path) -> None:
    from slacode.evaluate import evaluate

    now = DAY0 + 40 * 86400
    (tmp_path / "i.csv").write_bytes(
        b"id,service,priority,opened,first_response\n"
        b"A,api,P1,2026-10-05T01:00:00Z,2026-10-05T01:05:00Z\n"
        b"B,billing,P1,2026-10-06T01:00:00Z,2026-10-06T01:05:00Z,caf\xe9\n")
    o = obj("i.csv", id="resp", kind="incidents", okind="response-time", priority="P1",
            within=Duration(15, "m"))
    agreement = make_agreement(o)
    res = pull([agreement], Settings(root=tmp_path, cache="cache"), now, start=DAY0 - 20 * 86400)
    assert [p.line for p in res.problems if p.code == "pull.bad-row"] == [3]  # still said
    (results,) = evaluate([agreement], res.measurements, now, history_months=1)
    october = next(p for p in results.periods if p.period == "2026-10")
    assert (october.verdict, october.value) == ("on-track", 100.0)  # billing's row is not api's


def test_an_unknown_column_is_an_error_naming_the_one_meant(tmp_path) -> None:
    """``responded`` for ``first_response`` was accepted, and every response objective
    read 0 % breached: now the file gives no data, with the column and the likely name."""
    write(tmp_path, "i.csv", "id,service,priority,opened, responded,resolved\n"
          "A,api,P1,2026-09-21T01:00:00Z,2026-09-21T01:05:00Z,2026-09-21T02:00:00Z\n")
    o = obj("i.csv", kind="incidents", okind="response-time", priority="P1")
    ag = replace(make_agreement(o), priorities=(Priority("P1"),))
    res = pull([ag], Settings(root=tmp_path, cache="cache"), NOW, start=DAY0)
    (m,) = res.measurements.values()
    assert m.incidents == () and all(g.fault for g in m.gaps)
    assert m.gaps[0].reason == (
        "i.csv:1:29: unknown column 'responded': did you mean 'first_response'? the columns "
        "are id, service, priority, opened, first_response, resolved, title, customer_visible, "
        "restored, data_lost, escalations")
    results = evaluate([ag], res.measurements, NOW, history_months=1)
    assert {p.verdict for r in results for p in r.periods} == {"no-data"}


def test_a_column_an_objective_needs_is_missing_so_it_has_no_data(tmp_path) -> None:
    """A file without ``resolved`` still answers response objectives; resolution ones
    get no data with the reason, never a breach of every incident "unresolved"."""
    write(tmp_path, "i.csv", "id,service,priority,opened,first_response\n"
          "A,api,P1,2026-09-21T01:00:00Z,2026-09-21T01:05:00Z\n")
    resp = obj("i.csv", kind="incidents", okind="response-time", priority="P1", id="resp")
    res_ = obj("i.csv", kind="incidents", okind="resolution-time", priority="P1", id="res")
    ag = replace(make_agreement(resp, res_), priorities=(Priority("P1"),))
    pulled = pull([ag], Settings(root=tmp_path, cache="cache"), NOW, start=DAY0)
    by = {k[1]: m for k, m in pulled.measurements.items()}
    assert len(by["resp"].incidents) == 1 and not by["resp"].gaps
    assert by["res"].gaps[0].reason == (
        "i.csv:1: no 'resolved' column, which resolution-time objectives read; the columns "
        "are id, service, priority, opened, first_response, resolved, title, customer_visible, "
        "restored, data_lost, escalations")
    verdicts = {p.objective: p.verdict for r in evaluate([ag], pulled.measurements, NOW,
                                                         history_months=1) for p in r.periods}
    assert verdicts["res"] == "no-data"
