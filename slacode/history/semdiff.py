"""What two versions of an agreement promise differently, as data and in English.

Each :class:`Change` carries a ``code`` with its ``params`` (raw values: numbers as
numbers, durations as the agreement writes them, ids beside names), which render words
per language through its message catalogue (``change.<code>``), and says in one English
line what changed ("monthly availability target 99.9% → 99.95%") for ``slacode diff``,
pull-request comments and the JSON. It also says whether it *weakens* a promise for
customers: a lower target, a longer response time, a smaller credit, a narrower scope,
more exclusions, a shorter notice, a shorter claim window. ``promise`` separates promises (what a
pull request must version and date) from bookkeeping such as names, owners,
contacts, sources and planned maintenance windows. ``internal_notes`` is never
compared, so its text never reaches a diff.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from typing import Any

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
    #: what changed as data (one of :data:`CHANGE_CODES`), worded per language by render;
    #: "" for a record made before codes existed, which pages show as its ``what``
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickle a record stored before ``code`` and ``params`` existed, too."""
        self.__dict__.update({"code": "", "params": {}, **state})


#: every code a :class:`Change` carries (``history.versions`` adds the last three); render's
#: catalogue words each one as ``change.<code>`` in every language (a test checks)
CHANGE_CODES = (
    "agreement-added", "agreement-removed", "version", "effective", "id", "name",
    "visibility", "provider", "customer", "description", "owners", "timezone", "depends-on",
    "underpins", "contract", "review-every", "review-last", "complaints-removed",
    "complaints-added", "complaints", "plan-added", "plan-fee", "plan-reworded",
    "plan-removed", "item-added", "item-removed", "support-hours", "channel-added",
    "channel", "channel-removed", "reporting", "calendar-added", "calendar-removed",
    "calendar-hours", "calendar-days", "calendar-timezone", "calendar-holidays",
    "holidays-added", "holidays-removed", "working-days", "objective-added",
    "objective-removed", "objective-target", "objective-kind", "objective-window",
    "objective-method", "objective-threshold", "objective-within", "objective-priority",
    "objective-clock", "objective-slice", "objective-slice-threshold",
    "objective-zero-traffic", "objective-scale", "objective-at-least",
    "objective-min-responses", "objective-min-coverage", "objective-source",
    "objective-reworded", "priority-added", "priority-response", "priority-resolution",
    "priority-clock", "priority-reworded", "priority-removed", "credits-removed",
    "credits-added", "credits-objective", "credit-raised", "credit-lowered", "credit-moved",
    "credit-tier-added", "credit-tier-removed", "credit-cap", "claim-window", "fee",
    "bonus-added", "bonus", "bonus-removed", "maintenance-notice", "maintenance-max",
    "maintenance-added", "maintenance-removed", "escalation-added", "escalation-after",
    "escalation-contact", "escalation-removed", "rto", "rpo", "emergency-contacts",
    "agreement-published", "agreement-rewritten", "file-renamed",
)


def _c(code: str, what: str, weakens: bool = False, promise: bool = True, pointer: str = "",
       **params: Any) -> Change:
    """A change with its code and parameters beside its English words."""
    return Change(what, weakens=weakens, promise=promise, pointer=pointer, code=code,
                  params=params)


def _d(d: Duration | None) -> str:
    """A duration as a parameter: as the agreement writes it (``15m``), "" for none."""
    return str(d) if d else ""


def objective_params(o: Objective, siblings: Sequence[Objective] = ()) -> dict[str, Any]:
    """What :func:`objective_label` says, as parameters render words per language."""
    label = objective_label(o, siblings)
    return {"objective": o.id, "window": o.window.kind, "days": o.window.days,
            "kind": o.kind, "priority": o.priority if o.kind in (
                "response-time", "resolution-time") else "",
            "ambiguous": label.endswith(f" ({o.id})")}


