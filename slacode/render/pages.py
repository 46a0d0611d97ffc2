"""Markdown pages (overview and one per service) from Jinja2 templates.

The template environment is the escaping gate: every ``{{ value }}`` that is not
already :class:`~markupsafe.Markup` passes :func:`slacode.render.escape.text`, and
the ``t()`` helper escapes the values it fills into the string table's words
(``T["key"]`` is an entry without values, taken as it is).
Helpers that build HTML return ``Markup`` and escape their own inputs; the loops
over objectives, periods, days and misses are such helpers, because a fleet's
pages spent most of their time in Jinja's per-call overhead inside those loops.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from slacode.evaluate.results import PeriodResult, ServiceResults
from slacode.model import (
    CLOCK_24X7,
    Agreement,
    Maintenance,
    Objective,
    maintenance_account,
    merge,
    overlap,
)
from slacode.render import escape, fmt, passthrough, svg
from slacode.render.phrases_zh import say, say_change
from slacode.render.strings import STRINGS, t

#: Verdicts from worst to best: a service's status is its worst objective's verdict.
SEVERITY = ("breached", "at-risk", "no-data", "insufficient-data", "met")


def _finalize(value: Any) -> str:
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return escape.text(value)


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("slacode.render", "templates"),
        autoescape=False,  # escaping is done by _finalize, for HTML and Markdown alike
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def phrases(language: str) -> dict[str, Markup]:
    """Every string-table entry without placeholders filled in, for ``T["key"]`` in
    templates: the same text as ``w.t("key")`` without a template call per use."""
    return {key: Markup(t(key, language)) for key in STRINGS}


@lru_cache(maxsize=256)
def _chip(verdict: str, language: str) -> Markup:
    """A verdict as a coloured chip: the same few on every row of a fleet's tables."""
    cls = svg.verdict_class(verdict)
    words = escape.text(t("verdict." + cls, language))
    return Markup(f'<span class="slc-chip slc-chip-{cls}">{words}</span>')


#: an incident's outcome (met, missed, pending, unknown) -> the chip colour of a verdict
_INCIDENT_CHIP = {"met": "met", "missed": "breached", "pending": "at-risk", "unknown": "no-data"}


@dataclass
class Words:
    """Template helpers bound to one language."""

    language: str

    def t(self, key: str, **values: Any) -> Markup:
        if not values:
            return phrases(self.language)[key]
        safe = {k: v if isinstance(v, Markup) else escape.text(v) for k, v in values.items()}
        return Markup(t(key, self.language, **safe))

    def verdict(self, verdict: str) -> str:
        return t("verdict." + svg.verdict_class(verdict), self.language)

    def change(self, what: str) -> str:
        """One line of the change history in the site's language (escaped by the template)."""
        return say_change(what, self.language)

    def chip(self, verdict: str) -> Markup:
        return _chip(verdict, self.language)

    def fig(self, value: float | None, unit: str) -> Markup:
        if value is None:
            words = escape.text(t("common.no_data_mark", self.language))
            return Markup(f'<span class="slc-nodata">{words}</span>')
        # no escaping: a figure is digits, ".", "-" and "%" (see svg.day_texts)
        return Markup(fmt.figure(value, unit))

    def day_rows(self, days: Sequence[svg.DayText]) -> Markup:
        """The rows of a 90-day table, newest first; built here rather than in a template
        loop, which made a fleet's render spend most of its time calling ``fig``."""
        no_data = self.fig(None, "")
        return Markup("".join(
            f"<tr><td>{d.date}</td><td>{no_data if d.figure is None else d.figure}</td></tr>\n"
            for d in reversed(days)
        ))

    def dur(self, d: Any) -> str:
        return fmt.duration(d, self.language)

    def link(self, label: Any, href: Any) -> Markup:
        """A link when ``href`` is a plain http(s)/mailto address; the text alone otherwise."""
        target = escape.url(href)
        if not target:
            return Markup(escape.text(label))
        return Markup(f'<a href="{target}" rel="nofollow noopener">{escape.text(label)}</a>')

    def window(self, o: Objective) -> str:
        if o.window.kind == "rolling":
            return t("window.rolling", self.language, days=o.window.days)
        return t("window." + o.window.kind, self.language)

    def clock(self, clock: str) -> str:
        if clock == CLOCK_24X7:
            return t("clock.24x7", self.language)
        return t("clock.calendar", self.language, id=clock)

    def measured(self, o: Objective, agreement: Agreement | None = None) -> str:
        """What ``o`` measures, in words; recovery objectives name the agreement's
        disaster priorities and take its RTO or RPO when they give no ``within``."""
        lang = self.language
        if o.kind == "availability":
            if o.method == "slices":
                return t(
                    "obj.availability.slices",
                    lang,
                    slice=self.dur(o.slice),
                    threshold=fmt.percent(o.slice_threshold, 2),
                )
            return t("obj.availability.events", lang)
        if o.kind == "latency":
            return t("obj.latency", lang, threshold=self.dur(o.threshold))
        if o.kind in ("response-time", "resolution-time", "complaint-response",
                      "complaint-resolution"):
            return t(
                "obj." + o.kind,
                lang,
                priority=o.priority,
                within=self.dur(o.within),
                clock=self.clock(o.clock),
            )
        if o.kind == "escalation":
            key = "obj.escalation" if o.priority else "obj.escalation.all"
            return t(key, lang, priority=o.priority, clock=self.clock(o.clock))
        if o.kind in ("recovery-time", "recovery-point"):
            ct = agreement.continuity if agreement is not None else None
            fallback = None if ct is None else (ct.rto if o.kind == "recovery-time" else ct.rpo)
            prios = t("common.list_sep", lang).join(ct.priorities) if ct is not None else ""
            return t("obj." + o.kind, lang, priority=prios, within=self.dur(o.within or fallback))
        if o.kind == "satisfaction":
            if o.method == "share":
                return t(
                    "obj.satisfaction.share",
                    lang,
                    at_least=fmt.number(o.at_least or 0),
                    n=o.min_responses,
                )
            return t(
                "obj.satisfaction.mean",
                lang,
                min=fmt.number(o.scale_min),
                max=fmt.number(o.scale_max),
                n=o.min_responses,
            )
        return o.kind


