"""The 90-day strip of each objective with daily figures, and its table of days."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from slacode.render import escape, fmt, passthrough, svg
from slacode.render.pages import objective_name, target_text

if TYPE_CHECKING:
    from slacode.render.service_page import ServiceView


def daily_blocks(v: ServiceView, objectives: Sequence[dict[str, Any]]) -> Markup:
    """One strip and day table per objective that has daily figures (availability and
    latency: a day without incidents is not missing data)."""
    words, T = v.words, v.T
    text, out = escape.text, []
    head = (
        f'<details class="slc-daily-table"><summary>{T["svc.daily_table"]}</summary>\n'
        f'<table><thead><tr><th scope="col">{T["svc.day"]}</th>'
        f'<th scope="col">{T["common.figure"]}</th></tr></thead><tbody>\n'
    )
    for x in objectives:
        if not x["daily"]:
            continue
        o, daily, days = x["o"], x["daily"], x["days"]
        name, target = objective_name(o), target_text(o)
        label = words.t("svc.daily_chart", objective=name, target=target)
        out.append(passthrough.block(
            f'<div class="slc-chart" data-objective="{text(o.id)}">\n'
            f'<p class="slc-chart-title"><strong>{text(name)}</strong> '
            f'<span class="slc-meta">{text(fmt.day(daily[0].date))} – '
            f"{text(fmt.day(daily[-1].date))} · {T['common.target']} {text(target)}"
            f"</span></p>\n"
            f"{svg.daily_strip(days, o.target, label, T['common.no_data_mark'])}\n"
            f"{head}{words.day_rows(days)}</tbody></table>\n</details>\n</div>\n\n"
        ))
    return Markup("".join(out))