def _target_params(o: Objective, value: float) -> dict[str, Any]:
    score = o.kind == "satisfaction" and o.method in ("mean", "")
    return {"unit": "score" if score else "%"}


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
        return (_c("agreement-added", f"agreement {new.id} added (version {new.version}, "
                   f"effective {new.effective.isoformat()})", id=new.id, version=new.version,
                   effective=new.effective.isoformat()),)
    if new is None:
        return (_c("agreement-removed", f"agreement {old.id} removed", weakens=True,
                   id=old.id),)
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
    def note(code: str, what: str, pointer: str, **params: Any) -> None:
        out.append(_c(code, what, weakens=False, promise=False, pointer=pointer, **params))

    if old.version != new.version:
        note("version", f"version {old.version} → {new.version}", "/version",
             old=old.version, new=new.version)
    if old.effective != new.effective:
        note("effective", f"effective {old.effective.isoformat()} → "
             f"{new.effective.isoformat()}", "/effective",
             old=old.effective.isoformat(), new=new.effective.isoformat())
    if old.id != new.id:
        note("id", f"id {old.id} → {new.id}", "/id", old=old.id, new=new.id)
    if old.name != new.name:
        note("name", f"name {old.name!r} → {new.name!r}", "/name", old=old.name, new=new.name)
    if old.visibility != new.visibility:
        # a narrower audience withdraws the promise from everyone else: a weaker promise
        narrower = old.visibility == "public" or new.visibility == "internal"
        out.append(_c("visibility", f"visibility {old.visibility} → {new.visibility}",
                      weakens=narrower, promise=narrower, pointer="/visibility",
                      old=old.visibility, new=new.visibility))
    if old.provider != new.provider:
        note("provider", f"provider now {new.provider.name}"
             + (f" ({new.provider.contact})" if new.provider.contact else ""),
             "/parties/provider", name=new.provider.name, contact=new.provider.contact)
    if old.customer != new.customer:
        note("customer", f"customer now {new.customer.name}", "/parties/customer",
             name=new.customer.name)
    if old.description != new.description:
        note("description", "service description reworded", "/service/description")
    if old.owners != new.owners:
        note("owners", f"owners now {', '.join(new.owners) or 'none'}", "/owners",
             owners=list(new.owners))
    if old.timezone != new.timezone:
        out.append(_c("timezone", f"periods now counted in timezone {new.timezone} "
                      f"(was {old.timezone})", weakens=False, pointer="/timezone",
                      old=old.timezone, new=new.timezone))
    # Counted, not named: a dependency may be an internal agreement that a public
    # change log must not mention.
    if set(old.depends_on) != set(new.depends_on):
        note("depends-on", f"dependencies on other services changed ({len(old.depends_on)} → "
             f"{len(new.depends_on)})", "/depends_on", old=len(old.depends_on),
             new=len(new.depends_on))
    if set(old.underpins) != set(new.underpins):
        note("underpins", f"services this one underpins changed ({len(old.underpins)} → "
             f"{len(new.underpins)})", "/underpins", old=len(old.underpins),
             new=len(new.underpins))
    if old.contract != new.contract:
        c = new.contract
        parts = [f"{k} {v}" for k, v in (("reference", c.reference), ("from", c.start),
                                          ("until", c.end), ("renewal", c.renewal)) if v]
        note("contract", "contract now " + (", ".join(str(p) for p in parts) or "none"),
             "/contract", reference=c.reference or "",
             start=c.start.isoformat() if c.start else "",
             end=c.end.isoformat() if c.end else "", renewal=str(c.renewal or ""))
    # The policy promises both a review cadence (contract management) and a way to
    # complain (problem and complaint handling): a longer cadence or a removed channel
    # is a weaker promise; the date of the last review is bookkeeping.
    if old.review.every != new.review.every:
        stretched = _longer(old.review.every, new.review.every)
        out.append(_c("review-every", f"review every {dur(old.review.every)} → "
                      f"{dur(new.review.every)}", weakens=stretched,
                      pointer="/review/every" if new.review.every else "/review",
                      old=_d(old.review.every), new=_d(new.review.every)))
    if old.review.last != new.review.last:
        note("review-last",
             f"last review {new.review.last.isoformat() if new.review.last else 'none'}",
             "/review/last" if new.review.last else "/review",
             date=new.review.last.isoformat() if new.review.last else "")
    if old.complaints != new.complaints:
        if not new.complaints:
            out.append(_c("complaints-removed", f"complaints channel removed: {old.complaints}",
                          weakens=True, pointer="", channel=old.complaints))
        elif not old.complaints:
            out.append(_c("complaints-added", f"complaints channel added: {new.complaints}",
                          pointer="/complaints", channel=new.complaints))
        else:
            note("complaints", f"complaints channel now {new.complaints}", "/complaints",
                 channel=new.complaints)
    if old.plans != new.plans:
        olds = {p.id: p for p in old.plans}
        news = {p.id: p for p in new.plans}
        for pid, p in news.items():
            if pid not in olds:
                note("plan-added", f"plan {p.name or pid} added", "/plans", plan=p.name or pid)
            elif olds[pid] != p:
                q = olds[pid]
                if q.monthly_fee != p.monthly_fee:
                    note("plan-fee", f"plan {p.name or pid} fee "
                         f"{_money(q.monthly_fee, q.currency)} → "
                         f"{_money(p.monthly_fee, p.currency)}", "/plans", plan=p.name or pid,
                         old=q.monthly_fee, old_currency=q.currency, new=p.monthly_fee,
                         new_currency=p.currency)
                else:
                    note("plan-reworded", f"plan {p.name or pid} reworded", "/plans",
                         plan=p.name or pid)
        for pid, p in olds.items():
            if pid not in news:
                note("plan-removed", f"plan {p.name or pid} removed", "/plans",
                     plan=p.name or pid)


