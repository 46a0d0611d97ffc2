"""Evaluation's reasons and misses in the site's language, through the one catalogue.

Results carry each reason as data (:class:`~slacode.evaluate.results.Reason`: a code,
its parameters and the English text for readers of the JSON and the ledger; misses and
per-incident verdicts carry the same code and parameters). Pages word them here, from
``reason.<code>`` in :mod:`slacode.render.strings`, in any language: no page parses
English back. A reason without a code (a ledger record frozen before codes existed, or a
data source's own words) is shown as its text, as it came.

Parameters are formatted by their name (see ``Reason``): ISO times as pages show times
(:func:`fmt.when`, in the offset evaluation gave them: the agreement's timezone),
``*_s`` seconds as a stretch of time, ``goal`` as a duration, figures as figures.
Nothing is escaped here: callers escape the result once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slacode.durations import Duration
from slacode.evaluate.results import IncidentVerdict, Miss, Reason
from slacode.render import fmt
from slacode.render.strings import STRINGS, t

#: what pages show for an incident whose id an audience may not see
NOT_PUBLIC = "(not public)"


#: the two sentences of frozen records (before codes) that say a period had nothing to
#: count, by their exact text: pages say them as today's records do, without a figure
_LEGACY = {"no incidents counted in this period": "no-incidents-counted",
           "no complaints counted in this period": "no-complaints-counted"}


def say(item: Reason | Miss | IncidentVerdict | str, language: str) -> str:
    """``item`` in ``language``: worded from its code when it has one the catalogue
    knows, else its English text as it is."""
    if isinstance(item, str):
        return item
    text = item.what if isinstance(item, Miss | IncidentVerdict) else item.text
    code = item.code or _LEGACY.get(text, "")
    if not code or "reason." + code not in STRINGS:
        return text
    try:
        return _word(code, item.params, language)
    except (KeyError, ValueError, TypeError):  # parameters this version does not know
        return text


def _word(code: str, p: Mapping[str, Any], lang: str) -> str:
    v: dict[str, Any] = {}
    for key in ("start", "end", "due"):
        if key in p:
            v[key] = fmt.when(p[key], lang)
    if "id" in p or "subject" in p:
        v["label"] = _label(p, lang)
    clock = str(p.get("clock") or "")
    if "took_s" in p:
        took = fmt.elapsed(float(p["took_s"]), lang, days=not clock)
        v["took"] = t("reason.working", lang, time=took, clock=clock) if clock else took
    if "goal" in p:
        goal = fmt.duration(Duration.parse(str(p["goal"])), lang)
        if "goal_s" in p:
            goal = t("reason.goal_working", lang, goal=goal,
                     hours=fmt.elapsed(float(p["goal_s"]), lang, days=False))
        v["goal"] = goal
    if "step" in p:
        v["step"] = t("reason.step." + str(p["step"]), lang)
    if "level" in p:
        name = str(p.get("name") or "")
        v["level"] = (t("reason.level_named", lang, n=p["level"], name=name) if name
                      else t("reason.level", lang, n=p["level"]))
    if "lost_s" in p:
        v["lost"] = fmt.elapsed(float(p["lost_s"]), lang)
    key = "reason." + code
    if code == "bad-day":
        target = float(p["target"])
        v |= {"date": fmt.day(p["date"], lang),
              "value": fmt.figure(float(p["value"]), "%", target=target, language=lang),
              "target": fmt.figure(target, "%", language=lang)}
    elif code == "low-coverage":
        v |= {"coverage": fmt.percent(100 * float(p["coverage"]), 1),
              "needed": fmt.percent(100 * float(p["needed"]), 0)}
    elif code == "few-responses":
        if int(p["n"]) == 0:
            return t("reason.no-survey-answers", lang)
        v |= {"n": p["n"], "needed": p["needed"]}
    elif code == "no-incidents-counted":
        pr = str(p.get("priority") or "")
        v["priority"] = (f"{pr} " if lang == "en" else f" {pr} ") if pr else ""
    elif code == "unseen-outage":
        if not p.get("priority"):
            key += ".any"
        v["priority"] = p.get("priority", "")
    elif code in ("gaps-more", "incidents-pending", "complaints-pending"):
        v["n"] = p["n"]
    elif code == "gap":
        v["why"] = p["why"]
    return t(key, lang, **v)


def _label(p: Mapping[str, Any], lang: str) -> str:
    rid = str(p.get("id", ""))
    shown = t("reason.not_public", lang) if rid == NOT_PUBLIC else rid
    if p.get("subject") == "complaint":
        return t("reason.label.complaint", lang, id=shown)
    return t("reason.label.incident", lang, priority=p.get("priority", ""), id=shown)


def nothing_counted(reasons: tuple[Reason, ...], language: str) -> str | None:
    """"No P1 incidents in this period" (no complaints, no survey answers) when a period
    had nothing to count, which pages show instead of a figure; else None."""
    for r in reasons:
        code = r.code or _LEGACY.get(r.text, "")
        if code in ("no-incidents-counted", "no-complaints-counted") or (
            r.code == "few-responses" and r.params.get("n") == 0
        ):
            return say(r, language)
    return None
