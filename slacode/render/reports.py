"""Period reports: every service's figures for one calendar period, and an index of them.

The policy asks for a report per period with its trend (``site/docs/policy.md``,
monitoring and reports): a service page answers "how is this service doing", a report
answers "how did we do in October" across services, with the change from the period
before, the misses and the credits owed. Reports are built from the results as shown
(frozen figures for closed periods), so they never disagree with the service pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from markupsafe import Markup

from slacode.evaluate.results import KEPT, PeriodResult, ServiceResults
from slacode.model import Agreement, Objective
from slacode.render import escape, fmt, svg, tables
from slacode.render.overview_parts import period_name
from slacode.render.pages import (
    SEVERITY,
    Words,
    claim_today,
    environment,
    money,
    objective_name,
    period_credit,
    phrases,
)

#: calendar period ids by kind, in the order the index lists them (rolling windows have
#: no report: they end every day)
KINDS = (
    ("month", re.compile(r"\d{4}-\d{2}")),
    ("quarter", re.compile(r"\d{4}-Q[1-4]")),
    ("year", re.compile(r"\d{4}")),
)


@dataclass(frozen=True)
class Row:
    agreement: Agreement
    objective: Objective
    result: PeriodResult
    change: float | None  # the figure less the same objective's figure one period before


@dataclass(frozen=True)
class Rollup:
    """An objective judged over shorter periods (months, or a year's quarters) within a
    report's period. Its periods stay side by side, each with its own figure and verdict:
    a quarter's worth of monthly figures is not a quarterly figure, so none is made up."""

    agreement: Agreement
    objective: Objective
    kind: str  # the kind of the periods rolled up: "month" or "quarter"
    results: tuple[PeriodResult, ...]  # oldest first


@dataclass(frozen=True)
class Report:
    period: str
    kind: str
    rows: tuple[Row, ...]
    rollups: tuple[Rollup, ...] = ()

    @property
    def open(self) -> bool:
        return any(not r.result.closed for r in self.rows) or any(
            not p.closed for u in self.rollups for p in u.results)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(SEVERITY, 0)
        for r in self.rows:
            out[svg.verdict_class(r.result.verdict)] += 1
        return out

    def rollup_counts(self) -> dict[str, int]:
        """Verdicts of the shorter periods rolled up, one per period (not per objective)."""
        out = dict.fromkeys(SEVERITY, 0)
        for u in self.rollups:
            for p in u.results:
                out[svg.verdict_class(p.verdict)] += 1
        return out

    def credits(self) -> list[str]:
        """Credits owed in the period, its shorter periods' included (a quarter owes what
        its months owe): money summed per currency, then each credit an agreement gives
        as a share of a fee it does not state."""
        totals: dict[str, float] = {}
        shares = []
        owed = [(r.agreement, r.result, "") for r in self.rows]
        owed += [(u.agreement, p, p.period) for u in self.rollups for p in u.results]
        for a, p, period in owed:
            c = p.credit
            if c is None or not c.percent:
                continue
            if c.amount:
                totals[c.currency] = totals.get(c.currency, 0.0) + c.amount
            else:
                whose = f"{a.name}, {period}" if period else a.name
                shares.append(f"{fmt.percent(c.percent, 2)} ({whose})")
        return [money(v, k) for k, v in sorted(totals.items())] + shares


def kind_of(period: str) -> str | None:
    return next((k for k, rx in KINDS if rx.fullmatch(period)), None)


def collect(
    agreements: Sequence[Agreement], results: Mapping[str, ServiceResults]
) -> list[Report]:
    """The reports, newest first within each kind; rows in service, then objective order."""
    rows: dict[tuple[str, str], list[tuple[tuple[str, str, int], Row]]] = {}
    # (longer period, kind) -> (name, id, objective order, kind rolled up) -> its periods
    rollups: dict[tuple[str, str], dict[tuple[str, str, int, str],
                                        tuple[Agreement, list[PeriodResult]]]] = {}
    for a in agreements:
        res = results.get(a.id)
        if res is None:
            continue
        order = {o.id: i for i, o in enumerate(a.objectives)}
        shown = {(p.objective, p.period): p for p in res.periods}
        for p in res.periods:  # oldest first
            kind = kind_of(p.period)
            if kind is None or p.objective not in order:
                continue
            # against the period just before, when it is shown too (not the last one
            # shown: a period left out, e.g. judged by a version this audience cannot
            # see, is no baseline)
            prev = shown.get((p.objective, previous(p.period, kind)))
            change = None
            if prev is not None and prev.value is not None and p.value is not None \
                    and prev.unit == p.unit:
                change = round(p.value - prev.value, 6)
            key = (a.name.lower(), a.id, order[p.objective])
            rows.setdefault((p.period, kind), []).append(
                (key, Row(a, a.objectives[order[p.objective]], p, change)))
            for longer in containing(p.period, kind):
                held = rollups.setdefault(longer, {})
                held.setdefault((*key, kind), (a, []))[1].append(p)
    rank = {k: i for i, (k, _) in enumerate(KINDS)}
    out = []
    for period, kind in rows.keys() | rollups.keys():
        found = sorted(rows.get((period, kind), ()), key=lambda x: x[0])
        held = rollups.get((period, kind), {})
        rolled = tuple(
            Rollup(a, a.objectives[k[2]], k[3], tuple(ps))
            for k, (a, ps) in sorted(held.items(), key=lambda x: (*x[0][:3], rank[x[0][3]])))
        out.append(Report(period, kind, tuple(r for _, r in found), rolled))
    return sorted(out, key=lambda r: (rank[r.kind], _negated(r.period)))


def containing(period: str, kind: str) -> list[tuple[str, str]]:
    """The longer calendar periods ``period`` lies in (``2026-03`` -> ``2026-Q1``, ``2026``)."""
    if kind == "month":
        year, month = period.split("-")
        return [(f"{year}-Q{(int(month) - 1) // 3 + 1}", "quarter"), (year, "year")]
    if kind == "quarter":
        return [(period.split("-")[0], "year")]
    return []


def previous(period: str, kind: str) -> str:
    """The id of the calendar period before ``period`` (``2026-01`` -> ``2025-12``)."""
    if kind == "year":
        return str(int(period) - 1)
    year, part = period.split("-")
    n = int(part.lstrip("Q")) - 1
    last = 4 if kind == "quarter" else 12
    y, n = (int(year) - 1, last) if n == 0 else (int(year), n)
    return f"{y}-Q{n}" if kind == "quarter" else f"{y}-{n:02d}"


def _negated(period: str) -> tuple[int, ...]:
    return tuple(-int(x) for x in re.findall(r"\d+", period))


def change_text(words: Words, change: float | None, unit: str,
                target: float | None = None) -> str:
    """The change from the period before, with the objective's decimals (percentage
    points for percentages); no arrow when it rounds to nothing."""
    if change is None:
        return "—"
    if target is None:
        value = fmt.number(abs(change), 3, words.language)
    else:
        value = fmt.fixed(abs(change), fmt.places_for(target), words.language)
    arrow = "" if value.strip("0.,") == "" else ("▲ " if change > 0 else "▼ ")
    return arrow + (words.t("reports.pp", value=value) if unit == "%" else value)


def rows_html(r: Report, words: Words, language: str,
              today: Mapping[str, date | None] | None = None) -> Markup:
    """The table rows of one report; built here rather than in a template loop, where a
    fleet's reports (some 10,000 rows) spent most of their time in Jinja's calls.
    ``today`` maps a service id to its agreement's local date, for closed claim windows."""
    today = today or {}
    text = escape.text
    heads: dict[tuple[str, str], str] = {}  # the service and objective cells, made once
    out = []
    for row in r.rows:
        a, o, p = row.agreement, row.objective, row.result
        head = heads.get((a.id, o.id))
        if head is None:
            aid = text(a.id)
            head = heads[(a.id, o.id)] = (
                f'<tr data-service="{aid}" data-objective="{text(o.id)}">'
                f'<th scope="row"><a href="../../services/{aid}/">{text(a.name)}</a></th>'
                f"<td>{text(objective_name(o))}</td>"
            )
        # the change is digits and words of the string table: nothing to escape
        out.append(
            f'{head}<td class="slc-num">{words.period_fig(p)} '
            f'<span class="slc-target">/ {text(fmt.figure(p.target, p.unit))}</span></td>'
            f"<td>{words.chip(p.verdict)}</td>"
            f'<td class="slc-num">{change_text(words, row.change, p.unit, p.target)}</td>'
            f'<td class="slc-credit">{period_credit(p, language, today.get(a.id))}</td></tr>\n'
        )
    return Markup("".join(out))


def rollup_html(r: Report, words: Words, language: str,
                today: Mapping[str, date | None] | None = None,
                cells: dict[Any, Any] | None = None) -> Markup:
    """The rows of a report's objectives judged over shorter periods: per objective, how
    many of its periods were met and which were not, each period's figure (linked to its
    own report) and the credits owed for them. Built in Python like :func:`rows_html`;
    ``cells`` keeps what one period or objective gives across a build's reports (a month
    is rolled up in its quarter and its year)."""
    text, today = escape.text, today or {}
    cells = {} if cells is None else cells
    open_tag = f' <span class="slc-meta">({words.t("common.open")})</span>'
    judged = {k: f'<span class="slc-meta">{words.t(f"reports.rollup_judged_{k}")}</span> '
              for k in ("month", "quarter")}
    met_words = str(words.t("reports.rollup_met"))  # digits only go in: nothing to escape
    out = []
    for u in r.rollups:
        a, o, ps = u.agreement, u.objective, u.results
        head = cells.get((a.id, o.id, u.kind))
        if head is None:
            aid = text(a.id)
            head = cells[(a.id, o.id, u.kind)] = (
                f'<tr data-service="{aid}" data-objective="{text(o.id)}" data-periods="{u.kind}">'
                f'<th scope="row"><a href="../../services/{aid}/">{text(a.name)}</a></th>'
                f"<td>{text(objective_name(o))}</td>"
            )
        met, misses, figures, owed = 0, [], [], []
        for p in ps:
            cell = cells.get(id(p))
            if cell is None:
                period = text(p.period)
                tag = "" if p.closed else open_tag
                ok = p.verdict in KEPT
                credit = ""
                if p.credit is not None and (p.credit.percent or p.credit.bonus_percent):
                    credit = f"{period}: {period_credit(p, language, today.get(a.id))}"
                cell = cells[id(p)] = (
                    ok,
                    "" if ok else f"{period}{tag} {words.chip(p.verdict)}",
                    f'<a href="../{period}/">{period}</a>{tag} {words.period_fig(p)}',
                    f' <span class="slc-target">/ {text(fmt.figure(p.target, p.unit))}</span>',
                    credit,
                )
            met += cell[0]
            if cell[1]:
                misses.append(cell[1])
            figures.append(cell[2])
            if cell[4]:
                owed.append(cell[4])
        # the target once, unless a new version changed it within this period
        if len({(p.target, p.unit) for p in ps}) == 1:
            figures[-1] += cells[id(ps[-1])][3]
        else:
            figures = [f + cells[id(p)][3] for f, p in zip(figures, ps, strict=True)]
        summary = judged[u.kind] + met_words.format(met=met, total=len(ps))
        out.append(
            f"{head}<td>{' · '.join([summary, *misses])}</td>"
            f'<td class="slc-num">{" · ".join(figures)}</td>'
            f'<td class="slc-num">{"<br>".join(owed) or "—"}</td></tr>\n'
        )
    return Markup("".join(out))


def claim_dates(agreements: Sequence[Agreement], results: Mapping[str, ServiceResults],
                now: datetime | None) -> dict[str, date | None]:
    """Each service's local date at ``now`` (or, without one, at its evaluation time,
    which is the build's now for results evaluated in the same build)."""
    out: dict[str, date | None] = {}
    for a in agreements:
        when = now
        res = results.get(a.id)
        if when is None and res is not None and res.evaluated_at:
            when = fmt.parse_time(res.evaluated_at)
        out[a.id] = claim_today(a, when)
    return out


def files(
    agreements: Sequence[Agreement],
    results: Mapping[str, ServiceResults],
    language: str,
    built: str,
    now: datetime | None = None,
    claims: Mapping[str, Sequence[Any]] | None = None,
    show_claims: bool = False,
) -> dict[str, str]:
    """``reports/index.md`` and ``reports/<period>.md`` for every calendar period.

    ``now`` is the build's time, against which claim windows read as open or closed.
    ``claims`` maps a service id to its owed credits as the build shows them
    (``slacode.evaluate.claims.OwedCredit``): each report lists its period's, with the
    claims and their flags where ``show_claims``."""
    from slacode.render.service_page.claims import report_claims

    reports = collect(agreements, results)
    if not reports:
        return {}
    today = claim_dates(agreements, results, now)
    env = environment()
    words = Words(language)
    common = {"w": words, "T": phrases(language), "built": built, "fmt": fmt,
              "period_name": lambda p: period_name(p, language, kind=False),
              "objective_name": objective_name, "money": money, "kinds": [k for k, _ in KINDS]}
    out = {"reports/index.md": tables.labelled(env.get_template("reports.md.j2").render(
        reports=reports, **common))}
    page = env.get_template("report.md.j2")
    cells: dict[Any, Any] = {}
    for r in reports:
        out[f"reports/{r.period}.md"] = tables.labelled(page.render(
            r=r, rows=rows_html(r, words, language, today),
            rollups=rollup_html(r, words, language, today, cells),
            claims=report_claims(claims or {}, words, {a.id: a.name for a in agreements},
                                 today, r.period, show_claims), **common))
    return out