def _money(x: float | None, cur: str) -> str:
    return "none" if x is None else f"{num(x)} {cur}".strip()


def _set_diff(
    old: Sequence[str], new: Sequence[str], out: list[Change], label: str, pointer: str,
    removal_weakens: bool, promise: bool = True,
) -> None:
    kind = label.replace(" ", "-")
    for x in new:
        if x not in old:
            out.append(_c("item-added", f"{label} added: {x}",
                          weakens=not removal_weakens and promise, promise=promise,
                          pointer=pointer, list=kind, item=x))
    for x in old:
        if x not in new:
            out.append(_c("item-removed", f"{label} removed: {x}",
                          weakens=removal_weakens and promise, promise=promise,
                          pointer=pointer, list=kind, item=x))


def _lists(old: Agreement, new: Agreement, out: list[Change]) -> None:
    _set_diff(old.scope, new.scope, out, "scope", "/service/scope", removal_weakens=True)
    _set_diff(old.exclusions, new.exclusions, out, "exclusion", "/service/exclusions",
              removal_weakens=False)
    _set_diff(old.responsibilities_provider, new.responsibilities_provider, out,
              "provider responsibility", "/responsibilities/provider", removal_weakens=True)
    _set_diff(old.responsibilities_customer, new.responsibilities_customer, out,
              "customer responsibility", "/responsibilities/customer", removal_weakens=False)


def clock_params(ag: Agreement, clock: str) -> dict[str, Any]:
    """A clock (support hours, an objective's clock) as parameters: its id and, for a
    calendar the agreement defines, its days (Monday = 0), hours and timezone."""
    cal = ag.calendar(clock) if clock != CLOCK_24X7 else None
    if cal is None:
        return {"clock": clock}
    return {"clock": clock, "days": sorted(cal.weekdays), "hours": hours_text(cal),
            "timezone": cal.timezone}