def objective_name(o: Objective) -> str:
    return o.name or o.id


def objectives_by_id(agreement: Agreement) -> dict[str, Objective]:
    """``agreement.objective(id)`` for every id at once (the first objective of an id)."""
    out: dict[str, Objective] = {}
    for o in agreement.objectives:
        out.setdefault(o.id, o)
    return out


def budget_unit(unit: str, language: str) -> str:
    """What an error budget counts (``events``, ``slices``) in ``language``; as it is if new."""
    key = "budget_unit." + unit
    return t(key, language) if key in STRINGS else unit


def target_text(o: Objective) -> str:
    unit = "score" if o.kind == "satisfaction" and o.method != "share" else "%"
    return fmt.figure(o.target, unit)


def status_of(periods: Sequence[PeriodResult]) -> str:
    """The worst verdict among ``periods``; no periods at all is no data."""
    if not periods:
        return "no-data"
    verdicts = {svg.verdict_class(p.verdict) for p in periods}
    return next(v for v in SEVERITY if v in verdicts)


def current_periods(agreement: Agreement, results: ServiceResults | None) -> list[PeriodResult]:
    """Each objective's open period (its latest period when none is open), in agreement order."""
    if results is None:
        return []
    out = []
    for o in agreement.objectives:
        cur = [p for p in results.current if p.objective == o.id]
        if not cur:
            cur = list(results.for_objective(o.id))[-1:]
        out.extend(cur[-1:])
    return out


#: budgets counted in things that happen whole: a fraction of an incident says nothing
_WHOLE = frozenset({"incidents", "responses", "complaints"})


def budget_share(p: PeriodResult) -> float | None:
    """The share of the error budget left, in percent; None without a budget. Budgets of
    whole things (incidents, survey responses) count whole, as they are worded: with
    fewer than one incident allowed there is no budget (one miss misses the target),
    and the bar agrees with "1 of 3 incidents may still miss"."""
    b = p.budget
    if b is None or b.allowed <= 0:
        return None
    allowed, remaining = b.allowed, b.remaining
    if b.unit in _WHOLE:
        allowed = math.floor(allowed + 1e-9)
        remaining = math.floor(remaining + 1e-9) if remaining >= 0 else remaining
        if allowed <= 0:
            return None
    return max(0.0, min(100.0, 100.0 * remaining / allowed))


def budget_phrase(p: PeriodResult, language: str) -> str | None:
    """The error budget in words, as every page and the command line say it ("87% of the
    error budget left (175 of 200 events)"); None when the period has none. Incidents
    and survey responses are whole ("1 of 2 incidents may still miss the target"): what
    may still miss is rounded down, what went over is rounded up."""
    share = budget_share(p)
    if share is None or p.budget is None:
        return None
    b = p.budget
    whole = b.unit in _WHOLE

    def n(x: float, up: bool = False) -> str:
        if not whole:
            return fmt.amount(x)
        return f"{math.ceil(x - 1e-9) if up else math.floor(x + 1e-9):,}"

    def unit(count: str) -> str:  # the noun after ``count``: "1 incident", "2 incidents"
        word = budget_unit(b.unit, language)
        return word.removesuffix("s") if language == "en" and count == "1" else word

    if b.remaining < 0:
        over = n(-b.remaining, up=True)
        return t("svc.budget_over", language, over=over, allowed=n(b.allowed), unit=unit(over))
    allowed = n(b.allowed)
    if whole:  # "20% left (0 of 2 incidents)" would contradict itself
        return t("svc.budget_left_whole", language, remaining=n(b.remaining),
                 allowed=allowed, unit=unit(allowed))
    return t("svc.budget_left", language, pct=fmt.percent(share, 0),
             remaining=n(b.remaining), allowed=allowed, unit=unit(allowed))


