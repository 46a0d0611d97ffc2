"""The table of maintenance windows, each with whether it is left out of the figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup

from slacode.model import Maintenance
from slacode.render import escape, fmt
from slacode.render.pages import maint_excluded
from slacode.render.strings import t

if TYPE_CHECKING:
    from slacode.render.service_page import ServiceView


def maint_table(v: ServiceView, windows: Sequence[Maintenance]) -> Markup:
    """Start, end, when announced, what, and whether the figures leave it out."""
    language, a = v.language, v.a
    head = "".join(
        f'<th scope="col">{escape.text(t(k, language))}</th>'
        for k in (
            "common.start",
            "common.end",
            "svc.maint_announced",
            "common.description",
            "svc.maint_excluded",
        )
    )
    rows = []
    for m in windows:
        excluded = maint_excluded(
            m, v.late, v.over_cap, a.maintenance_policy.max_per_month, language
        )
        rows.append(
            f"<tr><td>{escape.text(fmt.when(m.start))}</td><td>{escape.text(fmt.when(m.end))}</td>"
            f"<td>{escape.text(fmt.when(m.announced))}</td><td>{escape.text(m.description)}</td>"
            f"<td>{escape.text(excluded)}</td></tr>"
        )
    return Markup(
        '<div class="slc-table-wrap"><table data-table="maintenance"><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )
