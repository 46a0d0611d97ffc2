"""The change history: each change to the agreement in words, with its reason and a link
to the full text of the version it made.

A row says what a reader asks of a change: which version it made and when that version
takes effect ("Version 4 takes effect 2026-12-01"), why (the pull request's title or the
commit's subject, with the pull request linked where the project names its repository),
and what it promises differently. Objectives are named, not given by id. The oldest row
says where the history starts: a file that arrived at version 3 says that versions 1
and 2 were agreed before the repository held them.

The page describes the time ``now`` (a pinned build, or a rebuild of the past): a change
committed after it is not dated later than the page. It is marked "after" that time and
explained once under the table, so that a version the page announces as coming can
still be traced to the change that merged it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from markupsafe import Markup

from slacode.model import localized
from slacode.render import escape, fmt
from slacode.render.pages import objective_name, target_text

if TYPE_CHECKING:
    from slacode.render.service_page import ServiceView

#: what the row's headline already says
_HEADLINE_POINTERS = frozenset({"/version", "/effective"})


def pr_url(repo_url: str, number: int) -> str:
    """The web address of pull request ``number`` of the repository at ``repo_url``
    (GitLab: a merge request); "" without a usable http(s) address."""
    parts = urlsplit(repo_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    base = repo_url.strip().rstrip("/").removesuffix(".git")
    if "gitlab" in parts.netloc.lower():
        return f"{base}/-/merge_requests/{number}"
    return f"{base}/pull/{number}"


def _added(e: Any) -> bool:
    """Whether ``e`` is the commit that added the agreement's file (its first state)."""
    return any(not c.pointer and c.what.startswith(f"agreement {e.service} added")
               for c in e.changes)


def _published(e: Any) -> bool:
    """Whether ``e`` is where the audience first sees the agreement (the versions before
    were outside it, see ``slacode.history.for_audience``)."""
    return any(not c.pointer and c.what.startswith(f"agreement {e.service} published")
               for c in e.changes)


def headline(v: ServiceView, e: Any, older: Any | None) -> Markup:
    """What the change did to the agreement's version, in words."""
    w, today = v.words, v.now.date()
    if e.version is None:
        return w.t("hist.unreadable")
    day = fmt.day(e.effective)
    if _published(e):
        return w.t("hist.published", version=e.version, date=day)
    if older is None and _added(e):
        return w.t("hist.first_v1" if e.version == 1 else "hist.first", version=e.version,
                   date=day)
    if older is not None and older.version == e.version:
        return w.t("hist.edited", version=e.version)
    took = e.effective is not None and e.effective <= today
    return w.t("hist.took_effect" if took else "hist.takes_effect", version=e.version,
               date=day)


def _names(v: ServiceView) -> dict[str, str]:
    """Objective id -> its name, over every version the audience sees (a removed
    objective is named as its last version named it)."""
    out: dict[str, str] = dict(v.page.objective_names)  # in the site's language
    for _, a in sorted(v.page.versions.items()):
        for o in a.objectives:
            out.setdefault(o.id, objective_name(o))
    for o in v.a.objectives:
        out.setdefault(o.id, objective_name(o))
    return out


def change_lines(v: ServiceView, e: Any, names: dict[str, str]) -> list[str]:
    """The change's lines in the site's language, escaped: names for objective ids, and
    nothing the headline already says."""
    made = v.page.versions.get(e.version) if e.version is not None else None
    return [worded(v, c, made, names) for c in e.changes
            if not (c.pointer in _HEADLINE_POINTERS
                    or (not c.pointer and (_added(e) or _published(e))))]


def coming_lines(v: ServiceView, coming: Any) -> Markup:
    """The list items of what a version merged for later changes, worded as the change
    history words them (objectives by name, an added one with its target)."""
    names = _names(v)
    if coming.agreement is not None:
        for o in coming.agreement.objectives:
            names.setdefault(o.id, objective_name(o))
    return Markup("".join(f"<li>{worded(v, c, coming.agreement, names)}</li>"
                          for c in coming.changes))


