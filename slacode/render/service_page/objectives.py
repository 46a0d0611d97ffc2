"""The table of objectives: what is measured, the target (and later targets), the window."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from slacode.render import escape
from slacode.render.pages import objective_name, target_text

if TYPE_CHECKING:
    from slacode.render.service_page import ServiceView


def objective_rows(v: ServiceView, objectives: Sequence[dict[str, Any]]) -> Markup:
    """The rows of the objectives table (built in Python, as the cards are)."""
    a, words = v.a, v.words
    text, rows = escape.text, []
    for x in objectives:
        o = x["o"]
        desc = ""
        if o.description:
            desc = f'<br><span class="slc-meta">{text(o.description)}</span>'
        later = "".join(f'<br><span class="slc-meta slc-coming">{m}</span>'
                        for m in v.later_targets.get(o.id, ()))
        rows.append(
            f'<tr data-objective="{text(o.id)}"><th scope="row">{text(objective_name(o))}'
            f"{desc}</th><td>{text(words.measured(o, a))}</td>"
            f'<td class="slc-num">{text(target_text(o))}{later}</td>'
            f"<td>{text(words.window(o))}</td></tr>\n"
        )
    return Markup("".join(rows))
