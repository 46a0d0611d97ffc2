"""The "this period" card of each objective: figure, target, verdict, budget, projection."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from slacode.render import escape, fmt, svg
from slacode.render.overview_parts import period_name
from slacode.render.pages import budget_phrase, budget_share, objective_name
from slacode.render.reasons import nothing_counted, say

if TYPE_CHECKING:
    from slacode.render.service_page import ServiceView


def cards(v: ServiceView, objectives: Sequence[dict[str, Any]]) -> Markup:
    """The cards, built in Python rather than a template loop: a fleet's pages spent most
    of their time in Jinja's per-call overhead inside such loops."""
    words, T, language = v.words, v.T, v.language
    text, out = escape.text, []

    def value_span(p: Any) -> str:
        """The big figure; a period with nothing to count says so at text size."""
        if nothing_counted(p.reasons, language) is not None and p.value is not None:
            return str(words.period_fig(p))
        return f'<span class="slc-value">{words.period_fig(p)}</span>'
    for x in objectives:
        o, p = x["o"], x["current"]
        name = text(objective_name(o))
        out.append(
            f'<section class="slc-card" data-objective="{text(o.id)}" aria-label="{name}">\n'
            f'<h3 class="slc-card-title">{name}</h3>\n'
        )
        if not p:
            out.append(f"<p>{words.chip('no-data')}</p>\n</section>\n")
            continue
        open_tag = "" if p.closed else f" · {T['common.open']}"
        out.append(
            f'<p class="slc-figure">{value_span(p)}'
            f' <span class="slc-target">{T["common.target"]} '
            f"{text(fmt.figure(p.target, p.unit))}</span></p>\n"
            f'<p>{words.chip(p.verdict)} <span class="slc-meta">'
            f"{text(period_name(p.period, language))}"
            f"{open_tag}</span></p>\n"
        )
        blabel = budget_phrase(p, language, o.priority)
        if blabel is not None:
            b = p.budget
            burn = (
                ""
                if b.burn_rate is None
                else T["common.clause_sep"]
                + words.t("svc.burn", rate=fmt.number(b.burn_rate, 2))
            )
            out.append(f'{svg.budget_bar(budget_share(p), blabel)}\n'
                       f'<p class="slc-meta">{blabel}{burn}</p>\n')
        else:
            out.append(f'<p class="slc-meta">{T["svc.budget_none"]}</p>\n')
        meta = []
        if p.projection is not None and nothing_counted(p.reasons, language) is None:
            value = fmt.figure(p.projection, p.unit, target=p.target, language=language)
            meta.append(f"{words.t('common.projection', value=value)} · ")
        meta.append(words.t("common.coverage", pct=fmt.percent(100 * p.coverage, 0)))
        if p.composite is not None:
            key = "svc.composite_below" if p.composite < p.target else "svc.composite"
            chain = fmt.figure(p.composite, '%', target=p.target, language=language)
            meta.append(f" · {words.t(key, value=chain)}")
        out.append(f'<p class="slc-meta">{"".join(meta)}</p>\n')
        shown = nothing_counted(p.reasons, language) if p.value is not None else None
        out.extend(f'<p class="slc-reason">{text(say(r, language))}</p>' for r in p.reasons
                   if shown is None or say(r, language) != shown)  # said as the figure
        out.append("</section>\n")
    return Markup("".join(out))
