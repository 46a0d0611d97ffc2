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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from slacode.evaluate.results import SEVERITY as _SEVERITY
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
from slacode.render import changes, escape, fmt, svg
from slacode.render.reasons import nothing_counted
from slacode.render.strings import STRINGS, t

#: Verdicts from worst to best: a service's status is its worst objective's verdict
#: (defined beside the verdicts, in evaluation's results).
SEVERITY = _SEVERITY


def _finalize(value: Any) -> str:
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return escape.text(value)


@cache
def environment() -> Environment:
    """The templates' environment; ``severity`` (every verdict, worst first) is a global,
    so that no template lists verdicts of its own."""
    env = Environment(
        loader=PackageLoader("slacode.render", "templates"),
        autoescape=False,  # escaping is done by _finalize, for HTML and Markdown alike
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["severity"] = SEVERITY
    return env


@cache
def phrases(language: str) -> dict[str, Markup]:
    """Every string-table entry without placeholders filled in, for ``T["key"]`` in
    templates: the same text as ``w.t("key")`` without a template call per use."""
    return {key: Markup(t(key, language)) for key in STRINGS}


@lru_cache(maxsize=256)
def _chip(verdict: str, language: str) -> Markup:
    """A verdict as a coloured chip: the same few on every row of a fleet's tables."""
    cls = svg.colour(verdict)
    words = escape.text(t("verdict." + svg.verdict_class(verdict), language))
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

    def change(self, change: Any, names: Mapping[str, str] | None = None) -> str:
        """One change of the change history in the site's language (escaped by the caller);
        ``names`` names the objectives it gives by id."""
        return changes.say(change, self.language, names)

    def chip(self, verdict: str) -> Markup:
        return _chip(verdict, self.language)

    def colour(self, verdict: str) -> str:
        """The chip colour of ``verdict`` (``slc-chip-{colour}``)."""
        return svg.colour(verdict)

    def define(self, verdict: str) -> str:
        """What ``verdict`` means, as the About page defines it."""
        return t("verdict_def." + svg.verdict_class(verdict), self.language)

    def fig(self, value: float | None, unit: str, target: float | None = None) -> Markup:
        """A figure; given its objective's ``target``, with that objective's decimals."""
        if value is None:
            words = escape.text(t("common.no_data_mark", self.language))
            return Markup(f'<span class="slc-nodata">{words}</span>')
        # a figure is digits, the locale's separators, "-" and "%": escaped all the same
        return Markup(escape.text(fmt.figure(value, unit, target=target,
                                             language=self.language)))

    def period_fig(self, p: PeriodResult) -> Markup:
        """A period's figure with its objective's decimals, or what it had to count when
        that was nothing ("no P1 incidents in this period"), never a bare 100%."""
        nothing = nothing_counted(p.reasons, self.language)
        if nothing is not None and p.value is not None:
            nothing = nothing[:1].upper() + nothing[1:]  # it stands alone in its cell
            return Markup(f'<span class="slc-nothing">{escape.text(nothing)}</span>')
        return self.fig(p.value, p.unit, p.target)

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


def period_kind(p: PeriodResult) -> str:
    """``month``, ``quarter``, ``year`` or ``rolling``: what a period id names."""
    if p.period.startswith("rolling"):
        return "rolling"
    if "-Q" in p.period:
        return "quarter"
    return "month" if "-" in p.period else "year"


def budget_phrase(p: PeriodResult, language: str, priority: str = "") -> str | None:
    """The error budget in words, as every page and the command line say it: what may
    go wrong in the period and how much already did ("Failed requests allowed this
    month: 19,837 · used 6,586"), never a share of a count that reads as successes.
    Incidents, complaints and survey answers count whole: an open period says how many
    more misses break it ("1 more missed P4 incident breaches the quarter"), rounding
    what is allowed down. ``priority`` names the incidents' priority. None when the
    period has no budget."""
    b = p.budget
    if b is None:
        return None
    whole = b.unit in _WHOLE
    if not whole and b.allowed <= 0:
        return None
    kind = period_kind(p)
    key = "budget.noun." + b.unit if "budget.noun." + b.unit in STRINGS else "budget.noun.events"
    pad = f"{priority} " if language == "en" else f" {priority} "
    noun = t(key, language, priority=pad if priority else "")

    def n(x: float) -> str:
        return fmt.count(math.floor(x + 1e-9), language) if whole else fmt.amount(x, language)

    allowed, used = n(b.allowed), n(b.consumed)
    if whole:
        used = fmt.count(math.ceil(b.consumed - 1e-9), language)
    where = {"period": t("period.this." + kind, language)} if not p.closed else {
        "period": p.period}
    key = "svc.budget_allowed" if not p.closed else "svc.budget_allowed_in"
    text = t(key, language, noun=noun, allowed=allowed, used=used, **where)
    if b.remaining < -1e-9:
        over = math.ceil(-b.remaining - 1e-9) if whole else -b.remaining
        text += t("svc.budget_over_by", language,
                  over=fmt.count(over, language) if whole else fmt.amount(over, language))
    elif whole and not p.closed:
        more = math.floor(b.remaining + 1e-9) + 1  # one beyond what is allowed breaks it
        lower = noun[:1].lower() + noun[1:] if language == "en" else noun
        if language == "en" and more == 1:
            lower = lower.removesuffix("s")
        text += " · " + t(
            "svc.budget_more" if more != 1 else "svc.budget_more_one", language,
            n=fmt.count(more, language), noun=lower,
            period=t("period.word." + kind, language))
    return text


def next_maintenance(agreement: Agreement, now: datetime) -> Maintenance | None:
    upcoming = sorted((m for m in agreement.maintenance if m.end > now), key=lambda m: m.start)
    return upcoming[0] if upcoming else None


@dataclass(frozen=True)
class Coming:
    """A version merged for later: announced on the page, not presented as the promise."""

    version: int
    effective: date
    changes: tuple[Any, ...] = ()  # from the version before: semdiff's changes
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
    #: improvement actions (``slacode.model.Action``), in file order
    actions: Sequence[Any] = ()
    #: owed credits (``slacode.evaluate.claims.OwedCredit``) with the claims this build shows
    credits_owed: Sequence[Any] = ()
    restatements: Sequence[Any] = ()
    internal: bool = False
    coming: Sequence[Coming] = ()  # versions merged for later, soonest first
    #: (objective, period) of frozen periods a fresh evaluation disagrees with
    disputed: frozenset[tuple[str, str]] = frozenset()
    #: every version of the agreement the audience may see, by version number (the change
    #: history names objectives by them); each has a page of its own (``vN/``)
    versions: Mapping[int, Agreement] = field(default_factory=dict)
    #: the repository's web address: pull-request numbers in the history become links
    repo_url: str = ""
    #: objective id -> its name in the site's language over every version in ``versions``
    #: (a past version's English name takes the latest file's translation of it)
    objective_names: Mapping[str, str] = field(default_factory=dict)


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
    from slacode.render import overview_parts, tables

    words = Words(language)
    groups: dict[str, list[dict[str, Any]]] = {}
    counts = dict.fromkeys(SEVERITY, 0)
    for a in sorted(agreements, key=lambda a: (a.name.lower(), a.id)):
        res = results.get(a.id)
        cur = current_periods(a, res)
        status = status_of(cur)
        for p in cur:  # the chips count objectives, as the period reports do
            counts[svg.verdict_class(p.verdict)] += 1
        owner = a.owners[0] if internal and a.owners else ""
        objs = objectives_by_id(a)
        groups.setdefault(owner, []).append(
            {
                "a": a,
                "status": status,
                "current": [(objs[p.objective], p) for p in cur if objs.get(p.objective)],
                "as_of": res.as_of if res else "",
                "maintenance": next_maintenance(a, now),
                "credit": overview_parts.credit_text(
                    overview_parts.credit_notes(a, res, claim_today(a, now)), language),
            }
        )
    # owners head sections: heading text (see escape.heading), made safe before Words.t
    ordered = [(Markup(escape.heading(owner)) if owner else "", rows)
               for owner, rows in sorted(groups.items(), key=lambda kv: (kv[0] == "", kv[0]))]
    return tables.labelled(
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
            period_name=lambda period: overview_parts.period_name(period, language),
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
        note = t("svc.provisional_until", language, until=fmt.when(until, language), why=text)
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
            parts.append("(" + escape.text(money(c.amount, c.currency, language)) + ")")
        if c.claim_by:
            closed = today is not None and c.claim_by[:10] < today.isoformat()
            when = t("svc.claim_closed" if closed else "svc.claim_by", language,
                     date=fmt.day(c.claim_by))
            parts.append(f'<span class="slc-meta">{escape.text(when)}</span>')
    if c.bonus_percent:
        amount = getattr(c, "bonus_amount", None)
        bonus = fmt.percent(c.bonus_percent, 2)
        if amount is not None:
            bonus += f" ({money(amount, c.currency, language)})"
        parts.append(escape.text(t("svc.bonus_earned", language, bonus=bonus)))
    return Markup(" ".join(parts) or "—")


def money(amount: float, currency: str, language: str = "en") -> str:
    """Money as the site's locale writes it (Babel): ``5,000.00 USD``."""
    return fmt.money(amount, currency, language)


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
