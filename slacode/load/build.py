"""Validated document -> :class:`slacode.model.Agreement`: durations, dates and times parsed once.

Runs only on documents that passed the schema, so shapes are trusted here; values
the schema cannot judge (an unknown time zone, a tier order) are the linter's job.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, cast

from slacode.durations import Duration
from slacode.model import (
    CLOCK_24X7,
    Acceptance,
    Agreement,
    Bonus,
    Calendar,
    ClaimProcedure,
    Contact,
    Continuity,
    Contract,
    Credits,
    CreditTier,
    EscalationLevel,
    Maintenance,
    MaintenancePolicy,
    Objective,
    Party,
    Plan,
    Position,
    Priority,
    PrometheusQuery,
    Review,
    Source,
    SourceKind,
    Support,
    Window,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def duration(value: str | None) -> Duration | None:
    return Duration.parse(value) if value else None


def parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def parse_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.upper()) if value else None  # RFC 3339 allows t and z


def parse_window(text: str) -> Window:
    """``calendar-month`` -> Window("month"); ``rolling-28d`` -> Window("rolling", 28)."""
    if text.startswith("rolling-"):
        return Window("rolling", int(text[len("rolling-"):-1]))
    return Window(text.removeprefix("calendar-"))  # type: ignore[arg-type]


def parse_hours(text: str) -> tuple[time, time]:
    """``09:00-18:00`` -> (09:00, 18:00); ``24:00`` is the end of the day."""
    start, end = text.split("-")
    end_t = time.max if end == "24:00" else time.fromisoformat(end)
    return time.fromisoformat(start), end_t


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


def _party(d: dict[str, Any] | None) -> Party:
    d = d or {}
    return Party(d.get("name", ""), d.get("contact", ""))


def _source(d: dict[str, Any]) -> Source:
    kind, body = next(iter(d.items()))
    if kind == "prometheus":
        return Source("prometheus", prometheus=PrometheusQuery(**body))
    # the schema allows only the source kinds (SourceKind) as keys
    return Source(cast(SourceKind, kind), path=body.get("path", ""),
                  format=body.get("format", ""))


def _objective(
    d: dict[str, Any], pos: Position | None, priorities: dict[str, Any], support_hours: str
) -> Objective:
    """An objective; an incident objective without ``clock`` counts time on the clock of
    its priority's matrix row (what the matrix promises), not on 24x7, and a complaint
    objective on the support hours (when complaints are handled)."""
    scale = d.get("scale") or {}
    kind = d["kind"]
    method = d.get("method", "")
    if not method and kind == "availability":
        method = "events"
    elif not method and kind == "satisfaction":
        method = "mean"
    return Objective(
        id=d["id"],
        kind=kind,
        target=float(d["target"]),
        window=parse_window(d["window"]),
        source=_source(d["source"]),
        name=plain(d.get("name", "")),
        description=plain(d.get("description", "")),
        method=method,
        slice=duration(d.get("slice")),
        slice_threshold=_float(d.get("slice_threshold")),
        zero_traffic=d.get("zero_traffic", "good"),
        threshold=duration(d.get("threshold")),
        priority=d.get("priority", ""),
        within=duration(d.get("within")),
        clock=d.get("clock") or (
            support_hours if kind.startswith("complaint-")
            else _row_clock(priorities, d.get("priority"))),
        scale_min=float(scale.get("min", 1)),
        scale_max=float(scale.get("max", 5)),
        at_least=_float(d.get("at_least")),
        min_responses=d.get("min_responses", 0),
        resolution=duration(d.get("resolution")),
        min_coverage=float(d.get("min_coverage", 0.9)),
        internal_notes=d.get("internal_notes", ""),
        pos=pos,
    )


def _acceptance(d: dict[str, Any] | None) -> Acceptance | None:
    if not d:
        return None
    return Acceptance(by=d["by"], date=date.fromisoformat(d["date"]),
                      reference=d.get("reference", ""))


def _row_clock(priorities: dict[str, Any], priority: str | None) -> str:
    """The clock of a priority's matrix row; 24x7 when the row or its clock is missing."""
    row = priorities.get(priority) if priority else None
    return (row or {}).get("clock") or CLOCK_24X7


def _calendar(cid: str, d: dict[str, Any]) -> Calendar:
    start, end = parse_hours(d.get("hours", "00:00-24:00"))
    days = d.get("weekdays", ["mon", "tue", "wed", "thu", "fri"])
    return Calendar(
        id=cid,
        timezone=d["timezone"],
        weekdays=tuple(sorted(WEEKDAYS.index(w) for w in days)),
        start=start,
        end=end,
        holidays=d.get("holidays", ""),
        subdivision=d.get("subdivision", ""),
        extra_holidays=tuple(date.fromisoformat(x) for x in d.get("extra_holidays", [])),
        extra_working_days=tuple(date.fromisoformat(x) for x in d.get("extra_working_days", [])),
    )


def _credits(d: dict[str, Any] | None) -> Credits | None:
    if not d:
        return None
    return Credits(
        objective=d["objective"],
        tiers=tuple(CreditTier(float(t["below"]), float(t["credit"])) for t in d["tiers"]),
        cap=float(d.get("cap", 100)),
        claim_within=duration(d.get("claim_within")),
        monthly_fee=_float(d.get("monthly_fee")),
        currency=d.get("currency", ""),
        bonuses=tuple(Bonus(float(b["at_least"]), float(b["bonus"])) for b in d.get("bonuses", [])),
        pay_within=duration(d.get("pay_within")),
        claim=ClaimProcedure(d["claim"]["channel"], tuple(d["claim"].get("include", ())))
        if d.get("claim") else None,
        claims_path=(d.get("claims") or {}).get("path", ""),
    )


