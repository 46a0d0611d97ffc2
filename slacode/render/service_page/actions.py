"""Improvement actions: what is done about a period of an objective, and its state.

The policy asks for continuous improvement from evaluation results: a breached period
on this page is followed by the actions taken about it (``actions/<service>.yaml``).
Owners route work inside the provider, so only an internal build names them; every
build shows the action, its period, due date and status, an open one past its due date
marked overdue (at the build's "now").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from slacode.render import escape, fmt
from slacode.render.pages import objective_name

if TYPE_CHECKING:
    from slacode.render.service_page import ServiceView


def actions_section(v: ServiceView) -> Markup:
    """The "Improvement actions" section, or nothing when the agreement has none."""
    found = list(v.page.actions)
    if not found:
        return Markup("")
    w, internal = v.words, v.page.internal
    today = v.now.date()
    keys = ["actions.action", "common.objective", "common.period", "actions.due",
            "actions.status"] + (["actions.owner"] if internal else [])
    head = "".join(f'<th scope="col">{w.t(k)}</th>' for k in keys)
    rows = []
    for x in found:
        o = v.a.objective(x.objective)
        label = Markup(f"{escape.text(x.id)} · {escape.text(x.title)}")
        what = (Markup(f'<a href="{escape.url(x.link)}" rel="nofollow noopener">{label}</a>')
                if escape.url(x.link) else label)
        status = w.t(f"actions.status_{x.status}")
        if x.status == "open" and x.due < today:
            status = Markup(f'{status} <span class="slc-chip slc-chip-breached">'
                            f'{w.t("actions.overdue")}</span>')
        cells = [f'<th scope="row">{what}</th>',
                 f"<td>{escape.text(objective_name(o) if o else x.objective)}</td>",
                 f'<td class="slc-num">{escape.text(x.period)}</td>',
                 f'<td class="slc-num">{escape.text(fmt.day(x.due))}</td>',
                 f'<td data-status="{escape.text(x.status)}">{status}</td>']
        if internal:
            cells.append(f"<td>{escape.text(x.owner)}</td>")
        rows.append(f'<tr data-action="{escape.text(x.id)}">{"".join(cells)}</tr>')
    return Markup(
        f"## {w.t('actions.title')}\n\n<p>{w.t('actions.intro')}</p>\n\n"
        "<!-- slacode:html -->\n\n"
        '<div class="slc-table-wrap"><table data-table="actions"><thead><tr>' + head
        + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>\n\n"
        "<!-- /slacode:html -->\n\n"
    )
