"""A page per version of an agreement (``services/<id>/vN.md``): the full text of the
agreement as that version stated it, read-only, linked from the change history.

The archived text is what the customer agreed to for its days, as the AWS and Google
Cloud SLA pages keep prior versions. It is rendered by the same template part as the
service page's "Agreement" section, from the same audience-filtered agreement, so a
version page can show nothing the service page could not: internal notes and owners
only in an internal build, private contact addresses nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from slacode.model import Agreement
from slacode.render import escape, fmt
from slacode.render.pages import Page
from slacode.render.strings import t


def path(service: str, version: int) -> str:
    """Where the page of ``version`` is, beside the service's page."""
    return f"services/{service}/v{int(version)}.md"


def status_line(a: Agreement, versions: Mapping[int, Agreement], current: int,
                language: str) -> str:
    """Where this version stands: in force, past (from when to when, replaced by which),
    or merged for later."""
    start = fmt.day(a.effective)
    if a.version == current:
        return t("version.current", language, start=start)
    later = sorted((v for v in versions.values()
                    if (v.effective, v.version) > (a.effective, a.version)),
                   key=lambda v: (v.effective, v.version))
    cur = versions.get(current)
    if cur is not None and (a.effective, a.version) > (cur.effective, cur.version):
        return t("version.coming", language, start=start)
    if not later:
        return t("version.current", language, start=start)
    nxt = later[0]
    if nxt.effective <= a.effective:
        return t("version.never", language, start=start, next=nxt.version)
    end: date = nxt.effective - timedelta(days=1)
    return t("version.past", language, start=start, end=fmt.day(end), next=nxt.version)


def render_version(page: Page, current: int, now: datetime, language: str, built: str) -> str:
    """The Markdown of the page of ``page.agreement``'s version (``page.versions`` holds
    every version the audience sees; ``current`` is the one in force)."""
    from slacode.render.service_page import render

    a = page.agreement
    title = t("version.title", language, service=a.name, version=a.version)
    text = escape.text
    status = status_line(a, page.versions, current, language)
    back = t("version.back", language, service=a.name)
    agreement = render(page, now, language, built, block="agreement")
    # every version's page, this one unlinked: a reader compares them side by side
    others = " · ".join(
        f"<strong>{text(t('svc.version', language))} {int(n)}</strong>" if n == a.version
        else f'<a href="../v{int(n)}/">{text(t("svc.version", language))} {int(n)}</a>'
        for n in sorted(page.versions))
    return (
        f"---\ntitle: {escape.yaml_str(title)}\n---\n\n"
        f"# {text(title)}\n\n"
        f'<div class="slc-head slc-version" data-version="{int(a.version)}">\n'
        f'<p class="slc-status"><strong>{text(status)}</strong></p>\n'
        f'<p class="slc-meta">{text(t("version.read_only", language))} '
        f'<a href="../">{text(back)}</a></p>\n'
        f'<p class="slc-meta">{text(t("version.all", language))} {others}</p>\n'
        "</div>\n\n"
        f"{agreement}\n"
    )
