"""Evaluation's reasons and the change history are worded from their codes in each
language through the one catalogue."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest

from slacode.durations import Duration
from slacode.evaluate.results import REASON_CODES, Miss, Reason
from slacode.history import ChangeEntry, diff_agreements, for_audience, history
from slacode.history.semdiff import CHANGE_CODES, Change
from slacode.model import (
    Agreement,
    Bonus,
    Calendar,
    Contact,
    Continuity,
    Contract,
    Credits,
    CreditTier,
    EscalationLevel,
    Maintenance,
    MaintenancePolicy,
    Objective,
    Party,
    Plan,
    Priority,
    Review,
    Source,
    Support,
    Window,
)
from slacode.render import changes
from slacode.render.reasons import nothing_counted, say
from slacode.render.strings import STRINGS, t

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = re.compile(r"\b(incident|target|after|response|resolution|deadline|hours?|minutes?|"
                     r"days?|period|records|needed|responses|gaps|samples|working)\b")

P1 = {"subject": "incident", "priority": "P1", "id": "PAY-107", "step": "response",
      "clock": "", "goal": "15m"}
#: (reason or miss as evaluation gives it, English page, Chinese page)
WORDED = [
    (Miss("2026-03-17: 49.891% (target 99.95%)", code="bad-day",
          params={"date": "2026-03-17", "value": 49.891, "target": 99.95}),
     "17 Mar 2026: 49.891% (target 99.95%)", "2026年3月17日：49.891%（目标 99.95%）"),
    (Miss("P1 incident PAY-107 first response after 42 minutes (target 15 minutes)",
          code="late", params={**P1, "took_s": 2520}),
     "P1 incident PAY-107 first response after 42 minutes (target 15 minutes)",
     "P1 事件 PAY-107 首次响应用时 42 分钟（目标 15 分钟）"),
    (Miss("P4 incident SD-0275 resolution after ...", code="late",
          params={**P1, "priority": "P4", "id": "SD-0275", "step": "resolution",
                  "clock": "cn-business", "goal": "5d", "goal_s": 45 * 3600,
                  "took_s": 164 * 3600 + 39 * 60}),
     # the page names a business calendar by its hours, once: a miss never shows its id
     "P4 incident SD-0275 resolution after 164 hours 39 minutes of working time "
     "(target 5 days: 45 hours of working time)",
     "P4 事件 SD-0275 解决用时 164 小时 39 分钟（工作时间）"
     "（目标 5 天，即 45 小时 工作时间）"),
    (Miss("P2 incident (not public) no first response by ...", code="not-done",
          params={**P1, "priority": "P2", "id": "(not public)", "goal": "1d",
                  "due": "2026-11-25T14:07:00+08:00"}),
     "P2 incident (not public) no first response by its deadline 25 Nov 2026, 14:07 UTC+08:00 "
     "(target 1 day)",
     "P2 事件 （未公开） 未在截止时间 2026年11月25日 14:07 (UTC+08:00) "
     "前完成首次响应（目标 1 天）"),
    (Reason("no-incidents-counted", {"priority": "P1"}, "no incidents counted in this period"),
     "no P1 incidents in this period", "本周期没有 P1 事件"),
    (Reason("no-complaints-counted", {}, "no complaints counted in this period"),
     "no complaints in this period", "本周期没有投诉"),
    (Reason("few-responses", {"n": 0, "needed": 10}, "0 responses, fewer than the 10 needed"),
     "no survey answers in this period", "本周期没有调查回复"),
    (Reason("few-responses", {"n": 3, "needed": 10}, "3 responses, fewer than the 10 needed"),
     "3 responses, fewer than the 10 needed", "3 份回复，少于所需的 10 份"),
    (Reason("incidents-pending", {"n": 2}, "..."),
     "2 incident(s) still within their target time, not counted yet",
     "2 个事件仍在目标时间内，尚未计入"),
    (Reason("low-coverage", {"coverage": 0.8, "needed": 0.9}, "..."),
     "data for 80% of the period, below the 90% needed",
     "数据仅覆盖本周期的 80%，低于所需的 90%"),
    (Reason("gap", {"start": "2026-08-12T01:00+00:00", "end": "2026-08-12T03:00+00:00",
                    "why": "no samples in this interval"}, "..."),
     "no data 12 Aug 2026, 01:00 UTC to 12 Aug 2026, 03:00 UTC: no samples in this interval",
     "2026年8月12日 01:00 (UTC) 至 2026年8月12日 03:00 (UTC) 无数据：no samples in this interval"),
    (Reason("unseen-outage", {"start": "2026-11-20T09:00:00+08:00",
                              "end": "2026-11-20T11:30:00+08:00", "priority": "P1"}, "..."),
     "no data from 20 Nov 2026, 09:00 UTC+08:00 to 20 Nov 2026, 11:30 UTC+08:00 while a P1 "
     "incident was open: the figure cannot show that outage",
     "2026年11月20日 09:00 (UTC+08:00) 至 2026年11月20日 11:30 (UTC+08:00) "
     "无数据，期间有 P1 事件未解决："
     "该数值无法反映这次故障"),
    (Miss("complaint CMP-3 no resolution by ...", code="not-done",
          params={"subject": "complaint", "priority": "", "id": "CMP-3", "step": "resolution",
                  "clock": "", "goal": "2w", "due": "2026-11-20T10:00:00+01:00"}),
     "complaint CMP-3 no resolution by its deadline 20 Nov 2026, 10:00 UTC+01:00 "
     "(target 2 weeks)",
     "投诉 CMP-3 未在截止时间 2026年11月20日 10:00 (UTC+01:00) 前完成解决（目标 2 周）"),
    (Miss("P1 incident ACME-INC-8 lost 40 minutes of data ...", code="data-lost",
          params={"priority": "P1", "id": "ACME-INC-8", "lost_s": 2400, "goal": "15m"}),
     "P1 incident ACME-INC-8 lost 40 minutes of data (target at most 15 minutes)",
     "P1 事件 ACME-INC-8 丢失 40 分钟 的数据（目标不超过 15 分钟）"),
    (Reason("loss-not-recorded", {"priority": "P1", "id": "INC-8"}, "..."),
     "P1 incident INC-8: no data loss recorded", "P1 事件 INC-8：未记录数据丢失量"),
    (Miss("P1 incident INC-2 escalated ...", code="escalated-late",
          params={"priority": "P1", "id": "INC-2", "level": 2, "name": "Team lead",
                  "goal": "1h", "took_s": 5400, "clock": ""}),
     "P1 incident INC-2 escalated to level 2 (Team lead) after 1 hour 30 minutes "
     "(target 1 hour)",
     "P1 事件 INC-2 升级到第 2 级（Team lead）用时 1 小时 30 分钟（目标 1 小时）"),
    (Miss("P1 incident ACME-INC-8 not escalated ...", code="not-escalated",
          params={"priority": "P1", "id": "ACME-INC-8", "level": 3, "name": "",
                  "goal": "4h", "due": "2026-11-19T07:20:00+01:00"}),
     "P1 incident ACME-INC-8 not escalated to level 3 by 19 Nov 2026, 07:20 UTC+01:00 "
     "(target 4 hours)",
     "P1 事件 ACME-INC-8 未在 2026年11月19日 07:20 (UTC+01:00) 前升级到第 3 级（目标 4 小时）"),
]


@pytest.mark.parametrize(("item", "english", "chinese"), WORDED)
def test_each_reason_is_worded_from_its_code_in_both_languages(
    item: Reason | Miss, english: str, chinese: str
) -> None:
    assert say(item, "en") == english
    assert say(item, "zh") == chinese


def test_every_reason_code_has_a_catalogue_entry_in_both_languages() -> None:
    for code in REASON_CODES:
        entry = STRINGS["reason." + code]
        assert entry["en"] and entry["zh"] and entry["en"] != entry["zh"], code
    worded = {item.code for item, _, _ in WORDED}
    # each code a page can show is worded by a case above (the rest are plain sentences)
    plain = {"gaps-more", "no-measurements", "counts-too-large", "no-incident-records",
             "no-complaint-records", "no-survey-records", "complaints-pending"}
    assert set(REASON_CODES) == worded | plain
    for code in plain:
        r = Reason(code, {"n": 4})
        assert say(r, "zh") == t("reason." + code, "zh", n=4) and not ENGLISH.search(
            say(r, "zh")), code


def test_a_frozen_record_without_codes_shows_its_english_text_as_it_is() -> None:
    # ledger records frozen before reasons had codes hold their English words only
    old = Miss("P1 incident PAY-107 first response after 42 minutes (target 15 minutes)")
    assert say(old, "zh") == say(old, "en") == old.what
    assert say(Reason(text="prometheus answered HTTP 503"), "zh") == "prometheus answered HTTP 503"
    # the frozen sentence that a period counted nothing reads as today's does
    legacy = Reason(text="no incidents counted in this period")
    assert say(legacy, "zh") == "本周期没有事件"
    assert nothing_counted((legacy,), "en") == "no incidents in this period"
    # ...and a code this version does not know falls back to the text as well
    assert say(Reason("from-the-future", {"x": 1}, "later words"), "zh") == "later words"


def test_every_miss_and_reason_of_the_demo_is_worded_in_chinese() -> None:
    # evaluation gives every reason of the demo a code the catalogue words
    from slacode.config import load_settings
    from slacode.pipeline import evaluate_project

    ev = evaluate_project(load_settings(ROOT))
    items = [m for r in ev.results for p in r.periods for m in p.misses]
    items += [x for r in ev.results for p in r.periods for x in p.reasons]
    assert len({say(i, "en") for i in items}) > 20
    assert all(i.code in REASON_CODES for i in items), {i.code for i in items} - set(
        REASON_CODES)
    # a gap's own reason comes from the data source and may stay English
    english = {say(i, "zh") for i in items if i.code != "gap"
               if ENGLISH.search(say(i, "zh"))}
    assert english == set()


# --- the change history -------------------------------------------------------------------

def _agreements() -> tuple:
    """Two versions of one agreement that differ in every field semdiff compares. Values
    from the agreement (names, scope items, contacts) are words no phrase uses, so that
    what is left in English after translation can only be the agreement's own text."""
    d = Duration.parse
    src = Source("file", path="data/x.csv")
    src2 = Source("file", path="data/y.csv")
    utc = datetime.fromisoformat

    def obj(id: str, kind: str, **kw: object) -> Objective:
        return Objective(id=id, kind=kind, target=kw.pop("target", 99.9),  # type: ignore[arg-type]
                         window=kw.pop("window", Window("month")),
                         source=kw.pop("source", src), **kw)  # type: ignore[arg-type]

    old = Agreement(
        id="zeta-pay", name="Zeta Pay", version=1, effective=date(2026, 1, 1),
        path="slas/zeta-pay.yaml", visibility="public", timezone="UTC", owners=("@alpha",),
        provider=Party("Acme"), customer=Party("Globex"), description="Qux one",
        scope=("Qux API", "Quux hooks"), exclusions=("Sandbox",),
        plans=(Plan("gold", "Gold", monthly_fee=10, currency="USD"), Plan("tin", "Tin"),
               Plan("lead", "Lead")),
        support=Support(hours="office", channels=(Party("Mail", "a@x.io"), Party("Pager", "p")),
                        reporting="Qux letter"),
        calendars=(Calendar("office", "Asia/Shanghai", start=time(9), end=time(18),
                            holidays="CN", extra_holidays=(date(2026, 2, 1),)),
                   Calendar("desk", "Asia/Shanghai"),
                   Calendar("old-cal", "Europe/Berlin")),
        objectives=(
            obj("avail", "availability", method="slices", slice=d("5m"), slice_threshold=5.0),
            obj("lat", "latency", threshold=d("300ms"), window=Window("rolling", 28)),
            obj("p1-resp", "response-time", priority="P1", within=d("15m"),
                window=Window("quarter")),
            obj("p2-res", "resolution-time", priority="P2", within=d("1d"), clock="desk"),
            obj("csat", "satisfaction", method="share", target=80, at_least=4, min_responses=10,
                window=Window("year")),
            obj("gone", "availability", window=Window("year")),
        ),
        priorities=(Priority("P1", response=d("15m"), resolution=d("4h")),
                    Priority("P9", response=d("1d"))),
        maintenance_policy=MaintenancePolicy(notice=d("7d"), max_per_month=d("4h")),
        maintenance=(Maintenance(utc("2026-03-01T01:00+00:00"), utc("2026-03-01T03:00+00:00")),),
        credits=Credits("avail", (CreditTier(99.9, 10), CreditTier(99.0, 25),
                                  CreditTier(95.0, 50)), cap=100, claim_within=d("30d"),
                        monthly_fee=100, currency="USD",
                        bonuses=(Bonus(99.99, 5), Bonus(99.999, 8))),
        responsibilities_provider=("Qux keep",), responsibilities_customer=("Quux tell",),
        escalation=(EscalationLevel(1, "duty@x.io", d("1h")), EscalationLevel(2, "lead@x.io"),
                    EscalationLevel(3, "boss@x.io")),
        complaints="gripe@x.io",
        continuity=Continuity(rto=d("4h"), rpo=d("1h"), contacts=(Contact("Zed"),),
                              plans=("Qux drill",)),
        contract=Contract("C-1", date(2026, 1, 1), None, "Qux yearly"),
        review=Review(d("1y"), date(2026, 1, 1)),
        depends_on=("dep-a",), underpins=("up-a",),
    )
    new = replace(
        old, id="zeta-pay2", name="Zeta Pay Two", version=2, effective=date(2026, 6, 1),
        visibility="customer:globex", timezone="Asia/Shanghai", owners=(),
        provider=Party("Acme2", "ops@acme.io"), customer=Party("Globex2"),
        description="Qux two", scope=("Qux API", "Corge feed"), exclusions=("Grault",),
        plans=(Plan("gold", "Gold", monthly_fee=12, currency="USD"), Plan("tin", "Tin2"),
               Plan("iron", "Iron")),
        support=Support(hours="desk", channels=(Party("Mail", "b@x.io"), Party("Chat", "c")),
                        reporting=""),
        calendars=(Calendar("office", "Europe/Berlin", weekdays=(0, 2), start=time(10),
                            end=time(17), holidays="DE", subdivision="BY",
                            extra_holidays=(date(2026, 3, 1),),
                            extra_working_days=(date(2026, 4, 4),)),
                   Calendar("desk", "Asia/Shanghai", weekdays=(0, 1, 2, 3, 4, 5, 6)),
                   Calendar("new-cal", "Asia/Tokyo")),
        objectives=(
            obj("avail", "availability", target=99.5, method="events", zero_traffic="bad",
                resolution=d("5m")),
            obj("lat", "latency", threshold=d("500ms"), window=Window("rolling", 30),
                min_coverage=0.8, name="Zippy"),
            obj("p1-resp", "response-time", priority="P2", within=d("30m"), clock="office",
                window=Window("quarter")),
            obj("p2-res", "resolution-time", priority="P2", within=d("2d"), clock="24x7"),
            obj("csat", "satisfaction", method="mean", target=4.5, at_least=3,
                min_responses=20, scale_min=0, scale_max=10, window=Window("year")),
            obj("fresh", "latency", threshold=d("1s")),
            obj("kind", "latency", threshold=d("1s"), source=src2),
        ),
        priorities=(Priority("P1", response=d("30m"), resolution=d("8h"), clock="office",
                             name="Urgent"),
                    Priority("P3", resolution=d("5d"))),
        maintenance_policy=MaintenancePolicy(notice=d("3d")),
        maintenance=(Maintenance(utc("2026-04-01T01:00+00:00"), utc("2026-04-01T03:00+00:00")),),
        credits=Credits("lat", (CreditTier(99.9, 15), CreditTier(98.0, 25),
                                CreditTier(90.0, 100)), cap=50, claim_within=d("60d"),
                        monthly_fee=120, currency="EUR",
                        bonuses=(Bonus(99.99, 6), Bonus(99.95, 2))),
        responsibilities_provider=("Qux keep2",), responsibilities_customer=("Quux tell2",),
        escalation=(EscalationLevel(1, "duty@x.io", d("2h")), EscalationLevel(2, "chief@x.io"),
                    EscalationLevel(4, "ceo@x.io", d("1d"))),
        complaints="",
        continuity=Continuity(rto=d("8h"), rpo=None, contacts=(Contact("Zoe"),),
                              plans=("Qux flood",)),
        contract=Contract("C-2", date(2026, 1, 1), date(2027, 1, 1), "Qux never"),
        review=Review(d("6mo")),
        depends_on=(), underpins=("up-a", "up-b"),
    )
    # the same objective measuring another kind, the same window kind with another length
    moved = replace(new, objectives=(*new.objectives[:-1], obj("kind", "availability")),
                    support=Support(hours="24x7"), credits=None)
    return old, new, moved


