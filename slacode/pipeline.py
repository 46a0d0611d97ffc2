"""The whole run, once, for the CLI and the MkDocs plugin alike.

load -> pull -> (history) -> evaluate -> ledger -> render. Each stage is called only
through its public function; this module owns no arithmetic and no markup. The one
overlap: each agreement is evaluated as soon as its own measurements are pulled, while
the rest are still out (:func:`pull_and_evaluate`).
"""

from __future__ import annotations

import json
import os
import queue
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from slacode.config import ALL, Settings, check_audience
from slacode.evaluate.results import ServiceResults
from slacode.heap import long_lived
from slacode.model import Agreement
from slacode.problems import Code, Problem

T = TypeVar("T")

if TYPE_CHECKING:  # the stages' types, without importing the stages themselves at start-up
    from slacode.history.versions import ChangeEntry
    from slacode.ledger import Candidate, Restated
    from slacode.pull import PullResult
    from slacode.pull.base import Complaint, Incident, Measurement


@dataclass(frozen=True)
class PipelineResult:
    files: dict[str, str]  # the rendered docs tree for the audience; empty when loading failed
    problems: tuple[Problem, ...]
    agreements: tuple[Agreement, ...] = ()  # every loaded agreement, all audiences
    results: tuple[ServiceResults, ...] = ()  # every agreement's results, ledger applied
    restatements: tuple[Restated, ...] = ()  # shown on pages and the feed
    candidates: tuple[Candidate, ...] = ()  # fresh figures that differ from frozen ones
    now: int = 0
    audience: str = "public"
    watch: tuple[str, ...] = field(default=())  # files and folders the run read
    seconds: Mapping[str, float] = field(default_factory=dict)  # wall time per stage
    queries: int = 0  # queries sent to data sources

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


def build_time(now: int) -> int:
    """The time shown as "built": ``SOURCE_DATE_EPOCH`` when set, else the evaluation time."""
    sde = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(sde) if sde.isdigit() else now


def incidents_by_service(measurements: Mapping[tuple[str, str], Measurement]
                         ) -> dict[str, list[Incident]]:
    """Incident records per service, each incident once, from the pulled measurements."""
    out: dict[str, dict[str, Incident]] = {}
    for (service, _objective), m in sorted(measurements.items()):
        for inc in getattr(m, "incidents", ()) or ():
            owner = getattr(inc, "service", "") or service
            out.setdefault(owner, {})[inc.id] = inc
    return {k: list(v.values()) for k, v in out.items()}


def complaints_by_service(measurements: Mapping[tuple[str, str], Measurement]
                          ) -> dict[str, list[Complaint]]:
    """Complaint records per service, each complaint once (two objectives, acknowledge
    and resolve, usually read the same file)."""
    out: dict[str, dict[str, Complaint]] = {}
    for (service, _objective), m in sorted(measurements.items()):
        for c in getattr(m, "complaints", ()) or ():
            out.setdefault(service, {})[c.id] = c
    return {k: list(v.values()) for k, v in out.items()}


@dataclass(frozen=True)
class Evaluation:
    """Load, pull and evaluate, before the ledger: what ``slacode evaluate`` and ``run`` share."""

    agreements: tuple[Agreement, ...]
    problems: tuple[Problem, ...]
    now: int
    measurements: Mapping[tuple[str, str], Measurement] = field(default_factory=dict)
    results: tuple[ServiceResults, ...] = ()  # fresh figures; the ledger is not applied yet
    changes: Mapping[str, Sequence[ChangeEntry]] = field(default_factory=dict)  # git's log
    queries: int = 0
    # wall time per stage: load, history (git), pull (evaluation runs inside it),
    # evaluate (what is left of it once the pull is done)
    seconds: Mapping[str, float] = field(default_factory=dict)
    versions: Mapping[str, Sequence[Agreement]] = field(default_factory=dict)  # past ones
    actions: tuple[Any, ...] = ()  # slacode.model.Action, from actions/ (checked)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def project_actions(settings: Settings, agreements: Sequence[Agreement]) -> Any:
    """The project's improvement actions (``actions/``), checked at the project's "now":
    a ``slacode.load.actions.ActionsResult``."""
    from slacode.durations import Duration
    from slacode.load.actions import load_actions

    return load_actions(settings.root, agreements, settings.today(),
                        Duration.parse(settings.actions_grace))


