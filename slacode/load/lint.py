"""Meaning checks on top of the schema: what is well-formed but cannot be meant.

Runs on typed agreements. Per-file checks (:func:`lint_agreement`) need nothing but
the agreement; cross-file checks (:func:`lint_set`) need every agreement of the
project. Each problem points at the node it concerns through ``Agreement.pos``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import PureWindowsPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slacode.load.yamlsafe import where
from slacode.model import CLOCK_24X7, Agreement, Objective, maintenance_account, overlap
from slacode.problems import Code, Problem, Severity
from slacode.promql import selector_problem

PERCENT_KINDS = ("availability", "latency", "response-time", "resolution-time",
                 "complaint-response", "complaint-resolution", "recovery-time", "recovery-point",
                 "escalation")
#: objectives judged on a clock (24x7 or a calendar): incidents and complaints
CLOCK_KINDS = ("response-time", "resolution-time", "complaint-response", "complaint-resolution",
               "escalation")
_COMMON_FIELDS = {"id", "name", "description", "kind", "target", "window", "source", "resolution",
                  "min_coverage", "internal_notes"}
_KIND_FIELDS = {
    "availability": {"method", "slice", "slice_threshold", "zero_traffic"},
    "latency": {"threshold", "zero_traffic"},
    "response-time": {"priority", "within", "clock"},
    "resolution-time": {"priority", "within", "clock"},
    "satisfaction": {"method", "scale", "at_least", "min_responses"},
    "complaint-response": {"within", "clock"},
    "complaint-resolution": {"within", "clock"},
    "recovery-time": {"within"},
    "recovery-point": {"within"},
    "escalation": {"priority", "clock"},
}
_KIND_METHODS = {"availability": ("events", "slices"), "satisfaction": ("mean", "share")}
_KIND_SOURCES = {
    "availability": ("prometheus", "file"),
    "latency": ("prometheus", "file"),
    "response-time": ("incidents",),
    "resolution-time": ("incidents",),
    "satisfaction": ("survey",),
    "complaint-response": ("complaints",),
    "complaint-resolution": ("complaints",),
    "recovery-time": ("incidents",),
    "recovery-point": ("incidents",),
    "escalation": ("incidents",),
}


class _Report:
    def __init__(self, agreement: Agreement) -> None:
        self.a = agreement
        self.problems: list[Problem] = []

    def add(self, pointer: str, message: str, code: Code, severity: Severity = "error") -> None:
        pos = self.a.pos(pointer)
        label = label_of(pointer)
        text = f"{label}: {message}" if label else message
        self.problems.append(
            Problem(self.a.path, pos.line, pos.col, severity, text, code))

    def given(self, pointer: str) -> bool:
        return pointer in self.a.positions


def label_of(pointer: str) -> str:
    """``/objectives/0/target`` -> ``objectives[0].target``, as schema messages say it."""
    parts: list[str | int] = []
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        listed = parts and (parts[-1] in _LISTS or parts[-2:] == ["continuity", "priorities"])
        parts.append(int(token) if token.isdigit() and listed else token)
    return where(parts)


_LISTS = {"objectives", "tiers", "bonuses", "windows", "escalation", "depends_on", "underpins",
          "plans", "channels", "contacts", "extra_holidays", "extra_working_days", "scope",
          "exclusions", "owners", "tags", "provider", "customer"}


def _a(word: str) -> str:
    """``a latency``, ``an availability``."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@lru_cache(maxsize=1)
def _countries() -> Sequence[str]:
    """Codes of the countries ``holidays`` knows (aliases such as UK too), read from its
    registry: ``list_supported_countries()`` imports all ~250 country modules (~0.2 s)."""
    try:
        from holidays.registry import EntityLoader

        return tuple(EntityLoader.get_country_codes())
    except (ImportError, AttributeError):  # a holidays release without the registry API
        import holidays

        return tuple(holidays.list_supported_countries())


def _subdivisions(country: str) -> Sequence[str]:
    import holidays

    return getattr(holidays, country).subdivisions


