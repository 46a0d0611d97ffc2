"""Beside the pipeline: the git history of ``slas/`` (versions, change log, semantic diffs).

Feeds ``evaluate`` (the version in force in each period, :func:`versions` and
:func:`in_force`) and ``render`` (change history, :func:`history`). Git is read through
subprocess with safe, offline settings (``gitlog``); when the project is not a git
repository or is a shallow clone, :func:`history` and :func:`versions` return nothing
and :func:`unavailable` says why ("history unavailable: shallow clone ...").
:func:`history` holds every version; :func:`for_audience` is the part a build may show.

Modules: ``gitlog`` (git plumbing), ``semdiff`` (what two versions promise differently,
in words), ``versions`` (history and versions from git), ``report`` (``slacode diff``).
"""

from __future__ import annotations

from slacode.history.gitlog import GitError, pr_from_subject, unavailable
from slacode.history.report import RevisionDiff, diff_revisions, markdown, pr_problems
from slacode.history.semdiff import Change, diff_agreements, weakening_first
from slacode.history.versions import (
    HISTORY_ERROR,
    ChangeEntry,
    agreements_at,
    for_audience,
    history,
    in_force,
    in_force_during,
    problems,
    upcoming,
    versions,
)

__all__ = [
    "HISTORY_ERROR",
    "Change",
    "ChangeEntry",
    "GitError",
    "RevisionDiff",
    "agreements_at",
    "diff_agreements",
    "diff_revisions",
    "for_audience",
    "history",
    "in_force",
    "in_force_during",
    "markdown",
    "pr_from_subject",
    "pr_problems",
    "problems",
    "unavailable",
    "upcoming",
    "versions",
    "weakening_first",
]
