"""What two versions of an agreement promise differently, in words a customer reads.

Each :class:`Change` says in one line what changed ("monthly availability target
99.9% → 99.95%") and whether it *weakens* a promise for customers: a lower target,
a longer response time, a smaller credit, a narrower scope, more exclusions, a
shorter notice, a shorter claim window. ``promise`` separates promises (what a
pull request must version and date) from bookkeeping such as names, owners,
contacts, sources and planned maintenance windows. ``internal_notes`` is never
compared, so its text never reaches a diff.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import time

from slacode.durations import Duration
from slacode.model import (
    CLOCK_24X7,
    Agreement,
    Calendar,
    Credits,
    Objective,
    Priority,
)


@dataclass(frozen=True)
class Change:
    what: str  # one line in words, e.g. "monthly availability target 99.9% → 99.95%"
    weakens: bool = False  # weaker for customers
    promise: bool = True  # a promise (needs a version bump and a new effective date)
    pointer: str = ""  # JSON pointer into the newer version (older when removed), for positions


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WINDOW_WORDS = {"month": "monthly", "quarter": "quarterly", "year": "yearly"}
_KIND_WORDS = {
    "availability": "availability",
    "latency": "latency",
    "response-time": "response",
    "resolution-time": "resolution",
    "satisfaction": "satisfaction",
}
_END_OF_DAY = time(23, 59, 59, 999999)


def num(x: float) -> str:
    """``99.95`` → ``99.95``, ``100.0`` → ``100``: figures as people write them."""
    return f"{x:.6f}".rstrip("0").rstrip(".")


def pct(x: float) -> str:
    """A share, e.g. a credit: ``25%``."""
    return f"{num(x)}%"


def level(x: float) -> str:
    """A level to reach, with at least one decimal as SLAs write them: ``99.0%``, ``99.95%``."""
    text = num(x)
    return f"{text}%" if "." in text or x >= 100 else f"{text}.0%"


def dur(d: Duration | None) -> str:
    return d.words() if d else "none"


def _secs(d: Duration) -> float:
    """Comparable length; calendar units approximated (a month ~ 30 days, a year ~ 365)."""
    if d.unit == "mo":
        return d.amount * 30 * 86400.0
    if d.unit == "y":
        return d.amount * 365 * 86400.0
    return d.seconds


def _longer(old: Duration | None, new: Duration | None) -> bool:
    """Whether ``new`` is longer than ``old``; a missing limit counts as unbounded."""
    if new is None:
        return old is not None
    if old is None:
        return False
    return _secs(new) > _secs(old)


def hours_text(c: Calendar) -> str:
    end = "24:00" if c.end >= time(23, 59, 59) else c.end.strftime("%H:%M")
    return f"{c.start.strftime('%H:%M')}–{end}"


def days_text(days: Sequence[int]) -> str:
    ds = sorted(days)
    if ds and ds == list(range(ds[0], ds[-1] + 1)) and len(ds) > 2:
        return f"{_DAYS[ds[0]]}–{_DAYS[ds[-1]]}"
    return ", ".join(_DAYS[d] for d in ds) or "no days"


def objective_label(o: Objective, siblings: Sequence[Objective] = ()) -> str:
    """``monthly availability``, ``quarterly P1 response``; the id is added when ambiguous."""
    period = (
        f"rolling {o.window.days}-day" if o.window.kind == "rolling"
        else _WINDOW_WORDS.get(o.window.kind, o.window.kind)
    )
    kind = _KIND_WORDS.get(o.kind, o.kind)
    if o.priority and o.kind in ("response-time", "resolution-time"):
        kind = f"{o.priority} {kind}"
    label = f"{period} {kind}"
    same = [s for s in siblings if s.id != o.id and objective_label(s) == label]
    return f"{label} ({o.id})" if same else label


def _target_text(o: Objective, value: float) -> str:
    score = o.kind == "satisfaction" and o.method in ("mean", "")
    return num(value) if score else level(value)


def diff_agreements(old: Agreement | None, new: Agreement | None) -> tuple[Change, ...]:
    """Changes from ``old`` to ``new`` in words; ``None`` on one side means added/removed."""
    if old is None and new is None:
        return ()
    if old is None:
        assert new is not None
        return (Change(f"agreement {new.id} added (version {new.version}, effective "
                       f"{new.effective.isoformat()})", weakens=False, pointer=""),)
    if new is None:
        return (Change(f"agreement {old.id} removed", weakens=True, pointer=""),)
    out: list[Change] = []
    _meta(old, new, out)
    _lists(old, new, out)
    _support(old, new, out)
    _calendars(old, new, out)
    _objectives(old, new, out)
    _priorities(old, new, out)
    _credits(old.credits, new.credits, out)
    _maintenance(old, new, out)
    _escalation(old, new, out)
    _continuity(old, new, out)
    return tuple(out)


# --- pieces -----------------------------------------------------------------------------


def _meta(old: Agreement, new: Agreement, out: list[Change]) -> None:
    def note(what: str, pointer: str) -> None:
        out.append(Change(what, weakens=False, promise=False, pointer=pointer))

    if old.version != new.version:
        note(f"version {old.version} → {new.version}", "/version")
    if old.effective != new.effective:
        note(f"effective {old.effective.isoformat()} → {new.effective.isoformat()}", "/effective")
    if old.id != new.id:
        note(f"id {old.id} → {new.id}", "/id")
    if old.name != new.name:
        note(f"name {old.name!r} → {new.name!r}", "/name")
    if old.visibility != new.visibility:
        # a narrower audience withdraws the promise from everyone else: a weaker promise
        narrower = old.visibility == "public" or new.visibility == "internal"
        out.append(Change(f"visibility {old.visibility} → {new.visibility}",
                          weakens=narrower, promise=narrower, pointer="/visibility"))
    if old.provider != new.provider:
        note(f"provider now {new.provider.name}"
             + (f" ({new.provider.contact})" if new.provider.contact else ""), "/parties/provider")
    if old.customer != new.customer:
        note(f"customer now {new.customer.name}", "/parties/customer")
    if old.description != new.description:
        note("service description reworded", "/service/description")
    if old.owners != new.owners:
        note(f"owners now {', '.join(new.owners) or 'none'}", "/owners")
    if old.timezone != new.timezone:
        out.append(Change(f"periods now counted in timezone {new.timezone} (was {old.timezone})",
                          weakens=False, pointer="/timezone"))
    # Counted, not named: a dependency may be an internal agreement that a public
    # change log must not mention.
    if set(old.depends_on) != set(new.depends_on):
        note(f"dependencies on other services changed ({len(old.depends_on)} → "
             f"{len(new.depends_on)})", "/depends_on")
    if set(old.underpins) != set(new.underpins):
        note(f"services this one underpins changed ({len(old.underpins)} → "
             f"{len(new.underpins)})", "/underpins")
    if old.contract != new.contract:
        c = new.contract
        parts = [f"{k} {v}" for k, v in (("reference", c.reference), ("from", c.start),
                                          ("until", c.end), ("renewal", c.renewal)) if v]
        note("contract now " + (", ".join(str(p) for p in parts) or "none"), "/contract")
    # The policy promises both a review cadence (contract management) and a way to
    # complain (problem and complaint handling): a longer cadence or a removed channel
    # is a weaker promise; the date of the last review is bookkeeping.
    if old.review.every != new.review.every:
        stretched = _longer(old.review.every, new.review.every)
        out.append(Change(f"review every {dur(old.review.every)} → {dur(new.review.every)}",
                          weakens=stretched, pointer="/review/every"
                          if new.review.every else "/review"))
    if old.review.last != new.review.last:
        note(f"last review {new.review.last.isoformat() if new.review.last else 'none'}",
             "/review/last" if new.review.last else "/review")
    if old.complaints != new.complaints:
        if not new.complaints:
            out.append(Change(f"complaints channel removed: {old.complaints}", weakens=True,
                              pointer=""))
        elif not old.complaints:
            out.append(Change(f"complaints channel added: {new.complaints}",
                              pointer="/complaints"))
        else:
            note(f"complaints channel now {new.complaints}", "/complaints")
    if old.plans != new.plans:
        olds = {p.id: p for p in old.plans}
        news = {p.id: p for p in new.plans}
        for pid, p in news.items():
            if pid not in olds:
                note(f"plan {p.name or pid} added", "/plans")
            elif olds[pid] != p:
                q = olds[pid]
                if q.monthly_fee != p.monthly_fee:
                    note(f"plan {p.name or pid} fee {_money(q.monthly_fee, q.currency)} → "
                         f"{_money(p.monthly_fee, p.currency)}", "/plans")
                else:
                    note(f"plan {p.name or pid} reworded", "/plans")
        for pid, p in olds.items():
            if pid not in news:
                note(f"plan {p.name or pid} removed", "/plans")


def _money(x: float | None, cur: str) -> str:
    return "none" if x is None else f"{num(x)} {cur}".strip()


def _set_diff(
    old: Sequence[str], new: Sequence[str], out: list[Change], label: str, pointer: str,
    removal_weakens: bool, promise: bool = True,
) -> None:
    for x in new:
        if x not in old:
            out.append(Change(f"{label} added: {x}", weakens=not removal_weakens and promise,
                              promise=promise, pointer=pointer))
    for x in old:
        if x not in new:
            out.append(Change(f"{label} removed: {x}", weakens=removal_weakens and promise,
                              promise=promise, pointer=pointer))


def _lists(old: Agreement, new: Agreement, out: list[Change]) -> None:
    _set_diff(old.scope, new.scope, out, "scope", "/service/scope", removal_weakens=True)
    _set_diff(old.exclusions, new.exclusions, out, "exclusion", "/service/exclusions",
              removal_weakens=False)
    _set_diff(old.responsibilities_provider, new.responsibilities_provider, out,
              "provider responsibility", "/responsibilities/provider", removal_weakens=True)
    _set_diff(old.responsibilities_customer, new.responsibilities_customer, out,
              "customer responsibility", "/responsibilities/customer", removal_weakens=False)


def _support(old: Agreement, new: Agreement, out: list[Change]) -> None:
    a, b = old.support, new.support
    if a.hours != b.hours:
        cal = new.calendar(b.hours)
        words = "24x7" if b.hours == CLOCK_24X7 else (
            f"{days_text(cal.weekdays)} {hours_text(cal)} ({cal.timezone})" if cal else b.hours)
        out.append(Change(f"support hours now {words} (was {_clock_words(old, a.hours)})",
                          weakens=a.hours == CLOCK_24X7, pointer="/support/hours"))
    old_ch = {c.name: c for c in a.channels}
    new_ch = {c.name: c for c in b.channels}
    for name, c in new_ch.items():
        if name not in old_ch:
            out.append(Change(f"support channel added: {name}", pointer="/support/channels"))
        elif old_ch[name] != c:
            out.append(Change(f"support channel {name} now {c.contact}", promise=False,
                              pointer="/support/channels"))
    for name in old_ch:
        if name not in new_ch:
            out.append(Change(f"support channel removed: {name}", weakens=True,
                              pointer="/support/channels"))
    if a.reporting != b.reporting:
        out.append(Change(f"reporting now: {b.reporting or 'none'}", weakens=not b.reporting,
                          pointer="/support/reporting"))


def _clock_words(ag: Agreement, clock: str) -> str:
    if clock == CLOCK_24X7:
        return "24x7"
    cal = ag.calendar(clock)
    return f"{days_text(cal.weekdays)} {hours_text(cal)}" if cal else clock


def _calendars(old: Agreement, new: Agreement, out: list[Change]) -> None:
    olds = {c.id: c for c in old.calendars}
    news = {c.id: c for c in new.calendars}
    for c in new.calendars:  # what uses a calendar says so itself (support hours, clocks)
        if c.id not in olds:
            out.append(Change(f"calendar {c.id} added: {days_text(c.weekdays)} {hours_text(c)} "
                              f"({c.timezone})", promise=False, pointer=f"/calendars/{c.id}"))
    for c in old.calendars:
        if c.id not in news:
            out.append(Change(f"calendar {c.id} removed", promise=False, pointer="/calendars"))
    for c in new.calendars:
        p = olds.get(c.id)
        ptr = f"/calendars/{c.id}"
        if p is None or p == c:
            continue
        support = new.support.hours == c.id
        label = "support hours" if support else f"business hours of calendar {c.id}"
        days = "support days" if support else f"business days of calendar {c.id}"
        if (p.start, p.end) != (c.start, c.end):
            narrower = c.start > p.start or c.end < p.end
            out.append(Change(f"{label} now {hours_text(c)} (were {hours_text(p)})",
                              weakens=narrower, pointer=ptr))
        if set(p.weekdays) != set(c.weekdays):
            out.append(Change(f"{days} now {days_text(c.weekdays)} "
                              f"(were {days_text(p.weekdays)})",
                              weakens=not set(p.weekdays) <= set(c.weekdays), pointer=ptr))
        if p.timezone != c.timezone:
            out.append(Change(f"{label} timezone {p.timezone} → {c.timezone}", pointer=ptr))
        if (p.holidays, p.subdivision) != (c.holidays, c.subdivision):
            before = p.holidays + (f"-{p.subdivision}" if p.subdivision else "") or "none"
            after = c.holidays + (f"-{c.subdivision}" if c.subdivision else "") or "none"
            out.append(Change(f"{label}: public holidays {before} → {after}",
                              weakens=not p.holidays and bool(c.holidays), pointer=ptr))
        added = set(c.extra_holidays) - set(p.extra_holidays)
        dropped = set(p.extra_holidays) - set(c.extra_holidays)
        if added:
            out.append(Change(f"{label}: extra holidays added: "
                              + ", ".join(d.isoformat() for d in sorted(added)),
                              weakens=True, pointer=ptr))
        if dropped:
            out.append(Change(f"{label}: extra holidays removed: "
                              + ", ".join(d.isoformat() for d in sorted(dropped)), pointer=ptr))
        if set(p.extra_working_days) != set(c.extra_working_days):
            out.append(Change(f"{label}: extra working days now "
                              + (", ".join(d.isoformat() for d in sorted(c.extra_working_days))
                                 or "none"),
                              weakens=not set(p.extra_working_days) <= set(c.extra_working_days),
                              pointer=ptr))


def _objectives(old: Agreement, new: Agreement, out: list[Change]) -> None:
    olds = {o.id: o for o in old.objectives}
    news = {o.id: o for o in new.objectives}
    for i, o in enumerate(new.objectives):
        ptr = f"/objectives/{i}"
        p = olds.get(o.id)
        label = objective_label(o, new.objectives)
        if p is None:
            out.append(Change(f"objective {o.id} added: {label} target "
                              f"{_target_text(o, o.target)}", pointer=ptr))
            continue
        if p != o:
            _objective(p, o, label, ptr, out)
    for j, p in enumerate(old.objectives):
        if p.id not in news:
            out.append(Change(f"objective {p.id} removed ({objective_label(p, old.objectives)} "
                              f"target {_target_text(p, p.target)})", weakens=True,
                              pointer=f"/objectives/{j}"))


def _objective(p: Objective, o: Objective, label: str, ptr: str, out: list[Change]) -> None:
    def add(what: str, weakens: bool, field: str, promise: bool = True) -> None:
        out.append(Change(f"{label} {what}", weakens=weakens, promise=promise,
                          pointer=f"{ptr}/{field}"))

    if p.target != o.target:
        add(f"target {_target_text(p, p.target)} → {_target_text(o, o.target)}",
            o.target < p.target, "target")
    if p.kind != o.kind:
        add(f"now measures {o.kind} (was {p.kind})", False, "kind")
    if p.window != o.window:
        add(f"window {p.window} → {o.window}", False, "window")
    if p.method != o.method:
        add(f"method {p.method or 'default'} → {o.method or 'default'}", False, "method")
    if p.threshold != o.threshold:
        add(f"threshold {dur(p.threshold)} → {dur(o.threshold)}",
            _longer(p.threshold, o.threshold), "threshold")
    if p.within != o.within:
        add(f"within {dur(p.within)} → {dur(o.within)}", _longer(p.within, o.within), "within")
    if p.priority != o.priority:
        add(f"priority {p.priority or 'none'} → {o.priority or 'none'}", False, "priority")
    if p.clock != o.clock:
        add(f"clock {p.clock} → {o.clock}", p.clock == CLOCK_24X7, "clock")
    if p.slice != o.slice:
        add(f"time slice {dur(p.slice)} → {dur(o.slice)}", False, "slice")
    if p.slice_threshold != o.slice_threshold:
        a, b = p.slice_threshold, o.slice_threshold
        add(f"a slice is bad above {pct(a) if a is not None else 'default'} → "
            f"{pct(b) if b is not None else 'default'} errors",
            a is not None and b is not None and b > a, "slice_threshold")
    if p.zero_traffic != o.zero_traffic:
        add(f"an interval without traffic counts as {o.zero_traffic} (was {p.zero_traffic})",
            o.zero_traffic == "good", "zero_traffic")
    if (p.scale_min, p.scale_max) != (o.scale_min, o.scale_max):
        add(f"score scale {num(p.scale_min)}–{num(p.scale_max)} → "
            f"{num(o.scale_min)}–{num(o.scale_max)}", False, "scale")
    if p.at_least != o.at_least:
        add(f"a response counts when the score is at least "
            f"{num(p.at_least) if p.at_least is not None else 'default'} → "
            f"{num(o.at_least) if o.at_least is not None else 'default'}",
            (o.at_least or 0) < (p.at_least or 0), "at_least")
    if p.min_responses != o.min_responses:
        add(f"minimum responses {p.min_responses} → {o.min_responses}",
            o.min_responses > p.min_responses, "min_responses")
    if p.min_coverage != o.min_coverage:
        add(f"minimum data coverage {pct(p.min_coverage * 100)} → {pct(o.min_coverage * 100)}",
            False, "min_coverage")
    if p.source != o.source or p.resolution != o.resolution:
        add("measurement source changed", False, "source", promise=False)
    if (p.name, p.description) != (o.name, o.description):
        add("reworded", False, "name", promise=False)


def _priorities(old: Agreement, new: Agreement, out: list[Change]) -> None:
    olds = {p.id: p for p in old.priorities}
    news = {p.id: p for p in new.priorities}
    for q in new.priorities:
        ptr = f"/priorities/{q.id}"
        p = olds.get(q.id)
        if p is None:
            out.append(Change(f"priority {q.id} added ({_prio_words(q)})", pointer=ptr))
            continue
        for attr in ("response", "resolution"):
            a, b = getattr(p, attr), getattr(q, attr)
            if a != b:
                out.append(Change(f"{q.id} {attr} {dur(a)} → {dur(b)}", weakens=_longer(a, b),
                                  pointer=f"{ptr}/{attr}"))
        if p.clock != q.clock:
            out.append(Change(f"{q.id} clock {p.clock} → {q.clock}",
                              weakens=p.clock == CLOCK_24X7, pointer=f"{ptr}/clock"))
        if (p.name, p.description) != (q.name, q.description):
            out.append(Change(f"{q.id} reworded", promise=False, pointer=ptr))
    for p in old.priorities:
        if p.id not in news:
            out.append(Change(f"priority {p.id} removed ({_prio_words(p)})", weakens=True,
                              pointer="/priorities"))


def _prio_words(p: Priority) -> str:
    return f"response {dur(p.response)}, resolution {dur(p.resolution)}"


def _credits(a: Credits | None, b: Credits | None, out: list[Change]) -> None:
    ptr = "/credits"
    if a == b:
        return
    if b is None:
        out.append(Change("service credits removed", weakens=True, pointer=ptr))
        return
    if a is None:
        tiers = ", ".join(f"{pct(t.credit)} below {level(t.below)}" for t in b.tiers)
        out.append(Change(f"service credits added: {tiers}", pointer=ptr))
        return
    if a.objective != b.objective:
        out.append(Change(f"credits now apply to objective {b.objective} (was {a.objective})",
                          pointer=f"{ptr}/objective"))
    old_t = {t.below: t for t in a.tiers}
    new_t = {t.below: t for t in b.tiers}
    gone = [t for t in a.tiers if t.below not in new_t]
    fresh = [t for t in b.tiers if t.below not in old_t]
    def tier_ptr(t: object) -> str:
        return f"{ptr}/tiers/{b.tiers.index(t)}" if t in b.tiers else f"{ptr}/tiers"

    for t in b.tiers:
        p = old_t.get(t.below)
        if p is not None and p.credit != t.credit:
            verb = "raised" if t.credit > p.credit else "lowered"
            out.append(Change(f"credit for below {level(t.below)} {verb} {pct(p.credit)} → "
                              f"{pct(t.credit)}", weakens=t.credit < p.credit,
                              pointer=tier_ptr(t)))
    # a tier whose threshold moved keeps its credit: pair them by credit
    for t in list(fresh):
        p = next((g for g in gone if g.credit == t.credit), None)
        if p is not None:
            gone.remove(p)
            fresh.remove(t)
            out.append(Change(f"credit of {pct(t.credit)} now below {level(t.below)} "
                              f"(was below {level(p.below)})", weakens=t.below < p.below,
                              pointer=tier_ptr(t)))
    for t in fresh:
        out.append(Change(f"credit tier added: {pct(t.credit)} below {level(t.below)}",
                          pointer=tier_ptr(t)))
    for t in gone:
        out.append(Change(f"credit tier removed: {pct(t.credit)} below {level(t.below)}",
                          weakens=True, pointer=f"{ptr}/tiers"))
    if a.cap != b.cap:
        out.append(Change(f"credit cap {pct(a.cap)} → {pct(b.cap)}", weakens=b.cap < a.cap,
                          pointer=f"{ptr}/cap"))
    if a.claim_within != b.claim_within:
        out.append(Change(f"credit claim window {dur(a.claim_within)} → {dur(b.claim_within)}",
                          weakens=_longer(b.claim_within, a.claim_within),
                          pointer=f"{ptr}/claim_within"))
    if (a.monthly_fee, a.currency) != (b.monthly_fee, b.currency):
        out.append(Change(f"monthly fee {_money(a.monthly_fee, a.currency)} → "
                          f"{_money(b.monthly_fee, b.currency)}", promise=False,
                          pointer=f"{ptr}/monthly_fee"))
    old_b = {x.at_least: x.bonus for x in a.bonuses}
    new_b = {x.at_least: x.bonus for x in b.bonuses}
    for k, v in new_b.items():
        if k not in old_b:
            out.append(Change(f"bonus added: {pct(v)} at {level(k)} or better",
                              pointer=f"{ptr}/bonuses"))
        elif old_b[k] != v:
            out.append(Change(f"bonus at {level(k)} or better {pct(old_b[k])} → {pct(v)}",
                              pointer=f"{ptr}/bonuses"))
    for k, v in old_b.items():
        if k not in new_b:
            out.append(Change(f"bonus removed: {pct(v)} at {level(k)} or better",
                              pointer=f"{ptr}/bonuses"))


def _maintenance(old: Agreement, new: Agreement, out: list[Change]) -> None:
    a, b = old.maintenance_policy, new.maintenance_policy
    if a.notice != b.notice:
        shorter = b.notice is None or (a.notice is not None and _secs(b.notice) < _secs(a.notice))
        out.append(Change(f"maintenance notice {dur(a.notice)} → {dur(b.notice)}",
                          weakens=shorter, pointer="/maintenance/notice"))
    if a.max_per_month != b.max_per_month:
        out.append(Change(f"maintenance at most {dur(a.max_per_month)} → {dur(b.max_per_month)}"
                          " a month", weakens=_longer(a.max_per_month, b.max_per_month),
                          pointer="/maintenance/max_per_month"))

    def key(m: object) -> tuple:
        return (m.start, m.end)  # type: ignore[attr-defined]

    olds = {key(m): m for m in old.maintenance}
    news = {key(m): m for m in new.maintenance}
    for k, m in news.items():
        if k not in olds:
            out.append(Change(f"planned maintenance added: {window_span(m.start, m.end)}",
                              promise=False, pointer="/maintenance/windows"))
    for k, m in olds.items():
        if k not in news:
            out.append(Change(f"planned maintenance removed: {window_span(m.start, m.end)}",
                              promise=False, pointer="/maintenance/windows"))


def window_span(start: object, end: object) -> str:
    """A maintenance window as the change log and the pull-request check write it."""
    s = start.isoformat(timespec="minutes")  # type: ignore[attr-defined]
    e = end.isoformat(timespec="minutes")  # type: ignore[attr-defined]
    return f"{s} – {e}"


def _escalation(old: Agreement, new: Agreement, out: list[Change]) -> None:
    olds = {e.level: e for e in old.escalation}
    news = {e.level: e for e in new.escalation}
    for lvl, e in news.items():
        p = olds.get(lvl)
        if p is None:
            out.append(Change(f"escalation level {lvl} added: {e.contact}"
                              + (f" after {dur(e.after)}" if e.after else ""),
                              pointer="/escalation"))
            continue
        if p.after != e.after:
            out.append(Change(f"escalation level {lvl} after {dur(p.after)} → {dur(e.after)}",
                              weakens=_longer(p.after, e.after), pointer="/escalation"))
        if (p.contact, p.name) != (e.contact, e.name):
            out.append(Change(f"escalation level {lvl} contact now {e.contact}", promise=False,
                              pointer="/escalation"))
    for lvl in olds:
        if lvl not in news:
            out.append(Change(f"escalation level {lvl} removed", weakens=True,
                              pointer="/escalation"))


def _continuity(old: Agreement, new: Agreement, out: list[Change]) -> None:
    a, b = old.continuity, new.continuity
    for attr, words in (("rto", "recovery time objective"), ("rpo", "recovery point objective")):
        x, y = getattr(a, attr), getattr(b, attr)
        if x != y:
            out.append(Change(f"{words} {dur(x)} → {dur(y)}", weakens=_longer(x, y),
                              pointer=f"/continuity/{attr}"))
    _set_diff(a.plans, b.plans, out, "contingency plan", "/continuity/plans",
              removal_weakens=True)
    # incidents of a priority no longer named are no longer judged against the RTO/RPO
    _set_diff(a.priorities, b.priorities, out, "disaster priority", "/continuity/priorities",
              removal_weakens=True)
    if a.contacts != b.contacts:
        out.append(Change("emergency contacts updated", promise=False,
                          pointer="/continuity/contacts"))


def weakening_first(changes: Iterable[Change]) -> list[Change]:
    """Weakening changes first, then other promises, then bookkeeping; stable otherwise."""
    key: Callable[[Change], int] = lambda c: 0 if c.weakens else (1 if c.promise else 2)  # noqa: E731
    return sorted(changes, key=key)