def _support(old: Agreement, new: Agreement, out: list[Change]) -> None:
    a, b = old.support, new.support
    if a.hours != b.hours:
        cal = new.calendar(b.hours)
        words = "24x7" if b.hours == CLOCK_24X7 else (
            f"{days_text(cal.weekdays)} {hours_text(cal)} ({cal.timezone})" if cal else b.hours)
        out.append(_c("support-hours", f"support hours now {words} (was "
                      f"{_clock_words(old, a.hours)})", weakens=a.hours == CLOCK_24X7,
                      pointer="/support/hours", new=clock_params(new, b.hours),
                      old={k: v for k, v in clock_params(old, a.hours).items()
                           if k != "timezone"}))
    old_ch = {c.name: c for c in a.channels}
    new_ch = {c.name: c for c in b.channels}
    for name, c in new_ch.items():
        if name not in old_ch:
            out.append(_c("channel-added", f"support channel added: {name}",
                          pointer="/support/channels", channel=name))
        elif old_ch[name] != c:
            out.append(_c("channel", f"support channel {name} now {c.contact}", promise=False,
                          pointer="/support/channels", channel=name, contact=c.contact))
    for name in old_ch:
        if name not in new_ch:
            out.append(_c("channel-removed", f"support channel removed: {name}", weakens=True,
                          pointer="/support/channels", channel=name))
    if a.reporting != b.reporting:
        out.append(_c("reporting", f"reporting now: {b.reporting or 'none'}",
                      weakens=not b.reporting, pointer="/support/reporting",
                      text=b.reporting or ""))


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
            out.append(_c("calendar-added", f"calendar {c.id} added: {days_text(c.weekdays)} "
                          f"{hours_text(c)} ({c.timezone})", promise=False,
                          pointer=f"/calendars/{c.id}", calendar=c.id,
                          days=sorted(c.weekdays), hours=hours_text(c), timezone=c.timezone))
    for c in old.calendars:
        if c.id not in news:
            out.append(_c("calendar-removed", f"calendar {c.id} removed", promise=False,
                          pointer="/calendars", calendar=c.id))
    for c in new.calendars:
        p = olds.get(c.id)
        ptr = f"/calendars/{c.id}"
        if p is None or p == c:
            continue
        support = new.support.hours == c.id
        label = "support hours" if support else f"business hours of calendar {c.id}"
        days = "support days" if support else f"business days of calendar {c.id}"
        which: dict[str, Any] = {"calendar": c.id, "support": support}
        if (p.start, p.end) != (c.start, c.end):
            narrower = c.start > p.start or c.end < p.end
            out.append(_c("calendar-hours", f"{label} now {hours_text(c)} "
                          f"(were {hours_text(p)})", weakens=narrower, pointer=ptr,
                          new=hours_text(c), old=hours_text(p), **which))
        if set(p.weekdays) != set(c.weekdays):
            out.append(_c("calendar-days", f"{days} now {days_text(c.weekdays)} "
                          f"(were {days_text(p.weekdays)})",
                          weakens=not set(p.weekdays) <= set(c.weekdays), pointer=ptr,
                          new=sorted(c.weekdays), old=sorted(p.weekdays), **which))
        if p.timezone != c.timezone:
            out.append(_c("calendar-timezone", f"{label} timezone {p.timezone} → {c.timezone}",
                          pointer=ptr, old=p.timezone, new=c.timezone, **which))
        if (p.holidays, p.subdivision) != (c.holidays, c.subdivision):
            before = p.holidays + (f"-{p.subdivision}" if p.subdivision else "") or "none"
            after = c.holidays + (f"-{c.subdivision}" if c.subdivision else "") or "none"
            out.append(_c("calendar-holidays", f"{label}: public holidays {before} → {after}",
                          weakens=not p.holidays and bool(c.holidays), pointer=ptr,
                          old="" if before == "none" else before,
                          new="" if after == "none" else after, **which))
        added = set(c.extra_holidays) - set(p.extra_holidays)
        dropped = set(p.extra_holidays) - set(c.extra_holidays)
        if added:
            out.append(_c("holidays-added", f"{label}: extra holidays added: "
                          + ", ".join(d.isoformat() for d in sorted(added)),
                          weakens=True, pointer=ptr,
                          dates=[d.isoformat() for d in sorted(added)], **which))
        if dropped:
            out.append(_c("holidays-removed", f"{label}: extra holidays removed: "
                          + ", ".join(d.isoformat() for d in sorted(dropped)), pointer=ptr,
                          dates=[d.isoformat() for d in sorted(dropped)], **which))
        if set(p.extra_working_days) != set(c.extra_working_days):
            out.append(_c("working-days", f"{label}: extra working days now "
                          + (", ".join(d.isoformat() for d in sorted(c.extra_working_days))
                             or "none"),
                          weakens=not set(p.extra_working_days) <= set(c.extra_working_days),
                          pointer=ptr,
                          dates=[d.isoformat() for d in sorted(c.extra_working_days)],
                          **which))