def _history_changes() -> list[Change]:
    old, new, moved = _agreements()
    pairs = [(old, new), (new, old), (new, moved), (moved, new), (None, old), (old, None),
             (replace(old, visibility="internal"), old),
             (old, replace(old, complaints="Zed@x.io"))]
    out = [c for a, b in pairs for c in diff_agreements(a, b)]
    entry = ChangeEntry("zeta-pay", "slas/zeta-pay.yaml", "0" * 40, None, "", "", None,  # type: ignore[arg-type]
                        2, old.effective, (), visibility="public",
                        previous_visibility="internal")
    out += list(for_audience([entry], "public")[0].changes)
    # as slacode.history.versions writes them for the change log
    out += [Change("agreement rewritten (the previous version could not be read)",
                   code="agreement-rewritten"),
            Change(f"file renamed from {RENAMED}", promise=False, code="file-renamed",
                   params={"old": RENAMED})]
    return out


RENAMED = "slas/old-name.yaml"


def _agreement_words() -> set[str]:
    """Every word the test agreements themselves contain (names, ids, contacts, zones)."""
    def words(x: object) -> set[str]:
        if isinstance(x, str):
            return set(re.findall(r"[A-Za-z]+", x))
        if dataclasses.is_dataclass(x):
            return set().union(*(words(getattr(x, f.name)) for f in dataclasses.fields(x)))
        if isinstance(x, tuple | list):
            return set().union(set(), *(words(v) for v in x))
        return set()

    return set().union(words(RENAMED), *(words(a) for a in _agreements()))


