"""Period reports: every service's figures for one calendar period, and an index of them.

The policy asks for a report per period with its trend (``../shared/design/seed-map.md``,
monitoring and reports): a service page answers "how is this service doing", a report
answers "how did we do in October" across services, with the change from the period
before, the misses and the credits owed. Reports are built from the results as shown
(frozen figures for closed periods), so they never disagree with the service pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from slacode.evaluate.results import PeriodResult, ServiceResults
from slacode.model import Agreement, Objective
from slacode.render import escape, fmt, svg
from slacode.render.pages import (
    SEVERITY,
    Words,
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
class Report:
    period: str
    kind: str
    rows: tuple[Row, ...]

    @property
    def open(self) -> bool:
        return any(not r.result.closed for r in self.rows)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(SEVERITY, 0)
        for r in self.rows:
            out[svg.verdict_class(r.result.verdict)] += 1
        return out

    def credits(self) -> list[str]:
        """Credits owed in the period: money summed per currency, then each credit an
        agreement gives as a share of a fee it does not state."""
        totals: dict[str, float] = {}
        shares = []
        for r in self.rows:
            c = r.result.credit
            if c is None or not c.percent:
                continue
            if c.amount:
                totals[c.currency] = totals.get(c.currency, 0.0) + c.amount
            else:
                shares.append(f"{fmt.percent(c.percent, 2)} ({r.agreement.name})")
        return [money(v, k) for k, v in sorted(totals.items())] + shares


def kind_of(period: str) -> str | None:
    return next((k for k, rx in KINDS if rx.fullmatch(period)), None)


def collect(
    agreements: Sequence[Agreement], results: Mapping[str, ServiceResults]
) -> list[Report]:
    """The reports, newest first within each kind; rows in service, then objective order."""
    rows: dict[tuple[str, str], list[tuple[tuple[str, str, int], Row]]] = {}
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
    out = [Report(period, kind, tuple(r for _, r in sorted(found, key=lambda x: x[0])))
           for (period, kind), found in rows.items()]
    rank = {k: i for i, (k, _) in enumerate(KINDS)}
    return sorted(out, key=lambda r: (rank[r.kind], _negated(r.period)))


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


def change_text(words: Words, change: float | None, unit: str) -> str:
    if change is None:
        return "—"
    value = fmt.number(abs(change), 3)
    arrow = "" if value == "0" else ("▲ " if change > 0 else "▼ ")
    return arrow + (words.t("reports.pp", value=value) if unit == "%" else value)


def rows_html(r: Report, words: Words, language: str) -> Markup:
    """The table rows of one report; built here rather than in a template loop, where a
    fleet's reports (some 10,000 rows) spent most of their time in Jinja's calls."""
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
            f'{head}<td class="slc-num">{words.fig(p.value, p.unit)} '
            f'<span class="slc-target">/ {text(fmt.figure(p.target, p.unit))}</span></td>'
            f"<td>{words.chip(p.verdict)}</td>"
            f'<td class="slc-num">{change_text(words, row.change, p.unit)}</td>'
            f'<td class="slc-num">{period_credit(p, language)}</td></tr>\n'
        )
    return Markup("".join(out))


def files(
    agreements: Sequence[Agreement],
    results: Mapping[str, ServiceResults],
    language: str,
    built: str,
) -> dict[str, str]:
    """``reports/index.md`` and ``reports/<period>.md`` for every calendar period."""
    reports = collect(agreements, results)
    if not reports:
        return {}
    env = environment()
    words = Words(language)
    common = {"w": words, "T": phrases(language), "built": built, "fmt": fmt,
              "objective_name": objective_name, "money": money, "kinds": [k for k, _ in KINDS]}
    out = {"reports/index.md": env.get_template("reports.md.j2").render(
        reports=reports, **common)}
    page = env.get_template("report.md.j2")
    for r in reports:
        out[f"reports/{r.period}.md"] = page.render(
            r=r, rows=rows_html(r, words, language), **common)
    return out