def next_maintenance(agreement: Agreement, now: datetime) -> Maintenance | None:
    upcoming = sorted((m for m in agreement.maintenance if m.end > now), key=lambda m: m.start)
    return upcoming[0] if upcoming else None


@dataclass(frozen=True)
class Coming:
    """A version merged for later: announced on the page, not presented as the promise."""

    version: int
    effective: date
    changes: tuple[str, ...] = ()  # from the version before, in semdiff's (English) words
    agreement: Agreement | None = None


@dataclass
class Page:
    """Everything one service page needs, already filtered for the audience."""

    agreement: Agreement
    results: ServiceResults | None
    dependencies: list[Agreement]
    history: Sequence[Any] = ()  # slacode.history.ChangeEntry, newest first
    incidents: Sequence[Any] = ()
    #: complaint records (``slacode.pull.base.Complaint``); only their monthly counts show
    complaints: Sequence[Any] = ()
    restatements: Sequence[Any] = ()
    internal: bool = False
    coming: Sequence[Coming] = ()  # versions merged for later, soonest first
    #: (objective, period) of frozen periods a fresh evaluation disagrees with
    disputed: frozenset[tuple[str, str]] = frozenset()


def overview(
    agreements: Sequence[Agreement],
    results: Mapping[str, ServiceResults],
    now: datetime,
    language: str,
    built: str,
    internal: bool = False,
) -> str:
    """The index: every service's status. Grouped by owner only in an internal build:
    owners (addresses, team handles) are for routing inside, not for customers."""
    words = Words(language)
    groups: dict[str, list[dict[str, Any]]] = {}
    counts = dict.fromkeys(SEVERITY, 0)
    for a in sorted(agreements, key=lambda a: (a.name.lower(), a.id)):
        res = results.get(a.id)
        cur = current_periods(a, res)
        status = status_of(cur)
        counts[status] += 1
        owner = a.owners[0] if internal and a.owners else ""
        objs = objectives_by_id(a)
        groups.setdefault(owner, []).append(
            {
                "a": a,
                "status": status,
                "current": [(objs[p.objective], p) for p in cur if objs.get(p.objective)],
                "as_of": res.as_of if res else "",
                "maintenance": next_maintenance(a, now),
            }
        )
    # owners head sections: heading text (see escape.heading), made safe before Words.t
    ordered = [(Markup(escape.heading(owner)) if owner else "", rows)
               for owner, rows in sorted(groups.items(), key=lambda kv: (kv[0] == "", kv[0]))]
    return (
        environment()
        .get_template("overview.md.j2")
        .render(
            w=words,
            T=phrases(language),
            groups=ordered,
            counts=counts,
            fmt=fmt,
            now=now,
            built=built,
            objective_name=objective_name,
            budget_share=budget_share,
            evaluated=fmt.when(now),
        )
    )


#: how long before a contract's end its page says the end is near
CONTRACT_NOTICE_DAYS = 90


