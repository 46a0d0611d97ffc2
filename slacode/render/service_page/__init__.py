"""One service page, assembled from its sections.

:func:`render` gathers what several sections share into a :class:`ServiceView` once
(the page's words, which periods were restated, the agreement's local zone, ...), then
the template ``service.md.j2`` calls one section function per part of the page. Each
section lives in its own module, named for the part of the page it writes, so a change
to one part of the page is a change to one module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from markupsafe import Markup

from slacode.evaluate.results import PeriodResult, ServiceResults
from slacode.model import CLOCK_24X7, Agreement
from slacode.render import escape, fmt, svg, tables
from slacode.render.pages import (
    Page,
    Words,
    _late_windows,
    _over_cap,
    _zone,
    budget_share,
    claim_today,
    current_periods,
    environment,
    money,
    objective_name,
    period_credit,
    phrases,
    status_of,
    target_text,
)
from slacode.render.strings import t

#: how long before a contract's end its page says the end is near
CONTRACT_NOTICE_DAYS = 90


@dataclass
class ServiceView:
    """What the sections of one service page share, computed once per page."""

    page: Page
    now: datetime
    language: str
    words: Words
    T: dict[str, Markup]
    #: (objective, period) pairs whose figures were restated
    restated: set[tuple[str, str]]
    #: the objective credits are owed on ("" when the agreement has no credits)
    credit_objective: str
    #: the agreement's local date at ``now`` (claim windows close at its end)
    claims_today: date | None
    late: set[tuple[float, float]]
    over_cap: list[tuple[float, float]]
    zone: Any
    #: incident id -> its verdicts under recovery and escalation objectives
    verdicts: dict[str, list[Any]] = field(default_factory=dict)
    #: objective id -> "target X from DATE" lines of versions merged for later
    later_targets: dict[str, list[str]] = field(default_factory=dict)

    @property
    def a(self) -> Agreement:
        return self.page.agreement

    @property
    def res(self) -> ServiceResults | None:
        return self.page.results

    def credit_text(self, p: PeriodResult) -> Markup:
        return period_credit(p, self.language, self.claims_today)


def view_of(page: Page, now: datetime, language: str) -> ServiceView:
    """The shared part of a service page (see :class:`ServiceView`)."""
    a, res = page.agreement, page.results
    words = PageWords(language, {c.id: calendar_hours(c, language) for c in a.calendars})
    restated = {(getattr(r, "objective", ""), getattr(r, "period", "")) for r in page.restatements}
    restated |= {(p.objective, p.period) for p in (res.periods if res else ()) if p.restatements}
    verdicts: dict[str, list[Any]] = {}
    for v in (res.incident_verdicts if res else ()):
        verdicts.setdefault(v.incident, []).append(v)
    # an objective's target in each version merged for later, when it differs
    later_targets: dict[str, list[str]] = {}
    for c in page.coming:
        for o2 in c.agreement.objectives if c.agreement else ():
            o1 = a.objective(o2.id)
            if o1 is not None and target_text(o1) != target_text(o2):
                later_targets.setdefault(o2.id, []).append(words.t(
                    "svc.target_from", target=target_text(o2), date=fmt.day(c.effective)))
    return ServiceView(
        page=page,
        now=now,
        language=language,
        words=words,
        T=phrases(language),
        restated=restated,
        credit_objective=a.credits.objective if a.credits else "",
        claims_today=claim_today(a, now),
        late=_late_windows(res, a),
        over_cap=_over_cap(res, a),
        zone=_zone(a.timezone),
        verdicts=verdicts,
        later_targets=later_targets,
    )


def term_text(v: ServiceView) -> Markup | str:
    """A line on the agreement's term when it matters: not in force yet or any more, too
    new for a judged period, or ending soon (the policy asks for renewal in time)."""
    a, res, now, words = v.a, v.res, v.now, v.words
    term: Markup | str = ""
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
        term = words.t("svc.term_ending", date=fmt.day(a.contract.end),
                       days=(a.contract.end - now.date()).days)
        if a.contract.renewal:
            term += Markup(" ") + words.t("svc.term_renewal", renewal=a.contract.renewal)
    return term


def objective_views(v: ServiceView, history_months: int) -> list[dict[str, Any]]:
    """Per objective: its current period, the periods its table shows (newest first),
    and its daily figures for the 90-day strip."""
    a, res = v.a, v.res
    cur = current_periods(a, res)
    out: list[dict[str, Any]] = []
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
        out.append(
            {
                "o": o,
                "current": current,
                "periods": shown,
                "daily": daily,
                "days": svg.day_texts(daily, unit),
                "unit": unit,
            }
        )
    return out


def calendar_hours(c: Any, language: str) -> str:
    """A business calendar's hours in words, without its id (an internal name such as
    ``cn-business`` means nothing to a customer): "Mon–Fri, 09:00–18:00 (Asia/Shanghai),
    except public holidays (CN)". Three or more days in a row read as a range."""
    names = t("weekdays", language).split(",")
    days = sorted(d for d in c.weekdays if 0 <= d < 7)
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        day_words = f"{names[days[0]]}–{names[days[-1]]}"
    else:
        day_words = t("common.list_sep", language).join(names[d] for d in days)
    hol = t("svc.holidays", language, country=c.holidays) if c.holidays else ""
    return t(
        "pages.calendar_hours",
        language,
        days=day_words,
        start=c.start.strftime("%H:%M"),
        end="24:00" if c.end.hour == 23 and c.end.minute == 59 else c.end.strftime("%H:%M"),
        tz=c.timezone,
        holidays=hol,
    )