def evaluate_project(
    settings: Settings, progress: Callable[[str], None] | None = None
) -> Evaluation:
    """load -> pull -> evaluate (each period against the version in force, from git).

    Stops after loading when an agreement has errors: nothing is pulled for a project
    whose agreements cannot be trusted.
    """
    from slacode.load import agreement_files, load_agreements

    now = settings.now_epoch()
    clock = _Stopwatch()
    agreement_files([settings.path(settings.slas)])
    # unchanged files skip the parse and the schema, as in `slacode validate` (the
    # nightly job restores the cache folder): about 0.7 s of CPU for 200 agreements
    loaded = load_agreements([settings.path(settings.slas)], root=settings.root,
                             today=datetime.fromtimestamp(now, UTC).date(),
                             data_root=settings.root, cache=settings.path(settings.cache))
    clock.lap("load")
    if not loaded.ok:
        return Evaluation(tuple(loaded.agreements), tuple(loaded.problems), now,
                          seconds=clock.laps)
    agreements = tuple(loaded.agreements)
    actions = project_actions(settings, agreements)
    source = history_source(settings)
    versions = past_versions(settings, source)
    changes = change_log(settings, source)
    lost = history_problems(settings, source)
    clock.lap("history")
    pulled, results = pull_and_evaluate(
        agreements, settings, now, versions=versions, progress=progress, clock=clock
    )
    return Evaluation(
        agreements,
        tuple(loaded.problems) + tuple(pulled.problems) + lost + actions.problems,
        now,
        pulled.measurements,
        results,
        changes,
        pulled.queries,
        clock.laps,
        versions,
        actions.actions,
    )


def pull_and_evaluate(
    agreements: Sequence[Agreement],
    settings: Settings,
    now: int,
    *,
    versions: Mapping[str, Sequence[Agreement]] | None = None,
    progress: Callable[[str], None] | None = None,
    clock: _Stopwatch | None = None,
) -> tuple[PullResult, tuple[ServiceResults, ...]]:
    """Pull, and evaluate each agreement in a second thread as soon as its measurements
    are in. On a fleet the evaluation then runs while the data source answers the other
    queries instead of after them; the results are the same, in the same order.
    """
    from slacode.evaluate import Partial, combine, evaluate_one
    from slacode.pull import pull

    clock = clock or _Stopwatch()
    ready: queue.SimpleQueue[tuple[Agreement, Mapping[Any, Any]] | None] = queue.SimpleQueue()
    partials: dict[int, Partial] = {}
    failed: list[BaseException] = []

    def one(agr: Agreement, measurements: Mapping[Any, Any]) -> Partial:
        past = (versions or {}).get(agr.id, ())
        return evaluate_one(agr, measurements, now, settings.history_months, past=past)

    def evaluating() -> None:
        while (item := ready.get()) is not None:
            try:
                partials[id(item[0])] = one(*item)
            except BaseException as exc:  # raised again in the caller's thread below
                failed.append(exc)
                return
            keep()

    with long_lived() as keep:
        worker = threading.Thread(target=evaluating, name="slacode-evaluate", daemon=True)
        worker.start()
        try:
            pulled = pull(agreements, settings, now, progress=progress, versions=versions,
                          done=lambda agr, ms: ready.put((agr, ms)))
            clock.lap("pull")
        finally:
            ready.put(None)
            worker.join()
        if failed:
            raise failed[0]
        results = combine([partials.get(id(a)) or one(a, pulled.measurements)
                           for a in agreements])
        clock.lap("evaluate")
        return pulled, results