def _objectives(old: Agreement, new: Agreement, out: list[Change]) -> None:
    olds = {o.id: o for o in old.objectives}
    news = {o.id: o for o in new.objectives}
    for i, o in enumerate(new.objectives):
        ptr = f"/objectives/{i}"
        p = olds.get(o.id)
        label = objective_label(o, new.objectives)
        if p is None:
            out.append(_c("objective-added", f"objective {o.id} added: {label} target "
                          f"{_target_text(o, o.target)}", pointer=ptr,
                          target=o.target, **_target_params(o, o.target),
                          **objective_params(o, new.objectives)))
            continue
        if p != o:
            _objective(p, o, label, ptr, out, objective_params(o, new.objectives))
    for j, p in enumerate(old.objectives):
        if p.id not in news:
            out.append(_c("objective-removed", f"objective {p.id} removed "
                          f"({objective_label(p, old.objectives)} "
                          f"target {_target_text(p, p.target)})", weakens=True,
                          pointer=f"/objectives/{j}", target=p.target,
                          **_target_params(p, p.target), **objective_params(p, old.objectives)))


def _objective(p: Objective, o: Objective, label: str, ptr: str, out: list[Change],
               about: dict[str, Any]) -> None:
    def add(code: str, what: str, weakens: bool, field: str, promise: bool = True,
            **params: Any) -> None:
        out.append(_c("objective-" + code, f"{label} {what}", weakens=weakens, promise=promise,
                      pointer=f"{ptr}/{field}", **about, **params))

    if p.target != o.target:
        add("target", f"target {_target_text(p, p.target)} → {_target_text(o, o.target)}",
            o.target < p.target, "target", old=p.target, new=o.target,
            old_unit=_target_params(p, p.target)["unit"], **_target_params(o, o.target))
    if p.kind != o.kind:
        add("kind", f"now measures {o.kind} (was {p.kind})", False, "kind", old=p.kind,
            new=o.kind)
    if p.window != o.window:
        add("window", f"window {p.window} → {o.window}", False, "window", old=str(p.window),
            new=str(o.window))
    if p.method != o.method:
        add("method", f"method {p.method or 'default'} → {o.method or 'default'}", False,
            "method", old=p.method, new=o.method)
    if p.threshold != o.threshold:
        add("threshold", f"threshold {dur(p.threshold)} → {dur(o.threshold)}",
            _longer(p.threshold, o.threshold), "threshold", old=_d(p.threshold),
            new=_d(o.threshold))
    if p.within != o.within:
        add("within", f"within {dur(p.within)} → {dur(o.within)}",
            _longer(p.within, o.within), "within", old=_d(p.within), new=_d(o.within))
    if p.priority != o.priority:
        add("priority", f"priority {p.priority or 'none'} → {o.priority or 'none'}", False,
            "priority", old=p.priority, new=o.priority)
    if p.clock != o.clock:
        add("clock", f"clock {p.clock} → {o.clock}", p.clock == CLOCK_24X7, "clock",
            old=p.clock, new=o.clock)
    if p.slice != o.slice:
        add("slice", f"time slice {dur(p.slice)} → {dur(o.slice)}", False, "slice",
            old=_d(p.slice), new=_d(o.slice))
    if p.slice_threshold != o.slice_threshold:
        a, b = p.slice_threshold, o.slice_threshold
        add("slice-threshold", f"a slice is bad above {pct(a) if a is not None else 'default'}"
            f" → {pct(b) if b is not None else 'default'} errors",
            a is not None and b is not None and b > a, "slice_threshold", old=a, new=b)
    if p.zero_traffic != o.zero_traffic:
        add("zero-traffic", f"an interval without traffic counts as {o.zero_traffic} "
            f"(was {p.zero_traffic})", o.zero_traffic == "good", "zero_traffic",
            old=p.zero_traffic, new=o.zero_traffic)
    if (p.scale_min, p.scale_max) != (o.scale_min, o.scale_max):
        add("scale", f"score scale {num(p.scale_min)}–{num(p.scale_max)} → "
            f"{num(o.scale_min)}–{num(o.scale_max)}", False, "scale", old_min=p.scale_min,
            old_max=p.scale_max, new_min=o.scale_min, new_max=o.scale_max)
    if p.at_least != o.at_least:
        add("at-least", f"a response counts when the score is at least "
            f"{num(p.at_least) if p.at_least is not None else 'default'} → "
            f"{num(o.at_least) if o.at_least is not None else 'default'}",
            (o.at_least or 0) < (p.at_least or 0), "at_least", old=p.at_least, new=o.at_least)
    if p.min_responses != o.min_responses:
        add("min-responses", f"minimum responses {p.min_responses} → {o.min_responses}",
            o.min_responses > p.min_responses, "min_responses", old=p.min_responses,
            new=o.min_responses)
    if p.min_coverage != o.min_coverage:
        add("min-coverage", f"minimum data coverage {pct(p.min_coverage * 100)} → "
            f"{pct(o.min_coverage * 100)}", False, "min_coverage", old=p.min_coverage * 100,
            new=o.min_coverage * 100)
    if p.source != o.source or p.resolution != o.resolution:
        add("source", "measurement source changed", False, "source", promise=False)
    if (p.name, p.description) != (o.name, o.description):
        add("reworded", "reworded", False, "name", promise=False)


