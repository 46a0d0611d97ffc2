"""Each objective's trend chart and table of periods (figure, target, verdict, credit)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from slacode.evaluate.results import PeriodResult
from slacode.model import Objective
from slacode.render import escape, fmt, passthrough, svg
from slacode.render.overview_parts import period_name, short_labels
from slacode.render.pages import objective_name, provisional_note, target_text
from slacode.render.reasons import say

if TYPE_CHECKING:
    from slacode.render.service_page import ServiceView

#: how many periods (the newest) an objective's table shows before "older periods" opens:
#: fourteen months stacked as cards on a phone were several screens of scrolling; the
#: chart above still draws every closed period, and print opens the rest
SHOWN = 6


def period_sections(v: ServiceView, objectives: Sequence[dict[str, Any]]) -> Markup:
    """A heading, trend chart and period table per objective."""
    words, T = v.words, v.T
    text, out = escape.text, []
    head = (
        f'<thead><tr><th scope="col">{T["common.period"]}</th>'
        f'<th scope="col">{T["common.figure"]}</th>'
        f'<th scope="col">{T["common.target"]}</th>'
        f'<th scope="col">{T["common.verdict"]}</th>'
    )
    credit_head = f'<th scope="col">{T["common.credit"]}</th>'
    for x in objectives:
        o, periods = x["o"], x["periods"]
        name = objective_name(o)
        out.append(f"### {escape.heading(name)}\n\n")
        if not periods:
            out.append(f'<p class="slc-nodata">{T["common.no_data_mark"]}</p>\n\n')
            continue
        target = target_text(o)
        oldest_first = list(reversed(periods))
        closed = [p for p in oldest_first if p.closed]
        chart = svg.period_chart(
            oldest_first,
            x["unit"],
            words.t("svc.trend_chart", objective=name, target=target),
            T["common.no_data_mark"],
            short_labels([p.period for p in closed], v.language),
        )
        trend = ""
        if chart:
            lo, hi = svg.axis([p.value for p in closed if p.value is not None],
                              closed[-1].target, x["unit"])
            legend = words.t("svc.trend_legend", target=target) + Markup(" ") + words.t(
                "pages.chart_periods", low=fmt.figure(lo, x["unit"]),
                high=fmt.figure(hi, x["unit"]), target=target)
            trend = (f'<div class="slc-chart slc-trend-wrap">{chart}'
                     f'<p class="slc-meta">{legend}</p></div>')
        thead = f"{head}{credit_head if v.credit_objective == o.id else ''}</tr></thead>\n"
        # the newest periods, then the older ones behind a disclosure (a table of their
        # own, with the same head, so each still reads as a table); one more period
        # than SHOWN is not worth a disclosure
        split = SHOWN if len(periods) > SHOWN + 1 else len(periods)
        older = ""
        if split < len(periods):
            older = (
                f'<details class="slc-more slc-older-periods"><summary>'
                f'{words.t("svc.older_periods", n=len(periods) - split)}</summary>\n'
                f'<div class="slc-table-wrap">\n<table data-table="periods" '
                f'data-objective="{text(o.id)}" data-older>\n{thead}<tbody>\n'
                f"{period_rows(v, o, periods[split:])}</tbody>\n</table>\n</div>\n"
                f"</details>\n"
            )
        out.append(passthrough.block(
            f'{trend}<div class="slc-table-wrap">\n'
            f'<table data-table="periods" data-objective="{text(o.id)}">\n'
            f"{thead}<tbody>\n{period_rows(v, o, periods[:split])}</tbody>\n</table>\n"
            f"</div>\n{older}\n"
        ))
    return Markup("".join(out))


def period_rows(v: ServiceView, o: Objective, periods: Sequence[PeriodResult]) -> Markup:
    """The rows of an objective's period table; built here rather than in a template
    loop, where a fleet's 10,000 rows spent most of their time in Jinja's calls."""
    words, language, page = v.words, v.language, v.page
    credit = v.credit_objective == o.id
    open_tag = f' <span class="slc-meta">({words.t("common.open")})</span>'
    restated_tag = f' <span class="slc-tag">{words.t("svc.restated")}</span>'
    provisional_tag = (f' <span class="slc-tag slc-provisional">'
                       f'{words.t("svc.provisional")}</span>')
    review_tag = f' <span class="slc-tag slc-review">{words.t("svc.under_review")}</span>'
    review_note = words.t("svc.under_review_note")
    colspan = 4 if credit else 3
    rows = []
    for p in periods:
        period = escape.text(p.period)
        # the id stays in data-period for scripts; people read the month's name
        shown = escape.text(period_name(p.period, v.language, kind=False, short=True))
        rows.append(
            f'<tr data-period="{period}"><th scope="row">{shown}'
            f"{'' if p.closed else open_tag}"
            f"{provisional_tag if p.closed and p.holds and not p.frozen_at else ''}"
            f"{restated_tag if (o.id, p.period) in v.restated else ''}"
            f"{review_tag if (o.id, p.period) in page.disputed else ''}</th>"
            f'<td class="slc-num">{words.period_fig(p)}</td>'
            f'<td class="slc-num">{escape.text(fmt.figure(p.target, p.unit))}</td>'
            f"<td>{words.chip(p.verdict)}</td>"
            + (f'<td class="slc-credit">{v.credit_text(p)}</td>' if credit else "")
            + "</tr>\n"
        )
        if p.verdict == "no-data" and p.reasons:
            rows.append(
                f'<tr class="slc-reason-row"><td></td><td colspan="{colspan}">'
                f'<span class="slc-reason">{escape.text(say(p.reasons[0], language))}'
                f"</span></td></tr>\n"
            )
        if (o.id, p.period) in page.disputed:
            rows.append(
                f'<tr class="slc-reason-row slc-review-row"><td></td>'
                f'<td colspan="{colspan}"><span class="slc-reason">{review_note}'
                f"</span></td></tr>\n"
            )
        if p.closed and p.holds and not p.frozen_at:
            rows.append(
                f'<tr class="slc-reason-row slc-provisional-row"><td></td>'
                f'<td colspan="{colspan}"><span class="slc-reason">'
                f"{provisional_note(p, language)}</span></td></tr>\n"
            )
    return Markup("".join(rows))