def service(page: Page, now: datetime, language: str, built: str, history_months: int = 13) -> str:
    a, res = page.agreement, page.results
    words = Words(language)
    T = phrases(language)  # the same name as in the templates
    cur = current_periods(a, res)
    # no period at all: say whether nothing is promised yet or any more (evaluate judges
    # no period outside the agreement's term)
    term = ""
    if a.contract.end is not None and a.contract.end < now.date():
        term = words.t("svc.term_over", date=fmt.day(a.contract.end))
    elif res is None or not res.periods:
        if a.effective > now.date():
            term = words.t("svc.term_ahead", date=fmt.day(a.effective))
    elif not res.current and a.effective <= now.date():
        # the first periods are not judged yet: they started before the agreement
        term = words.t("svc.term_new", date=fmt.day(a.effective))
    if not term and a.contract.end is not None \
            and 0 <= (a.contract.end - now.date()).days <= CONTRACT_NOTICE_DAYS:
        # the policy asks for contracts to be renewed in time: say so while it still can be
        term = words.t("svc.term_ending", date=fmt.day(a.contract.end),
                       days=(a.contract.end - now.date()).days)
        if a.contract.renewal:
            term += Markup(" ") + words.t("svc.term_renewal", renewal=a.contract.renewal)
    by_obj: list[dict[str, Any]] = []
    for o in a.objectives:
        periods = list(res.for_objective(o.id)) if res else []
        closed = [p for p in periods if p.closed]
        opened = [p for p in periods if not p.closed]
        shown = (closed[-max(12, history_months) :] + opened[-1:])[::-1]
        current = next((p for p in cur if p.objective == o.id), None)
        unit = (
            current.unit
            if current
            else ("score" if o.kind == "satisfaction" and o.method != "share" else "%")
        )
        # a day without incidents or survey answers is not missing data: the strip is for
        # measured traffic only
        daily = (
            list(res.daily.get(o.id, ())) if res and o.kind in ("availability", "latency") else []
        )
        by_obj.append(
            {
                "o": o,
                "current": current,
                "periods": shown,
                "daily": daily,
                "days": svg.day_texts(daily, unit),
                "unit": unit,
            }
        )
    restated = {(getattr(r, "objective", ""), getattr(r, "period", "")) for r in page.restatements}
    restated |= {(p.objective, p.period) for p in (res.periods if res else ()) if p.restatements}
    misses = [
        (o, p, list(p.misses))
        for o in a.objectives
        for p in (res.for_objective(o.id) if res else ())
        if p.misses
    ]
    misses = sorted(misses, key=lambda x: (x[1].start, x[0].id), reverse=True)[:24]
    upcoming = sorted((m for m in a.maintenance if m.end > now), key=lambda m: m.start)
    past = sorted((m for m in a.maintenance if m.end <= now), key=lambda m: m.start, reverse=True)
    late = _late_windows(res, a)
    over_cap = _over_cap(res, a)
    review_next = None
    review_overdue = False
    if a.review.every and a.review.last:
        review_next = a.review.every.add_to(a.review.last)
        review_overdue = review_next < now.date()
    credit_objective = a.credits.objective if a.credits else ""
    co = a.objective(credit_objective)
    notes = [("", a.internal_notes)] if a.internal_notes else []
    notes += [(objective_name(o), o.internal_notes) for o in a.objectives if o.internal_notes]

    claims_today = claim_today(a, now)

    def credit_text(p: PeriodResult) -> Markup:
        return period_credit(p, language, claims_today)

    def cards(objectives: Sequence[dict[str, Any]]) -> Markup:
        """The "this period" card of each objective; built here rather than in a template
        loop for the same reason as :func:`period_rows`."""
        text, out = escape.text, []
        for x in objectives:
            o, p = x["o"], x["current"]
            name = text(objective_name(o))
            out.append(
                f'<section class="slc-card" data-objective="{text(o.id)}" aria-label="{name}">\n'
                f'<h3 class="slc-card-title">{name}</h3>\n'
            )
            if not p:
                out.append(f"<p>{words.chip('no-data')}</p>\n</section>\n")
                continue
            open_tag = "" if p.closed else f" ({T['common.open']})"
            out.append(
                f'<p class="slc-figure"><span class="slc-value">{words.fig(p.value, p.unit)}'
                f'</span> <span class="slc-target">{T["common.target"]} '
                f"{text(fmt.figure(p.target, p.unit))}</span></p>\n"
                f'<p>{words.chip(p.verdict)} <span class="slc-meta">{text(p.period)}'
                f"{open_tag}</span></p>\n"
            )
            blabel = budget_phrase(p, language)
            if blabel is not None:
                b = p.budget
                burn = (
                    ""
                    if b.burn_rate is None
                    else T["common.clause_sep"]
                    + words.t("svc.burn", rate=fmt.number(b.burn_rate, 2))
                )
                out.append(f'{svg.budget_bar(budget_share(p), blabel)}\n'
                           f'<p class="slc-meta">{blabel}{burn}</p>\n')
            else:
                out.append(f'<p class="slc-meta">{T["svc.budget_none"]}</p>\n')
            meta = []
            if p.projection is not None:
                value = fmt.figure(p.projection, p.unit)
                meta.append(f"{words.t('common.projection', value=value)} · ")
            meta.append(words.t("common.coverage", pct=fmt.percent(100 * p.coverage, 0)))
            if p.composite is not None:
                key = "svc.composite_below" if p.composite < p.target else "svc.composite"
                meta.append(f" · {words.t(key, value=fmt.figure(p.composite, '%'))}")
            out.append(f'<p class="slc-meta">{"".join(meta)}</p>\n')
            out.extend(f'<p class="slc-reason">{text(say(r, language))}</p>' for r in p.reasons)
            out.append("</section>\n")
        return Markup("".join(out))

    def daily_blocks(objectives: Sequence[dict[str, Any]]) -> Markup:
        """The 90-day strip and table of each objective with daily figures; built here
        rather than in a template loop for the same reason as :func:`period_rows`."""
        text, out = escape.text, []
        head = (
            f'<details class="slc-daily-table"><summary>{T["svc.daily_table"]}</summary>\n'
            f'<table><thead><tr><th scope="col">{T["svc.day"]}</th>'
            f'<th scope="col">{T["common.figure"]}</th></tr></thead><tbody>\n'
        )
        for x in objectives:
            if not x["daily"]:
                continue
            o, daily, days = x["o"], x["daily"], x["days"]
            name, target = objective_name(o), target_text(o)
            label = words.t("svc.daily_chart", objective=name, target=target)
            out.append(passthrough.block(
                f'<div class="slc-chart" data-objective="{text(o.id)}">\n'
                f'<p class="slc-chart-title"><strong>{text(name)}</strong> '
                f'<span class="slc-meta">{text(fmt.day(daily[0].date))} – '
                f"{text(fmt.day(daily[-1].date))} · {T['common.target']} {text(target)}"
                f"</span></p>\n"
                f"{svg.daily_strip(days, o.target, label, T['common.no_data_mark'])}\n"
                f"{head}{words.day_rows(days)}</tbody></table>\n</details>\n</div>\n\n"
            ))
        return Markup("".join(out))

    def period_sections(objectives: Sequence[dict[str, Any]]) -> Markup:
        """Each objective's trend chart and period table; built here rather than in a
        template loop for the same reason as :func:`period_rows`."""
        text, out = escape.text, []
        head = (
            f'<thead><tr><th scope="col">{T["common.period"]}</th>'
            f'<th scope="col">{T["common.figure"]}</th>'
            f'<th scope="col">{T["common.target"]}</th>'
            f'<th scope="col">{T["common.verdict"]}</th>'
        )
        credit_head = f'<th scope="col">{T["common.credit"]}</th>'
        for x in objectives:
            o, periods = x["o"], x["periods"]
            name = objective_name(o)
            out.append(f"### {escape.heading(name)}\n\n")
            if not periods:
                out.append(f'<p class="slc-nodata">{T["common.no_data_mark"]}</p>\n\n')
                continue
            target = target_text(o)
            chart = svg.period_chart(
                list(reversed(periods)),
                x["unit"],
                words.t("svc.trend_chart", objective=name, target=target),
                T["common.no_data_mark"],
            )
            trend = ""
            if chart:
                legend = words.t("svc.trend_legend", target=target)
                trend = (f'<div class="slc-chart slc-trend-wrap">{chart}'
                         f'<p class="slc-meta">{legend}</p></div>')
            out.append(passthrough.block(
                f'{trend}<div class="slc-table-wrap">\n'
                f'<table data-table="periods" data-objective="{text(o.id)}">\n'
                f"{head}{credit_head if credit_objective == o.id else ''}</tr></thead>\n"
                f"<tbody>\n{period_rows(o, periods)}</tbody>\n</table>\n</div>\n\n"
            ))
        return Markup("".join(out))

    # an objective's target in each version merged for later, when it differs
    later_targets: dict[str, list[str]] = {}
    for c in page.coming:
        for o2 in c.agreement.objectives if c.agreement else ():
            o1 = a.objective(o2.id)
            if o1 is not None and target_text(o1) != target_text(o2):
                later_targets.setdefault(o2.id, []).append(words.t(
                    "svc.target_from", target=target_text(o2), date=fmt.day(c.effective)))

    def objective_rows(objectives: Sequence[dict[str, Any]]) -> Markup:
        """The rows of the objectives table (see :func:`period_rows` for why here)."""
        text, rows = escape.text, []
        for x in objectives:
            o = x["o"]
            desc = ""
            if o.description:
                desc = f'<br><span class="slc-meta">{text(o.description)}</span>'
            later = "".join(f'<br><span class="slc-meta slc-coming">{m}</span>'
                            for m in later_targets.get(o.id, ()))
            rows.append(
                f'<tr data-objective="{text(o.id)}"><th scope="row">{text(objective_name(o))}'
                f"{desc}</th><td>{text(words.measured(o, a))}</td>"
                f'<td class="slc-num">{text(target_text(o))}{later}</td>'
                f"<td>{text(words.window(o))}</td></tr>\n"
            )
        return Markup("".join(rows))

    def miss_items(misses: Sequence[tuple[Objective, PeriodResult, list[Any]]]) -> Markup:
        """The list of what was missed (see :func:`period_rows` for why here)."""
        text, items = escape.text, []
        def said(m: Any) -> str:
            # a day's miss names the incidents open that day (an incident's own miss
            # names it already)
            during = m.incident and m.incident not in m.what
            # Markup into f-strings: str + Markup would escape the str a second time
            return text(say(m.what, language)) + (
                f"{words.t('svc.miss_during', incidents=m.incident)}" if during else "")

        for o, p, ms in misses:
            more = ""
            if len(ms) > 1:
                more = f"{T['svc.miss_sep']}{said(ms[1])}"
            if len(ms) > 2:
                more += f"{words.t('svc.more_misses', n=len(ms) - 2)}"
            items.append(
                f"<li><strong>{text(p.period)}</strong> · {text(objective_name(o))}: "
                f"{said(ms[0])}{more}</li>\n"
            )
        return Markup("".join(items))

    def period_rows(o: Objective, periods: Sequence[PeriodResult]) -> Markup:
        """The rows of an objective's period table; built here rather than in a template
        loop, where a fleet's 10,000 rows spent most of their time in Jinja's calls."""
        credit = credit_objective == o.id
        open_tag = f' <span class="slc-meta">({words.t("common.open")})</span>'
        restated_tag = f' <span class="slc-tag">{words.t("svc.restated")}</span>'
        provisional_tag = (f' <span class="slc-tag slc-provisional">'
                           f'{words.t("svc.provisional")}</span>')
        review_tag = f' <span class="slc-tag slc-review">{words.t("svc.under_review")}</span>'
        review_note = words.t("svc.under_review_note")
        colspan = 4 if credit else 3
        rows = []
        for p in periods:
            period = escape.text(p.period)
            rows.append(
                f'<tr data-period="{period}"><th scope="row">{period}'
                f"{'' if p.closed else open_tag}"
                f"{provisional_tag if p.closed and p.holds and not p.frozen_at else ''}"
                f"{restated_tag if (o.id, p.period) in restated else ''}"
                f"{review_tag if (o.id, p.period) in page.disputed else ''}</th>"
                f'<td class="slc-num">{words.fig(p.value, p.unit)}</td>'
                f'<td class="slc-num">{escape.text(fmt.figure(p.target, p.unit))}</td>'
                f"<td>{words.chip(p.verdict)}</td>"
                + (f'<td class="slc-credit">{credit_text(p)}</td>' if credit else "")
                + "</tr>\n"
            )
            if p.verdict == "no-data" and p.reasons:
                rows.append(
                    f'<tr class="slc-reason-row"><td></td><td colspan="{colspan}">'
                    f'<span class="slc-reason">{escape.text(say(p.reasons[0], language))}'
                    f"</span></td></tr>\n"
                )
            if (o.id, p.period) in page.disputed:
                rows.append(
                    f'<tr class="slc-reason-row slc-review-row"><td></td>'
                    f'<td colspan="{colspan}"><span class="slc-reason">{review_note}'
                    f"</span></td></tr>\n"
                )
            if p.closed and p.holds and not p.frozen_at:
                rows.append(
                    f'<tr class="slc-reason-row slc-provisional-row"><td></td>'
                    f'<td colspan="{colspan}"><span class="slc-reason">'
                    f"{provisional_note(p, language)}</span></td></tr>\n"
                )
        return Markup("".join(rows))

    zone = _zone(a.timezone)

    def local_when(ts: int) -> str:
        return escape.text(fmt.when(datetime.fromtimestamp(ts, tz=zone)))

    verdicts: dict[str, list[Any]] = {}
    for v in (page.results.incident_verdicts if page.results else ()):
        verdicts.setdefault(v.incident, []).append(v)

    def recovery(incident: str) -> str:
        """The incident's verdicts under the recovery and escalation objectives ("RTO met",
        "RPO missed", "Escalation met", one a line),
        each with what was missed (or not recorded) as its tooltip, as a line under the
        summary: a seventh column pushed the table past the page's width."""
        out = []
        for v in verdicts.get(incident, ()):
            label = t(f"svc.recovery.{v.kind}", language)
            tip = f' title="{escape.text(say(v.what, language))}"' if v.what else ""
            cls = _INCIDENT_CHIP.get(v.status, "no-data")
            chip = (f'<span class="slc-chip slc-chip-{cls}">'
                    f'{escape.text(t("svc.outcome." + v.status, language))}</span>')
            out.append(f'<span class="slc-recovery"{tip}>{escape.text(label)}&nbsp;{chip}</span>')
        return f'<br><span class="slc-meta">{"<br>".join(out)}</span>' if out else ""

    def incident_rows(incidents: Sequence[Any]) -> Markup:
        """The rows of the incident table (up to 50 a page), built here for the same reason
        as :func:`period_rows`."""
        return Markup("".join(
            f'<tr><th scope="row">{escape.text(i.id)}</th><td>{escape.text(i.priority)}</td>'
            f"<td>{local_when(i.opened)}</td>"
            f"<td>{'—' if i.first_response is None else local_when(i.first_response)}</td>"
            f"<td>{'—' if i.resolved is None else local_when(i.resolved)}</td>"
            f"<td>{escape.text(i.title)}{recovery(i.id)}</td></tr>\n"
            for i in incidents
        ))

    def complaint_rows(complaints: Sequence[Any]) -> Markup:
        """How many complaints came in each month of the agreement's timezone (newest
        first), and by which channel and about what: the count the policy asks to show.
        Who complained is never shown; the records stay with the provider."""
        months: dict[str, list[Any]] = {}
        for c in complaints:
            month = datetime.fromtimestamp(c.opened, tz=zone).strftime("%Y-%m")
            months.setdefault(month, []).append(c)
        def tally(values: list[str]) -> str:
            """One line per channel (category) with its count: a list of them joined by
            commas wrapped into an unreadable column on a phone."""
            counts: dict[str, int] = {}
            for v in values:
                if v:
                    counts[v] = counts.get(v, 0) + 1
            return "<br>".join(f"{escape.text(k)}&nbsp;{n}"
                               for k, n in sorted(counts.items())) or "—"

        return Markup("".join(
            f'<tr data-period="{escape.text(m)}"><th scope="row">{escape.text(m)}</th>'
            f'<td class="slc-num">{len(cs)}</td>'
            f"<td>{tally([c.channel for c in cs])}</td>"
            f"<td>{tally([c.category for c in cs])}</td></tr>\n"
            for m, cs in sorted(months.items(), reverse=True)[:13]
        ))

    def maint_table(windows: Sequence[Maintenance]) -> Markup:
        head = "".join(
            f'<th scope="col">{escape.text(t(k, language))}</th>'
            for k in (
                "common.start",
                "common.end",
                "svc.maint_announced",
                "common.description",
                "svc.maint_excluded",
            )
        )
        rows = []
        for m in windows:
            excluded = maint_excluded(
                m, late, over_cap, a.maintenance_policy.max_per_month, language
            )
            rows.append(
                f"<tr><td>{escape.text(fmt.when(m.start))}</td><td>{escape.text(fmt.when(m.end))}</td>"
                f"<td>{escape.text(fmt.when(m.announced))}</td><td>{escape.text(m.description)}</td>"
                f"<td>{escape.text(excluded)}</td></tr>"
            )
        return Markup(
            '<div class="slc-table-wrap"><table data-table="maintenance"><thead><tr>'
            + head
            + "</tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table></div>"
        )

    def calendar_text(c: Any) -> str:
        days = t("common.list_sep", language).join(
            words_days[d] for d in c.weekdays if 0 <= d < 7)
        hol = t("svc.holidays", language, country=c.holidays) if c.holidays else ""
        return t(
            "svc.calendar",
            language,
            id=c.id,
            days=days,
            start=c.start.strftime("%H:%M"),
            end="24:00" if c.end.hour == 23 and c.end.minute == 59 else c.end.strftime("%H:%M"),
            tz=c.timezone,
            holidays=hol,
        )

    words_days = t("weekdays", language).split(",")
    hours = a.support.hours
    hours_text = t("svc.24x7", language) if hours == CLOCK_24X7 else hours
    return (
        environment()
        .get_template("service.md.j2")
        .render(
            w=words,
            T=T,
            a=a,
            cards=cards,
            daily_blocks=daily_blocks,
            period_sections=period_sections,
            objective_rows=objective_rows,
            miss_items=miss_items,
            res=res,
            page=page,
            objectives=by_obj,
            status=status_of(cur),
            term=term,
            title=Markup(escape.yaml_str(a.name)),
            group=Markup(escape.yaml_str(a.owners[0])) if page.internal and a.owners else None,
            escape_block=lambda v: Markup(escape.block(v)),
            deps=", ".join(d.name for d in page.dependencies),
            fmt=fmt,
            svg=svg,
            now=now,
            built=built,
            evaluated=fmt.when(now),
            objective_name=objective_name,
            target_text=target_text,
            budget_share=budget_share,
            restated=restated,
            misses=misses,
            upcoming=upcoming,
            past=past[:12],
            review_next=review_next,
            review_overdue=review_overdue,
            credit_objective=credit_objective,
            credit_name=objective_name(co) if co else credit_objective,
            credit_text=credit_text,
            period_rows=period_rows,
            incident_rows=incident_rows,
            complaint_rows=complaint_rows,
            maint_table=maint_table,
            calendar_text=calendar_text,
            hours_text=hours_text,
            money=money,
            internal_notes=notes,
            r_period=lambda r: getattr(r, "period", ""),
            r_objective=lambda r: getattr(r, "objective", ""),
            r_reason=lambda r: getattr(r, "reason", ""),
            r_when=lambda r: fmt.day(getattr(r, "restated_at", "")),
        )
    )