def _priorities(old: Agreement, new: Agreement, out: list[Change]) -> None:
    olds = {p.id: p for p in old.priorities}
    news = {p.id: p for p in new.priorities}
    for q in new.priorities:
        ptr = f"/priorities/{q.id}"
        p = olds.get(q.id)
        if p is None:
            out.append(_c("priority-added", f"priority {q.id} added ({_prio_words(q)})",
                          pointer=ptr, priority=q.id, response=_d(q.response),
                          resolution=_d(q.resolution)))
            continue
        for attr in ("response", "resolution"):
            a, b = getattr(p, attr), getattr(q, attr)
            if a != b:
                out.append(_c("priority-" + attr, f"{q.id} {attr} {dur(a)} → {dur(b)}",
                              weakens=_longer(a, b), pointer=f"{ptr}/{attr}", priority=q.id,
                              old=_d(a), new=_d(b)))
        if p.clock != q.clock:
            out.append(_c("priority-clock", f"{q.id} clock {p.clock} → {q.clock}",
                          weakens=p.clock == CLOCK_24X7, pointer=f"{ptr}/clock",
                          priority=q.id, old=p.clock, new=q.clock))
        if (p.name, p.description) != (q.name, q.description):
            out.append(_c("priority-reworded", f"{q.id} reworded", promise=False, pointer=ptr,
                          priority=q.id))
    for p in old.priorities:
        if p.id not in news:
            out.append(_c("priority-removed", f"priority {p.id} removed ({_prio_words(p)})",
                          weakens=True, pointer="/priorities", priority=p.id,
                          response=_d(p.response), resolution=_d(p.resolution)))


def _prio_words(p: Priority) -> str:
    return f"response {dur(p.response)}, resolution {dur(p.resolution)}"