def _zone_ok(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _pct(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".") + "%"


def lint_agreement(agreement: Agreement, today: date | None = None) -> list[Problem]:
    """Meaning problems of one agreement; ``today`` (default: the current date) dates reviews."""
    r = _Report(agreement)
    a = agreement
    if not _zone_ok(a.timezone):
        r.add("/timezone", f"unknown time zone '{a.timezone}'", Code.LINT_TIMEZONE)
    _calendars(r)
    clocks = {CLOCK_24X7} | {c.id for c in a.calendars}

    def check_clock(pointer: str, clock: str) -> None:
        if clock not in clocks:
            r.add(pointer, f"unknown calendar '{clock}'{_suggest(clock, clocks)}; declare it under "
                  "calendars or use 24x7", Code.LINT_UNKNOWN_CALENDAR)

    check_clock("/support/hours", a.support.hours)
    for p in a.priorities:
        base = f"/priorities/{p.id.replace('~', '~0').replace('/', '~1')}"
        check_clock(f"{base}/clock", p.clock)
        fixed = p.response and p.resolution and not (
            p.response.is_calendar or p.resolution.is_calendar)
        if fixed and p.resolution.seconds < p.response.seconds:  # type: ignore[union-attr]
            r.add(f"{base}/resolution", f"resolution time {p.resolution} is shorter than the "
                  f"response time {p.response}", Code.LINT_PRIORITY_ORDER)
    _unmeasured_promises(r)
    _recovery(r)
    seen: dict[str, int] = {}
    for i, o in enumerate(a.objectives):
        base = f"/objectives/{i}"
        if o.id in seen:
            first = a.pos(f"/objectives/{seen[o.id]}/id").line
            r.add(f"{base}/id", f"objective id '{o.id}' is used twice (first at line {first})",
                  Code.LINT_DUPLICATE_OBJECTIVE)
        seen.setdefault(o.id, i)
        _objective(r, o, base)
        if o.kind in CLOCK_KINDS:
            check_clock(f"{base}/clock", o.clock)
    _credits(r)
    _maintenance(r)
    _escalation(r)
    _private_contacts_in_text(r)
    _contract_and_review(r, today or date.today())
    for field in ("depends_on", "underpins"):
        for i, other in enumerate(getattr(a, field)):
            if other == a.id:
                r.add(f"/{field}/{i}", "an agreement cannot refer to itself",
                      Code.LINT_SELF_REFERENCE)
    for i, other in enumerate(a.underpins):
        if other in a.depends_on:
            r.add(f"/underpins/{i}", f"'{other}' is both in depends_on and underpins",
                  Code.LINT_CYCLE)
    return r.problems


def _unmeasured_promises(r: _Report) -> None:
    """A response or resolution time the priority matrix promises (and the page shows)
    that no objective measures: a breach of it would appear nowhere on the site."""
    measured = {(o.kind, o.priority) for o in r.a.objectives}
    for p in r.a.priorities:
        base = f"/priorities/{p.id.replace('~', '~0').replace('/', '~1')}"
        for what in ("response", "resolution"):
            promise = getattr(p, what)
            if promise is None or (f"{what}-time", p.id) in measured:
                continue
            r.add(f"{base}/{what}", f"{p.id} {what} within {promise} is promised but no "
                  f"objective measures it: add an objective of kind {what}-time with priority "
                  f"{p.id}, or remove the promise", Code.LINT_UNMEASURED_PROMISE, "warning")


def _recovery(r: _Report) -> None:
    """Recovery and escalation objectives. Recovery objectives judge the incidents of
    ``continuity.priorities`` against the RTO and RPO: without those priorities no
    incident is judged (every period would read as met on nothing), and without a time
    or amount there is nothing to judge by. An RTO or RPO promised for named priorities
    that no objective measures is a warning, as an unmeasured matrix time is. An
    escalation objective needs a level with ``after`` to check."""
    a = r.a
    ids = [p.id for p in a.priorities]
    for i, pid in enumerate(a.continuity.priorities):
        if pid not in ids:
            known = f"declared: {', '.join(ids)}" if ids else "no priorities are declared"
            r.add(f"/continuity/priorities/{i}", f"priority '{pid}' is not in the priority "
                  f"matrix ({known}){_suggest(pid, ids)}", Code.LINT_UNKNOWN_PRIORITY)
    kinds = {o.kind for o in a.objectives}
    for i, o in enumerate(a.objectives):
        if o.kind not in ("recovery-time", "recovery-point"):
            continue
        what = "rto" if o.kind == "recovery-time" else "rpo"
        if not a.continuity.priorities:
            r.add(f"/objectives/{i}/kind", f"{_a(o.kind)} objective judges the incidents of "
                  "continuity.priorities, and none are named: add continuity.priorities "
                  "(e.g. [P1])", Code.LINT_RECOVERY_PRIORITIES)
        if o.within is None and getattr(a.continuity, what) is None:
            r.add(f"/objectives/{i}", f"{_a(o.kind)} objective needs within or "
                  f"continuity.{what}", Code.LINT_RECOVERY_TARGET)
    timed = any(e.after is not None for e in a.escalation)
    for i, o in enumerate(a.objectives):
        if o.kind == "escalation" and not timed:
            r.add(f"/objectives/{i}/kind", "an escalation objective checks the `after` of the "
                  "escalation levels, and no level has one", Code.LINT_ESCALATION_UNTIMED)
        if o.kind == "escalation" and o.priority and o.priority not in ids:
            known = f"declared: {', '.join(ids)}" if ids else "no priorities are declared"
            r.add(f"/objectives/{i}/priority", f"priority '{o.priority}' is not in the priority "
                  f"matrix ({known}){_suggest(o.priority, ids)}", Code.LINT_UNKNOWN_PRIORITY)
    if a.continuity.priorities:
        for what, kind in (("rto", "recovery-time"), ("rpo", "recovery-point")):
            promise = getattr(a.continuity, what)
            if promise is not None and kind not in kinds:
                r.add(f"/continuity/{what}", f"the {what.upper()} {promise} is promised for "
                      f"{', '.join(a.continuity.priorities)} incidents but no objective "
                      f"measures it: add an objective of kind {kind}", Code.LINT_UNMEASURED_PROMISE,
                      "warning")


def _calendars(r: _Report) -> None:
    for c in r.a.calendars:
        base = f"/calendars/{c.id}"
        if not _zone_ok(c.timezone):
            r.add(f"{base}/timezone", f"unknown time zone '{c.timezone}'", Code.LINT_TIMEZONE)
        if c.end <= c.start:
            r.add(f"{base}/hours", "working hours end before they start", Code.LINT_CALENDAR_HOURS)
        if c.holidays:
            countries = _countries()
            if c.holidays not in countries:
                r.add(f"{base}/holidays", f"unknown holiday country '{c.holidays}'"
                      f"{_suggest(c.holidays, countries)}", Code.LINT_HOLIDAY_COUNTRY)
            elif c.subdivision and c.subdivision not in _subdivisions(c.holidays):
                r.add(f"{base}/subdivision", f"unknown subdivision '{c.subdivision}' of "
                      f"{c.holidays}", Code.LINT_HOLIDAY_SUBDIVISION)
        elif c.subdivision:
            r.add(f"{base}/subdivision", "a subdivision needs a holiday country",
                  Code.LINT_HOLIDAY_SUBDIVISION)
        both = set(c.extra_holidays) & set(c.extra_working_days)
        for i, d in enumerate(c.extra_working_days):
            if d in both:
                r.add(f"{base}/extra_working_days/{i}", f"{d} is also listed in extra_holidays",
                      Code.LINT_CALENDAR_CONFLICT)


def _objective(r: _Report, o: Objective, base: str) -> None:
    a = r.a
    allowed = _COMMON_FIELDS | _KIND_FIELDS[o.kind]
    for field in sorted(set().union(*_KIND_FIELDS.values()) - allowed):
        if r.given(f"{base}/{field}"):
            r.add(f"{base}/{field}", f"does not apply to {_a(o.kind)} objective",
                  Code.LINT_FIELD_KIND)
    methods = _KIND_METHODS.get(o.kind, ())
    if r.given(f"{base}/method") and o.method not in methods and methods:
        r.add(f"{base}/method", f"method '{o.method}' does not apply to {_a(o.kind)} objective "
              f"(use {' or '.join(methods)})", Code.LINT_METHOD_KIND)
    # targets and scales
    if o.kind in PERCENT_KINDS or o.method == "share":
        if o.target <= 0:
            r.add(f"{base}/target", "a target of 0% promises nothing", Code.LINT_TARGET_RANGE)
    else:
        if o.scale_max <= o.scale_min:
            r.add(f"{base}/scale", f"the scale's max ({o.scale_max:g}) must be above its min "
                  f"({o.scale_min:g})", Code.LINT_SCALE)
        elif not o.scale_min <= o.target <= o.scale_max:
            r.add(f"{base}/target", f"{o.target:g} is outside the score scale "
                  f"{o.scale_min:g}-{o.scale_max:g}", Code.LINT_TARGET_RANGE)
    if o.kind == "satisfaction" and o.method == "share":
        if o.at_least is None:
            r.add(base, "a share satisfaction objective needs at_least (the lowest satisfied "
                  "score)", Code.LINT_SATISFACTION_SHARE)
        elif not o.scale_min <= o.at_least <= o.scale_max:
            r.add(f"{base}/at_least", f"{o.at_least:g} is outside the score scale "
                  f"{o.scale_min:g}-{o.scale_max:g}", Code.LINT_TARGET_RANGE)
    for field in ("slice", "threshold", "within", "resolution"):
        d = getattr(o, field)
        if d is not None and d.is_calendar:
            r.add(f"{base}/{field}", f"{d} has no fixed length: use ms, s, m, h, d or w",
                  Code.LINT_CALENDAR_DURATION)
    _source(r, o, base)
    if o.kind in ("response-time", "resolution-time"):
        ids = [p.id for p in a.priorities]
        prio = next((p for p in a.priorities if p.id == o.priority), None)
        if prio is None:
            known = f"declared: {', '.join(ids)}" if ids else "no priorities are declared"
            r.add(f"{base}/priority", f"priority '{o.priority}' is not in the priority matrix "
                  f"({known}){_suggest(o.priority, ids)}", Code.LINT_UNKNOWN_PRIORITY)
        else:
            matrix = prio.response if o.kind == "response-time" else prio.resolution
            what = "response" if o.kind == "response-time" else "resolution"
            if matrix is not None and o.within is not None and matrix != o.within:
                r.add(f"{base}/within", f"{o.within} differs from the priority matrix's "
                      f"{o.priority} {what} time {matrix}", Code.LINT_PRIORITY_MISMATCH, "warning")
            # without `clock` the objective takes the row's (load/build.py): a different
            # clock was written here, and changes the figure as much as a different time
            if o.clock != prio.clock and o.clock in {CLOCK_24X7, *(c.id for c in a.calendars)}:
                r.add(f"{base}/clock", f"clock {o.clock} differs from the priority matrix's "
                      f"{o.priority} clock {prio.clock}: the {what} time would be counted "
                      "differently from what the matrix promises",
                      Code.LINT_PRIORITY_MISMATCH, "warning")


def _source(r: _Report, o: Objective, base: str) -> None:
    s = o.source
    kinds = _KIND_SOURCES[o.kind]
    pointer = f"{base}/source"
    if s.kind != "prometheus" and s.path.strip():
        outside = _outside_project(s.path.strip())
        if outside:
            r.add(f"{pointer}/{s.kind}/path", outside, Code.LINT_SOURCE_PATH)
    if s.kind not in kinds:
        r.add(f"{pointer}/{s.kind}", f"{_a(o.kind)} objective cannot be measured from {s.kind} "
              f"(use {' or '.join(kinds)})", Code.LINT_UNMEASURABLE)
        return
    if s.kind != "prometheus":
        if not s.path.strip():
            r.add(pointer, f"the {s.kind} source has no path", Code.LINT_UNMEASURABLE)
        return
    q = s.prometheus
    if q is None:
        r.add(pointer, "the prometheus source has no queries", Code.LINT_UNMEASURABLE)
        return
    for field in ("good", "bad", "total", "histogram"):
        text = getattr(q, field)
        problem = selector_problem(text, histogram=field == "histogram") if text else ""
        if problem:
            r.add(f"{pointer}/prometheus/{field}", problem, Code.LINT_SELECTOR)
    counts = bool(q.total and (q.good or q.bad))
    if q.good and q.bad:
        r.add(f"{pointer}/prometheus", "give good or bad, not both", Code.LINT_UNMEASURABLE)
    elif o.kind == "latency" and not (q.histogram or counts):
        r.add(f"{pointer}/prometheus", "a latency objective needs histogram, or total with good "
              "or bad", Code.LINT_UNMEASURABLE)
    elif o.kind == "availability" and not counts:
        r.add(f"{pointer}/prometheus", "an availability objective needs total with good or bad",
              Code.LINT_UNMEASURABLE)
    elif o.kind == "availability" and q.histogram:
        r.add(f"{pointer}/prometheus/histogram", "does not apply to an availability objective",
              Code.LINT_FIELD_KIND)


def _outside_project(path: str) -> str:
    """Why a data file path is not inside the project folder, or "".

    Checked on the text (lint does not know the project folder): absolute, or ``..``
    climbing above the folder it starts from. Backslashes count as separators too, as
    they do on a Windows runner. ``pull`` refuses such a file as well, following
    symbolic links."""
    if path.startswith(("/", "\\")) or PureWindowsPath(path).drive:
        return f"'{path}' is absolute: give the data file's path relative to the project folder"
    depth = 0
    for part in re.split(r"[\\/]", path):
        if part == "..":
            depth -= 1
            if depth < 0:
                return f"'{path}' leads outside the project folder: data files must be inside it"
        elif part not in ("", "."):
            depth += 1
    return ""


def _credits(r: _Report) -> None:
    c = r.a.credits
    if c is None:
        return
    outside = _outside_project(c.claims_path.strip()) if c.claims_path.strip() else ""
    if outside:
        r.add("/credits/claims/path", outside, Code.LINT_SOURCE_PATH)
    if c.claims_path and c.claim_within is None:
        r.add("/credits/claims", "claims are checked against a claim window: give "
              "credits.claim_within", Code.LINT_CLAIM_WINDOW, "warning")
    obj = r.a.objective(c.objective)
    if obj is None:
        ids = [o.id for o in r.a.objectives]
        r.add("/credits/objective", f"no objective '{c.objective}'{_suggest(c.objective, ids)}",
              Code.LINT_UNKNOWN_OBJECTIVE)
    elif obj.kind == "satisfaction" and obj.method != "share":
        r.add("/credits/objective", "credits need an objective measured in percent, not a mean "
              "score", Code.LINT_CREDIT_OBJECTIVE)
    for i, t in enumerate(c.tiers):
        base = f"/credits/tiers/{i}"
        if i == 0:
            if obj is not None and obj.kind != "satisfaction" and t.below > obj.target:
                r.add(f"{base}/below", f"{t.below:g} is above the target {obj.target:g}: a period "
                      "that meets the target would earn credit", Code.LINT_CREDIT_TIERS, "warning")
        else:
            prev = c.tiers[i - 1]
            if t.below == prev.below:
                r.add(f"{base}/below", f"overlaps the tier above (both below {t.below:g})",
                      Code.LINT_CREDIT_TIERS)
            elif t.below > prev.below:
                r.add(f"{base}/below", f"tiers must go from the highest 'below' down: {t.below:g} "
                      f"follows {prev.below:g}", Code.LINT_CREDIT_TIERS)
            elif t.credit < prev.credit:
                r.add(f"{base}/credit", f"credit {t.credit:g}% is less than the {prev.credit:g}% "
                      "of the tier above: a worse result must not earn less",
                      Code.LINT_CREDIT_TIERS)
        if t.credit > c.cap:
            r.add(f"{base}/credit", f"credit {t.credit:g}% is above the cap of {c.cap:g}%",
                  Code.LINT_CREDIT_CAP, "warning")
    for i, b in enumerate(c.bonuses):
        base = f"/credits/bonuses/{i}"
        if obj is not None and obj.kind != "satisfaction" and b.at_least <= obj.target:
            r.add(f"{base}/at_least", f"{b.at_least:g} is not above the target {obj.target:g}: a "
                  "bonus must reward more than the promise", Code.LINT_BONUS)
        if i and b.at_least >= c.bonuses[i - 1].at_least:
            r.add(f"{base}/at_least", "bonuses must go from the highest 'at_least' down",
                  Code.LINT_BONUS)
        if c.tiers and b.at_least < c.tiers[0].below:
            r.add(f"{base}/at_least", "overlaps the credit tiers", Code.LINT_BONUS)


def _maintenance(r: _Report) -> None:
    for i, w in enumerate(r.a.maintenance):
        base = f"/maintenance/windows/{i}"
        if w.end <= w.start:
            r.add(f"{base}/end", "the window ends before it starts", Code.LINT_MAINTENANCE)
        if w.announced is not None and w.announced > w.start:
            r.add(f"{base}/announced", "announced after the window started", Code.LINT_MAINTENANCE)
    account = maintenance_account(r.a)
    notice = r.a.maintenance_policy.notice
    for i, w in enumerate(r.a.maintenance):
        if w in account.late and w.end > w.start and not (w.announced and w.announced > w.start):
            said = (f"announced {w.announced.isoformat()}, less than the agreed "
                    f"{notice.words() if notice else notice} "
                    "ahead" if w.announced else "not announced")
            r.add(f"/maintenance/windows/{i}/announced" if w.announced
                  else f"/maintenance/windows/{i}",
                  f"{said}: the window is not excluded from the figures and counts as "
                  "downtime", Code.LINT_MAINTENANCE_LATE, "warning")
    over = account.over_cap
    cap = r.a.maintenance_policy.max_per_month
    for i, w in enumerate(r.a.maintenance):
        beyond = int(overlap(over, w.start.timestamp(), w.end.timestamp()))
        if beyond:
            r.add(f"/maintenance/windows/{i}",
                  f"{_hours(beyond)} of this window is beyond the {cap} of maintenance a "
                  "month the agreement allows: it will count as downtime",
                  Code.LINT_MAINTENANCE_OVER_CAP, "warning")


def _hours(seconds: int) -> str:
    h, m = divmod(seconds // 60, 60)
    return f"{h}h{m:02d}m" if h and m else f"{h}h" if h else f"{m}m"


def _escalation(r: _Report) -> None:
    levels = r.a.escalation
    for i in range(1, len(levels)):
        prev, cur = levels[i - 1], levels[i]
        if cur.level <= prev.level:
            r.add(f"/escalation/{i}/level", f"level {cur.level} follows level {prev.level}: list "
                  "levels in increasing order", Code.LINT_ESCALATION)
        elif cur.after and prev.after and not (cur.after.is_calendar or prev.after.is_calendar) \
                and cur.after.seconds < prev.after.seconds:
            r.add(f"/escalation/{i}/after", f"{cur.after} is earlier than the {prev.after} of "
                  "the level before", Code.LINT_ESCALATION)


def _private_contacts_in_text(r: _Report) -> None:
    """A warning at an escalation or emergency contact that is private (no ``public:
    true``) while the agreement's own text gives the same address: the page shows the
    text, so the address is published all the same (an internal agreement shows it to
    no one else)."""
    a = r.a
    if a.visibility == "internal":
        return
    texts = {"complaints": a.complaints, "service.description": a.description,
             "support.reporting": a.support.reporting, "contract.renewal": a.contract.renewal}
    for i, item in enumerate((*a.scope, *a.exclusions, *a.responsibilities_provider,
                              *a.responsibilities_customer)):
        texts.setdefault(f"text {i}", item)
    published = {a.provider.contact, a.customer.contact,
                 *(ch.contact for ch in a.support.channels)}
    named = [(f"/escalation/{i}/contact", e.contact, e.public)
             for i, e in enumerate(a.escalation)]
    named += [(f"/continuity/contacts/{i}/contact", c.contact, c.public)
              for i, c in enumerate(a.continuity.contacts)]
    for pointer, addr, public in named:
        if public or not addr or addr in published:
            continue
        where = next((k for k, text in texts.items() if text and addr in text), "")
        if where:
            where = where if not where.startswith("text ") else "the agreement's text"
            r.add(pointer, f"{addr} is private (public: true is not set), but {where} gives it, "
                  "so the site shows it there: mark it public: true, or take it out of the text",
                  Code.LINT_PRIVATE_CONTACT, "warning")


def _contract_and_review(r: _Report, today: date) -> None:
    a = r.a
    c = a.contract
    if c.start and c.end and c.end < c.start:
        r.add("/contract/end", f"the contract ends ({c.end}) before it starts ({c.start})",
              Code.LINT_CONTRACT)
    if c.end and a.effective > c.end:
        r.add("/effective", f"takes effect after the contract ends ({c.end})", Code.LINT_CONTRACT,
              "warning")
    rv = a.review
    if rv.last and rv.last > today:
        r.add("/review/last", f"{rv.last} is in the future", Code.LINT_REVIEW)
    elif rv.last and rv.every:
        due = rv.every.add_to(rv.last)
        if due < today:
            r.add("/review/last", f"review overdue: last reviewed {rv.last}, due every "
                  f"{rv.every.words()}, so by {due}", Code.LINT_REVIEW_OVERDUE, "warning")


def _monthly_availability(a: Agreement) -> Objective | None:
    avail = [o for o in a.objectives if o.kind == "availability"]
    return next((o for o in avail if o.window.kind == "month"), avail[0] if avail else None)


def lint_set(
    targets: Sequence[Agreement],
    universe: Sequence[Agreement],
    index: Mapping[str, Sequence[str]],
) -> list[Problem]:
    """Cross-file problems of ``targets``.

    ``universe`` holds every agreement that loaded (targets and their neighbours);
    ``index`` maps every id seen in any file, loadable or not, to the paths using it.
    """
    by_id = {a.id: a for a in universe}
    problems: list[Problem] = []
    for a in targets:
        r = _Report(a)
        others = [p for p in index.get(a.id, ()) if p != a.path]
        if others:
            r.add("/id", f"id '{a.id}' is also used by {', '.join(others)}", Code.LINT_DUPLICATE_ID)
        for field in ("depends_on", "underpins"):
            for i, other in enumerate(getattr(a, field)):
                if other != a.id and other not in index:
                    r.add(f"/{field}/{i}", f"no agreement has the id '{other}'"
                          f"{_suggest(other, index)}", Code.LINT_UNKNOWN_AGREEMENT)
        for i, other in enumerate(a.underpins):
            b = by_id.get(other)
            if b is not None and a.id not in b.depends_on:
                r.add(f"/underpins/{i}", f"'{other}' does not list '{a.id}' in depends_on",
                      Code.LINT_UNDERPINS, "warning")
        _composite(r, by_id)
        problems.extend(r.problems)
    return problems


def _composite(r: _Report, by_id: Mapping[str, Agreement]) -> None:
    """Serial chain: the service cannot be more available than all its dependencies together."""
    a = r.a
    deps = [by_id[d] for d in a.depends_on if d in by_id and d != a.id]
    promises = [(d.id, o.target) for d in deps if (o := _monthly_availability(d)) is not None]
    if not promises:
        return
    composite = 100.0
    for _, target in promises:
        composite *= target / 100
    for i, o in enumerate(a.objectives):
        if o.kind == "availability" and o.target > composite + 1e-9:
            detail = ", ".join(f"{d} {_pct(t)}" for d, t in promises)
            r.add(f"/objectives/{i}/target", f"{_pct(o.target)} is stricter than the "
                  f"{_pct(composite)} its dependencies promise together ({detail})",
                  Code.LINT_COMPOSITE, "warning")