def provisional_note(p: PeriodResult, language: str) -> Markup:
    """Why a closed period is not frozen yet and until when ("Provisional until DATE:
    ..."): its figures may still change, and a reader comparing nights must know it."""
    why = [t(f"svc.hold.{h.kind}", language, n=h.count) for h in p.holds]
    text = t("svc.hold.sep", language).join(why)
    ends = [h.until for h in p.holds]
    if all(ends):
        until = max(ends, key=lambda u: fmt.parse_time(u))
        note = t("svc.provisional_until", language, until=fmt.when(until), why=text)
    else:  # an incident whose deadline is not in sight: no date to give
        note = t("svc.provisional_open", language, why=text)
    return Markup(escape.text(note))


def claim_today(a: Agreement, now: datetime | None) -> date | None:
    """The agreement's local date at ``now``: a claim window closes at the end of its
    last day there, not in UTC. ``None`` when there is no ``now`` to compare with."""
    return None if now is None else now.astimezone(_zone(a.timezone or "UTC")).date()


def period_credit(p: PeriodResult, language: str, today: date | None = None) -> Markup:
    """A period's credit (percent, money, claim date) and bonus; "—" when none is owed.

    A claim date before ``today`` (the agreement's local date at the build's now) reads
    as a closed window: an old deadline shown like an open one invites a claim too late."""
    c = p.credit
    if c is None:
        return Markup("—") if p.closed or p.value is not None else Markup("")
    parts = []
    if c.percent:
        parts.append(escape.text(fmt.percent(c.percent, 2)))
        if c.amount is not None:
            parts.append("(" + escape.text(money(c.amount, c.currency)) + ")")
        if c.claim_by:
            closed = today is not None and c.claim_by[:10] < today.isoformat()
            when = t("svc.claim_closed" if closed else "svc.claim_by", language,
                     date=fmt.day(c.claim_by))
            parts.append(f'<span class="slc-meta">{escape.text(when)}</span>')
    if c.bonus_percent:
        amount = getattr(c, "bonus_amount", None)
        bonus = fmt.percent(c.bonus_percent, 2)
        if amount is not None:
            bonus += f" ({money(amount, c.currency)})"
        parts.append(escape.text(t("svc.bonus_earned", language, bonus=bonus)))
    return Markup(" ".join(parts) or "—")