def calendar_text(v: ServiceView, c: Any) -> str:
    """A business calendar in words: its days, hours, zone and holidays (not its id)."""
    return t("pages.calendar", v.language, hours=calendar_hours(c, v.language))


@dataclass
class PageWords(Words):
    """The page's words, with each business-hours clock named by its hours rather than
    by the calendar's id."""

    calendars: dict[str, str] = field(default_factory=dict)

    def clock(self, clock: str) -> str:
        if clock in self.calendars:
            return t("pages.clock_calendar", self.language, hours=self.calendars[clock])
        return super().clock(clock)


def render(page: Page, now: datetime, language: str, built: str, history_months: int = 13,
           *, block: str = "") -> str:
    """The Markdown of one service page; with ``block``, only that block of the template
    (``agreement``: the agreement's text, which a version page shows on its own)."""
    from slacode.render.service_page import (
        actions,
        cards,
        claims,
        daily,
        history,
        incidents,
        maintenance,
        misses,
        objectives,
        periods,
    )

    v = view_of(page, now, language)
    a, res = v.a, v.res
    cur = current_periods(a, res)
    upcoming = sorted((m for m in a.maintenance if m.end > now), key=lambda m: m.start)
    past = sorted((m for m in a.maintenance if m.end <= now), key=lambda m: m.start, reverse=True)
    review_next = None
    review_overdue = False
    if a.review.every and a.review.last:
        review_next = a.review.every.add_to(a.review.last)
        review_overdue = review_next < now.date()
    co = a.objective(v.credit_objective)
    notes = [("", a.internal_notes)] if a.internal_notes else []
    notes += [(objective_name(o), o.internal_notes) for o in a.objectives if o.internal_notes]
    hours = a.support.hours
    template = environment().get_template("service.md.j2")
    context = dict(
            w=v.words,
            T=v.T,
            a=a,
            cards=partial(cards.cards, v),
            daily_blocks=partial(daily.daily_blocks, v),
            period_sections=partial(periods.period_sections, v),
            objective_rows=partial(objectives.objective_rows, v),
            miss_items=partial(misses.miss_items, v),
            actions_section=partial(actions.actions_section, v),
            claims_section=partial(claims.claims_section, v),
            res=res,
            page=page,
            objectives=objective_views(v, history_months),
            status=status_of(cur),
            term=term_text(v),
            title=Markup(escape.yaml_str(a.name)),
            group=Markup(escape.yaml_str(a.owners[0])) if page.internal and a.owners else None,
            escape_block=lambda value: Markup(escape.block(value)),
            deps=", ".join(d.name for d in page.dependencies),
            fmt=fmt,
            svg=svg,
            now=now,
            built=built,
            evaluated=fmt.when(now),
            zone=fmt.zone_label(a.timezone or "UTC", now),
            objective_name=objective_name,
            target_text=target_text,
            budget_share=budget_share,
            restated=v.restated,
            misses=misses.missed(v),
            upcoming=upcoming,
            past=past[:12],
            review_next=review_next,
            review_overdue=review_overdue,
            credit_objective=v.credit_objective,
            credit_name=objective_name(co) if co else v.credit_objective,
            credit_text=v.credit_text,
            period_rows=partial(periods.period_rows, v),
            incident_rows=partial(incidents.incident_rows, v),
            incident_history=partial(incidents.incident_history, v),
            complaint_rows=partial(incidents.complaint_rows, v),
            maint_table=partial(maintenance.maint_table, v),
            calendar_text=partial(calendar_text, v),
            hours_text=t("svc.24x7", language) if hours == CLOCK_24X7 else v.words.clock(hours),
            money=money,
            internal_notes=notes,
            r_period=lambda r: getattr(r, "period", ""),
            r_objective=lambda r: getattr(r, "objective", ""),
            r_reason=lambda r: getattr(r, "reason", ""),
            r_when=lambda r: fmt.day(getattr(r, "restated_at", "")),
            history_section=partial(history.history_section, v),
            coming_lines=partial(history.coming_lines, v),
    )
    if block:
        return tables.labelled("".join(template.blocks[block](template.new_context(context))))
    return tables.labelled(template.render(context))