def build_agreement(
    data: dict[str, Any], path: str, positions: dict[str, Position] | None = None
) -> Agreement:
    """The typed agreement of a schema-valid document.

    ``positions`` maps RFC 6901 pointers into the YAML document (keys as written,
    e.g. ``/objectives/0/target``, ``/calendars/cn-business/hours``,
    ``/priorities/P1/response``) to where each value starts.
    """
    positions = positions or {}
    parties = data.get("parties") or {}
    service = data.get("service") or {}
    support = data.get("support") or {}
    maintenance = data.get("maintenance") or {}
    responsibilities = data.get("responsibilities") or {}
    continuity = data.get("continuity") or {}
    contract = data.get("contract") or {}
    review = data.get("review") or {}
    priorities = data.get("priorities") or {}
    return Agreement(
        id=data["id"],
        name=plain(data["name"]),
        version=data["version"],
        effective=date.fromisoformat(data["effective"]),
        path=path,
        visibility=data["visibility"],
        timezone=data.get("timezone", "UTC"),
        owners=tuple(data.get("owners", ())),
        tags=tuple(data.get("tags", ())),
        provider=_party(parties.get("provider")),
        customer=_party(parties.get("customer")),
        description=plain(service.get("description", "")),
        scope=tuple(service.get("scope", ())),
        exclusions=tuple(service.get("exclusions", ())),
        plans=tuple(
            Plan(p["id"], p["name"], p.get("description", ""), _float(p.get("monthly_fee")),
                 p.get("currency", ""))
            for p in service.get("plans", ())
        ),
        support=Support(
            hours=support.get("hours", CLOCK_24X7),
            channels=tuple(Party(c["name"], c.get("contact", ""))
                           for c in support.get("channels", ())),
            reporting=support.get("reporting", ""),
        ),
        calendars=tuple(_calendar(k, v) for k, v in (data.get("calendars") or {}).items()),
        objectives=tuple(
            _objective(o, positions.get(f"/objectives/{i}"), priorities,
                       support.get("hours", CLOCK_24X7))
            for i, o in enumerate(data["objectives"])
        ),
        priorities=tuple(
            Priority(k, v.get("name", ""), v.get("description", ""), duration(v.get("response")),
                     duration(v.get("resolution")), v.get("clock", CLOCK_24X7))
            for k, v in priorities.items()
        ),
        maintenance_policy=MaintenancePolicy(
            notice=duration(maintenance.get("notice")),
            max_per_month=duration(maintenance.get("max_per_month")),
        ),
        maintenance=tuple(
            Maintenance(parse_datetime(w["start"]), parse_datetime(w["end"]),  # type: ignore[arg-type]
                        parse_datetime(w.get("announced")), w.get("description", ""))
            for w in maintenance.get("windows", ())
        ),
        credits=_credits(data.get("credits")),
        responsibilities_provider=tuple(responsibilities.get("provider", ())),
        responsibilities_customer=tuple(responsibilities.get("customer", ())),
        escalation=tuple(
            EscalationLevel(e["level"], e["contact"], duration(e.get("after")), e.get("name", ""),
                            bool(e.get("public", False)))
            for e in data.get("escalation", ())
        ),
        complaints=data.get("complaints", ""),
        continuity=Continuity(
            rto=duration(continuity.get("rto")),
            rpo=duration(continuity.get("rpo")),
            contacts=tuple(Contact(c["name"], c.get("contact", ""), c.get("role", ""),
                                   bool(c.get("public", False)))
                           for c in continuity.get("contacts", ())),
            plans=tuple(continuity.get("plans", ())),
            priorities=tuple(continuity.get("priorities", ())),
        ),
        contract=Contract(
            reference=contract.get("reference", ""),
            start=parse_date(contract.get("start")),
            end=parse_date(contract.get("end")),
            renewal=contract.get("renewal", ""),
        ),
        acceptance=_acceptance(data.get("acceptance")),
        review=Review(every=duration(review.get("every")), last=parse_date(review.get("last"))),
        depends_on=tuple(data.get("depends_on", ())),
        underpins=tuple(data.get("underpins", ())),
        internal_notes=data.get("internal_notes", ""),
        positions=dict(positions),
        translations=_translations(data),
    )


def plain(text: Any) -> str:
    """Free text as the plain fields hold it: the text itself, or its ``en`` when the
    agreement gives it per language (``{en: ..., zh: ...}``)."""
    if isinstance(text, dict):
        return str(text.get("en", ""))
    return "" if text is None else str(text)


def _translations(data: dict[str, Any]) -> tuple[tuple[str, str, str], ...]:
    """Every non-English text the agreement gives, as (language, field, text): see
    :attr:`Agreement.translations`."""
    fields: list[tuple[str, Any]] = [
        ("name", data.get("name")),
        ("description", (data.get("service") or {}).get("description"))]
    for o in data.get("objectives") or ():
        fields += [(f"objective:{o.get('id')}:name", o.get("name")),
                   (f"objective:{o.get('id')}:description", o.get("description"))]
    return tuple((lang, key, str(text)) for key, value in fields if isinstance(value, dict)
                 for lang, text in value.items() if lang != "en" and text)
