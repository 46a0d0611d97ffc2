"""Chinese for the fixed phrases that evaluation writes into results (what was missed,
why a period has no verdict).

Results keep English text: they are data (``slacode evaluate --format json``, the ledger's
frozen records, the JSON API), and a frozen record must read the same whatever language
a site is built in. A Chinese site shows them in Chinese; a phrase that is not one of
evaluation's (a server's error text, a data file's reason) stays as it came. Every
phrase evaluation writes is listed in ``tests/render/test_render_phrases.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

_UNITS = {"millisecond": "毫秒", "second": "秒", "minute": "分钟", "hour": "小时",
          "day": "天", "week": "周", "month": "个月", "year": "年"}
_AMOUNT = re.compile(r"(\d+) (millisecond|second|minute|hour|day|week|month|year)s?\b")
_WORKING = re.compile(r" of ([\w.-]+) working time")


def _span(text: str) -> str:
    """``1 day 2 hours of cn-business working time`` -> ``1 天 2 小时（cn-business 工作时间）``."""
    text = _AMOUNT.sub(lambda m: f"{m.group(1)} {_UNITS[m.group(2)]}", text)
    text = _WORKING.sub(lambda m: f"（{m.group(1)} 工作时间）", text)
    return text.replace(" of working time", " 工作时间").replace(": ", "，即 ")


def _label(priority: str, incident: str) -> str:
    return f"{priority} 事件 {'（未公开）' if incident == '(not public)' else incident}"


_WHAT = {"first response": "首次响应", "resolution": "解决"}

_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"(\d{4}-\d{2}-\d{2}): ([\d.]+)% \(target ([\d.]+)%\)"),
     lambda m: f"{m[1]}：{m[2]}%（目标 {m[3]}%）"),
    (re.compile(r"(\S+) incident (.+?) (first response|resolution) after (.+) \(target (.+)\)"),
     lambda m: f"{_label(m[1], m[2])} {_WHAT[m[3]]}用时 {_span(m[4])}（目标 {_span(m[5])}）"),
    (re.compile(r"(\S+) incident (.+?) no (first response|resolution) by its deadline (\S+) "
                r"\(target (.+)\)"),
     lambda m: f"{_label(m[1], m[2])} 未在截止时间 {m[4]} 前完成{_WHAT[m[3]]}"
               f"（目标 {_span(m[5])}）"),
    (re.compile(r"no incidents counted in this period"), lambda m: "本周期没有计入的事件"),
    (re.compile(r"no incident records for this objective"), lambda m: "该指标没有事件记录"),
    (re.compile(r"no survey records for this objective"), lambda m: "该指标没有调查记录"),
    (re.compile(r"(\d+) incident\(s\) still within their target time, not counted yet"),
     lambda m: f"{m[1]} 个事件仍在目标时间内，尚未计入"),
    (re.compile(r"(\d+) responses, fewer than the (\d+) needed"),
     lambda m: f"{m[1]} 份回复，少于所需的 {m[2]} 份"),
    (re.compile(r"data for ([\d.]+%) of the period, below the ([\d.]+%) needed"),
     lambda m: f"数据仅覆盖本周期的 {m[1]}，低于所需的 {m[2]}"),
    (re.compile(r"no data (\S+) to (\S+): (.+)"),
     lambda m: f"{m[1]} 至 {m[2]} 无数据：{say(m[3], 'zh')}"),
    (re.compile(r"and (\d+) more gaps without data"), lambda m: f"另有 {m[1]} 段无数据"),
    (re.compile(r"no samples in this interval"), lambda m: "该时段没有样本"),
]


@lru_cache(maxsize=4096)
def say(text: str, language: str) -> str:
    """``text`` in ``language`` when it is one of evaluation's phrases, else as it is."""
    if language != "zh":
        return text
    for pattern, words in _PATTERNS:
        m = pattern.fullmatch(text)
        if m is not None:
            return words(m)
    return text