class _Stopwatch:
    """Wall seconds per stage, for ``PipelineResult.seconds`` (and the benchmark)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, stage: str) -> None:
        t = time.perf_counter()
        self.laps[stage] = self.laps.get(stage, 0.0) + t - self._t
        self._t = t


def run(
    settings: Settings,
    *,
    audience: str | None = None,
    language: str | None = None,
    site_title: str = "Service levels",
    progress: Callable[[str], None] | None = None,
    evaluation: Evaluation | None = None,
) -> PipelineResult:
    """Run every stage for ``settings`` and render the site tree for ``audience``.

    ``evaluation`` is an earlier :func:`evaluate_project` of the same settings: a build
    of every audience (``slacode build --audience all``) pulls and evaluates once and
    gives each audience's render that one evaluation, so an extra audience costs only
    its ledger view, render and site build. The setting ``audience: all`` renders the
    public site here (one MkDocs build writes one site; ``slacode build`` writes all)."""
    from slacode import ledger
    from slacode.render import render

    chosen = audience or settings.audience
    audience = check_audience("public" if chosen == ALL else chosen)
    ev = evaluation if evaluation is not None else evaluate_project(settings, progress=progress)
    watch = _watch_paths(settings, ev.agreements)
    if not ev.ok:
        return PipelineResult({}, ev.problems, ev.agreements, now=ev.now, audience=audience,
                              watch=watch, seconds=ev.seconds, queries=ev.queries)
    clock = _Stopwatch()
    report = ledger.apply(ev.results, settings.path(settings.ledger), audience=audience)
    results = judged_in_view(report.results, ev.versions, audience, ev.agreements)
    restatements = ledger.restated(results)
    claims = project_claims(settings, ev.agreements, report.results, ev.now)
    clock.lap("ledger")
    files = render(
        ev.agreements,
        results,
        now=ev.now,
        audience=audience,
        language=language or settings.language_for(audience),
        history=ev.changes,
        incidents=incidents_in_view(incidents_by_service(ev.measurements), ev.agreements,
                                    ev.versions, audience),
        complaints=incidents_in_view(complaints_by_service(ev.measurements), ev.agreements,
                                     ev.versions, audience),
        restatements=restatements,
        actions=ev.actions,
        claims=claims,
        site_title=site_title,
        site_url=settings.site_url,
        built_at=build_time(ev.now),
        history_months=settings.history_months,
        versions=ev.versions,
        disputed={(c.service, c.objective, c.period) for c in report.candidates},
        repo_url=settings.repo_url,
    )
    clock.lap("render")
    return PipelineResult(
        files,
        ev.problems + candidate_problems(report.candidates, ev.agreements)
        + orphan_problems(settings.ledger, ledger.frozen_services(settings.path(settings.ledger)),
                          ev.agreements)
        + audience_problems(audience, ev.agreements, ev.versions) + claims.problems,
        ev.agreements,
        tuple(results),
        tuple(restatements),
        report.candidates,
        ev.now,
        audience,
        watch,
        {**ev.seconds, **clock.laps},
        ev.queries,
    )


def project_claims(settings: Settings, agreements: Sequence[Agreement],
                   results: Sequence[ServiceResults], now: int) -> Any:
    """The claims records the agreements name, checked against the credits ``results``
    owe (the ledger's figures): a ``slacode.evaluate.claims.ClaimsReport``."""
    from slacode.evaluate.claims import check_claims
    from slacode.pull.claims import read_claims

    paths = [a.credits.claims_path for a in agreements if a.credits and a.credits.claims_path]
    claims, problems = read_claims(settings.root, [p for p in paths
                                                   if settings.path(p).is_file()])
    report = check_claims(agreements, results, claims, now)
    return replace(report, problems=tuple(problems) + report.problems)


def audience_problems(audience: str, agreements: Sequence[Agreement],
                      versions: Mapping[str, Sequence[Agreement]]) -> tuple[Problem, ...]:
    """A warning when a build for ``customer:NAME`` finds no agreement for that customer:
    a misspelt name would otherwise publish the public site as that customer's."""
    if not audience.startswith("customer:"):
        return ()
    every = [*agreements, *(v for vs in versions.values() for v in vs)]
    named = sorted({a.visibility for a in every if a.visibility.startswith("customer:")})
    if audience in named:
        return ()
    known = ", ".join(named) or "none"
    return (Problem("mkdocs.yml", 0, 0, "warning",
                    f"no agreement is for {audience} (customers with agreements: {known}); "
                    "the site holds the public agreements only", Code.CONFIG_AUDIENCE),)


def judged_in_view(results: Sequence[ServiceResults],
                   versions: Mapping[str, Sequence[Agreement]], audience: str,
                   agreements: Sequence[Agreement] = ()) -> tuple[ServiceResults, ...]:
    """Results without what ``audience`` may not see: the periods judged by a past
    version it may not see (e.g. an agreement that was internal before it was
    published: its targets and credits were never promised to that audience), and every
    period and day of the 90-day strips that falls under a version in force it may not
    see (the daily good and total counts of that time, a frozen record of it).
    ``agreements`` are the current ones (their version may not be committed yet)."""
    view = _InView(agreements, versions, audience)
    if not view.hidden:
        return tuple(results)
    out = []
    for r in results:
        if r.service not in view.services:
            out.append(r)
            continue

        def seen(ps: Sequence[Any], sid: str = r.service) -> tuple[Any, ...]:
            return tuple(p for p in ps if (sid, p.agreement_version) not in view.hidden
                         and view.period(sid, p.start, p.end))

        daily = {oid: tuple(d for d in days if view.day(r.service, d.date))
                 for oid, days in r.daily.items()}
        out.append(replace(r, periods=seen(r.periods), current=seen(r.current), daily=daily))
    return tuple(out)


def incidents_in_view(incidents: Mapping[str, Sequence[Any]], agreements: Sequence[Agreement],
                      versions: Mapping[str, Sequence[Agreement]], audience: str
                      ) -> dict[str, list[Any]]:
    """``incidents`` (service id -> incident records) without those open while a version
    ``audience`` may not see was in force: a page lists incidents, and the incidents of
    the time an agreement was internal are that time's."""
    view = _InView(agreements, versions, audience)
    if not view.hidden:
        return {sid: list(found) for sid, found in incidents.items()}
    from slacode.evaluate.periods import local_date

    tz = {a.id: a.timezone or "UTC" for a in agreements}
    out = {}
    for sid, found in incidents.items():
        if sid not in view.services:
            out[sid] = list(found)
            continue
        zone = tz.get(sid, "UTC")
        out[sid] = [i for i in found if view.days(
            sid, local_date(i.opened, zone), local_date(max(i.opened, i.resolved or 0), zone))]
    return out


def visibility_in_force(agreements: Sequence[Agreement],
                        versions: Mapping[str, Sequence[Agreement]]) -> Callable[[Any], str]:
    """A period result -> the visibility of the version that judged it (the one in force
    at its start): what the ledger records with the figures it freezes. "" when no
    version of its agreement is known."""
    every = _InView(agreements, versions, "internal").every

    def of(pr: Any) -> str:
        from slacode.history import in_force_during

        vs = every.get(pr.service, {})
        v = vs.get(pr.agreement_version)
        if v is None:
            first = datetime.fromisoformat(pr.start).date()
            v = next(iter(in_force_during(list(vs.values()), first, first)), None)
        return v.visibility if v is not None else ""

    return of


class _InView:
    """Which days of each agreement a build for ``audience`` may describe: those whose
    versions in force it may see (versions from git and the current agreements)."""

    def __init__(self, agreements: Sequence[Agreement],
                 versions: Mapping[str, Sequence[Agreement]], audience: str) -> None:
        self.audience = audience
        self.every: dict[str, dict[int, Agreement]] = {
            sid: {v.version: v for v in vs} for sid, vs in versions.items()}
        for a in agreements:
            self.every.setdefault(a.id, {})[a.version] = a
        self.hidden = {(sid, v.version) for sid, vs in self.every.items()
                       for v in vs.values() if not v.visible_to(audience)}
        self.services = {sid for sid, _version in self.hidden}  # with a version to hide

    def days(self, service: str, first: date, last: date) -> bool:
        from slacode.history import in_force_during

        vs = list(self.every.get(service, {}).values())
        return all(v.visible_to(self.audience) for v in in_force_during(vs, first, last))

    def day(self, service: str, day: str) -> bool:
        d = date.fromisoformat(day)
        return self.days(service, d, d)

    def period(self, service: str, start: str, end: str) -> bool:
        first = datetime.fromisoformat(start).date()
        last = (datetime.fromisoformat(end) - timedelta(microseconds=1)).date()
        return self.days(service, first, max(first, last))


def candidate_problems(candidates: Sequence[Candidate], agreements: Sequence[Agreement]
                       ) -> tuple[Problem, ...]:
    """A warning per frozen period a fresh evaluation disagrees with (one per objective,
    at the objective): the site keeps the frozen figures, so the change must not stay
    silent. A strict build still publishes, with the period marked "under review", and
    then fails on it (``slacode build`` exits 3) until someone restates it or finds the
    cause."""
    by_id = {a.id: a for a in agreements}
    fields: dict[tuple[str, str, str], list[str]] = {}
    for c in candidates:
        fields.setdefault((c.service, c.period, c.objective), []).append(
            f"{c.field} frozen {json.dumps(c.frozen, sort_keys=True)}, "
            f"now {json.dumps(c.new, sort_keys=True)}")
    out = []
    for (service, period, objective), said in fields.items():
        a = by_id.get(service)
        if a is None:
            continue
        ids = [o.id for o in a.objectives]
        pos = a.pos(f"/objectives/{ids.index(objective)}" if objective in ids else "")
        out.append(Problem(
            a.path, pos.line, pos.col, "warning",
            f"{service} {period} {objective}: a fresh evaluation disagrees with the ledger "
            f"({'; '.join(said)}); the site keeps the frozen figures: restate them with a reason "
            f"(slacode evaluate --restate {period} --service {service} --reason ...) or find "
            "why the data changed", Code.LEDGER_CANDIDATE))
    return tuple(out)


def orphan_problems(ledger_name: str, frozen: Mapping[str, int],
                    agreements: Sequence[Agreement]) -> tuple[Problem, ...]:
    """A warning per ledger folder with frozen records whose agreement no longer exists
    (file deleted, or its id changed): those closed periods, breaches and feed entries
    would vanish from the site silently. A strict build stops on it and publishes
    nothing: unlike a disputed figure, the pages it concerns are not there to mark."""
    ids = {a.id for a in agreements}
    out = []
    for service, n in sorted(frozen.items()):
        if service in ids:
            continue
        folder = f"{ledger_name.rstrip('/')}/{service}/"
        out.append(Problem(
            folder, 0, 0, "warning",
            f"{folder} holds {n} frozen closed period{'' if n == 1 else 's'} of {service}, "
            "but no agreement has that id any more: its page, past breaches and feed entries "
            "are gone from the site. Restore the agreement (to retire a service, keep its file "
            "and set contract.end), or give it back its id if it was renamed",
            Code.LEDGER_ORPHAN))
    return tuple(out)


def past_versions(settings: Settings, source: HistorySource | None = None
                  ) -> dict[str, tuple[Agreement, ...]]:
    """Past versions from git (agreement id -> versions); none when history is
    unavailable. Pull needs them (their maintenance windows cut days) and evaluate too.
    Only versions merged by the project's "now" count (see :func:`history_source`)."""
    from slacode import history

    return _from_git(partial(history.versions, cache=_history_cache(settings)), settings,
                     source)


def change_log(settings: Settings, source: HistorySource | None = None
               ) -> dict[str, tuple[ChangeEntry, ...]]:
    """The agreements' change log from git, up to the project's "now"; none when history
    is unavailable."""
    from slacode import history

    return _from_git(partial(history.history, cache=_history_cache(settings)), settings,
                     source)


def history_problems(settings: Settings, source: HistorySource | None = None
                     ) -> tuple[Problem, ...]:
    """What of the git history could not be read (``history.error`` warnings, which a
    strict build fails on): a failing git command never leaves an agreement without its
    past versions quietly (they decide which promise judged each period)."""
    from slacode import history

    try:
        source = source or history_source(settings)
        if not source.rev:
            return ()
        return history.problems(source.root, source.slas, source.rev,
                                cache=_history_cache(settings))
    except (history.GitError, OSError) as exc:
        return (_history_lost(settings, exc),)


@dataclass(frozen=True)
class HistorySource:
    """Where a build reads its agreements' history: the repository, its folder of
    agreements, and the revision that was the project at its "now" ("" when nothing had
    been merged by then)."""

    root: Path
    slas: str
    rev: str


def history_source(settings: Settings) -> HistorySource:
    """The project's own git history, or with ``history_from`` the history its manifest
    describes, replayed into the cache folder (a demo's sample history, see
    :mod:`slacode.history.replay`); in both, as it stood at the project's "now": a build
    pinned to T never lists or applies a change merged after T. A version merged before T
    that takes effect later stays announced."""
    from slacode.history import replay

    if settings.history_from:
        root = replay.replay(settings.path(settings.history_from), settings.root,
                             _history_cache(settings))
        slas = settings.slas
    else:
        root, slas = settings.root, settings.slas
    # a pinned time (the setting, --now, SLACODE_NOW, SOURCE_DATE_EPOCH) cuts the history
    # there; a build on the clock reads it to its tip (a commit stamped seconds ahead by
    # another machine's clock is not "after now")
    pinned = bool(settings.now) or os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit()
    return HistorySource(root, slas, replay.revision_at(root, settings.now_epoch())
                         if pinned else "HEAD")


def _history_cache(settings: Settings) -> Path:
    """Where the history walk is kept between builds (keyed by commit, see
    :mod:`slacode.history.store`): the project's cache folder."""
    return settings.path(settings.cache)


def _history_lost(settings: Settings, exc: Exception) -> Problem:
    from slacode.history import HISTORY_ERROR

    return Problem(settings.slas, 0, 0, "warning", f"history not read: {exc}; every "
                   "agreement's change log and past versions are missing from this build",
                   HISTORY_ERROR)


def _from_git(read: Callable[..., Mapping[str, T]], settings: Settings,
              source: HistorySource | None = None) -> dict[str, T]:
    """``read(root, slas, rev)`` on the build's history source (:func:`history_source`).
    The history functions turn a failing git command into a problem
    (:func:`history_problems` returns them); this is a last guard only."""
    from slacode.history import GitError

    try:
        source = source or history_source(settings)
        if not source.rev:
            return {}
        return dict(read(source.root, source.slas, source.rev))
    except (GitError, OSError):
        return {}


def _watch_paths(settings: Settings, agreements: Sequence[Agreement]) -> tuple[str, ...]:
    paths = {str(settings.path(settings.slas)), str(settings.path(settings.ledger)),
             str(settings.path("actions"))}
    for a in agreements:
        if a.credits and a.credits.claims_path:
            paths.add(str(settings.path(a.credits.claims_path).parent))
        for o in a.objectives:
            if o.source.path:
                paths.add(str(settings.path(o.source.path).parent))
    return tuple(sorted(p for p in paths if os.path.exists(p)))