#: words kept in a Chinese line: units and abbreviations people write in Chinese text too
KEPT = {"P1", "P2", "P3", "P9", "RTO", "RPO", "USD", "EUR", "x", "T", "UTC"}


def test_every_change_carries_a_code_the_catalogue_words_in_both_languages() -> None:
    made = _history_changes()
    assert len(made) > 90  # every kind of change semdiff words, both ways
    assert [c.what for c in made if c.code not in CHANGE_CODES] == []
    assert set(CHANGE_CODES) == {c.code for c in made}  # and each code is made above
    for code in CHANGE_CODES:
        assert set(STRINGS["change." + code]) == {"en", "zh"}, code


def test_every_change_reads_in_chinese_with_the_agreements_own_words_kept() -> None:
    own = _agreement_words() | KEPT
    left = {}
    for c in _history_changes():
        chinese = changes.say(c, "zh")
        english_words = set(re.findall(r"[A-Za-z]+", chinese)) - own
        if english_words or chinese == c.what:
            left[c.what] = chinese
    assert left == {}


def test_every_change_reads_in_english_from_its_code() -> None:
    # worded from the catalogue (not the stored line), yet saying what the line says
    for c in _history_changes():
        english = changes.say(c, "en")
        assert english, c.what
        assert not re.search(r"[\u4e00-\u9fff]", english), english
        words = set(re.findall(r"[a-z]{4,}", english))
        assert words <= set(re.findall(r"[a-z]{4,}", c.what)) | {
            "rolling", "days", "customer"}, (c.what, english)


