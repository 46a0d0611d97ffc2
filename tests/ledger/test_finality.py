"""A closed period is frozen only once it is final: each rule that holds it back, and the
page saying why and until when (issue 27: a September resolution objective was frozen
as "met" while an incident was still within its deadline, and was breached after)."""

from __future__ import annotations

import html
import json
import sys
from datetime import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "evaluate"))

from evalkit import DAY, HOUR, agreement, objective, series, ts

from slacode import ledger
from slacode.durations import Duration
from slacode.evaluate import evaluate
from slacode.model import Calendar
from slacode.pull.base import (
    Incident,
    IncidentRecords,
    SurveyRecords,
    SurveyResponse,
)
from slacode.render.pages import provisional_note

CN = Calendar(id="cn-business", timezone="Asia/Shanghai", start=time(9), end=time(18),
              holidays="CN")
SEPT = ts("2026-09-01T00:00:00+08:00")


def desk_results(now: int, resolved: int | None):
    """The desk of the issue: P3 resolution within 5 working days on a CN business clock;
    INC-7 opened on 30 September 17:00, which puts its deadline after the National Day
    holidays, in October."""
    o = objective("p3-resolution", "resolution-time", 95.0, priority="P3",
                  within=Duration(5, "d"), clock="cn-business")
    ag = agreement("desk", objectives=(o,), timezone="Asia/Shanghai", calendars=(CN,))
    inc = Incident("INC-7", "P3", ts("2026-09-30T17:00:00+08:00"), resolved=resolved)
    rec = IncidentRecords("desk", "p3-resolution", (inc,), SEPT, now, as_of=now)
    return evaluate([ag], {("desk", "p3-resolution"): rec}, now, history_months=1)


def september(results):
    return next(p for p in results[0].periods if p.period == "2026-09")


def test_an_incident_within_its_deadline_holds_the_period_until_that_deadline(
        tmp_path: Path) -> None:
    early = ts("2026-10-02T02:17:00+08:00")  # the night the issue froze "met"
    res = desk_results(early, None)
    sept = september(res)
    (hold,) = [h for h in sept.holds if h.kind == "incident"]
    assert hold.count == 1
    due = ts(hold.until)
    assert due > ts("2026-10-08T00:00:00+08:00")  # after the National Day week
    assert ledger.freeze(res, tmp_path, early).written == ()
    # the night before the deadline: still within it, still not frozen
    assert ledger.freeze(desk_results(due - HOUR, None), tmp_path, due - HOUR).written == ()
    # resolved late: after the deadline the outcome is known and the period is frozen
    late = due + 2 * DAY
    res = desk_results(late, due + DAY)
    assert september(res).holds == ()
    (path,) = ledger.freeze(res, tmp_path, late).written
    frozen = json.loads(Path(path).read_text())["results"]["p3-resolution"]
    assert (frozen["verdict"], frozen["value"]) == ("breached", 0.0)
    assert "holds" not in frozen and "final_at" not in frozen  # not stored in a record


def test_an_incident_resolved_in_time_frees_the_period_before_its_deadline(
        tmp_path: Path) -> None:
    now = ts("2026-10-09T10:00:00+08:00")
    res = desk_results(now, ts("2026-10-08T11:00:00+08:00"))
    assert september(res).holds == () and september(res).verdict == "met"
    assert len(ledger.freeze(res, tmp_path, now).written) == 1


def test_every_period_waits_a_day_for_late_measurements(tmp_path: Path) -> None:
    start = ts("2026-09-01T00:00:00+00:00")
    ag = agreement("api")

    def at(now: int):
        data = series("api", "availability", start, now)
        return evaluate([ag], {("api", "availability"): data}, now, history_months=1)

    first_night = ts("2026-10-01T02:17:00+00:00")
    res = at(first_night)
    (hold,) = september(res).holds
    assert (hold.kind, hold.until) == ("late-data", "2026-10-02T00:00:00+00:00")
    assert september(res).final_at == "2026-10-02T00:00:00+00:00"
    assert ledger.freeze(res, tmp_path, first_night).written == ()
    second_night = first_night + DAY
    assert len(ledger.freeze(at(second_night), tmp_path, second_night).written) == 1


def test_no_data_waits_a_week(tmp_path: Path) -> None:
    ag = agreement("api")
    now = ts("2026-10-03T02:17:00+00:00")  # the pull failed: September has no data
    sept = september(evaluate([ag], {}, now, history_months=1))
    assert sept.verdict == "no-data"
    assert {h.kind: h.until for h in sept.holds} == {
        "no-data": "2026-10-08T00:00:00+00:00"}  # the day's grace for late data is over
    assert ledger.freeze(evaluate([ag], {}, now, history_months=1), tmp_path, now).written == ()


def test_a_survey_stays_open_a_week_after_its_period(tmp_path: Path) -> None:
    o = objective("satisfaction", "satisfaction", 4.0, method="mean", min_responses=1)
    ag = agreement("svc", objectives=(o,))
    start = ts("2026-09-01T00:00:00+00:00")

    def at(now: int):
        rec = SurveyRecords("svc", "satisfaction", (SurveyResponse(start + DAY, 5.0),),
                            start, now, as_of=now)
        return evaluate([ag], {("svc", "satisfaction"): rec}, now, history_months=1)

    now = ts("2026-10-05T00:00:00+00:00")
    sept = september(at(now))
    assert [(h.kind, h.until) for h in sept.holds] == [("survey", "2026-10-08T00:00:00+00:00")]
    assert ledger.freeze(at(now), tmp_path, now).written == ()
    later = ts("2026-10-08T02:17:00+00:00")
    assert len(ledger.freeze(at(later), tmp_path, later).written) == 1


def test_the_page_says_why_a_period_is_provisional_and_until_when() -> None:
    sept = september(desk_results(ts("2026-10-02T02:17:00+08:00"), None))
    en = html.unescape(provisional_note(sept, "en"))
    assert en.startswith("Provisional until 13 Oct 2026, 17:00 UTC+08:00: ")
    assert "1 incident(s) still within their target time" in en
    zh = html.unescape(provisional_note(sept, "zh"))
    assert zh.startswith("暂定至 2026年10月") and "1 个事件仍在目标时间内" in zh
