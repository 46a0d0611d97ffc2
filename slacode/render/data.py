"""Data for machines: JSON per service and for all services, CSV per service, SVG badges.

Fields are chosen one by one (never ``asdict(agreement)``), so a field added to the
model later, such as an internal one, does not appear here by accident.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from slacode.evaluate.results import PeriodResult, ServiceResults
from slacode.model import Agreement, Objective
from slacode.render import escape, fmt, svg
from slacode.render.pages import budget_share, current_periods, objective_name, status_of
from slacode.render.strings import t


def dumps(data: Any) -> str:
    """Compact: with ``indent`` Python's JSON encoder falls back from C to pure Python,
    which made JSON most of the render time of a fleet (browsers indent it anyway).
    ``check_circular=False``: the data is plain trees, and the check's bookkeeping of
    every list and dict costs a sixth of the encoding time."""
    return (
        json.dumps(
            data, ensure_ascii=False, separators=(",", ":"), allow_nan=False, check_circular=False
        )
        + "\n"
    )


def _dur(d: Any) -> str | None:
    return str(d) if d is not None else None


def objective_dict(o: Objective, internal: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": o.id,
        "name": objective_name(o),
        "kind": o.kind,
        "target": o.target,
        "window": str(o.window),
        "description": o.description,
    }
    if o.method:
        out["method"] = o.method
    if o.threshold is not None:
        out["threshold"] = _dur(o.threshold)
    if o.priority:
        out.update(priority=o.priority, within=_dur(o.within), clock=o.clock)
    if internal and o.internal_notes:
        out["internal_notes"] = o.internal_notes
    return out


def agreement_dict(a: Agreement, internal: bool, visible: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": a.id,
        "name": a.name,
        "version": a.version,
        "effective": a.effective.isoformat(),
        "timezone": a.timezone,
        "owners": list(a.owners),
        "tags": list(a.tags),
        "provider": {"name": a.provider.name, "contact": a.provider.contact},
        "customer": {"name": a.customer.name, "contact": a.customer.contact},
        "description": a.description,
        "scope": list(a.scope),
        "exclusions": list(a.exclusions),
        "objectives": [objective_dict(o, internal) for o in a.objectives],
        "depends_on": [d for d in a.depends_on if d in visible],
    }
    if a.credits:
        c = a.credits
        out["credits"] = {
            "objective": c.objective,
            "cap": c.cap,
            "claim_within": _dur(c.claim_within),
            "monthly_fee": c.monthly_fee,
            "currency": c.currency,
            "tiers": [{"below": x.below, "credit": x.credit} for x in c.tiers],
            "bonuses": [{"at_least": x.at_least, "bonus": x.bonus} for x in c.bonuses],
        }
    if internal:
        out["visibility"] = a.visibility
        out["underpins"] = list(a.underpins)
        if a.internal_notes:
            out["internal_notes"] = a.internal_notes
    return out


def service_json(
    a: Agreement, res: ServiceResults | None, internal: bool, visible: set[str]
) -> str:
    cur = current_periods(a, res)
    shown = res.periods if res else ()
    periods = [p.as_dict() for p in shown]
    # an open period is in "periods" too: its one dict serves both (JSON writes it twice)
    by_id = {id(p): d for p, d in zip(shown, periods, strict=True)}
    data = {
        "service": a.id,
        "status": status_of(cur),
        "as_of": res.as_of if res else "",
        "evaluated_at": res.evaluated_at if res else "",
        "agreement": agreement_dict(a, internal, visible),
        "current": [by_id[id(p)] if id(p) in by_id else p.as_dict() for p in cur],
        "periods": periods,
        "daily": {k: [vars(d) for d in v] for k, v in sorted(res.daily.items())} if res else {},
    }
    return dumps(data)


def services_json(
    agreements: Sequence[Agreement], results: Mapping[str, ServiceResults], evaluated_at: str
) -> str:
    services = []
    for a in sorted(agreements, key=lambda a: a.id):
        res = results.get(a.id)
        cur = current_periods(a, res)
        services.append(
            {
                "id": a.id,
                "name": a.name,
                "status": status_of(cur),
                "page": f"services/{a.id}/",
                "json": f"api/{a.id}.json",
                "csv": f"api/{a.id}.csv",
                "badge": f"badges/{a.id}.svg",
                "as_of": res.as_of if res else "",
                "current": [
                    {
                        "objective": p.objective,
                        "period": p.period,
                        "value": p.value,
                        "target": p.target,
                        "unit": p.unit,
                        "verdict": p.verdict,
                        "budget_remaining_percent": budget_share(p),
                    }
                    for p in cur
                ],
            }
        )
    return dumps({"evaluated_at": evaluated_at, "services": services})


CSV_COLUMNS = (
    "objective",
    "period",
    "start",
    "end",
    "closed",
    "value",
    "target",
    "unit",
    "verdict",
    "margin",
    "coverage",
    "credit_percent",
    "credit_amount",
    "currency",
    "agreement_version",
)


def service_csv(periods: Sequence[PeriodResult]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for p in periods:
        c = p.credit
        row = (
            p.objective,
            p.period,
            p.start,
            p.end,
            str(p.closed).lower(),
            "" if p.value is None else repr(p.value),
            repr(p.target),
            p.unit,
            p.verdict,
            "" if p.margin is None else repr(p.margin),
            repr(p.coverage),
            "" if c is None else repr(c.percent),
            "" if c is None or c.amount is None else repr(c.amount),
            "" if c is None else c.currency,
            p.agreement_version,
        )
        w.writerow([escape.csv_cell(v) for v in row])
    return buf.getvalue()


def badges(a: Agreement, res: ServiceResults | None, language: str) -> dict[str, str]:
    cur = current_periods(a, res)
    status = status_of(cur)
    out = {f"badges/{a.id}.svg": svg.badge(a.name, t("verdict." + status, language), status)}
    by_obj = {p.objective: p for p in cur}
    for o in a.objectives:
        p = by_obj.get(o.id)
        value = fmt.figure(
            p.value if p else None, p.unit if p else "%", t("common.no_data_mark", language)
        )
        verdict = p.verdict if p else "no-data"
        out[f"badges/{a.id}/{escape.segment(o.id)}.svg"] = svg.badge(
            objective_name(o), value, verdict
        )
    return out
