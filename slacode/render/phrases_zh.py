"""Chinese for the change history: what :mod:`slacode.history` writes about a change of
an agreement, in English (``slacode diff``, pull-request comments, the change log).

Evaluation's reasons and misses are no longer translated here: results carry them as a
code with parameters, worded per language by :mod:`slacode.render.reasons` through the
one catalogue (:mod:`slacode.render.strings`). The change history still comes as English
text from git history; until history carries codes too, a Chinese site shows its fixed
words in Chinese through the patterns below.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

_UNITS = {"millisecond": "毫秒", "second": "秒", "minute": "分钟", "hour": "小时",
          "day": "天", "week": "周", "month": "个月", "year": "年"}
_AMOUNT = re.compile(r"(\d+) (millisecond|second|minute|hour|day|week|month|year)s?\b")


# --- the change history ---------------------------------------------------------------
# What :mod:`slacode.history.semdiff` (and ``history.versions``) write about a change of an
# agreement ("monthly availability target 99.9% → 99.95%"). The change log keeps English
# (``slacode diff``, pull-request comments); a Chinese site shows the fixed words in
# Chinese and every value from the agreement (names, scope items, contacts, ids) as it is.
# ``tests/render/test_render_phrases.py`` makes every kind of change and checks each one.

_DAY_ZH = dict(zip(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
                   ("周一", "周二", "周三", "周四", "周五", "周六", "周日"), strict=True))
_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_DAYS = rf"(?:no days|{_DAY}–{_DAY}|{_DAY}(?:, {_DAY})*)"
_HOURS = r"\d\d:\d\d–\d\d:\d\d"
_DUR = r"(?:none|\d+ (?:millisecond|second|minute|hour|day|week|month|year)s?)"
_PERIOD_ZH = {"monthly": "月度", "quarterly": "季度", "yearly": "年度"}
_KIND_ZH = {"availability": "可用性", "latency": "延迟", "response": "响应",
            "resolution": "解决", "satisfaction": "满意度",
            "complaint-response": "投诉受理", "complaint-resolution": "投诉解决",
            "recovery-time": "恢复时间（RTO）", "recovery-point": "恢复点（RPO）",
            "escalation": "升级时效"}
#: the kinds a change names an objective by (semdiff's words), longest first
_KINDS = ("complaint-response|complaint-resolution|recovery-time|recovery-point|escalation|"
          "availability|latency|response|resolution|satisfaction")
_MEASURE_ZH = {"availability": "可用性", "latency": "延迟", "response-time": "响应时间",
               "complaint-response": "投诉受理时间", "complaint-resolution": "投诉解决时间",
               "recovery-time": "恢复时间（RTO）", "recovery-point": "恢复点（RPO）",
               "escalation": "升级时效", "resolution-time": "解决时间", "satisfaction": "满意度"}
_METHOD_ZH = {"events": "按请求计", "slices": "按时间片计", "mean": "平均分",
              "share": "达标占比", "default": "默认"}
_TRAFFIC_ZH = {"good": "达标", "bad": "不达标", "no-data": "无数据"}
_LIST_ZH = {"scope": "服务范围", "exclusion": "排除项", "provider responsibility": "服务方职责",
            "customer responsibility": "客户职责", "contingency plan": "应急预案",
            "disaster priority": "按 RTO/RPO 考核的事件优先级"}
_LABEL = (r"(?:rolling \d+-day|monthly|quarterly|yearly) (?:\S+ )?"
          rf"(?:{_KINDS})(?: \([^\s()]+\))?")
_LABEL_PARTS = re.compile(r"(rolling (\d+)-day|monthly|quarterly|yearly) (?:(\S+) )?"
                          rf"({_KINDS})"
                          r"(?: \(([^\s()]+)\))?")
_CAL = r"support hours|business hours of calendar \S+"
_CAL_DAYS = r"support days|business days of calendar \S+"
_ADDED = {"added": "新增", "removed": "移除"}


def _none(text: str) -> str:
    """``none`` and ``default``, the words semdiff writes for a missing value."""
    return {"none": "无", "default": "默认"}.get(text, text)


def _dur(text: str) -> str:
    """``15 minutes`` -> ``15 分钟``; ``none`` -> ``无``; anything else as it is."""
    m = _AMOUNT.fullmatch(text)
    return f"{m[1]} {_UNITS[m[2]]}" if m else _none(text)


def _days(text: str) -> str:
    """``Mon–Fri`` -> ``周一至周五``, ``Mon, Wed`` -> ``周一、周三``."""
    if text == "no days":
        return "无"
    return re.sub(_DAY, lambda m: _DAY_ZH[m[0]], text).replace("–", "至").replace(", ", "、")


def _clock(text: str) -> str:
    """A clock or support hours: ``24x7``, ``Mon–Fri 09:00–18:00 (Asia/Shanghai)`` or an id."""
    if text == "24x7":
        return "7x24"
    m = re.fullmatch(rf"({_DAYS}) ({_HOURS})(?: \((\S+)\))?", text)
    if m is None:
        return text
    return f"{_days(m[1])} {m[2]}" + (f"（{m[3]}）" if m[3] else "")


def _objective(text: str) -> str:
    """``quarterly P1 response (p1)`` -> ``季度 P1 响应（p1）``."""
    m = _LABEL_PARTS.fullmatch(text)
    if m is None:
        return text
    period = f"滚动 {m[2]} 天" if m[2] else _PERIOD_ZH[m[1]]
    kind = f" {m[3]} {_KIND_ZH[m[4]]}" if m[3] else _KIND_ZH[m[4]]
    return period + kind + (f"（{m[5]}）" if m[5] else "")


def _cal(text: str) -> str:
    """``support hours`` / ``business days of calendar office`` in Chinese."""
    m = re.fullmatch(r"business (hours|days) of calendar (\S+)", text)
    if m:
        return f"日历 {m[2]} 的{'工作时间' if m[1] == 'hours' else '工作日'}"
    return {"support hours": "支持时间", "support days": "支持日"}.get(text, text)


def _window(text: str) -> str:
    m = re.fullmatch(r"rolling-(\d+)d", text)
    if m:
        return f"滚动 {m[1]} 天"
    return {"calendar-month": "自然月", "calendar-quarter": "自然季度",
            "calendar-year": "自然年"}.get(text, text)


def _visibility(text: str) -> str:
    if text.startswith("customer:"):
        return f"客户 {text.removeprefix('customer:')}"
    return {"public": "公开", "internal": "内部"}.get(text, text)


def _tiers(text: str) -> str:
    """``10% below 99.9%, 25% below 99.0%`` -> ``低于 99.9% 时 10%，低于 99.0% 时 25%``."""
    return "，".join(re.sub(r"(\S+) below (\S+)", r"低于 \2 时 \1", t) for t in text.split(", "))


def _contract(text: str) -> str:
    m = re.fullmatch(r"(?:reference (.+?))?(?:(?:, )?from (\d{4}-\d{2}-\d{2}))?"
                     r"(?:(?:, )?until (\d{4}-\d{2}-\d{2}))?(?:(?:, )?renewal (.+))?", text)
    if text == "none" or m is None or not any(m.groups()):
        return _none(text)
    parts = [f"{k} {v}" for k, v in zip(("编号", "起始", "截止", "续约"), m.groups(),
                                         strict=True) if v]
    return "，".join(parts)


# What may follow an objective's label ("monthly availability ...").
_OBJECTIVE_WHAT: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"target (\S+) → (\S+)"), lambda m: f"目标 {m[1]} → {m[2]}"),
    (re.compile(r"now measures (\S+) \(was (\S+)\)"),
     lambda m: f"现衡量{_MEASURE_ZH.get(m[1], m[1])}（原为{_MEASURE_ZH.get(m[2], m[2])}）"),
    (re.compile(r"window (\S+) → (\S+)"),
     lambda m: f"统计周期 {_window(m[1])} → {_window(m[2])}"),
    (re.compile(r"method (\S+) → (\S+)"),
     lambda m: f"计算方式 {_METHOD_ZH.get(m[1], m[1])} → {_METHOD_ZH.get(m[2], m[2])}"),
    (re.compile(rf"threshold ({_DUR}) → ({_DUR})"),
     lambda m: f"阈值 {_dur(m[1])} → {_dur(m[2])}"),
    (re.compile(rf"within ({_DUR}) → ({_DUR})"), lambda m: f"时限 {_dur(m[1])} → {_dur(m[2])}"),
    (re.compile(r"priority (\S+) → (\S+)"), lambda m: f"优先级 {_none(m[1])} → {_none(m[2])}"),
    (re.compile(r"clock (\S+) → (\S+)"), lambda m: f"计时方式 {_clock(m[1])} → {_clock(m[2])}"),
    (re.compile(rf"time slice ({_DUR}) → ({_DUR})"),
     lambda m: f"时间片 {_dur(m[1])} → {_dur(m[2])}"),
    (re.compile(r"a slice is bad above (\S+) → (\S+) errors"),
     lambda m: f"时间片不达标的错误率阈值 {_none(m[1])} → {_none(m[2])}"),
    (re.compile(r"an interval without traffic counts as (\S+) \(was (\S+)\)"),
     lambda m: f"无流量时段现计为{_TRAFFIC_ZH.get(m[1], m[1])}"
               f"（原为{_TRAFFIC_ZH.get(m[2], m[2])}）"),
    (re.compile(r"score scale (\S+) → (\S+)"), lambda m: f"评分范围 {m[1]} → {m[2]}"),
    (re.compile(r"a response counts when the score is at least (\S+) → (\S+)"),
     lambda m: f"计为满意的最低评分 {_none(m[1])} → {_none(m[2])}"),
    (re.compile(r"minimum responses (\d+) → (\d+)"), lambda m: f"最少回复数 {m[1]} → {m[2]}"),
    (re.compile(r"minimum data coverage (\S+) → (\S+)"),
     lambda m: f"最低数据覆盖率 {m[1]} → {m[2]}"),
    (re.compile(r"measurement source changed"), lambda m: "度量来源已变更"),
    (re.compile(r"reworded"), lambda m: "名称或说明已改写"),
]


def _objective_change(m: re.Match[str]) -> str | None:
    for pattern, words in _OBJECTIVE_WHAT:
        w = pattern.fullmatch(m[2])
        if w is not None:
            return f"{_objective(m[1])}{words(w)}"
    return None  # not an objective's change after all: another pattern may know it


_CHANGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str | None]]] = [
    # agreements as a whole (semdiff and history.versions)
    (re.compile(r"agreement (\S+) added \(version (\d+), effective (\S+)\)"),
     lambda m: f"协议 {m[1]} 已创建（版本 {m[2]}，{m[3]} 生效）"),
    (re.compile(r"agreement (\S+) removed"), lambda m: f"协议 {m[1]} 已移除"),
    (re.compile(r"agreement (\S+) published(?: \(version (\d+), effective (\S+)\))?"),
     lambda m: f"协议 {m[1]} 已公开" + (f"（版本 {m[2]}，{m[3]} 生效）" if m[2] else "")),
    (re.compile(r"agreement rewritten \(the previous version could not be read\)"),
     lambda m: "协议已重写（无法读取上一版本）"),
    (re.compile(r"file renamed from (\S+) to (\S+)"),
     lambda m: f"文件由 {m[1]} 重命名为 {m[2]}"),
    (re.compile(r"file renamed from (.+)"), lambda m: f"文件由 {m[1]} 重命名而来"),
    # objectives (before priorities: "monthly response ..." is an objective's label)
    (re.compile(rf"objective (\S+) added: ({_LABEL}) target (\S+)"),
     lambda m: f"新增指标 {m[1]}：{_objective(m[2])}，目标 {m[3]}"),
    (re.compile(rf"objective (\S+) removed \(({_LABEL}) target (\S+)\)"),
     lambda m: f"指标 {m[1]} 已移除（{_objective(m[2])}，目标 {m[3]}）"),
    (re.compile(rf"({_LABEL}) (.+)"), _objective_change),
    # bookkeeping
    (re.compile(r"version (\d+) → (\d+)"), lambda m: f"版本 {m[1]} → {m[2]}"),
    (re.compile(r"effective (\S+) → (\S+)"), lambda m: f"生效日期 {m[1]} → {m[2]}"),
    (re.compile(r"id (\S+) → (\S+)"), lambda m: f"标识 {m[1]} → {m[2]}"),
    (re.compile(r"name (.+ → .+)"), lambda m: f"名称 {m[1]}"),
    (re.compile(r"visibility (\S+) → (\S+)"),
     lambda m: f"可见范围 {_visibility(m[1])} → {_visibility(m[2])}"),
    (re.compile(r"provider now (.+)"), lambda m: f"服务方现为 {m[1]}"),
    (re.compile(r"customer now (.+)"), lambda m: f"客户现为 {m[1]}"),
    (re.compile(r"service description reworded"), lambda m: "服务说明已改写"),
    (re.compile(r"owners now (.+)"), lambda m: f"负责人现为 {_none(m[1])}"),
    (re.compile(r"periods now counted in timezone (\S+) \(was (\S+)\)"),
     lambda m: f"周期现按时区 {m[1]} 计算（原为 {m[2]}）"),
    (re.compile(r"dependencies on other services changed \((\d+) → (\d+)\)"),
     lambda m: f"所依赖的服务已变更（{m[1]} → {m[2]} 个）"),
    (re.compile(r"services this one underpins changed \((\d+) → (\d+)\)"),
     lambda m: f"依赖本服务的服务已变更（{m[1]} → {m[2]} 个）"),
    (re.compile(r"contract now (.+)"), lambda m: f"合同现为 {_contract(m[1])}"),
    (re.compile(rf"review every ({_DUR}) → ({_DUR})"),
     lambda m: f"复审周期 {_dur(m[1])} → {_dur(m[2])}"),
    (re.compile(r"last review (\S+)"), lambda m: f"上次复审 {_none(m[1])}"),
    (re.compile(r"complaints channel (added|removed): (.+)"),
     lambda m: f"投诉渠道{_ADDED[m[1]]}：{m[2]}"),
    (re.compile(r"complaints channel now (.+)"), lambda m: f"投诉渠道现为 {_none(m[1])}"),
    (re.compile(r"plan (.+) fee (.+) → (.+)"),
     lambda m: f"套餐 {m[1]} 费用 {_none(m[2])} → {_none(m[3])}"),
    (re.compile(r"plan (.+) (added|removed|reworded)"),
     lambda m: f"套餐 {m[1]} " + {"added": "已新增", "removed": "已移除",
                                   "reworded": "已改写"}[m[2]]),
    # lists of text (scope, exclusions, responsibilities, contingency plans, the priorities
    # judged against the RTO and RPO)
    (re.compile(r"(scope|exclusion|provider responsibility|customer responsibility|"
                r"contingency plan|disaster priority) (added|removed): (.*)"),
     lambda m: f"{_LIST_ZH[m[1]]}{_ADDED[m[2]]}：{m[3]}"),
    # support
    (re.compile(r"support hours now (.+) \(was (.+)\)"),
     lambda m: f"支持时间现为 {_clock(m[1])}（原为 {_clock(m[2])}）"),
    (re.compile(r"support channel (added|removed): (.+)"),
     lambda m: f"{_ADDED[m[1]]}支持渠道：{m[2]}"),
    (re.compile(r"support channel (.+?) now (.+)"),
     lambda m: f"支持渠道 {m[1]} 现为 {m[2]}"),
    (re.compile(r"reporting now: (.+)"), lambda m: f"报告方式现为：{_none(m[1])}"),
    # calendars
    (re.compile(rf"calendar (\S+) added: ({_DAYS}) ({_HOURS}) \((\S+)\)"),
     lambda m: f"新增日历 {m[1]}：{_days(m[2])} {m[3]}（{m[4]}）"),
    (re.compile(r"calendar (\S+) removed"), lambda m: f"日历 {m[1]} 已移除"),
    (re.compile(rf"({_CAL}) now ({_HOURS}) \(were ({_HOURS})\)"),
     lambda m: f"{_cal(m[1])}现为 {m[2]}（原为 {m[3]}）"),
    (re.compile(rf"({_CAL_DAYS}) now ({_DAYS}) \(were ({_DAYS})\)"),
     lambda m: f"{_cal(m[1])}现为{_days(m[2])}（原为{_days(m[3])}）"),
    (re.compile(rf"({_CAL}) timezone (\S+) → (\S+)"),
     lambda m: f"{_cal(m[1])}的时区 {m[2]} → {m[3]}"),
    (re.compile(rf"({_CAL}): public holidays (\S+) → (\S+)"),
     lambda m: f"{_cal(m[1])}：公众假期 {_none(m[2])} → {_none(m[3])}"),
    (re.compile(rf"({_CAL}): extra holidays (added|removed): (.+)"),
     lambda m: f"{_cal(m[1])}：{_ADDED[m[2]]}额外假日 {m[3].replace(', ', '、')}"),
    (re.compile(rf"({_CAL}): extra working days now (.+)"),
     lambda m: f"{_cal(m[1])}：额外工作日现为 {_none(m[2]).replace(', ', '、')}"),
    # priorities
    (re.compile(rf"priority (\S+) added \(response ({_DUR}), resolution ({_DUR})\)"),
     lambda m: f"新增优先级 {m[1]}（响应时限 {_dur(m[2])}，解决时限 {_dur(m[3])}）"),
    (re.compile(rf"priority (\S+) removed \(response ({_DUR}), resolution ({_DUR})\)"),
     lambda m: f"优先级 {m[1]} 已移除（响应时限 {_dur(m[2])}，解决时限 {_dur(m[3])}）"),
    (re.compile(rf"(\S+) (response|resolution) ({_DUR}) → ({_DUR})"),
     lambda m: f"{m[1]} {'响应' if m[2] == 'response' else '解决'}时限 "
               f"{_dur(m[3])} → {_dur(m[4])}"),
    (re.compile(r"(\S+) clock (\S+) → (\S+)"),
     lambda m: f"{m[1]} 计时方式 {_clock(m[2])} → {_clock(m[3])}"),
    (re.compile(r"(\S+) reworded"), lambda m: f"{m[1]} 名称或说明已改写"),
    # credits
    (re.compile(r"service credits removed"), lambda m: "服务赔偿已取消"),
    (re.compile(r"service credits added: (.+)"), lambda m: f"新增服务赔偿：{_tiers(m[1])}"),
    (re.compile(r"credits now apply to objective (\S+) \(was (\S+)\)"),
     lambda m: f"赔偿现按指标 {m[1]} 计算（原为 {m[2]}）"),
    (re.compile(r"credit for below (\S+) (raised|lowered) (\S+) → (\S+)"),
     lambda m: f"低于 {m[1]} 时的赔偿{'提高' if m[2] == 'raised' else '降低'}：{m[3]} → {m[4]}"),
    (re.compile(r"credit of (\S+) now below (\S+) \(was below (\S+)\)"),
     lambda m: f"{m[1]} 的赔偿现适用于低于 {m[2]}（原为低于 {m[3]}）"),
    (re.compile(r"credit tier (added|removed): (\S+) below (\S+)"),
     lambda m: f"{_ADDED[m[1]]}赔偿档：低于 {m[3]} 时 {m[2]}"),
    (re.compile(r"credit cap (\S+) → (\S+)"), lambda m: f"赔偿上限 {m[1]} → {m[2]}"),
    (re.compile(rf"credit claim window ({_DUR}) → ({_DUR})"),
     lambda m: f"赔偿申请期限 {_dur(m[1])} → {_dur(m[2])}"),
    (re.compile(r"monthly fee (.+) → (.+)"), lambda m: f"月费 {_none(m[1])} → {_none(m[2])}"),
    (re.compile(r"bonus (added|removed): (\S+) at (\S+) or better"),
     lambda m: f"{_ADDED[m[1]]}奖励：达到 {m[3]} 或更好时 {m[2]}"),
    (re.compile(r"bonus at (\S+) or better (\S+) → (\S+)"),
     lambda m: f"达到 {m[1]} 或更好时的奖励 {m[2]} → {m[3]}"),
    # maintenance
    (re.compile(rf"maintenance notice ({_DUR}) → ({_DUR})"),
     lambda m: f"维护提前通知 {_dur(m[1])} → {_dur(m[2])}"),
    (re.compile(rf"maintenance at most ({_DUR}) → ({_DUR}) a month"),
     lambda m: f"每月维护时长上限 {_dur(m[1])} → {_dur(m[2])}"),
    (re.compile(r"planned maintenance (added|removed): (.+)"),
     lambda m: f"{_ADDED[m[1]]}计划维护：{m[2]}"),
    # escalation and continuity
    (re.compile(rf"escalation level (\S+) added: (.+?)(?: after ({_DUR}))?"),
     lambda m: f"新增第 {m[1]} 级升级：{m[2]}" + (f"（{_dur(m[3])}后）" if m[3] else "")),
    (re.compile(rf"escalation level (\S+) after ({_DUR}) → ({_DUR})"),
     lambda m: f"第 {m[1]} 级升级时间 {_dur(m[2])} → {_dur(m[3])}"),
    (re.compile(r"escalation level (\S+) contact now (.+)"),
     lambda m: f"第 {m[1]} 级升级联系人现为 {m[2]}"),
    (re.compile(r"escalation level (\S+) removed"), lambda m: f"第 {m[1]} 级升级已移除"),
    (re.compile(rf"recovery (time|point) objective ({_DUR}) → ({_DUR})"),
     lambda m: f"{'恢复时间目标（RTO）' if m[1] == 'time' else '恢复点目标（RPO）'}"
               f"{_dur(m[2])} → {_dur(m[3])}"),
    (re.compile(r"emergency contacts updated"), lambda m: "紧急联系人已更新"),
]


@lru_cache(maxsize=4096)
def say_change(text: str, language: str) -> str:
    """``text`` in ``language`` when it is one of the change history's phrases, else as it is.

    Only the fixed words are translated; the values inside (names, scope items, contacts,
    ids, paths) come from the agreement and are kept exactly as written.
    """
    if language != "zh":
        return text
    for pattern, words in _CHANGES:
        m = pattern.fullmatch(text)
        if m is not None:
            said = words(m)
            if said is not None:
                return said
    return text
