"""What a page promises: the version in force now, a version merged for later announced
as such; owners (addresses, team handles) only in internal builds."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime

from slacode.durations import Duration
from slacode.evaluate.results import DailyValue, PeriodResult, ServiceResults
from slacode.history.semdiff import Change
from slacode.history.versions import ChangeEntry
from slacode.model import (
    Agreement,
    Credits,
    CreditTier,
    Maintenance,
    MaintenancePolicy,
    Objective,
    Source,
    Window,
)
from slacode.render import render

NOW = "2026-11-26T00:00:00Z"
OWNER = "jane.doe@example.com"


def _v3() -> Agreement:
    """The version in force at NOW: 99.95%, credits below 99.95%, 7 days' notice."""
    return Agreement(
        id="pay",
        name="Pay",
        version=3,
        effective=date(2025, 10, 1),
        path="slas/pay.yaml",
        owners=(OWNER,),
        objectives=(Objective("availability", "availability", 99.95, Window("month"),
                              Source("file", path="d.csv"), name="Monthly availability",
                              method="events"),),
        credits=Credits("availability", (CreditTier(99.95, 10),), 100),
        maintenance_policy=MaintenancePolicy(notice=Duration(7, "d")),
    )


def _v4() -> Agreement:
    """The latest file: merged already, in force only from 2026-12-01."""
    v3 = _v3()
    return Agreement(
        **{**vars(v3), "version": 4, "effective": date(2026, 12, 1),
           "objectives": (Objective("availability", "availability", 99.9, Window("month"),
                                    Source("file", path="d.csv"),
                                    name="Monthly availability", method="events"),),
           "credits": Credits("availability", (CreditTier(99.5, 25),), 100),
           "maintenance_policy": MaintenancePolicy(notice=Duration(2, "d")),
           "maintenance": (Maintenance(datetime(2026, 12, 5, 2, tzinfo=UTC),
                                       datetime(2026, 12, 5, 3, tzinfo=UTC),
                                       datetime(2026, 11, 20, tzinfo=UTC),
                                       "Failover drill"),)})


def _results() -> ServiceResults:
    """November, open, judged by version 3 (as evaluate does), with a daily strip."""
    p = PeriodResult("pay", "availability", "2026-11", "2026-11-01T00:00:00+00:00",
                     "2026-12-01T00:00:00+00:00", False, 99.97, 99.95, "%", "met", 0.02, 1.0,
                     "2026-11-25T23:00:00+00:00", 3)
    closed = PeriodResult("pay", "availability", "2026-10", "2026-10-01T00:00:00+00:00",
                          "2026-11-01T00:00:00+00:00", True, 99.96, 99.95, "%", "met", 0.01,
                          1.0, "2026-10-31T23:00:00+00:00", 3)
    days = tuple(DailyValue(f"2026-11-{d:02d}", 99.97) for d in range(1, 26))
    return ServiceResults("pay", "2026-11-25T23:00:00+00:00", NOW, (closed, p),
                          {"availability": days}, (p,))


def _build(agreements: tuple[Agreement, ...], versions: dict | None, **kw: object
           ) -> dict[str, str]:
    kw.setdefault("results", [_results()])
    return render(agreements, now=NOW, versions=versions, **kw)  # type: ignore[arg-type]


