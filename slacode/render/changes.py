"""The change history in the site's language, through the one catalogue.

:mod:`slacode.history.semdiff` gives each change of an agreement as data: a ``code``
and its ``params`` (raw values: numbers as numbers, durations as the agreement writes
them, ISO dates, ids beside names), with one English line (``what``) for ``slacode
diff`` and pull-request comments. Pages word it here from ``change.<code>`` in
:mod:`slacode.render.strings`, in any language: no page parses English back. Figures go
through Babel (:mod:`slacode.render.fmt`), dates as the page writes dates. Values from
the agreement (names, scope items, contacts, ids) are filled in as written.

A change with no code (history stored before codes existed, frozen data) or with
parameters this version does not know is shown as its English ``what``, as it is.
Nothing is escaped here: callers escape the result once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from babel.dates import get_day_names

from slacode.durations import Duration
from slacode.render import fmt
from slacode.render.strings import STRINGS, t

#: what each code's ``old`` and ``new`` are, for codes whose values need wording
_VALUES = {
    "effective": "date", "review-every": "dur", "objective-target": "target",
    "objective-kind": "measure", "objective-window": "window", "objective-method": "method",
    "objective-threshold": "dur", "objective-within": "dur", "objective-priority": "opt",
    "objective-clock": "clock", "objective-slice": "dur", "objective-slice-threshold": "pct",
    "objective-zero-traffic": "traffic", "objective-at-least": "num",
    "objective-min-coverage": "pct", "priority-response": "dur",
    "priority-resolution": "dur", "priority-clock": "clock", "credit-raised": "pct",
    "credit-lowered": "pct", "credit-moved": "level", "credit-cap": "pct",
    "claim-window": "dur", "bonus": "pct", "maintenance-notice": "dur",
    "maintenance-max": "dur", "escalation-after": "dur", "rto": "dur", "rpo": "dur",
    "visibility": "visibility", "calendar-days": "days", "calendar-holidays": "opt",
    "fee": "money", "plan-fee": "money",
}


def say(change: Any, language: str, names: Mapping[str, str] | None = None) -> str:
    """``change`` in ``language``: worded from its code when it has one the catalogue
    knows, else its English ``what`` as it is. ``names`` (objective id -> name as the
    page shows it) names the objectives a change gives by id."""
    code = getattr(change, "code", "")
    if not code or "change." + code not in STRINGS:
        return str(change.what)
    try:
        return _word(code, getattr(change, "params", None) or {}, language, names or {})
    except (KeyError, ValueError, TypeError, IndexError):  # parameters this version lacks
        return str(change.what)


def _word(code: str, p: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> str:
    v: dict[str, Any] = dict(p)
    kind = _VALUES.get(code)
    if kind is not None:
        if "old" in p:
            v["old"] = _value(kind, p["old"], lang, p.get("old_currency", p.get("old_unit")))
        if "new" in p:
            v["new"] = _value(kind, p["new"], lang, p.get("new_currency", p.get("unit")))
    if "window" in p and "kind" in p:  # an objective's label: "monthly availability"
        v["label"] = label(p, lang)
    if "objective" in p:
        v["name"] = names.get(str(p["objective"])) or p["objective"]
    if "target" in p:
        v["target"] = _target(float(p["target"]), str(p.get("unit", "%")), lang)
    for key in ("response", "resolution", "after"):
        if key in p:
            v[key] = _dur(p[key], lang)
    for key in ("credit", "bonus"):
        if key in p:
            v[key] = _pct(float(p[key]), lang)
    for key in ("below", "at"):
        if key in p:
            v[key] = _level(float(p[key]), lang)
    if "calendar" in p and "support" in p:
        which = "days" if code == "calendar-days" else "hours"
        v["label"] = t(f"change.cal.{which}_support" if p["support"] else f"change.cal.{which}",
                       lang, calendar=p["calendar"])
    if "dates" in p:
        v["dates"] = t("common.list_sep", lang).join(fmt.day(d, lang) for d in p["dates"]) \
            or t("change.none", lang)
    if "days" in p and isinstance(p["days"], list):
        v["days"] = days_text(p["days"], lang)
    if code == "agreement-added":
        v["effective"] = fmt.day(p["effective"], lang)
    elif code == "agreement-published":
        v["more"] = (t("change.published_more", lang, version=p["version"],
                       effective=fmt.day(p["effective"], lang)) if "version" in p else "")
    elif code == "provider":
        v["contact"] = t("change.contact_more", lang, contact=p["contact"]) \
            if p.get("contact") else ""
    elif code == "owners":
        v["owners"] = t("common.list_sep", lang).join(p["owners"]) or t("change.none", lang)
    elif code == "contract":
        parts = [t("change.contract." + k, lang,
                   value=fmt.day(p[k], lang) if k in ("start", "end") else p[k])
                 for k in ("reference", "start", "end", "renewal") if p.get(k)]
        v["terms"] = t("change.tier_sep", lang).join(parts) or t("change.none", lang)
    elif code == "review-last":
        v["date"] = fmt.day(p["date"], lang) if p["date"] else t("change.none", lang)
    elif code == "reporting":
        v["text"] = p["text"] or t("change.none", lang)
    elif code in ("item-added", "item-removed"):
        v["list"] = _opt("change.list." + str(p["list"]), str(p["list"]), lang)
    elif code == "support-hours":
        v["new"], v["old"] = clock_text(p["new"], lang), clock_text(p["old"], lang)
    elif code == "objective-scale":
        v["old"] = t("change.scale", lang, low=fmt.number(float(p["old_min"]), 6, lang),
                     high=fmt.number(float(p["old_max"]), 6, lang))
        v["new"] = t("change.scale", lang, low=fmt.number(float(p["new_min"]), 6, lang),
                     high=fmt.number(float(p["new_max"]), 6, lang))
    elif code == "objective-min-responses":
        v["old"], v["new"] = fmt.count(p["old"], lang), fmt.count(p["new"], lang)
    elif code == "credits-added":
        v["tiers"] = t("change.tier_sep", lang).join(
            t("change.tier", lang, credit=_pct(float(x["credit"]), lang),
              below=_level(float(x["below"]), lang)) for x in p["tiers"])
    elif code == "credits-objective":
        v["old"] = names.get(str(p["old"])) or p["old"]
    elif code in ("maintenance-added", "maintenance-removed"):
        v["start"], v["end"] = fmt.when(p["start"], lang), fmt.when(p["end"], lang)
    elif code == "escalation-added":
        v["after"] = (t("change.escalation_after", lang, after=_dur(p["after"], lang))
                      if p.get("after") else "")
    elif code == "calendar-holidays":
        v["old"] = p["old"] or t("change.none", lang)
        v["new"] = p["new"] or t("change.none", lang)
    return t("change." + code, lang, **v)


def label(p: Mapping[str, Any], lang: str) -> str:
    """An objective as the change history names it by its kind: "monthly availability",
    "quarterly P1 response", with its id when two would read the same."""
    window = str(p["window"])
    period = (t("change.period.rolling", lang, days=p.get("days", 0)) if window == "rolling"
              else _opt("change.period." + window, window, lang))
    kind = _opt("change.kind." + str(p["kind"]), str(p["kind"]), lang)
    text = (t("change.label_priority", lang, period=period, priority=p["priority"], kind=kind)
            if p.get("priority") else t("change.label", lang, period=period, kind=kind))
    return t("change.label_id", lang, label=text, id=p["objective"]) if p.get("ambiguous") \
        else text


def days_text(days: Sequence[int], lang: str) -> str:
    """Weekdays (Monday = 0) as the language shortens them, a run of three or more as a
    range: ``Mon–Fri`` / ``周一至周五``; ``Mon, Wed`` / ``周一、周三``."""
    names = get_day_names("abbreviated", locale=fmt.DATE_LOCALES.get(lang, "en_GB"))
    ds = sorted(int(d) for d in days)
    if not ds:
        return t("change.none", lang)
    if ds == list(range(ds[0], ds[-1] + 1)) and len(ds) > 2:
        return t("change.day_range", lang, first=names[ds[0]], last=names[ds[-1]])
    return t("common.list_sep", lang).join(str(names[d]) for d in ds)


def clock_text(c: Mapping[str, Any], lang: str) -> str:
    """A clock as :func:`slacode.history.semdiff.clock_params` gives it: around the
    clock, a calendar's days and hours (with its timezone when given), or its id."""
    clock = str(c.get("clock", ""))
    if clock == "24x7":
        return t("clock.24x7", lang)
    if "days" not in c:
        return clock
    text = f"{days_text(c['days'], lang)} {c['hours']}"
    return t("change.clock_zone", lang, clock=text, zone=c["timezone"]) if c.get("timezone") \
        else text


