"""Stage 5: render agreements and results into a docs tree (Markdown, JSON, CSV, SVG, Atom).

Knows nothing of MkDocs: :func:`render` returns ``{relative path: content}``; the
MkDocs plugin (``slacode.plugin``) and ``slacode render --out DIR`` both use it.
Every string from YAML or from a data source passes :mod:`slacode.render.escape`.
The audience filter is applied here as well as in the pipeline, so that nothing
outside the audience can reach a page, a data file, a badge or the feed.

A period judged "no data" (e.g. a series present for only part of the month) shows no
figure, budget, margin or projection anywhere: a figure from a fraction of the period
would look like compliance. Its coverage and reasons are shown instead. Evaluation
gives no figure for such a period either; a record frozen before it stopped doing so
may hold one, which is not shown.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from slacode.evaluate.periods import iso, local_date
from slacode.evaluate.results import PeriodResult, ServiceResults
from slacode.heap import long_lived
from slacode.history import for_audience, in_force, upcoming
from slacode.history.semdiff import diff_agreements
from slacode.model import RESERVED_IDS, Agreement, localized
from slacode.problems import SlacodeError
from slacode.render import (
    changes_page,
    contacts,
    data,
    escape,
    feeds,
    fmt,
    pages,
    reports,
    service_page,
)
from slacode.render.reasons import NOT_PUBLIC
from slacode.render.service_page import versions as service_versions

if TYPE_CHECKING:  # the inputs' types only: render imports no ledger or pull code
    from slacode.history.versions import ChangeEntry
    from slacode.ledger import Restated
    from slacode.pull.base import Complaint, Incident

__all__ = ["render"]


@long_lived()  # the inputs are kept to the end: not scanned by the garbage collector again
@fmt.in_page_language  # every date on every page as the site's language writes dates
def render(
    agreements: Sequence[Agreement],
    results: Sequence[ServiceResults],
    *,
    now: int | str,
    audience: str = "public",
    language: str = "en",
    history: Mapping[str, Sequence[ChangeEntry]] | None = None,
    incidents: Mapping[str, Sequence[Incident]] | None = None,
    restatements: Sequence[Restated] = (),
    complaints: Mapping[str, Sequence[Complaint]] | None = None,
    actions: Sequence[Any] = (),
    claims: Any = None,
    site_title: str = "Service levels",
    site_url: str = "",
    built_at: int | None = None,
    history_months: int = 13,
    versions: Mapping[str, Sequence[Agreement]] | None = None,
    disputed: Collection[tuple[str, str, str]] = (),
    repo_url: str = "",
    sink: Callable[[str, str], None] | None = None,
) -> dict[str, str]:
    """The generated docs tree for ``audience``: ``{relative path: text}``.

    ``history`` maps a service id to its change log (``slacode.history.ChangeEntry``,
    newest first). ``incidents`` maps a service id to its incident records
    (``slacode.pull.base.Incident``), ``complaints`` to its complaint records
    (``slacode.pull.base.Complaint``; pages show only how many came in each month, never
    who complained). ``actions`` are the improvement actions (``slacode.model.Action``);
    ``claims`` is the ``slacode.evaluate.claims.ClaimsReport``: each page shows its owed
    credits, with the claims only a customer's own site (its own claims) and the internal
    one may show. ``restatements`` are the ledger's ``Restated``
    records (``service``, ``objective``, ``period``, ``reason``, ``restated_at``).
    ``built_at`` (UNIX seconds) is the build time shown on pages; it defaults to
    ``now`` so that the same inputs give the same files. ``versions`` maps a service
    id to its versions from git (``slacode.history.versions``): each page states the
    version in force at ``now`` and announces the ones merged for later.
    ``disputed`` holds ``(service, objective, period)`` of frozen periods a fresh
    evaluation disagrees with: their frozen figures are shown, marked "under review".
    Each version from ``versions`` the audience may see gets a page of its own
    (``services/<id>/vN.md``), linked from the change history; ``repo_url`` (the
    repository's web address) makes the history's pull-request numbers links.
    ``sink`` (``sink(path, text)``) takes each file as soon as it is made, and the
    mapping returned then holds every path with empty text: a fleet's files need not all
    be in memory at once when they go to disk (5,000 services make about 2 GB of text).
    """
    language = language if language in ("en", "zh") else "en"
    internal = audience == "internal"
    now_dt = fmt.parse_time(now)
    coming: dict[str, list[pages.Coming]] = {}
    hidden: dict[str, dict[str, str]] = {}
    archived: dict[str, dict[int, Agreement]] = {}
    by_latest: dict[str, Agreement] = {}  # the files as they stand (their translations)
    shown = []
    for latest in agreements:
        if latest.visible_to(audience):
            by_latest[latest.id] = latest
            a, coming[latest.id] = promise_now(latest, (versions or {}).get(latest.id, ()),
                                               int(now_dt.timestamp()), audience)
            # contact addresses the audience may not see, in any version's words
            hidden[a.id] = contacts.hidden_in(
                (latest, *(versions or {}).get(latest.id, ())), audience)
            coming[a.id] = [replace(c, changes=tuple(contacts.scrub_change(x, hidden[a.id])
                                                     for x in c.changes),
                                    agreement=c.agreement and localized(c.agreement, language,
                                                                        latest))
                            for c in coming[a.id]]
            # its words in the site's language
            shown.append(localized(contacts.for_audience(a, hidden[a.id]), language, latest))
            archived[a.id] = _versions_shown(latest, (versions or {}).get(latest.id, ()),
                                             audience, hidden[a.id], language)
    for a in shown:
        try:
            escape.segment(a.id)
        except ValueError as exc:
            raise SlacodeError(f"{a.path}: {exc}") from None
        if a.id in RESERVED_IDS:  # the schema refuses them; an agreement built by hand too
            raise SlacodeError(f"{a.path}: the id {a.id!r} is reserved: its files would "
                               "overwrite or hide pages generated for the whole fleet")
    ids = {a.id for a in shown}
    by_id = {a.id: a for a in shown}
    # a dependency outside the audience hides the chain figure too: with one dependency
    # it would be that service's own figure. Outside the internal build the figure is
    # shown only for periods of the current version, whose dependencies are known here
    # (a frozen or older period's may have been others)
    hidden_deps = {a.id for a in shown if any(d not in ids for d in a.depends_on)
                   or (not internal and not a.depends_on)}
    current = {} if internal else {a.id: a.version for a in shown}
    # incidents kept from customers count in the figures, but their ids stay internal
    hidden_incidents = set() if internal else {
        i.id for found in (incidents or {}).values() for i in found
        if not getattr(i, "customer_visible", True)}
    res = {r.service: _as_shown(r, r.service in hidden_deps, hidden_incidents,
                                current.get(r.service))
           for r in results if r.service in ids}
    hist = {k: contacts.scrub_changes(_internal_changes_out(for_audience(v, audience), internal),
                                      hidden.get(k, {}))
            for k, v in (history or {}).items() if k in ids}
    rest = [r for r in restatements if getattr(r, "service", None) in ids]
    built = fmt.when(built_at if built_at is not None else now_dt)

    files: dict[str, str] = {} if sink is None else _Streamed(sink)
    files["index.md"] = pages.overview(shown, res, now_dt, language, built, internal)
    made: list[pages.Page] = []  # every service page, for the site-wide change history
    for a in shown:
        incs = [
            i
            for i in (incidents or {}).get(a.id, ())
            if (internal or getattr(i, "customer_visible", True))
            and getattr(i, "service", "") in ("", a.id)
        ]
        # the page groups them by month, older months collapsed: all of them can show
        incs = sorted(incs, key=lambda i: (i.opened, i.id), reverse=True)[:500]
        page = pages.Page(
            agreement=a,
            results=res.get(a.id),
            dependencies=[by_id[d] for d in a.depends_on if d in by_id],
            history=hist.get(a.id, ()),
            incidents=incs,
            complaints=(complaints or {}).get(a.id, ()),
            restatements=[r for r in rest if r.service == a.id],
            internal=internal,
            disputed=frozenset((o, p) for s, o, p in disputed if s == a.id),
            coming=coming.get(a.id, ()),
            versions=archived.get(a.id, {}),
            repo_url=repo_url,
            objective_names=_objective_names(archived.get(a.id, {}), language, by_latest[a.id]),
            actions=tuple(x for x in actions if x.service == a.id),
            credits_owed=credits_in_view(claims, a.id, res.get(a.id), audience),
        )
        made.append(page)
        with fmt.page_zone(a.timezone):  # one zone per page: the agreement's
            shown_built = fmt.when(built_at if built_at is not None else now_dt)
            files[f"services/{a.id}.md"] = service_page.render(page, now_dt, language,
                                                               shown_built, history_months)
            for number, old in page.versions.items():  # the full text of each version
                files[service_versions.path(a.id, number)] = service_versions.render_version(
                    replace(page, agreement=old, results=None, history=(), incidents=[],
                            complaints=(), restatements=[], coming=(), disputed=frozenset()),
                    a.version, now_dt, language, shown_built)
    files[changes_page.PATH] = changes_page.render(made, now_dt, language)
    # one kind of file at a time: a fleet's JSON took up to twice as long when each file
    # was made between two pages (the caches then hold Jinja's working set, not the encoder's)
    for a in shown:
        files[f"api/{a.id}.json"] = data.service_json(a, res.get(a.id), internal, ids,
                                                     coming.get(a.id, ()))
    for a in shown:
        r = res.get(a.id)
        files[f"api/{a.id}.csv"] = data.service_csv(r.periods if r else ())
        files.update(data.badges(a, r, language))
    # one form for every time in the JSON: ISO 8601 with its offset, as evaluation writes
    files["api/services.json"] = data.services_json(shown, res,
                                                    iso(int(now_dt.timestamp()), "UTC"))
    files.update(reports.files(
        shown, res, language, built, now=now_dt,
        claims={a.id: credits_in_view(claims, a.id, res.get(a.id), audience) for a in shown},
        show_claims=internal or audience.startswith("customer:")))
    now_iso = fmt.iso_utc(now_dt)
    items = feeds.entries(shown, res, hist, rest, language, now=now_iso)
    files["feed.xml"] = feeds.atom(items, site_title, feeds.newest(items, now_iso), site_url,
                                   language)
    for a in shown:  # each service's own feed, beside its page
        mine = feeds.entries([a], res, hist, [r for r in rest if r.service == a.id], language,
                             now=now_iso)
        files[feeds.service_path(a.id)] = feeds.atom(
            mine, site_title, feeds.newest(mine, now_iso), site_url, language,
            path=feeds.service_path(a.id), page=f"services/{a.id}/", service=a.name)
    return dict(sorted(files.items()))


class _Streamed(dict[str, str]):
    """The files of :func:`render` handed to a sink as they are made, kept by path only."""

    def __init__(self, sink: Callable[[str, str], None]) -> None:
        super().__init__()
        self.sink = sink

    def __setitem__(self, path: str, text: str) -> None:
        self.sink(path, text)
        super().__setitem__(path, "")

    def update(self, more: Mapping[str, str] | Iterable[tuple[str, str]] = (),  # type: ignore[override]
               **kwargs: str) -> None:
        for path, text in (more.items() if isinstance(more, Mapping) else more):
            self[path] = text
        for path, text in kwargs.items():
            self[path] = text


def _objective_names(versions: Mapping[int, Agreement], language: str, latest: Agreement
                     ) -> dict[str, str]:
    """Objective id -> name in ``language`` over ``versions`` (oldest first, so a later
    version's name wins), each localized with the translations of ``latest``."""
    out: dict[str, str] = {}
    for _, v in sorted(versions.items()):
        out |= {o.id: o.name or o.id for o in localized(v, language, latest).objectives}
    return out


def _versions_shown(latest: Agreement, past: Sequence[Agreement], audience: str,
                    hidden: Mapping[str, str], language: str = "en") -> dict[int, Agreement]:
    """Version number -> the text a version page shows: every version from git the
    audience may see (and the file's own, when not committed yet), without the contact
    addresses it may not see; owners are the latest file's, as on the service page; its
    words in the site's language (the latest file lends translations added since).
    Nothing without history: a project outside git has no past versions to show."""
    mine = {v.version: v for v in past if v.id == latest.id}
    if not mine:
        return {}
    mine.setdefault(latest.version, latest)
    return {n: localized(contacts.for_audience(
        v if v is latest else replace(v, owners=latest.owners), hidden), language, latest)
            for n, v in sorted(mine.items()) if v.visible_to(audience)}


def credits_in_view(claims: Any, service: str, res: ServiceResults | None, audience: str
                    ) -> tuple[Any, ...]:
    """The owed credits of ``service`` (``slacode.evaluate.claims.OwedCredit``) a build
    for ``audience`` shows: those of the periods it shows, each with only the claims it
    may show: a customer's claims are that customer's business (its own site and the
    internal one), so a public page says whether a window is open, not who claimed."""
    if claims is None:
        return ()
    shown = {(p.objective, p.period) for p in (res.periods if res else ())}
    customer = audience.removeprefix("customer:") if audience.startswith("customer:") else None
    out = []
    for c in claims.of(service):
        if (c.objective, c.period) not in shown and c.percent:
            continue
        kept = tuple(x for x in c.claims if audience == "internal"
                     or (customer is not None and x.claim.customer == customer))
        if c.percent or kept:
            out.append(replace(c, claims=kept))
    return tuple(out)


def promise_now(latest: Agreement, past: Sequence[Agreement], now: int, audience: str
                ) -> tuple[Agreement, list[pages.Coming]]:
    """The version of ``latest``'s agreement to present at ``now`` and the versions
    merged for later, with what each changes.

    Periods are judged by the version in force (``slacode.evaluate``), so the page
    states that one: its version, effective date, targets, credits and policies. A
    version merged with a later effective date is announced, not presented as the
    promise. Before the first version takes effect, the earliest is presented (the page
    then says when it takes effect). A version ``audience`` may not see is never
    presented nor used as the "before" of a change: the earliest visible one stands in.
    Owners are the latest file's (they route work now, whatever version is in force).
    """
    mine = {v.version: v for v in past if v.id == latest.id}
    mine[latest.version] = latest
    vs = sorted(mine.values(), key=lambda v: (v.effective, v.version))
    today = local_date(now, latest.timezone or "UTC")
    cur = in_force(vs, today)
    later = [v for v in upcoming(vs, today) if v.visible_to(audience)]
    if cur is None or not cur.visible_to(audience):
        cur = later.pop(0) if later else latest
    later = [v for v in later if (v.effective, v.version) > (cur.effective, cur.version)]
    coming, before = [], cur
    for v in later:
        coming.append(pages.Coming(v.version, v.effective, tuple(
            c for c in diff_agreements(before, v)
            if c.pointer not in _INTERNAL_POINTERS
            and c.pointer not in ("/version", "/effective")), v))
        before = v
    # maintenance windows stay the version in force's, judged by its policy as evaluate
    # does; those a later version adds or drops are among what it changes
    if cur is latest:
        return cur, coming
    # where to claim a credit is, like the owners, how things are done now: the latest
    # file's channel serves the credits of the version in force too
    credits = cur.credits
    if credits is not None and latest.credits is not None and latest.credits.claim:
        credits = replace(credits, claim=latest.credits.claim)
    return replace(cur, owners=latest.owners, credits=credits), coming


#: What a change may say that only an internal build shows (owners route work inside).
_INTERNAL_POINTERS = frozenset({"/owners"})


def _internal_changes_out(entries: Sequence[Any], internal: bool) -> tuple[Any, ...]:
    """The change log without the changes only an internal build may show."""
    if internal:
        return tuple(entries)
    out = []
    for e in entries:
        kept = tuple(c for c in e.changes if getattr(c, "pointer", "") not in _INTERNAL_POINTERS)
        if len(kept) == len(e.changes):
            out.append(e)
        elif kept:  # a commit that changed nothing else is not news outside
            out.append(replace(e, changes=kept))
    return tuple(out)


def _shown(p: PeriodResult, no_chain: bool, hidden: set[str], version: int | None
           ) -> PeriodResult:
    if p.composite is not None and (no_chain or version not in (None, p.agreement_version)):
        p = replace(p, composite=None)
    if hidden and any(set(m.incident.split(", ")) & hidden for m in p.misses):
        p = replace(p, misses=tuple(_public_miss(m, hidden) for m in p.misses))
    if p.verdict != "no-data" or (p.value is None and p.budget is None):
        return p
    return replace(p, value=None, margin=None, budget=None, projection=None, credit=None)


def _public_miss(m: Any, hidden: set[str]) -> Any:
    """``m`` without the ids of ``hidden`` incidents (in its text or its list of them)."""
    what, ids = m.what, [i for i in m.incident.split(", ") if i]
    params = getattr(m, "params", {})
    for i in ids:
        if i in hidden:
            what = what.replace(f"incident {i}", f"incident {NOT_PUBLIC}", 1)
            if params.get("id") == i:
                params = {**params, "id": NOT_PUBLIC}
    return replace(m, what=what, params=params,
                   incident=", ".join(i for i in ids if i not in hidden))


def _as_shown(r: ServiceResults, no_chain: bool, hidden: set[str], version: int | None
             ) -> ServiceResults:
    """The results as shown: no figure for a period judged "no data" (see the module
    doc); no dependency-chain figure with ``no_chain``, nor, when ``version`` is given,
    for a period judged by another version; no id of a ``hidden`` incident in what was
    missed."""
    return replace(
        r,
        periods=tuple(_shown(p, no_chain, hidden, version) for p in r.periods),
        current=tuple(_shown(p, no_chain, hidden, version) for p in r.current),
    )
