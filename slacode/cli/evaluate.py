"""``slacode evaluate``: load, pull, evaluate, and show the figures the ledger stands by.

Closed periods show their frozen figures when the ledger has them; a fresh evaluation
that disagrees is listed as a restatement candidate. ``--freeze`` writes records for
closed periods that have none; ``--restate PERIOD --service ID --reason TEXT`` replaces
one record, keeping the old figures and the reason.

``--format json`` prints one object with stable, sorted keys::

    {"evaluated_at": "...",                       # ISO time of the evaluation ("now")
     "results": [ {service, objective, period, start, end, closed, value, target, unit,
                   verdict, margin, coverage, as_of, budget, credit, projection, composite,
                   agreement_version, misses, reasons, excluded_maintenance,
                   late_maintenance, over_cap_maintenance, frozen_at, restatements,
                   final_at, holds: [{kind, until, count}, ...]},
                  ... ],                                                  # every period
     "restatement_candidates": [ {service, period, objective, field, frozen, new}, ... ],
     "written": [ "ledger/<service>/<period>.json", ... ]}
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from slacode.cli.options import Project, project_options
from slacode.problems import SlacodeError

if TYPE_CHECKING:
    from slacode.evaluate.results import PeriodResult, ServiceResults


@click.command("evaluate")
@project_options()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A table for people, or JSON with stable keys.")
@click.option("--all", "show_all", is_flag=True,
              help="Text: every period, not only the last closed and the open one.")
@click.option("--freeze", is_flag=True, help="Write ledger records for closed periods without one.")
@click.option("--restate", "restate_period", default=None, metavar="PERIOD",
              help="Replace the frozen record of PERIOD (needs --service and --reason).")
@click.option("--service", default=None, metavar="ID", help="Service of --restate.")
@click.option("--reason", default=None, metavar="TEXT", help="Why --restate changes a record.")
def command(project: Project, fmt: str, show_all: bool, freeze: bool,
            restate_period: str | None, service: str | None, reason: str | None) -> None:
    """Evaluate every agreement against its measurements."""
    from slacode import ledger
    from slacode.pipeline import evaluate_project, visibility_in_force

    if restate_period and not (service and reason and reason.strip()):
        raise SlacodeError("--restate needs --service ID and --reason TEXT")
    if (service or reason) and not restate_period:
        raise SlacodeError("--service and --reason go with --restate PERIOD")
    settings = project.settings()
    ev = evaluate_project(settings)
    if not ev.ok:  # agreement errors, bad data rows, or data gaps under `strict: true`
        errors = tuple(p for p in ev.problems if p.severity == "error")
        raise SlacodeError(f"{len(errors)} error(s); nothing evaluated or frozen", errors)
    now, results = ev.now, ev.results
    ledger_dir = settings.path(settings.ledger)
    if restate_period:
        report = ledger.restate(service or "", restate_period, reason or "", results, ledger_dir,
                                now=now)
    elif freeze:
        # each record keeps the visibility of its period's version (no build for an
        # audience outside it may show the record, even if a later agreement takes the id)
        report = ledger.freeze(results, ledger_dir, now,
                               visibility=visibility_in_force(ev.agreements, ev.versions))
    else:
        report = ledger.apply(results, ledger_dir)
    written = [_rel(p, settings.root) for p in report.written]
    if fmt == "json":
        doc = {
            "evaluated_at": datetime.fromtimestamp(now, UTC).isoformat(),
            "results": [p.as_dict() for r in report.results for p in r.periods],
            "restatement_candidates": [c.as_dict() for c in report.candidates],
            "written": written,
        }
        # allow_nan=False: Infinity and NaN are not JSON; evaluation gives none (a figure
        # that is not finite is no data), and one that slipped through must not be printed
        click.echo(json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False,
                              allow_nan=False))
        return
    click.echo(table(report.results, show_all))
    for c in report.candidates:
        click.echo(f"restatement candidate: {c}")
    for path in written:
        click.echo(f"wrote {path}")


def _rel(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path


def _credit(p: PeriodResult) -> str:
    """The credit owed, as the site shows it ("10% (150.00 USD)"); "-" when none is owed."""
    from slacode.render import fmt
    from slacode.render.pages import money

    c = p.credit
    if c is None or not (c.percent or c.bonus_percent):
        return "-"
    parts = []
    if c.percent:
        parts.append(f"{fmt.number(c.percent, 2)}%")
        if c.amount is not None:
            parts.append(f"({money(c.amount, c.currency)})")
    if c.bonus_percent:
        parts.append(f"bonus {fmt.number(c.bonus_percent, 2)}%")
    return " ".join(parts)


def table(results: Sequence[ServiceResults], show_all: bool = False) -> str:
    """The text table: by default each objective's last closed period and its open one."""
    from slacode.render import fmt
    from slacode.render.pages import budget_phrase

    head = ("SERVICE", "OBJECTIVE", "PERIOD", "VALUE", "TARGET", "VERDICT", "COVERAGE",
            "ERROR BUDGET", "CREDIT")
    rows = [head]
    for res in results:
        keep = list(res.periods)
        if not show_all:
            last: dict[str, PeriodResult] = {}
            for p in res.periods:
                if p.closed:
                    last[p.objective] = p
            keep = [p for p in res.periods if not p.closed or last.get(p.objective) is p]
        for p in keep:
            period = p.period + ("" if p.closed else " (open)") + (" *" if p.restatements else "")
            rows.append((p.service, p.objective, period, fmt.figure(p.value, p.unit, "-"),
                         fmt.figure(p.target, p.unit), p.verdict, f"{p.coverage:.0%}",
                         budget_phrase(p, "en") or "-", _credit(p)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    if any(p.restatements for res in results for p in res.periods):
        lines.append("* restated: see the ledger record's history")
    return "\n".join(lines)
