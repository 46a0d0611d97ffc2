"""Incidents (with their recovery and escalation verdicts) and complaints per month."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from slacode.render import escape, fmt
from slacode.render.overview_parts import period_name
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


#: how many months of incidents show open; older months are collapsed
OPEN_MONTHS = 2


def _short(v: ServiceView, ts: int) -> str:
    """An epoch time in the agreement's zone without the zone or the year ("25 Nov 12:47",
    "11月25日 12:47", through Babel): the incident history names its zone once, and each
    month with its year, above its rows."""
    dt = datetime.fromtimestamp(ts, tz=v.zone)
    return f"{fmt.day(dt, v.language, short=True)} {dt.hour:02d}:{dt.minute:02d}"


def _after(v: ServiceView, start: int, end: int | None) -> str:
    """How long after ``start`` ``end`` came, escaped; "—" without an end."""
    if end is None:
        return "—"
    return escape.text(fmt.elapsed(max(0, end - start), v.language))


def incident_rows(v: ServiceView, incidents: Sequence[Any]) -> Markup:
    """The rows of one incident table, built in Python as the cards are: id, priority,
    when it opened, how long until the first response, how long it lasted (the resolution
    time as its tooltip), and what it was. Durations rather than three timestamps keep
    the table narrow enough to read on a phone and in print."""
    still_open = escape.text(v.words.t("pages.inc_open"))
    rows = []
    for i in incidents:
        if i.resolved is None:
            took = still_open
        else:
            took = (f'<span title="{local_when(v, i.resolved)}">'
                    f"{_after(v, i.opened, i.resolved)}</span>")
        rows.append(
            f'<tr data-incident="{escape.text(i.id)}"><th scope="row">{escape.text(i.id)}</th>'
            f"<td>{escape.text(i.priority)}</td>"
            f'<td class="slc-num">{_short(v, i.opened)}</td>'
            f"<td>{_after(v, i.opened, i.first_response)}</td>"
            f"<td>{took}</td>"
            f"<td>{escape.text(i.title)}{recovery(v, i.id)}</td></tr>\n"
        )
    return Markup("".join(rows))


def by_month(v: ServiceView, records: Sequence[Any]) -> dict[str, list[Any]]:
    """``records`` (anything with an ``opened`` epoch time) by the month they opened in,
    in the agreement's zone ("2026-11"), each month's records in the order given."""
    months: dict[str, list[Any]] = {}
    for r in records:
        months.setdefault(datetime.fromtimestamp(r.opened, tz=v.zone).strftime("%Y-%m"),
                          []).append(r)
    return months


def incident_history(v: ServiceView, incidents: Sequence[Any]) -> Markup:
    """The incidents grouped by the month they opened in (the agreement's zone), the
    latest first, each month a disclosure with its count; the newest months open, older
    ones collapsed, so fifty tickets do not make the page a scroll of tables."""
    T = v.T
    months = by_month(v, sorted(incidents, key=lambda i: (i.opened, i.id), reverse=True))
    head = (
        f'<thead><tr><th scope="col">{T["svc.inc_id"]}</th>'
        f'<th scope="col">{T["svc.inc_priority"]}</th>'
        f'<th scope="col">{T["svc.inc_opened"]}</th>'
        f'<th scope="col">{T["pages.inc_response_after"]}</th>'
        f'<th scope="col">{T["pages.inc_duration"]}</th>'
        f'<th scope="col">{T["svc.inc_title"]}</th></tr></thead>'
    )
    out = []
    if incidents:
        offset = datetime.fromtimestamp(incidents[0].opened, tz=v.zone).strftime("%z")
        zone = f"UTC{offset[:3]}:{offset[3:]}" if offset not in ("", "+0000") else "UTC"
        out.append(f'<p class="slc-meta">{v.words.t("pages.inc_zone", zone=zone)}</p>\n')
    for n, (month, found) in enumerate(months.items()):
        name = period_name(month, v.language, kind=False)
        summary = (v.words.t("pages.inc_month_one", month=name) if len(found) == 1
                   else v.words.t("pages.inc_month", month=name, n=len(found)))
        out.append(
            f'<details class="slc-month" data-month="{escape.text(month)}"'
            f'{" open" if n < OPEN_MONTHS else ""}><summary>{summary}</summary>\n'
            f'<div class="slc-table-wrap">\n<table data-table="incidents">\n{head}\n'
            f"<tbody>\n{incident_rows(v, found)}</tbody>\n</table>\n</div>\n</details>\n"
        )
    return Markup("".join(out))


def complaint_rows(v: ServiceView, complaints: Sequence[Any]) -> Markup:
    """How many complaints came in each month of the agreement's timezone (newest
    first), and by which channel and about what: the count the policy asks to show.
    Who complained is never shown; the records stay with the provider."""
    months = by_month(v, complaints)

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