def _one(code: str, **match: object) -> Change:
    return next(c for c in _history_changes() if c.code == code
                and all(c.params.get(k) == v for k, v in match.items()))


@pytest.mark.parametrize(("code", "match", "english", "chinese"), [
    ("objective-target", {"objective": "avail", "old": 99.9},
     "monthly availability target 99.9% → 99.5%", "月度可用性目标 99.9% → 99.5%"),
    ("objective-within", {"objective": "p1-resp", "old": "15m"},
     "quarterly P2 response within 15 minutes → 30 minutes",
     "季度 P2 响应时限 15 分钟 → 30 分钟"),
    ("objective-window", {"objective": "lat", "old": "rolling-28d"},
     "rolling 30-day latency window rolling 28 days → rolling 30 days",
     "滚动 30 天延迟统计周期 滚动 28 天 → 滚动 30 天"),
    ("objective-added", {"objective": "fresh"},
     "objective fresh added: monthly latency (fresh) target 99.9%",
     "新增指标“fresh”：月度延迟（fresh），目标 99.9%"),
    ("credit-raised", {"below": 99.9},
     "credit for below 99.9% raised 10% → 15%", "低于 99.9% 时的赔偿提高：10% → 15%"),
    ("credit-moved", {"credit": 25},
     "credit of 25% now below 98.0% (was below 99.0%)",
     "25% 的赔偿现适用于低于 98.0%（原为低于 99.0%）"),
    ("credit-tier-added", {"credit": 100},
     "credit tier added: 100% below 90.0%", "新增赔偿档：低于 90.0% 时 100%"),
    ("support-hours", {},
     "support hours now Mon–Sun 00:00–24:00 (Asia/Shanghai) (was Mon–Fri 09:00–18:00)",
     "支持时间现为 周一至周日 00:00–24:00（Asia/Shanghai）（原为 周一至周五 09:00–18:00）"),
    ("agreement-added", {"id": "zeta-pay"},
     "agreement zeta-pay added (version 1, effective 1 Jan 2026)",
     "协议 zeta-pay 已创建（版本 1，2026年1月1日 生效）"),
    ("effective", {"old": "2026-01-01"},
     "effective 1 Jan 2026 → 1 Jun 2026", "生效日期 2026年1月1日 → 2026年6月1日"),
    ("maintenance-added", {"start": "2026-04-01T01:00:00+00:00"},
     "planned maintenance added: 1 Apr 2026, 01:00 UTC – 1 Apr 2026, 03:00 UTC",
     "新增计划维护：2026年4月1日 01:00 (UTC) – 2026年4月1日 03:00 (UTC)"),
    ("item-added", {"item": "Corge feed"}, "scope added: Corge feed", "服务范围新增：Corge feed"),
    ("escalation-added", {"level": 4}, "escalation level 4 added: ceo@x.io after 1 day",
     "新增第 4 级升级：ceo@x.io（1 天后）"),
    ("visibility", {"old": "public"}, "visibility public → customer globex",
     "可见范围 公开 → 客户 globex"),
])
def test_a_change_is_worded_from_its_code_and_params(code: str, match: dict, english: str,
                                                      chinese: str) -> None:
    c = _one(code, **match)
    assert (changes.say(c, "en"), changes.say(c, "zh")) == (english, chinese)