def _text(md: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", md)))


def test_page_states_the_version_in_force_and_announces_the_one_merged_for_later() -> None:
    files = _build((_v4(),), {"pay": (_v3(), _v4())})
    page = _text(files["services/pay.md"])
    assert "Version 3, effective 1 Oct 2025" in page
    assert "Version 4, effective" not in page
    assert "Version 4 takes effect on 1 Dec 2026." in page
    assert "monthly availability target 99.95% → 99.9%" in page  # what changes, in words
    # every place that states the target states the one the period is judged by
    assert "Target 99.95%" in page and "Target 99.9%" not in page.replace("Target 99.95%", "")
    assert "against target 99.95%" in page and "the line is the target (99.95%)" in page
    objectives = files["services/pay.md"].split('data-table="objectives"')[1].split("</table>")[0]
    assert "99.95%" in objectives and "99.9% from 1 Dec 2026" in objectives
    # credits and maintenance policy are the ones in force too
    tiers = files["services/pay.md"].split('data-table="credit-tiers"')[1].split("</table>")[0]
    assert "99.95" in tiers and "99.5" not in tiers
    assert "Required notice: 7 days" in page
    # a window the coming version adds is announced with it, not judged by version 3
    assert "planned maintenance added: 5 Dec 2026, 02:00 UTC – 5 Dec 2026, 03:00 UTC" in page
    assert "Failover drill" not in page


def test_json_agrees_with_the_page_and_lists_the_coming_version() -> None:
    data = json.loads(_build((_v4(),), {"pay": (_v3(), _v4())})["api/pay.json"])
    a = data["agreement"]
    assert (a["version"], a["effective"], a["objectives"][0]["target"]) == (3, "2025-10-01", 99.95)
    assert a["credits"]["tiers"] == [{"below": 99.95, "credit": 10}]
    (coming,) = data["upcoming"]
    assert (coming["version"], coming["effective"]) == (4, "2026-12-01")
    assert "monthly availability target 99.95% → 99.9%" in coming["changes"]
    assert coming["agreement"]["objectives"][0]["target"] == 99.9


def test_a_chinese_page_announces_the_coming_version_in_chinese() -> None:
    page = _text(_build((_v4(),), {"pay": (_v3(), _v4())}, language="zh")["services/pay.md"])
    assert "版本 3，生效日期 2025年10月1日" in page
    assert "第 4 版将于 2026年12月1日 生效。" in page
    assert "月度可用性目标 99.95% → 99.9%" in page
    assert "monthly availability" not in page


def test_without_history_the_file_is_the_promise() -> None:
    page = _text(_build((_v3(),), None)["services/pay.md"])
    assert "Version 3, effective 1 Oct 2025" in page and "takes effect" not in page


def test_a_first_version_not_yet_in_effect_says_so_and_announces_the_next() -> None:
    v1 = Agreement(**{**vars(_v3()), "version": 1, "effective": date(2026, 12, 1)})
    v2 = Agreement(**{**vars(_v4()), "version": 2, "effective": date(2027, 1, 1)})
    page = _text(_build((v1,), {"pay": (v1,)}, results=[])["services/pay.md"])
    assert "This agreement takes effect on 1 Dec 2026; nothing is judged before." in page
    assert "Version 1, effective 1 Dec 2026" in page and "Version 1 takes effect" not in page
    page = _text(_build((v2,), {"pay": (v1, v2)}, results=[])["services/pay.md"])
    assert "This agreement takes effect on 1 Dec 2026" in page  # the first one, not v2's
    assert "Version 1, effective 1 Dec 2026" in page
    assert "Version 2 takes effect on 1 Jan 2027." in page


def test_a_version_in_force_the_audience_may_not_see_is_never_shown() -> None:
    secret = "SECRET-TERMS-4e1b"
    v3 = Agreement(**{**vars(_v3()), "visibility": "internal", "description": secret})
    files = _build((_v4(),), {"pay": (v3, _v4())}, results=[])
    page = _text(files["services/pay.md"])
    assert secret not in "".join(files.values())
    assert "Version 4, effective 1 Dec 2026" in page
    assert "This agreement takes effect on 1 Dec 2026" in page
    assert "99.95" not in page  # not even as the "before" of a change


def _history() -> list[ChangeEntry]:
    return [ChangeEntry(
        "pay", "slas/pay.yaml", "c0ffee", datetime(2026, 11, 2, tzinfo=UTC), "a", "owners", None,
        3, date(2025, 10, 1), (Change(f"owners now {OWNER}", promise=False, pointer="/owners"),),
    )]


def test_owners_reach_only_internal_builds() -> None:
    other = Agreement(id="web", name="Web", version=1, effective=date(2026, 1, 1),
                      path="slas/web.yaml", owners=("@acme/sre",))
    for audience in ("public", "customer:acme"):
        files = _build((_v3(), other), None, audience=audience, history={"pay": _history()})
        for path, text in files.items():
            assert OWNER not in text and "@acme/sre" not in text, (audience, path)
        assert "Owned by" not in files["index.md"]
        assert "slacode_group" not in files["services/pay.md"]
        assert "owners" not in json.loads(files["api/pay.json"])["agreement"]
    files = _build((_v3(), other), None, audience="internal", history={"pay": _history()})
    assert f"Owned by {OWNER}" in _text(files["index.md"])
    assert "slacode_group" in files["services/pay.md"]
    assert json.loads(files["api/pay.json"])["agreement"]["owners"] == [OWNER]
    assert f"owners now {OWNER}" in _text(files["services/pay.md"])


def test_a_contract_ending_soon_is_announced_with_its_renewal_terms() -> None:
    """Policy 2.7 asks for contracts to be renewed in time: within 90 days of its end the
    page says when it ends; the renewal terms are the agreement's own (escaped) text."""
    from slacode.model import Contract

    def page(end: date, language: str = "en") -> str:
        a = Agreement(**{**vars(_v3()), "contract": Contract(
            end=end, renewal="<b>cancel</b> 90 days before the end")})
        return html.unescape(render([a], [], now=NOW, language=language)["services/pay.md"])

    soon = page(date(2027, 1, 31))
    assert "The contract ends on 31 Jan 2027, in 66 days. Renewal: <b>cancel</b> 90 days" in soon
    assert "<b>cancel</b>" not in render([Agreement(**{**vars(_v3()), "contract": Contract(
        end=date(2027, 1, 31), renewal="<b>cancel</b>")})], [], now=NOW)["services/pay.md"]
    assert "合同将于 2027年1月31日 结束，还剩 66 天。" in page(date(2027, 1, 31), "zh")
    assert "The contract ends" not in page(date(2027, 6, 30))  # not yet near
