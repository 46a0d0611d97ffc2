"""The site-wide change history page (``changes.md``): every published service's changes on
one page, the latest first, grouped by the month they were merged in.

A customer following several services asks "what changed lately?" without opening
each page. Each row is worded exactly as the service page's own history words it
(:mod:`slacode.render.service_page.history`: the headline with the version and when it
takes effect, the reason with its pull request, what it promises differently), names
the service, and links the full text of the version it made. It is given only what the
build's audience may see: the histories and versions the service pages get.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup

from slacode.render import escape, fmt, passthrough
from slacode.render.overview_parts import period_name
from slacode.render.pages import Page, Words, objective_name
from slacode.render.service_page import history as rows
from slacode.render.service_page import view_of
from slacode.render.strings import t

#: where the page is in the docs tree
PATH = "changes.md"


def render(pages: Sequence[Page], now: datetime, language: str) -> str:
    """The page: a table per month (newest first) of every change of every page's
    history, each row linking its service and the version it made."""
    words = Words(language)
    found: list[tuple[datetime, str, str]] = []  # (merged, service name, row html)
    for page in pages:
        if not page.history:
            continue
        view = view_of(page, now, language)
        names = _names(page)
        for i, e in enumerate(page.history):
            older = page.history[i + 1] if i + 1 < len(page.history) else None
            found.append((e.date, page.agreement.name, _row(view, page, e, older, names)))
    found.sort(key=lambda x: (x[0], x[1]), reverse=True)
    title = t("changes.title", language)
    feed = Markup('<a href="../feed.xml">{}</a>').format(t("changes.feed_name", language))
    out = [f"---\ntitle: {escape.yaml_str(title)}\n---\n\n# {escape.heading(title)}\n\n",
           f'<p class="slc-meta">{escape.text(t("changes.intro", language))}</p>\n\n'
           f'<p class="slc-meta">{words.t("changes.feed", feed=feed)} '
           f'{escape.text(t("changes.zone", language))}</p>\n\n']
    if not found:
        out.append(f"<p>{escape.text(t('changes.none', language))}</p>\n")
        return "".join(out)
    months: dict[str, list[str]] = {}
    for merged, _name, row in found:
        months.setdefault(merged.astimezone(UTC).strftime("%Y-%m"), []).append(row)
    head = (f'<thead><tr><th scope="col">{escape.text(t("changes.merged", language))}</th>'
            f'<th scope="col">{escape.text(t("changes.service", language))}</th>'
            f'<th scope="col">{escape.text(t("changes.change", language))}</th></tr></thead>')
    for month, month_rows in months.items():
        out.append(f"## {escape.text(period_name(month, language, kind=False))}\n\n")
        out.append(passthrough.block(
            f'<div class="slc-table-wrap">\n<table data-table="changes" '
            f'data-month="{escape.text(month)}">\n{head}\n<tbody>\n'
            + "".join(month_rows) + "</tbody>\n</table>\n</div>\n"))
    return "".join(out)


def _row(view: Any, page: Page, e: Any, older: Any | None, names: dict[str, str]) -> str:
    """One change as the service page's history words it, with its service named."""
    sid = escape.segment(page.agreement.id)
    head = rows.headline(view, e, older)
    if e.version is not None and e.version in page.versions:
        link = view.words.t("hist.full_text", version=e.version)
        head = Markup(f'{head} · <a href="../services/{sid}/v{int(e.version)}/">{link}</a>')
    lines = rows.change_lines(view, e, names)
    if not lines and older is not None and older.version == e.version:
        lines = [str(view.T["hist.no_promise"])]
    why = rows.reason_line(view, e)
    day = escape.text(fmt.day(e.date.astimezone(UTC)))
    return (f'<tr data-service="{sid}" data-commit="{escape.text(e.short)}">'
            f'<th scope="row"><span class="slc-num">{day}</span></th>'
            f'<td><a href="../services/{sid}/">{escape.text(page.agreement.name)}</a></td>'
            f'<td><p class="slc-change-head"><strong>{head}</strong></p>'
            + (f'<p class="slc-meta">{why}</p>' if why else "")
            + ("<ul>" + "".join(f"<li>{x}</li>" for x in lines) + "</ul>" if lines else "")
            + "</td></tr>\n")


def _names(page: Page) -> dict[str, str]:
    """Objective id -> its name over every version the audience sees, as the service
    page names removed objectives (by their last version's name)."""
    out: dict[str, str] = {}
    for _, a in sorted(page.versions.items()):
        for o in a.objectives:
            out[o.id] = objective_name(o)
    for o in page.agreement.objectives:
        out.setdefault(o.id, objective_name(o))
    return out