def test_a_change_names_its_objective_as_the_page_names_it() -> None:
    c = _one("objective-removed", objective="gone")
    assert changes.say(c, "zh", {"gone": "旧可用性"}) == \
        "指标“旧可用性”已移除（年度可用性，目标 99.9%）"
    assert changes.say(c, "en", {"gone": "Old uptime"}) == \
        "objective Old uptime removed (yearly availability target 99.9%)"


def test_the_agreements_own_text_in_a_change_stays_as_written() -> None:
    # a scope item that reads like a change is still the agreement's text
    fake = "monthly availability target 99.9% → 90%"
    scope = Change(f"scope added: {fake}", code="item-added",
                   params={"list": "scope", "item": fake})
    assert changes.say(scope, "zh") == f"服务范围新增：{fake}"
    # nothing is escaped here: the page escapes the line once
    channel = Change("support channel <b>On call</b> now +1 555 <i>", code="channel",
                     params={"channel": "<b>On call</b>", "contact": "+1 555 <i>"})
    assert changes.say(channel, "zh") == "支持渠道 <b>On call</b> 现为 +1 555 <i>"


def test_a_change_stored_without_a_code_shows_its_english_as_it_is() -> None:
    # history stored before codes existed, and a code or params this version lacks
    old = Change("monthly availability target 99.9% → 99.95%")
    assert changes.say(old, "zh") == changes.say(old, "en") == old.what
    odd = Change("something new changed", code="something-new", params={"x": 1})
    assert changes.say(odd, "zh") == "something new changed"
    short = Change("credit cap 100% → 50%", code="credit-cap", params={"old": 100})
    assert changes.say(short, "zh") == "credit cap 100% → 50%"


def test_every_change_of_the_demo_history_reads_in_chinese() -> None:
    # the demo's own change log, as git has it: what its service pages show
    made = [c for entries in history(ROOT).values() for e in entries for c in e.changes]
    if not made:
        pytest.skip("no git history here (a shallow clone or an export)")
    assert [c.what for c in made if not c.code] == []
    # ids (p1-resolution) are the agreement's own words, kept as written
    left = {c.what: z for c in made
            if ENGLISH_CHANGE.search(re.sub(r"\S+-\S+", "", z := changes.say(c, "zh")))}
    assert left == {}


ENGLISH_CHANGE = re.compile(r"\b(agreement|added|removed|target|monthly|quarterly|yearly|"
                            r"availability|latency|response|resolution|version|effective)\b")
