"""The whole run, once, for the CLI and the MkDocs plugin alike.

load -> pull -> (history) -> evaluate -> ledger -> render. Each stage is called only
through its public function; this module owns no arithmetic and no markup.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slacode.config import Settings, check_audience
from slacode.evaluate.results import ServiceResults
from slacode.model import Agreement
from slacode.problems import Problem


@dataclass(frozen=True)
class PipelineResult:
    files: dict[str, str]  # the rendered docs tree for the audience; empty when loading failed
    problems: tuple[Problem, ...]
    agreements: tuple[Agreement, ...] = ()  # every loaded agreement, all audiences
    results: tuple[ServiceResults, ...] = ()  # every agreement's results, ledger applied
    restatements: tuple[Any, ...] = ()  # slacode.ledger.Restated, shown on pages and the feed
    candidates: tuple[Any, ...] = ()  # slacode.ledger.Candidate: fresh figures differ from frozen
    now: int = 0
    audience: str = "public"
    watch: tuple[str, ...] = field(default=())  # files and folders the run read

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


def build_time(now: int) -> int:
    """The time shown as "built": ``SOURCE_DATE_EPOCH`` when set, else the evaluation time."""
    sde = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(sde) if sde.isdigit() else now


def incidents_by_service(measurements: Mapping[tuple[str, str], Any]) -> dict[str, list[Any]]:
    """Incident records per service, each incident once, from the pulled measurements."""
    out: dict[str, dict[str, Any]] = {}
    for (service, _objective), m in sorted(measurements.items()):
        for inc in getattr(m, "incidents", ()) or ():
            owner = getattr(inc, "service", "") or service
            out.setdefault(owner, {})[inc.id] = inc
    return {k: list(v.values()) for k, v in out.items()}


@dataclass(frozen=True)
class Evaluation:
    """Load, pull and evaluate, before the ledger: what ``slacode evaluate`` and ``run`` share."""

    agreements: tuple[Agreement, ...]
    problems: tuple[Problem, ...]
    now: int
    measurements: Mapping[tuple[str, str], Any] = field(default_factory=dict)
    results: tuple[ServiceResults, ...] = ()  # fresh figures; the ledger is not applied yet
    changes: Mapping[str, Any] = field(default_factory=dict)  # change log from git
    queries: int = 0

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def evaluate_project(
    settings: Settings, progress: Callable[[str], None] | None = None
) -> Evaluation:
    """load -> pull -> evaluate (each period against the version in force, from git).

    Stops after loading when an agreement has errors: nothing is pulled for a project
    whose agreements cannot be trusted.
    """
    from slacode.evaluate import evaluate
    from slacode.load import load_agreements
    from slacode.pull import pull

    now = settings.now_epoch()
    loaded = load_agreements([settings.path(settings.slas)], root=settings.root)
    if not loaded.ok:
        return Evaluation(tuple(loaded.agreements), tuple(loaded.problems), now)
    agreements = tuple(loaded.agreements)
    versions = past_versions(settings)
    pulled = pull(agreements, settings, now, progress=progress, versions=versions)
    changes = change_log(settings)
    results = evaluate(
        agreements,
        pulled.measurements,
        now,
        history_months=settings.history_months,
        versions=versions,
    )
    return Evaluation(
        agreements,
        tuple(loaded.problems) + tuple(pulled.problems),
        now,
        pulled.measurements,
        tuple(results),
        changes,
        pulled.queries,
    )


def run(
    settings: Settings,
    *,
    audience: str | None = None,
    language: str | None = None,
    site_title: str = "Service levels",
    progress: Callable[[str], None] | None = None,
) -> PipelineResult:
    """Run every stage for ``settings`` and render the site tree for ``audience``."""
    from slacode import ledger
    from slacode.render import render

    audience = check_audience(audience or settings.audience)
    ev = evaluate_project(settings, progress=progress)
    watch = _watch_paths(settings, ev.agreements)
    if not ev.ok:
        return PipelineResult(
            {}, ev.problems, ev.agreements, now=ev.now, audience=audience, watch=watch
        )
    report = ledger.apply(ev.results, settings.path(settings.ledger))
    results, restatements = report.results, ledger.restated(report.results)
    files = render(
        ev.agreements,
        results,
        now=ev.now,
        audience=audience,
        language=language or settings.language,
        history=ev.changes,
        incidents=incidents_by_service(ev.measurements),
        restatements=restatements,
        site_title=site_title,
        site_url=settings.site_url,
        built_at=build_time(ev.now),
        history_months=settings.history_months,
    )
    return PipelineResult(
        files,
        ev.problems,
        ev.agreements,
        tuple(results),
        tuple(restatements),
        report.candidates,
        ev.now,
        audience,
        watch,
    )


def past_versions(settings: Settings) -> dict[str, Any]:
    """Past versions from git (agreement id -> versions); none when history is
    unavailable. Pull needs them (their maintenance windows cut days) and evaluate too."""
    from slacode import history

    return _from_git(history.versions, settings)


def change_log(settings: Settings) -> dict[str, Any]:
    """The agreements' change log from git; none when history is unavailable."""
    from slacode import history

    return _from_git(history.history, settings)


def _from_git(read: Callable[[Path, str], Any], settings: Settings) -> dict[str, Any]:
    from slacode.history import GitError

    try:
        return dict(read(settings.root, settings.slas))
    except (GitError, OSError):
        return {}


def _watch_paths(settings: Settings, agreements: Sequence[Agreement]) -> tuple[str, ...]:
    paths = {str(settings.path(settings.slas)), str(settings.path(settings.ledger))}
    for a in agreements:
        for o in a.objectives:
            if o.source.path:
                paths.add(str(settings.path(o.source.path).parent))
    return tuple(sorted(p for p in paths if os.path.exists(p)))
