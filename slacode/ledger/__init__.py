"""Stage 4: the ledger of frozen closed periods.

A closed period's results are written once as a human-readable record
(``ledger/<service>/<period>.json``); later evaluations that disagree are
restatement candidates, never silent overwrites.

A record (stable JSON: sorted keys, indent 2, trailing newline) looks like::

    {
      "format": 1,
      "service": "payments-api",
      "period": "2026-10",
      "frozen_at": "2026-11-01T02:00:00+00:00",   # when these figures were written
      "reason": "",                               # "" when first frozen; else why restated
      "visibility": "public",                     # of the version in force then (may be absent)
      "restated": ["<objective>", ...],           # restatements only: whose figures changed
      "results": {"<objective>": {...PeriodResult...}, ...},
      "history": [                                # the versions this one replaced, oldest first
        {"frozen_at": "...", "reason": "", "replaced_at": "...", "results": {...}}
      ]
    }

A restatement marks only the objectives listed in ``restated`` as restated (on the page
and in the feed); a record written before that key existed marks every objective.

Only ``restate`` replaces a record, and it moves the old figures into ``history``.
Results shown from the ledger carry ``frozen_at`` and ``restatements`` (each
restatement's time and reason, oldest first), so a page can say "restated on DATE:
reason". Daily values are never frozen.

A record carries the ``visibility`` of the agreement version in force in its period,
so that a build for an audience never shows figures frozen while the agreement was
outside it, even when a later agreement reuses the id (:func:`apply` with
``audience``). Records written before the field existed have none; for them the build
checks the version in force from git instead (``slacode.pipeline.judged_in_view``).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import time
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from slacode.evaluate.results import (
    Budget,
    Credit,
    Hold,
    Miss,
    PeriodResult,
    Reason,
    Restatement,
    ServiceResults,
)
from slacode.model import visible
from slacode.problems import SlacodeError

__all__ = [
    "Candidate",
    "LedgerReport",
    "apply",
    "freeze",
    "frozen_services",
    "held",
    "read_record",
    "record_path",
    "restate",
    "restated",
    "result_from_dict",
]

FORMAT = 1
#: fields a record does not store: the ledger's own bookkeeping, and whether the period
#: was final (a frozen period is, by definition)
_UNSTORED = ("frozen_at", "restatements", "final_at", "holds")
#: fields that may differ between a frozen record and a fresh evaluation without being a
#: restatement candidate: bookkeeping, and explanations rather than figures (what was
#: missed explains the figure; the figure, verdict, budget and credit are compared)
_IGNORED = frozenset({"as_of", "reasons", "misses", *_UNSTORED})
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Candidate:
    """A fresh evaluation disagrees with a frozen record: shown, never applied silently."""

    service: str
    period: str
    objective: str
    field: str
    frozen: Any
    new: Any

    def __str__(self) -> str:
        return (f"{self.service} {self.period} {self.objective}: {self.field} frozen "
                f"{_short(self.frozen)}, now {_short(self.new)}")

    def as_dict(self) -> dict[str, Any]:
        return {"service": self.service, "period": self.period, "objective": self.objective,
                "field": self.field, "frozen": self.frozen, "new": self.new}


@dataclass(frozen=True)
class LedgerReport:
    results: tuple[ServiceResults, ...]  # closed periods show the frozen figures
    written: tuple[str, ...]  # record files written by this call
    candidates: tuple[Candidate, ...]  # restatement candidates, sorted


@dataclass(frozen=True)
class Restated:
    """One restatement of a frozen period, for pages and the feed ("restated on DATE: reason")."""

    service: str
    objective: str
    period: str
    reason: str
    restated_at: str  # ISO time the new figures were written


def restated(results: Sequence[ServiceResults]) -> tuple[Restated, ...]:
    """Every restatement the shown results carry (after :func:`apply`), oldest first."""
    out = [Restated(pr.service, pr.objective, pr.period, r.reason, r.at)
           for res in results for pr in res.periods for r in pr.restatements]
    return tuple(sorted(out, key=lambda r: (r.restated_at, r.service, r.period, r.objective)))


def _short(v: Any) -> str:
    return json.dumps(v, sort_keys=True, ensure_ascii=False)


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def _utc(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


def record_path(ledger_dir: Path | str, service: str, period: str) -> Path:
    for part in (service, period):
        if not _SAFE.match(part):
            raise SlacodeError(f"ledger: {part!r} is not a safe file name")
    return Path(ledger_dir) / service / f"{period}.json"


#: how deep a record's JSON may nest: a record is about 8 levels deep (history, results,
#: a result, its misses); a hand-edited ``[[[[...`` thousands deep would otherwise end
#: in a RecursionError while it is read or checked
MAX_RECORD_DEPTH = 32
_OPTIONAL_TEXT = {"type": ["string", "null"]}
_RESULTS = {"type": "object", "additionalProperties": {"type": "object"}}
#: the objectives a restatement changed (records written before it was kept have none)
_RESTATED = {"type": "array", "items": {"type": "string"}}
#: the shape of a record, checked whole when it is read: a field of the wrong type (say
#: ``history: 5``, a list where an object belongs) is an error naming the file and the
#: field, never a traceback where it is used. Each result is checked field by field
#: against :class:`PeriodResult` where it is shown (:func:`result_from_dict`).
RECORD_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["results"],
    "properties": {
        "format": {"const": FORMAT},
        "service": {"type": "string"},
        "period": {"type": "string"},
        "frozen_at": {"type": "string"},
        "reason": {"type": "string"},
        "visibility": {"type": "string"},
        "restated": _RESTATED,
        "results": _RESULTS,
        "history": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["results"],
                "properties": {
                    "frozen_at": _OPTIONAL_TEXT,
                    "reason": _OPTIONAL_TEXT,
                    "replaced_at": _OPTIONAL_TEXT,
                    "restated": _RESTATED,
                    "results": _RESULTS,
                },
            },
        },
    },
}
_JSON_TYPES = {"object": "an object", "array": "a list", "string": "text", "null": "null",
               "number": "a number", "integer": "a whole number", "boolean": "true or false"}


def read_record(ledger_dir: Path | str, service: str, period: str) -> dict[str, Any] | None:
    """The record of one service and period, or ``None`` when nothing is frozen.

    :class:`SlacodeError` naming the file (and the field) when it is not a record: not
    strict JSON (``NaN`` and ``Infinity`` are not JSON), nested deeper than
    :data:`MAX_RECORD_DEPTH`, or not of the shape :data:`RECORD_SCHEMA` describes."""
    path = record_path(ledger_dir, service, period)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_not_json)
    except RecursionError:
        raise SlacodeError(f"{path}: not a ledger record: nested more than "
                           f"{MAX_RECORD_DEPTH} levels deep") from None
    except (OSError, ValueError) as exc:
        raise SlacodeError(f"{path}: cannot read ledger record: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        raise SlacodeError(f"{path}: not a ledger record (no 'results')")
    deep = _too_deep(data, MAX_RECORD_DEPTH)
    if deep is not None:
        raise SlacodeError(f"{path}: {deep}: nested more than {MAX_RECORD_DEPTH} levels deep")
    error = _record_error(data)
    if error is not None:
        raise SlacodeError(f"{path}: {error}")
    return data


def _not_json(word: str) -> Any:
    raise ValueError(f"{word} is not a JSON number")


def _field(parts: Sequence[Any]) -> str:
    """``history[0].results`` for the path ``history/0/results``."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _too_deep(data: Any, limit: int) -> str | None:
    """The field where ``data`` nests deeper than ``limit`` (without recursion), or None."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        node, parts = stack.pop()
        if len(parts) >= limit:
            return _field(parts[:limit]) or "the record"
        if isinstance(node, dict):
            stack.extend((v, (*parts, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*parts, i)) for i, v in enumerate(node))
    return None


@cache
def _record_validator() -> Any:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs

    return Draft202012Validator(RECORD_SCHEMA)


def _record_error(data: dict[str, Any]) -> str | None:
    """The first way ``data`` is not a record, as ``field: what is wrong``; None if none."""
    errors = sorted(_record_validator().iter_errors(data),
                    key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    if not errors:
        return None
    e = errors[0]
    field = _field(list(e.absolute_path)) or "the record"
    shown = json.dumps(e.instance, ensure_ascii=False)[:60]
    if e.validator == "type":
        kinds = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
        return f"{field}: {shown} is not {' or '.join(_JSON_TYPES[k] for k in kinds)}"
    if e.validator == "required":
        return f"{field}: {e.message.replace(' is a required property', '')} is missing"
    if e.validator == "const":
        return f"{field}: {shown} is not {FORMAT}, the ledger format this slacode reads"
    return f"{field}: {e.message}"


def frozen_services(ledger_dir: Path | str) -> dict[str, int]:
    """Service folder of the ledger -> how many frozen records it holds (folders with
    none are left out): what a build compares with the agreements it still has."""
    root = Path(ledger_dir)
    if not root.is_dir():
        return {}
    out = {}
    for sub in sorted(root.iterdir()):
        if sub.is_dir() and _SAFE.match(sub.name):
            n = sum(1 for f in sub.glob("*.json") if f.is_file())
            if n:
                out[sub.name] = n
    return out


def _dump(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _stored_form(result: PeriodResult) -> dict[str, Any]:
    """The JSON form of a result as a record stores it (no ledger bookkeeping)."""
    d = json.loads(json.dumps(result.as_dict()))
    for k in _UNSTORED:
        d.pop(k, None)
    return d


def _expect(v: Any, hint: Any, where: str) -> None:
    """``v`` (from JSON) holds a value of the type ``hint`` (a result's field type), or
    :class:`SlacodeError` naming ``where``."""
    args = get_args(hint)
    if isinstance(hint, types.UnionType):  # X | None
        if v is None and type(None) in args:
            return
        hint = next(a for a in args if a is not type(None))
        args = get_args(hint)
    origin = get_origin(hint)
    if origin is Literal:
        if v not in args:
            raise SlacodeError(f"{where}: {json.dumps(v)[:60]} is not one of "
                               f"{', '.join(map(str, args))}")
        return
    if origin is tuple:  # tuple[X, ...]: a JSON list
        if not isinstance(v, list):
            raise SlacodeError(f"{where}: {json.dumps(v)[:60]} is not a list")
        for n, item in enumerate(v):
            _expect(item, args[0], f"{where}[{n}]")
        return
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(v, dict):
            raise SlacodeError(f"{where}: {json.dumps(v)[:60]} is not an object")
        for name, field_hint in _hints(hint).items():
            if name in v:
                _expect(v[name], field_hint, f"{where}.{name}")
        return
    ok = {
        float: isinstance(v, int | float) and not isinstance(v, bool)
        and math.isfinite(v),
        int: isinstance(v, int) and not isinstance(v, bool),
        str: isinstance(v, str),
        bool: isinstance(v, bool),
    }.get(hint, True)
    if not ok:
        what = {float: "a number", int: "a whole number", str: "text",
                bool: "true or false"}[hint]
        raise SlacodeError(f"{where}: {json.dumps(v)[:60]} is not {what}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _check(d: Any, where: str) -> None:
    """A record edited by hand must still hold a result: wrong types would otherwise
    surface as a crash while drawing a chart, or as a wrong figure."""
    if not isinstance(d, dict):
        raise SlacodeError(f"{where}: expected an object with the period's result")
    if isinstance(d.get("reasons"), list):  # records frozen before reasons had codes
        d = {**d, "reasons": [{"text": r} if isinstance(r, str) else r for r in d["reasons"]]}
    _expect(d, PeriodResult, where)
    for key in ("start", "end"):
        try:
            datetime.fromisoformat(d.get(key, ""))
        except ValueError:
            raise SlacodeError(f"{where}.{key}: {json.dumps(d.get(key))[:60]} is not an "
                               "ISO 8601 time") from None


def result_from_dict(d: dict[str, Any], where: str = "result") -> PeriodResult:
    """Rebuild a :class:`PeriodResult` from its JSON form; unknown keys are ignored.

    :class:`SlacodeError` (naming ``where``) when the form does not hold a result."""
    _check(d, where)
    try:
        return _from_dict(d)
    except (TypeError, ValueError) as exc:
        raise SlacodeError(f"{where}: not a period result: {exc}") from None


def _from_dict(d: dict[str, Any]) -> PeriodResult:
    fields = PeriodResult.__dataclass_fields__
    kw = {k: v for k, v in d.items() if k in fields}
    if kw.get("budget") is not None:
        kw["budget"] = Budget(**kw["budget"])
    if kw.get("credit") is not None:
        kw["credit"] = Credit(**{k: v for k, v in kw["credit"].items()
                                 if k in Credit.__dataclass_fields__})
    kw["misses"] = tuple(Miss(**m) for m in kw.get("misses") or ())
    kw["restatements"] = tuple(Restatement(**r) for r in kw.get("restatements") or ())
    kw["holds"] = tuple(Hold(**h) for h in kw.get("holds") or ())
    for k in ("excluded_maintenance", "late_maintenance", "over_cap_maintenance"):
        kw[k] = tuple(kw.get(k) or ())
    # a reason frozen before reasons had codes is its English text alone
    kw["reasons"] = tuple(
        Reason(text=r) if isinstance(r, str)
        else Reason(**{k: v for k, v in r.items() if k in Reason.__dataclass_fields__})
        for r in kw.get("reasons") or ())
    return PeriodResult(**kw)


def _restatements(record: dict[str, Any], objective: str) -> tuple[Restatement, ...]:
    """The restatements of ``record`` that changed ``objective``'s figures, oldest first
    (a version without ``restated``, written before it existed, changed them all)."""
    versions = [*record.get("history", []), record]
    return tuple(Restatement(at=str(v.get("frozen_at") or ""), reason=str(v["reason"]))
                 for v in versions if v.get("reason")
                 and objective in v.get("restated", (objective,)))


class _Records:
    """Reads each record once per call."""

    def __init__(self, ledger_dir: Path | str) -> None:
        self.dir = ledger_dir
        self.cache: dict[tuple[str, str], dict[str, Any] | None] = {}

    def get(self, service: str, period: str) -> dict[str, Any] | None:
        key = (service, period)
        if key not in self.cache:
            self.cache[key] = read_record(self.dir, service, period)
        return self.cache[key]


def _same(a: Any, b: Any) -> bool:
    """Equal, where nested objects are compared on the keys both have."""
    if isinstance(a, dict) and isinstance(b, dict):
        return all(a[k] == b[k] for k in set(a) & set(b))
    return a == b


def _compare(fresh: PeriodResult, frozen: dict[str, Any]) -> list[Candidate]:
    new = _stored_form(fresh)
    out = []
    for k in sorted(set(new) & set(frozen)):  # a field added to the format later is no change
        if k in _IGNORED or _same(new[k], frozen[k]):
            continue
        out.append(Candidate(fresh.service, fresh.period, fresh.objective, k,
                             frozen.get(k), new.get(k)))
    return out


def _changed(prs: Sequence[PeriodResult], frozen: dict[str, Any]) -> list[str]:
    """The objectives of one period whose frozen figures fresh results change (or that
    one side has and the other has not), sorted."""
    fresh = {pr.objective for pr in prs}
    out = (set(frozen) ^ fresh) | {
        pr.objective for pr in prs
        if pr.objective in frozen and (not isinstance(frozen[pr.objective], dict)
                                       or _compare(pr, frozen[pr.objective]))}
    return sorted(out)


def _admits(rec: dict[str, Any], audience: str | None, where: Path) -> bool:
    """Whether a build for ``audience`` (None: no audience, e.g. ``slacode evaluate``) may
    show the figures of ``rec``: its recorded visibility admits that audience, or it has
    none (a record older than the field)."""
    vis = rec.get("visibility", "")
    if not isinstance(vis, str):
        raise SlacodeError(f"{where}: visibility: {json.dumps(vis)[:60]} is not text")
    return audience is None or not vis or visible(vis, audience)


def _apply(results: Sequence[ServiceResults], records: _Records,
           audience: str | None = None) -> tuple[tuple[ServiceResults, ...], list[Candidate]]:
    out: list[ServiceResults] = []
    candidates: list[Candidate] = []
    for res in results:
        periods = []
        for pr in res.periods:
            rec = records.get(res.service, pr.period) if pr.closed else None
            if rec is None:
                periods.append(pr)
                continue
            path = record_path(records.dir, res.service, pr.period)
            # frozen while outside the audience: neither figure is shown
            admitted = _admits(rec, audience, path)
            frozen = rec["results"].get(pr.objective)
            if frozen is None:
                candidates.append(Candidate(pr.service, pr.period, pr.objective, "result",
                                            None, _stored_form(pr).get("value")))
                if admitted:
                    periods.append(pr)
                continue
            shown = result_from_dict(frozen, f"{path}: results.{pr.objective}")
            candidates += _compare(pr, frozen)
            if not admitted:
                continue
            periods.append(replace(shown, frozen_at=str(rec.get("frozen_at", "")),
                                   restatements=_restatements(rec, pr.objective),
                                   final_at=pr.final_at))
        out.append(replace(res, periods=tuple(periods)))
    candidates.sort(key=lambda c: (c.service, c.period, c.objective, c.field))
    return tuple(out), candidates


def apply(results: Sequence[ServiceResults], ledger_dir: Path | str,
          audience: str | None = None) -> LedgerReport:
    """Results where every frozen closed period shows its frozen figures (the ledger
    wins), and the differences a fresh evaluation found as restatement candidates.

    With ``audience`` (a build for it), a period whose record's visibility does not
    admit that audience is left out: those figures were frozen under a promise it was
    never given, and the fresh ones would restate them in its eyes."""
    shown, candidates = _apply(results, _Records(ledger_dir), audience)
    return LedgerReport(shown, (), tuple(candidates))


def _closed(results: Sequence[ServiceResults]) -> dict[tuple[str, str], list[PeriodResult]]:
    groups: dict[tuple[str, str], list[PeriodResult]] = {}
    for res in results:
        for pr in res.periods:
            if pr.closed:
                groups.setdefault((res.service, pr.period), []).append(pr)
    return groups


def held(prs: Sequence[PeriodResult], now: int) -> bool:
    """Whether some objective of a period is not final at ``now``: a hold without an end,
    or one that ends later (evaluation decides the holds; see ``slacode.evaluate``)."""
    return any(not h.until or _epoch(h.until) > now for pr in prs for h in pr.holds)


def freeze(
    results: Sequence[ServiceResults],
    ledger_dir: Path | str,
    now: int,
    visibility: Callable[[PeriodResult], str] | None = None,
) -> LedgerReport:
    """Write a record for every final closed period that has none; never touch existing ones.

    A period is frozen only once none of its objectives has a hold left at ``now`` (an
    incident still within its target time, the grace for late data, a survey still
    open, no data yet): a record is what customers are told, and must not need a
    restatement because it was written too early. Returns the results as the ledger now
    shows them, the files written, and the restatement candidates found against
    existing records. ``visibility`` gives the visibility of the version in force in a
    period; each new record keeps it.
    """
    records = _Records(ledger_dir)
    written = []
    for (service, period), prs in sorted(_closed(results).items()):
        if records.get(service, period) is not None or held(prs, now):
            continue
        record = {
            "format": FORMAT,
            "service": service,
            "period": period,
            "frozen_at": _utc(now),
            "reason": "",
            "results": {pr.objective: _stored_form(pr) for pr in prs},
            "history": [],
        }
        if visibility is not None:
            record["visibility"] = visibility(prs[0])
        path = record_path(ledger_dir, service, period)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as fh:
                fh.write(_dump(record))
        except FileExistsError:  # written meanwhile by another run: leave it
            records.cache.pop((service, period), None)
            continue
        records.cache[(service, period)] = record
        written.append(str(path))
    shown, candidates = _apply(results, records)
    return LedgerReport(shown, tuple(written), tuple(candidates))


def restate(
    service: str,
    period: str,
    reason: str,
    results: Sequence[ServiceResults],
    ledger_dir: Path | str,
    now: int | None = None,
) -> LedgerReport:
    """Replace a frozen record with the fresh figures, keeping the old version and the reason.

    Only the objectives whose figures change are recorded as restated (``restated``), so
    that the page and the feed mark those and not the period's unchanged ones.

    Raises :class:`SlacodeError` when there is no reason, no closed period to restate in
    ``results``, nothing frozen yet (freeze first), or no figure would change (a
    restatement is shown on the site and in the feed: it must restate something).
    """
    reason = reason.strip()
    if not reason:
        raise SlacodeError("a restatement needs a reason (--reason TEXT)")
    prs = _closed(results).get((service, period))
    if not prs:
        raise SlacodeError(f"no closed period {period!r} for service {service!r} to restate")
    old = read_record(ledger_dir, service, period)
    if old is None:
        raise SlacodeError(f"nothing frozen for {service} {period}: freeze it first (--freeze)")
    changed = _changed(prs, old["results"])
    if not changed:
        raise SlacodeError(
            f"nothing to restate for {service} {period}: a fresh evaluation gives the frozen "
            "figures (value, verdict, budget, credit, ...); nothing written. A restatement "
            "records figures that changed, and would otherwise mark the period 'Restated' "
            "on the site and in the feed")
    at = _utc(int(time.time()) if now is None else now)
    previous = {k: old.get(k) for k in ("frozen_at", "reason", "results")}
    if "restated" in old:
        previous["restated"] = old["restated"]
    previous["replaced_at"] = at
    record = {
        "format": FORMAT,
        "service": service,
        "period": period,
        "frozen_at": at,
        "reason": reason,
        "restated": changed,
        "results": {pr.objective: _stored_form(pr) for pr in prs},
        "history": [*old.get("history", []), previous],
    }
    if "visibility" in old:  # restated figures are still those of the same time
        record["visibility"] = old["visibility"]
    path = record_path(ledger_dir, service, period)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(_dump(record), encoding="utf-8", newline="\n")
    os.replace(tmp, path)
    shown, candidates = _apply(results, _Records(ledger_dir))
    return LedgerReport(shown, (str(path),), tuple(candidates))
