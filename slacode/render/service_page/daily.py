"""The 90-day strip of each objective with daily figures, and its table of days.

Each strip says its overall figure over the days shown and marks the days with incidents
(a dot above the bar, the incidents in the bar's tooltip): on the day of a P1 outage a
green bar alone told the reader nothing happened. Objectives whose strips would be the
same bars (the same daily figures against the same target) share one strip, which names
every objective it stands for, instead of the same picture twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from slacode.render import escape, fmt, passthrough, svg
from slacode.render.pages import objective_name, target_text

if TYPE_CHECKING:
    from slacode.render.service_page import ServiceView


def incident_marks(v: ServiceView) -> dict[str, str]:
    """Escaped date (in the agreement's zone) -> escaped words on the incidents open that
    day ("PAY-118 P1 Card payments failing, 2 hours 10 minutes"), for the strips' marks.
    An incident still open is marked up to the build's now."""
    out: dict[str, list[str]] = {}
    now = v.now.timestamp()
    for i in v.page.incidents:
        end = i.resolved if i.resolved is not None else now
        if end < i.opened:
            continue
        took = (fmt.elapsed(end - i.opened, v.language) if i.resolved is not None
                else v.words.t("pages.inc_open"))
        words = f"{i.id} {i.priority} {i.title}, {took}"
        day = datetime.fromtimestamp(i.opened, tz=v.zone).date()
        last = datetime.fromtimestamp(end, tz=v.zone).date()
        while day <= last and len(out) < 10_000:
            out.setdefault(escape.text(day.isoformat()), []).append(escape.text(words))
            day = day.fromordinal(day.toordinal() + 1)
    return {d: "; ".join(ws) for d, ws in out.items()}


def daily_blocks(v: ServiceView, objectives: Sequence[dict[str, Any]]) -> Markup:
    """One strip and day table per objective that has daily figures (availability and
    latency: a day without incidents is not missing data); objectives with the same bars
    share one."""
    words, T = v.words, v.T
    text, out = escape.text, []
    head = (
        f'<details class="slc-daily-table"><summary>{T["svc.daily_table"]}</summary>\n'
        f'<div class="slc-table-wrap"><table><thead><tr><th scope="col">{T["svc.day"]}</th>'
        f'<th scope="col">{T["common.figure"]}</th></tr></thead><tbody>\n'
    )
    marks = incident_marks(v) if v.page.incidents else {}
    # the same bars: the same figure texts each day against a target they meet alike
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for x in objectives:
        if not x["daily"]:
            continue
        o = x["o"]
        key = tuple((d.date, d.figure, d.value is not None and d.value >= o.target)
                    for d in x["days"])
        groups.setdefault(key, []).append(x)
    legend = f'<p class="slc-meta slc-strip-legend">{T["pages.strip_legend"]}</p>\n'
    first = True
    for same in groups.values():
        x = same[0]
        o, daily, days = x["o"], x["daily"], x["days"]
        name, target = objective_name(o), target_text(o)
        label = words.t("svc.daily_chart", objective=name, target=target)
        total = svg.overall(daily)
        overall = ""
        if total is not None:
            overall = " · " + words.t("pages.strip_overall", figure=fmt.figure(total, x["unit"]),
                                      days=len(daily))
        also = ""
        if len(same) > 1:
            names = T["common.list_sep"].join(text(objective_name(y["o"])) for y in same[1:])
            also = (f'<p class="slc-meta slc-strip-same">'
                    f'{words.t("pages.strip_same", objectives=Markup(names))}</p>\n')
        ids = " ".join(text(y["o"].id) for y in same)
        out.append(passthrough.block(
            (legend if first else "") +
            f'<div class="slc-chart" data-objective="{text(o.id)}" data-objectives="{ids}">\n'
            f'<p class="slc-chart-title"><strong>{text(name)}</strong> '
            f'<span class="slc-meta">{text(fmt.day(daily[0].date))} – '
            f"{text(fmt.day(daily[-1].date))} · {T['common.target']} {text(target)}"
            f"{overall}</span></p>\n{also}"
            f"{svg.daily_strip(days, o.target, label, T['common.no_data_mark'], marks)}\n"
            f"{head}{words.day_rows(days)}</tbody></table></div>\n</details>\n</div>\n\n"
        ))
        first = False
    return Markup("".join(out))