def money(amount: float, currency: str) -> str:
    return f"{amount:,.2f} {currency}".strip()


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return UTC


def _stretches(res: ServiceResults | None, field: str) -> set[tuple[float, float]]:
    """The "start/end" ISO stretches a period lists in ``field`` (``late_maintenance``,
    ``over_cap_maintenance``), over every period, as epoch seconds."""
    out: set[tuple[float, float]] = set()
    for p in res.periods if res else ():
        for w in getattr(p, field):
            start, _, end = w.partition("/")
            try:
                out.add((fmt.parse_time(start).timestamp(), fmt.parse_time(end).timestamp()))
            except ValueError:
                continue
    return out


def _late_windows(
    res: ServiceResults | None, a: Agreement | None = None
) -> set[tuple[float, float]]:
    """Windows announced too late: those the figures counted, and (``a`` given) those
    the agreement makes late that no period has reached yet (upcoming windows)."""
    out = _stretches(res, "late_maintenance")
    if a is not None:
        out |= {(w.start.timestamp(), w.end.timestamp()) for w in maintenance_account(a).late}
    return out


def _over_cap(res: ServiceResults | None, a: Agreement | None = None) -> list[tuple[float, float]]:
    """Maintenance beyond the agreement's monthly maximum (downtime in the figures): what
    the periods list and (``a`` given) what the agreement makes so for upcoming windows."""
    out = _stretches(res, "over_cap_maintenance")
    if a is not None:
        out |= {(float(s), float(e)) for s, e in maintenance_account(a).over_cap}
    return sorted(out)


def is_late(m: Maintenance, late: set[tuple[float, float]]) -> bool:
    return (m.start.timestamp(), m.end.timestamp()) in late


def over_cap_seconds(m: Maintenance, over: Sequence[tuple[float, float]]) -> float:
    """How much of window ``m`` lies beyond the monthly maximum (stretches merged, so a
    stretch listed by two periods is counted once)."""
    return overlap(merge(list(over)), m.start.timestamp(), m.end.timestamp())


def maint_excluded(
    m: Maintenance,
    late: set[tuple[float, float]],
    over: Sequence[tuple[float, float]],
    cap: Any,
    language: str,
) -> str:
    """Whether window ``m`` is left out of the figures, in words (not escaped): yes; no,
    announced late; no or partly, beyond the monthly maximum ``cap`` (a Duration)."""
    if is_late(m, late):
        return t("svc.maint_late", language)
    beyond = over_cap_seconds(m, over)
    if beyond <= 0:
        return t("common.yes", language)
    cap_words = fmt.duration(cap, language)
    if beyond >= m.end.timestamp() - m.start.timestamp():
        return t("svc.maint_over_cap", language, max=cap_words)
    return t("svc.maint_over_cap_part", language, max=cap_words,
             over=fmt.elapsed(beyond, language))