def _value(kind: str, x: Any, lang: str, extra: Any = None) -> str:
    if kind == "dur":
        return _dur(x, lang)
    if kind == "date":
        return fmt.day(x, lang)
    if kind == "target":
        return _target(float(x), str(extra or "%"), lang)
    if kind in ("pct", "level", "num"):
        if x is None:
            return t("change.default", lang)
        return {"pct": _pct, "level": _level, "num": _num}[kind](float(x), lang)
    if kind == "money":
        return fmt.money(float(x), str(extra or ""), lang) if x is not None \
            else t("change.none", lang)
    if kind == "days":
        return days_text(x, lang)
    if kind == "clock":
        return clock_text({"clock": x}, lang) if x == "24x7" else str(x)
    if kind == "visibility":
        if str(x).startswith("customer:"):
            return t("change.visibility.customer", lang, name=str(x).removeprefix("customer:"))
        return _opt("change.visibility." + str(x), str(x), lang)
    if kind == "window":
        rolling = str(x).removeprefix("rolling-").removesuffix("d")
        if rolling.isdigit():
            return t("window.rolling", lang, days=rolling)
        return _opt("window." + str(x).removeprefix("calendar-"), str(x), lang)
    if kind in ("measure", "method", "traffic"):
        return _opt(f"change.{kind}.{x}", str(x), lang) if x else t("change.default", lang)
    return str(x) if x else t("change.none", lang)  # "opt": a value or none


def _opt(key: str, fallback: str, lang: str) -> str:
    """The catalogue's words for ``key``; ``fallback`` (as written) for a value it lacks."""
    return t(key, lang) if key in STRINGS else fallback


def _dur(text: Any, lang: str) -> str:
    return fmt.duration(Duration.parse(str(text)), lang) if text else t("change.none", lang)


def _num(x: float, lang: str) -> str:
    return fmt.number(x, 6, lang)


def _pct(x: float, lang: str) -> str:
    """A share, e.g. a credit: ``25%``."""
    return fmt.number(x, 6, lang) + "%"


def _level(x: float, lang: str) -> str:
    """A level to reach, with at least one decimal as SLAs write them: ``99.0%``."""
    places = max(1, fmt.places_for(x) - 1)
    return fmt.fixed(x, places, lang) + "%"


def _target(x: float, unit: str, lang: str) -> str:
    return _level(x, lang) if unit == "%" else _num(x, lang)
