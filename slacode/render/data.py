"""Data for machines: JSON per service and for all services, CSV per service, SVG badges.

Fields are chosen one by one (never ``asdict(agreement)``), so a field added to the
model later, such as an internal one, does not appear here by accident.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter
from typing import Any

from slacode.evaluate.results import PeriodResult, ServiceResults
from slacode.model import Agreement, Objective
from slacode.render import escape, fmt, svg
from slacode.render.pages import (
    Coming,
    budget_share,
    current_periods,
    objective_name,
    status_of,
)
from slacode.render.strings import t


def dumps(data: Any) -> str:
    """Compact: with ``indent`` Python's JSON encoder falls back from C to pure Python,
    which made JSON most of the render time of a fleet (browsers indent it anyway).
    ``check_circular=False``: the data is plain trees, and the check's bookkeeping of
    every list and dict costs a sixth of the encoding time."""
    return (
        json.dumps(
            data,
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
            check_circular=False,
            default=_as_dict,
        )
        + "\n"
    )


_FIELD_GETTERS: dict[type, tuple[tuple[str, ...], Callable[[Any], Any]]] = {}
_LEAVES = frozenset({str, int, float, bool, type(None)})


def _one_tuple(get: Callable[[Any], Any]) -> Callable[[Any], tuple[Any]]:
    return lambda o: (get(o),)


def _fields(obj: Any) -> dict[str, Any]:
    """A dataclass's fields as a dict, one level deep; not to be changed (it may be the
    instance's own ``__dict__``)."""
    cls = type(obj)
    got = _FIELD_GETTERS.get(cls)
    if got is None:
        names = getattr(cls, "__dataclass_fields__", None)
        if names is None:
            raise TypeError(f"Object of type {cls.__name__} is not JSON serializable")
        names = tuple(names)
        getter: Callable[[Any], Any] = attrgetter(*names)
        if len(names) == 1:  # attrgetter of one name gives the value, not a 1-tuple
            getter = _one_tuple(getter)
        got = _FIELD_GETTERS[cls] = (names, getter)
    names, getter = got
    d = getattr(obj, "__dict__", None)
    if d is not None and tuple(d) == names:  # the usual case: the fields and nothing else
        return d
    return dict(zip(names, getter(obj), strict=True))


def _as_dict(obj: Any) -> dict[str, Any]:
    """JSON ``default`` for result dataclasses: the same keys and values as their
    ``as_dict()``. The C encoder walks tuples, lists, dicts and leaves itself and calls
    back for a dataclass, instead of a Python copy of the whole tree being made first;
    tuples of dataclasses (a period's misses) are done here, one call for them all."""
    d = _fields(obj)
    out = None
    for k, v in d.items():
        if type(v) is tuple and v and type(v[0]) not in _LEAVES:
            if out is None:
                out = dict(d)
            out[k] = _list(v)
    return d if out is None else out


def _list(items: tuple[Any, ...]) -> list[Any]:
    """``items`` with each dataclass as :func:`_fields`."""
    return [_fields(x) if hasattr(type(x), "__dataclass_fields__") else x for x in items]


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
    if internal:  # owners (addresses, team handles) route work inside, not for customers
        out["owners"] = list(a.owners)
        out["visibility"] = a.visibility
        out["underpins"] = list(a.underpins)
        if a.internal_notes:
            out["internal_notes"] = a.internal_notes
    return out


def service_json(
    a: Agreement,
    res: ServiceResults | None,
    internal: bool,
    visible: set[str],
    coming: Sequence[Coming] = (),
) -> str:
    """A service's JSON: ``agreement`` is the version in force (the one its periods are
    judged by now); ``upcoming`` lists versions merged for later, with what they change
    and their own terms, as the page announces them."""
    cur = current_periods(a, res)
    # periods stay dataclasses: dumps() writes each as its as_dict() (see _as_dict)
    data = {
        "service": a.id,
        "status": status_of(cur),
        "as_of": res.as_of if res else "",
        "evaluated_at": res.evaluated_at if res else "",
        "agreement": agreement_dict(a, internal, visible),
        "upcoming": [
            {
                "version": c.version,
                "effective": c.effective.isoformat(),
                "changes": [getattr(x, "what", x) for x in c.changes],  # English
                "agreement": agreement_dict(c.agreement, internal, visible)
                if c.agreement else None,
            }
            for c in coming
        ],
        "current": cur,
        "periods": res.periods if res else (),
        "daily": {k: [_fields(d) for d in v] for k, v in sorted(res.daily.items())} if res else {},
    }
    return dumps(data)


def _round2(x: float | None) -> float | None:
    """A percentage of a budget: two decimals, as documented (the README's JSON notes)."""
    return None if x is None else round(x, 2)


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
                        "budget_remaining_percent": _round2(budget_share(p)),
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
    cell = escape.csv_cell
    # numbers and booleans are written as they are: csv_cell leaves them unchanged
    # (no control characters; a leading "-" is a number), and it was half the CSV time
    for p in periods:
        c = p.credit
        w.writerow(
            (
                cell(p.objective),
                cell(p.period),
                cell(p.start),
                cell(p.end),
                _bool(p.closed),
                "" if p.value is None else _num(p.value),
                _num(p.target),
                cell(p.unit),
                cell(p.verdict),
                "" if p.margin is None else _num(p.margin),
                _num(p.coverage),
                "" if c is None else _num(c.percent),
                "" if c is None or c.amount is None else _num(c.amount),
                "" if c is None else cell(c.currency),
                cell(p.agreement_version),
            )
        )
    return buf.getvalue()


def _bool(value: Any) -> str:
    if value is True:
        return "true"
    return "false" if value is False else escape.csv_cell(str(value).lower())


def _num(value: Any) -> str:
    """``repr`` of a float or int figure, as :func:`escape.csv_cell` would write it."""
    s = repr(value)
    return s if type(value) in (float, int) else escape.csv_cell(s)


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
