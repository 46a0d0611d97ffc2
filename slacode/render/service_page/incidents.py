"""Incidents (with their recovery and escalation verdicts) and complaints per month."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from slacode.render import escape, fmt
from slacode.render.pages import _INCIDENT_CHIP
from slacode.render.reasons import say
from slacode.render.strings import t

if TYPE_CHECKING:
    from slacode.render.service_page import ServiceView


def local_when(v: ServiceView, ts: int) -> str:
    """An epoch time in the agreement's zone, escaped."""
    return escape.text(fmt.when(datetime.fromtimestamp(ts, tz=v.zone)))


def recovery(v: ServiceView, incident: str) -> str:
    """The incident's verdicts under the recovery and escalation objectives ("RTO met",
    "RPO missed", "Escalation met", one a line),
    each with what was missed (or not recorded) as its tooltip, as a line under the
    summary: a seventh column pushed the table past the page's width."""
    language = v.language
    out = []
    for verdict in v.verdicts.get(incident, ()):
        label = t(f"svc.recovery.{verdict.kind}", language)
        tip = f' title="{escape.text(say(verdict, language))}"' if verdict.what else ""
        cls = _INCIDENT_CHIP.get(verdict.status, "no-data")
        chip = (f'<span class="slc-chip slc-chip-{cls}">'
                f'{escape.text(t("svc.outcome." + verdict.status, language))}</span>')
        out.append(f'<span class="slc-recovery"{tip}>{escape.text(label)}&nbsp;{chip}</span>')
    return f'<br><span class="slc-meta">{"<br>".join(out)}</span>' if out else ""


def incident_rows(v: ServiceView, incidents: Sequence[Any]) -> Markup:
    """The rows of the incident table (up to 50 a page), built in Python as the cards are."""
    return Markup("".join(
        f'<tr><th scope="row">{escape.text(i.id)}</th><td>{escape.text(i.priority)}</td>'
        f"<td>{local_when(v, i.opened)}</td>"
        f"<td>{'—' if i.first_response is None else local_when(v, i.first_response)}</td>"
        f"<td>{'—' if i.resolved is None else local_when(v, i.resolved)}</td>"
        f"<td>{escape.text(i.title)}{recovery(v, i.id)}</td></tr>\n"
        for i in incidents
    ))


def complaint_rows(v: ServiceView, complaints: Sequence[Any]) -> Markup:
    """How many complaints came in each month of the agreement's timezone (newest
    first), and by which channel and about what: the count the policy asks to show.
    Who complained is never shown; the records stay with the provider."""
    months: dict[str, list[Any]] = {}
    for c in complaints:
        month = datetime.fromtimestamp(c.opened, tz=v.zone).strftime("%Y-%m")
        months.setdefault(month, []).append(c)

    def tally(values: list[str]) -> str:
        """One line per channel (category) with its count: a list of them joined by
        commas wrapped into an unreadable column on a phone."""
        counts: dict[str, int] = {}
        for value in values:
            if value:
                counts[value] = counts.get(value, 0) + 1
        return "<br>".join(f"{escape.text(k)}&nbsp;{n}"
                           for k, n in sorted(counts.items())) or "—"

    return Markup("".join(
        f'<tr data-period="{escape.text(m)}"><th scope="row">{escape.text(m)}</th>'
        f'<td class="slc-num">{len(cs)}</td>'
        f"<td>{tally([c.channel for c in cs])}</td>"
        f"<td>{tally([c.category for c in cs])}</td></tr>\n"
        for m, cs in sorted(months.items(), reverse=True)[:13]
    ))