def _credits(a: Credits | None, b: Credits | None, out: list[Change]) -> None:
    ptr = "/credits"
    if a == b:
        return
    if b is None:
        out.append(_c("credits-removed", "service credits removed", weakens=True, pointer=ptr))
        return
    if a is None:
        tiers = ", ".join(f"{pct(t.credit)} below {level(t.below)}" for t in b.tiers)
        out.append(_c("credits-added", f"service credits added: {tiers}", pointer=ptr,
                      tiers=[{"credit": t.credit, "below": t.below} for t in b.tiers]))
        return
    if a.objective != b.objective:
        out.append(_c("credits-objective", f"credits now apply to objective {b.objective} "
                      f"(was {a.objective})", pointer=f"{ptr}/objective",
                      objective=b.objective, old=a.objective))
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
            out.append(_c("credit-" + verb, f"credit for below {level(t.below)} {verb} "
                          f"{pct(p.credit)} → {pct(t.credit)}", weakens=t.credit < p.credit,
                          pointer=tier_ptr(t), below=t.below, old=p.credit, new=t.credit))
    # a tier whose threshold moved keeps its credit: pair them by credit
    for t in list(fresh):
        p = next((g for g in gone if g.credit == t.credit), None)
        if p is not None:
            gone.remove(p)
            fresh.remove(t)
            out.append(_c("credit-moved", f"credit of {pct(t.credit)} now below "
                          f"{level(t.below)} (was below {level(p.below)})",
                          weakens=t.below < p.below, pointer=tier_ptr(t), credit=t.credit,
                          below=t.below, old=p.below))
    for t in fresh:
        out.append(_c("credit-tier-added", f"credit tier added: {pct(t.credit)} below "
                      f"{level(t.below)}", pointer=tier_ptr(t), credit=t.credit, below=t.below))
    for t in gone:
        out.append(_c("credit-tier-removed", f"credit tier removed: {pct(t.credit)} below "
                      f"{level(t.below)}", weakens=True, pointer=f"{ptr}/tiers",
                      credit=t.credit, below=t.below))
    if a.cap != b.cap:
        out.append(_c("credit-cap", f"credit cap {pct(a.cap)} → {pct(b.cap)}",
                      weakens=b.cap < a.cap, pointer=f"{ptr}/cap", old=a.cap, new=b.cap))
    if a.claim_within != b.claim_within:
        out.append(_c("claim-window", f"credit claim window {dur(a.claim_within)} → "
                      f"{dur(b.claim_within)}",
                      weakens=_longer(b.claim_within, a.claim_within),
                      pointer=f"{ptr}/claim_within", old=_d(a.claim_within),
                      new=_d(b.claim_within)))
    if (a.monthly_fee, a.currency) != (b.monthly_fee, b.currency):
        out.append(_c("fee", f"monthly fee {_money(a.monthly_fee, a.currency)} → "
                      f"{_money(b.monthly_fee, b.currency)}", promise=False,
                      pointer=f"{ptr}/monthly_fee", old=a.monthly_fee,
                      old_currency=a.currency, new=b.monthly_fee, new_currency=b.currency))
    old_b = {x.at_least: x.bonus for x in a.bonuses}
    new_b = {x.at_least: x.bonus for x in b.bonuses}
    for k, v in new_b.items():
        if k not in old_b:
            out.append(_c("bonus-added", f"bonus added: {pct(v)} at {level(k)} or better",
                          pointer=f"{ptr}/bonuses", bonus=v, at=k))
        elif old_b[k] != v:
            out.append(_c("bonus", f"bonus at {level(k)} or better {pct(old_b[k])} → {pct(v)}",
                          pointer=f"{ptr}/bonuses", at=k, old=old_b[k], new=v))
    for k, v in old_b.items():
        if k not in new_b:
            out.append(_c("bonus-removed", f"bonus removed: {pct(v)} at {level(k)} or better",
                          pointer=f"{ptr}/bonuses", bonus=v, at=k))