def worded(v: ServiceView, change: Any, made: Any | None, names: dict[str, str]) -> str:
    """One change in the site's language, escaped: an added objective is said by its
    name and target as version ``made`` has them; any other change names objectives
    instead of giving their ids. A change without a code (stored before codes existed)
    is its English line, as it is, with objectives named likewise."""
    what = str(change.what)
    code = getattr(change, "code", "")
    oid = str(change.params.get("objective", "")) if code else _objective_id(what)
    if oid and (code == "objective-added" or (not code and what.startswith(
            f"objective {oid} added"))) and made is not None \
            and made.objective(oid) is not None:
        o = localized(made, v.language).objective(oid)
        assert o is not None
        return str(v.words.t("hist.objective_added", name=names.get(oid) or objective_name(o),
                             target=target_text(o)))
    if code:
        return escape.text(v.words.change(change, names))
    line = escape.text(what)
    if oid and oid in names and names[oid] != oid:
        line = line.replace(f"objective {oid}", f"objective {escape.text(names[oid])}", 1)
    return line


def _objective_id(what: str) -> str:
    """The id a change line names an objective by ("objective ID added: ..."), if any."""
    for head in ("objective ", "credits now apply to objective "):
        if what.startswith(head):
            return str(what[len(head):].split(" ", 1)[0])
    return ""


def reason_line(v: ServiceView, e: Any) -> Markup:
    """Why, as the change itself says it, with its pull request linked where known."""
    reason = getattr(e, "reason", "") or getattr(e, "subject", "")
    parts: list[Markup] = []
    if reason:
        parts.append(v.words.t("hist.reason", reason=reason))
    if e.pr is not None:
        label = v.words.t("hist.pr", number=e.pr)
        url = escape.url(pr_url(v.page.repo_url, e.pr)) if v.page.repo_url else ""
        parts.append(Markup(f'<a href="{url}" rel="nofollow noopener">{label}</a>') if url
                     else label)
    return Markup(" · ").join(parts)


def history_section(v: ServiceView, entries: Sequence[Any]) -> Markup:
    """The change-history table (newest first) and, when a change is later than the
    page's time, the note that explains the rows marked "after"."""
    if not entries:
        return Markup(f"<p>{v.T['svc.history_none']}</p>\n")
    names = _names(v)
    when = fmt.when(v.now)
    later = False
    rows = []
    for i, e in enumerate(entries):
        older = entries[i + 1] if i + 1 < len(entries) else None
        # a date never breaks at its hyphens (the column is narrow beside the changes)
        if e.date > v.now:
            later = True
            shown = fmt.time_tag(v.now.date(), fmt.day(v.now))
            date = v.words.t("hist.after_now", when=Markup(f'<span class="slc-num">{shown}</span>'))
        else:
            shown = fmt.time_tag(e.date.date(), fmt.day(e.date))
            date = Markup(f'<span class="slc-num">{shown}</span>')
        head = headline(v, e, older)
        if e.version is not None and e.version in v.page.versions:
            link = v.words.t("hist.full_text", version=e.version)
            head = Markup(f'{head} · <a href="v{int(e.version)}/">{link}</a>')
        lines = change_lines(v, e, names)
        if not lines and older is not None and older.version == e.version:
            lines = [str(v.T["hist.no_promise"])]
        items = "".join(f"<li>{x}</li>" for x in lines)
        why = reason_line(v, e)
        rows.append(
            f'<tr data-commit="{escape.text(e.short)}"><th scope="row">{date}</th>'
            f'<td><p class="slc-change-head"><strong>{head}</strong></p>'
            + (f'<p class="slc-meta">{why}</p>' if why else "")
            + (f"<ul>{items}</ul>" if items else "")
            + "</td></tr>\n")
    note = (f'<p class="slc-meta">{v.words.t("hist.after_now_note", when=when)}</p>\n'
            if later else "")
    return Markup(
        '<div class="slc-table-wrap">\n<table data-table="history">\n'
        f'<thead><tr><th scope="col">{v.T["svc.changed"]}</th>'
        f'<th scope="col">{v.T["svc.changes"]}</th></tr></thead>\n<tbody>\n'
        + "".join(rows) + "</tbody>\n</table>\n</div>\n" + note)
