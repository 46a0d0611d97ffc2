"""The Atom feed: breaches, credits owed, restatements, maintenance windows and agreement
changes. Every audience's site has its own (only what that audience may see is given).

Each entry is dated when its fact became known, never later than the build's "now"
(what a reader of the feed on that day could have known):

* a breach, and a credit owed, when its figures were frozen (the ledger record's ``frozen_at``: a
  restatement that made or changed the breach dates it anew); a closed period not in
  the ledger when it became final (``final_at``), and not at all while it is still
  provisional: its verdict may still change;
* a maintenance window when it was announced (its start, when no announcement is
  given);
* a restatement when it was written; an agreement change when it was committed.

Entries dated after ``now`` (a window announced for later, a build for an earlier
time) are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slacode.evaluate.results import ServiceResults
from slacode.model import Agreement
from slacode.render import changes, escape, fmt
from slacode.render.overview_parts import period_name
from slacode.render.pages import money, objective_name, objectives_by_id
from slacode.render.reasons import say
from slacode.render.strings import t


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: str  # ISO UTC
    link: str  # relative to the site root
    summary: str = ""


def entries(
    agreements: Sequence[Agreement],
    results: Mapping[str, ServiceResults],
    history: Mapping[str, Sequence[Any]],
    restatements: Sequence[Any],
    language: str,
    now: str | None = None,
) -> list[Entry]:
    """The feed's newest 200 entries, dated as the module docstring says; ``now`` (an
    ISO time) leaves out anything dated later."""
    # (updated, id, entry): a fleet has thousands of breaches and the feed keeps 200, so
    # a breach's entry is written (see _breach) only once it is known to be kept; until
    # then its place holds (agreement, objective, period)
    out: list[tuple[str, str, Any]] = []
    names = {a.id: a for a in agreements}
    for a in agreements:
        link = f"services/{a.id}/"
        res = results.get(a.id)
        objs = objectives_by_id(a)
        for p in res.periods if res else ():
            owed = p.credit is not None and p.credit.percent > 0
            if not p.closed or (p.verdict != "breached" and not owed):
                continue
            o = objs.get(p.objective)
            known = _known(p)
            if o is None or known is None:
                continue
            if p.verdict == "breached":
                out.append(
                    (
                        fmt.iso_utc(known),
                        f"urn:slacode:breach:{a.id}:{p.objective}:{p.period}",
                        (a, o, p),
                    )
                )
            if owed:
                _add(out, _credit(fmt.iso_utc(known), a, o, p, language))
        for m in a.maintenance:
            title = t(
                "feed.maintenance",
                language,
                service=a.name,
                start=fmt.when(m.start),
                end=fmt.when(m.end),
            )
            _add(
                out,
                Entry(
                    f"urn:slacode:maintenance:{a.id}:{fmt.iso_utc(m.start)}",
                    title,
                    fmt.iso_utc(m.announced or m.start),
                    link,
                    m.description,
                ),
            )
        for h in history.get(a.id, ()):
            title = t(
                "feed.change",
                language,
                service=a.name,
                version="—" if h.version is None else h.version,
                date=fmt.day(h.effective),
            )
            _add(
                out,
                Entry(
                    f"urn:slacode:change:{a.id}:{h.commit}",
                    title,
                    fmt.iso_utc(h.date),
                    link,
                    _change_summary(h, language),
                ),
            )
    for r in restatements:
        agr = names.get(getattr(r, "service", ""))
        if agr is None:
            continue
        o = agr.objective(getattr(r, "objective", ""))
        period = getattr(r, "period", "")
        title = t(
            "feed.restatement",
            language,
            service=agr.name,
            objective=objective_name(o) if o else getattr(r, "objective", ""),
            period=period_name(period, language, kind=False),
        )
        when = getattr(r, "restated_at", "") or getattr(r, "detected", "") or ""
        if not when:
            res = results.get(agr.id)
            when = res.evaluated_at if res and res.evaluated_at else "1970-01-01T00:00:00Z"
        _add(
            out,
            Entry(
                f"urn:slacode:restatement:{agr.id}:{getattr(r, 'objective', '')}:{period}",
                title,
                fmt.iso_utc(when),
                f"services/{agr.id}/",
                str(getattr(r, "reason", "")),
            ),
        )
    if now is not None:
        latest = fmt.iso_utc(now)  # the same format as every entry's: compared as text
        out = [e for e in out if e[0] <= latest]
    out.sort(key=lambda k: (k[0], k[1]), reverse=True)
    return [
        x if isinstance(x, Entry) else _breach(updated, id, x[0], x[1], x[2], language)
        for updated, id, x in out[:200]
    ]


def _change_summary(h: Any, language: str) -> str:
    """An agreement change in the feed: why (the pull request's title or the commit's
    subject), then what it changed."""
    what = "; ".join(changes.say(c, language) for c in h.changes
                     if c.pointer not in ("/version", "/effective"))
    reason = getattr(h, "reason", "")
    why = t("hist.reason", language, reason=reason) if reason else ""
    return " · ".join(x for x in (why, what) if x)


def _known(p: Any) -> str | None:
    """When a closed period's breach became known (see the module docstring), or
    ``None`` while it is still provisional."""
    if p.frozen_at:
        return str(p.frozen_at)
    if p.holds:
        return None
    return str(p.final_at or p.end)  # results from before final_at existed: the period end


def _add(out: list[tuple[str, str, Any]], e: Entry) -> None:
    out.append((e.updated, e.id, e))


def _breach(updated: str, id: str, a: Agreement, o: Any, p: Any, language: str) -> Entry:
    title = t(
        "feed.breach",
        language,
        service=a.name,
        objective=objective_name(o),
        period=period_name(p.period, language, kind=False),
        value=fmt.figure(p.value, p.unit),
        target=fmt.figure(p.target, p.unit),
    )
    summary = "; ".join(say(m, language) for m in p.misses)
    return Entry(id, title, updated, f"services/{a.id}/", summary)


def _credit(updated: str, a: Agreement, o: Any, p: Any, language: str) -> Entry:
    """A credit owed for a closed period, dated as its breach: what a customer claims, and
    by when (an entry of its own, so that a reader of the feed can follow claims)."""
    c = p.credit
    credit = fmt.percent(c.percent, 2)
    if c.amount is not None:
        credit += f" ({money(c.amount, c.currency)})"
    title = t("feed.credit", language, service=a.name, objective=objective_name(o),
              period=period_name(p.period, language, kind=False), credit=credit)
    summary = t("svc.claim_by", language, date=fmt.day(c.claim_by)) if c.claim_by else ""
    return Entry(f"urn:slacode:credit:{a.id}:{p.objective}:{p.period}", title, updated,
                 f"services/{a.id}/", summary)


def newest(items: Sequence[Entry], now: str) -> str:
    """A feed's ``updated``: its newest entry's time (entries are never dated after the
    build's ``now``), or ``now`` for a feed without entries. Never older than an entry,
    never later than ``now``."""
    latest = fmt.iso_utc(now)
    return min(max((e.updated for e in items), default=latest), latest)


def service_path(service: str) -> str:
    """Where a service's own feed is: in the site's root folder, beside ``feed.xml``.

    Not beside the service's page: Material for MkDocs reads every ``<link
    rel="alternate">`` of a page as a translation of the site and fetches the
    ``sitemap.xml`` of its folder, which only the root folder has (a feed in
    ``services/<id>/`` made every service page request a missing file)."""
    return f"feed-{service}.xml"


def atom(
    items: Sequence[Entry], site_title: str, updated: str, site_url: str, language: str,
    *, path: str = "feed.xml", page: str = "", service: str = "",
) -> str:
    """The Atom document of ``items``. The site-wide feed by default; a service's feed
    with ``path`` (:func:`service_path`), ``page`` (its page, relative to the site root)
    and ``service`` (its name, for the title)."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    x = escape.xml
    title = t("feed.title", language, site=site_title)
    if service:
        title = t("feed.service_title", language, service=service, site=site_title)
    ident = x(base + path) if base else ("urn:slacode:feed" + (f":{path}" if service else ""))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{x(language)}">',
        f"<title>{x(title)}</title>",
        f"<id>{ident}</id>",
        f"<updated>{x(fmt.iso_utc(updated))}</updated>",
        f'<link rel="alternate" href="{x(base + page if base else "./")}"/>',
        *([f'<link rel="self" href="{x(base + path)}"/>'] if base else []),
        "<author><name>slacode</name></author>",
    ]
    for e in items:
        lines += [
            "<entry>",
            f"<id>{x(e.id)}</id>",
            f"<title>{x(e.title)}</title>",
            f"<updated>{x(e.updated)}</updated>",
            f'<link rel="alternate" href="{x(base + e.link)}"/>',
        ]
        if e.summary:
            lines.append(f'<summary type="text">{x(e.summary)}</summary>')
        lines.append("</entry>")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _feed_title(document: str) -> str:
    """The ``<title>`` of an Atom document :func:`atom` wrote, still XML-escaped (which
    is also a safe HTML attribute value)."""
    start = document.find("<title>")
    end = document.find("</title>", start)
    return document[start + len("<title>"):end] if 0 <= start < end else ""


def head_links(src_uri: str, files: Mapping[str, str], href: Callable[[str], str]) -> str:
    """The ``<link rel="alternate">`` tags that let a feed reader discover the feeds of the
    page generated from ``src_uri``: the site-wide feed on every page, and on a service's
    page (and its version pages) that service's own. ``files`` is the generated tree;
    ``href(path)`` makes a site path relative to the page."""
    paths = ["feed.xml"] if "feed.xml" in files else []
    parts = src_uri.split("/")
    if len(parts) >= 2 and parts[0] == "services":
        own = service_path(parts[1].removesuffix(".md"))
        if own in files:
            paths.insert(0, own)
    return "".join(
        f'<link rel="alternate" type="application/atom+xml" '
        f'title="{_feed_title(files[p])}" href="{escape.xml(href(p))}">' for p in paths)