def _maintenance(old: Agreement, new: Agreement, out: list[Change]) -> None:
    a, b = old.maintenance_policy, new.maintenance_policy
    if a.notice != b.notice:
        shorter = b.notice is None or (a.notice is not None and _secs(b.notice) < _secs(a.notice))
        out.append(_c("maintenance-notice", f"maintenance notice {dur(a.notice)} → "
                      f"{dur(b.notice)}", weakens=shorter, pointer="/maintenance/notice",
                      old=_d(a.notice), new=_d(b.notice)))
    if a.max_per_month != b.max_per_month:
        out.append(_c("maintenance-max", f"maintenance at most {dur(a.max_per_month)} → "
                      f"{dur(b.max_per_month)} a month",
                      weakens=_longer(a.max_per_month, b.max_per_month),
                      pointer="/maintenance/max_per_month", old=_d(a.max_per_month),
                      new=_d(b.max_per_month)))

    def key(m: object) -> tuple:
        return (m.start, m.end)  # type: ignore[attr-defined]

    olds = {key(m): m for m in old.maintenance}
    news = {key(m): m for m in new.maintenance}
    for k, m in news.items():
        if k not in olds:
            out.append(_c("maintenance-added", "planned maintenance added: "
                          f"{window_span(m.start, m.end)}", promise=False,
                          pointer="/maintenance/windows", start=m.start.isoformat(),
                          end=m.end.isoformat()))
    for k, m in olds.items():
        if k not in news:
            out.append(_c("maintenance-removed", "planned maintenance removed: "
                          f"{window_span(m.start, m.end)}", promise=False,
                          pointer="/maintenance/windows", start=m.start.isoformat(),
                          end=m.end.isoformat()))


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
            out.append(_c("escalation-added", f"escalation level {lvl} added: {e.contact}"
                          + (f" after {dur(e.after)}" if e.after else ""),
                          pointer="/escalation", level=lvl, contact=e.contact,
                          after=_d(e.after)))
            continue
        if p.after != e.after:
            out.append(_c("escalation-after", f"escalation level {lvl} after {dur(p.after)} → "
                          f"{dur(e.after)}", weakens=_longer(p.after, e.after),
                          pointer="/escalation", level=lvl, old=_d(p.after), new=_d(e.after)))
        if (p.contact, p.name) != (e.contact, e.name):
            out.append(_c("escalation-contact", f"escalation level {lvl} contact now "
                          f"{e.contact}", promise=False, pointer="/escalation", level=lvl,
                          contact=e.contact))
    for lvl in olds:
        if lvl not in news:
            out.append(_c("escalation-removed", f"escalation level {lvl} removed", weakens=True,
                          pointer="/escalation", level=lvl))


def _continuity(old: Agreement, new: Agreement, out: list[Change]) -> None:
    a, b = old.continuity, new.continuity
    for attr, words in (("rto", "recovery time objective"), ("rpo", "recovery point objective")):
        x, y = getattr(a, attr), getattr(b, attr)
        if x != y:
            out.append(_c(attr, f"{words} {dur(x)} → {dur(y)}", weakens=_longer(x, y),
                          pointer=f"/continuity/{attr}", old=_d(x), new=_d(y)))
    _set_diff(a.plans, b.plans, out, "contingency plan", "/continuity/plans",
              removal_weakens=True)
    # incidents of a priority no longer named are no longer judged against the RTO/RPO
    _set_diff(a.priorities, b.priorities, out, "disaster priority", "/continuity/priorities",
              removal_weakens=True)
    if a.contacts != b.contacts:
        out.append(_c("emergency-contacts", "emergency contacts updated", promise=False,
                      pointer="/continuity/contacts"))


def weakening_first(changes: Iterable[Change]) -> list[Change]:
    """Weakening changes first, then other promises, then bookkeeping; stable otherwise."""
    key: Callable[[Change], int] = lambda c: 0 if c.weakens else (1 if c.promise else 2)  # noqa: E731
    return sorted(changes, key=key)
