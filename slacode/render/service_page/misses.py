"""What was missed: every period's misses, each named with its period and objective.

Every miss is reachable: a period's first miss shows, the rest open under it; the
newest periods show, older ones open under a disclosure at the end (print opens both).
"(and 10 more)" with no way to see them told a customer there was more and hid it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from slacode.evaluate.results import PeriodResult
from slacode.model import Objective
from slacode.render import escape
from slacode.render.overview_parts import period_name
from slacode.render.pages import objective_name
from slacode.render.reasons import say

if TYPE_CHECKING:
    from slacode.render.service_page import ServiceView

#: how many (objective, period) pairs with misses show before "older periods" opens
SHOWN = 8


def missed(v: ServiceView) -> list[tuple[Objective, PeriodResult, list[Any]]]:
    """(objective, period, its misses) for periods with misses, newest first."""
    a, res = v.a, v.res
    found = [
        (o, p, list(p.misses))
        for o in a.objectives
        for p in (res.for_objective(o.id) if res else ())
        if p.misses
    ]
    return sorted(found, key=lambda x: (x[1].start, x[0].id), reverse=True)


def miss_items(v: ServiceView, misses: Sequence[tuple[Objective, PeriodResult, list[Any]]]
               ) -> Markup:
    """The list items of what was missed."""
    words, language = v.words, v.language
    text, items = escape.text, []

    def said(m: Any) -> str:
        # a day's miss names the incidents open that day (an incident's own miss
        # names it already)
        during = m.incident and m.incident not in m.what
        # Markup into f-strings: str + Markup would escape the str a second time
        return text(say(m, language)) + (
            f"{words.t('svc.miss_during', incidents=m.incident)}" if during else "")

    for o, p, ms in misses:
        more = ""
        if len(ms) > 1:
            rest = "".join(f"<li>{said(m)}</li>" for m in ms[1:])
            label = (words.t("pages.misses_more", n=len(ms) - 1) if len(ms) > 2
                     else words.t("pages.misses_more_one"))
            more = (f'<details class="slc-more"><summary>{label}</summary>'
                    f"<ul>{rest}</ul></details>")
        items.append(
            f"<li><strong>{text(period_name(p.period, language, kind=False))}</strong> · "
            f"{text(objective_name(o))}: "
            f"{said(ms[0])}{more}</li>\n"
        )
    if len(items) > SHOWN:
        older = "".join(items[SHOWN:])
        items[SHOWN:] = [
            f'<li class="slc-older"><details class="slc-more"><summary>'
            f'{words.t("pages.misses_older", n=len(items) - SHOWN)}</summary>'
            f"<ul>\n{older}</ul></details></li>\n"
        ]
    return Markup("".join(items))
