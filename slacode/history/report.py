"""What a change to ``slas/`` promises differently between two revisions, as Markdown.

Used by ``slacode diff`` for a pull-request comment or a job summary. Changes that
weaken a promise for customers come first under their own heading. The pull-request
rule (:func:`pr_problems`): a change to any promise needs a higher ``version`` and a
later ``effective`` date, so that each period can be judged by the version in force.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from slacode.history import gitlog
from slacode.history.semdiff import Change, diff_agreements, weakening_first
from slacode.history.versions import Loader, agreements_at
from slacode.model import Agreement
from slacode.problems import Problem


@dataclass(frozen=True)
class AgreementDiff:
    id: str
    old: Agreement | None  # None: added
    new: Agreement | None  # None: removed
    changes: tuple[Change, ...]

    @property
    def name(self) -> str:
        a = self.new or self.old
        return a.name if a else self.id

    @property
    def path(self) -> str:
        a = self.new or self.old
        return a.path if a else ""


@dataclass(frozen=True)
class RevisionDiff:
    base: str  # commit compared from (the merge base of BASE and HEAD)
    head: str
    diffs: tuple[AgreementDiff, ...]  # only agreements that changed, by id
    problems: tuple[Problem, ...]  # files at HEAD that do not load
    head_date: date | None = None  # the day HEAD was committed


def diff_revisions(
    root: Path, base: str, head: str = "HEAD", slas_dir: str = "slas",
    loader: Loader | None = None,
) -> RevisionDiff:
    """Compare the agreements at the merge base of ``base`` and ``head`` with those at
    ``head`` (what a pull request from ``head`` into ``base`` changes), paired by id.

    Raises :class:`gitlog.GitError` when git cannot tell (not a repository, unknown revision).
    """
    root = Path(root)
    reason = gitlog.unavailable(root)
    if reason:
        raise gitlog.GitError(f"history unavailable: {reason}")
    head_c = gitlog.resolve(root, head)
    base_c = gitlog.resolve(root, base)
    base_c = gitlog.merge_base(root, base_c, head_c) or base_c
    old, _ = agreements_at(root, base_c, slas_dir, loader)
    new, bad = agreements_at(root, head_c, slas_dir, loader)
    olds = {a.id: a for a in old.values()}
    news = {a.id: a for a in new.values()}
    diffs = []
    for ident in sorted(olds.keys() | news.keys()):
        a, b = olds.get(ident), news.get(ident)
        if b is None and a is not None and a.path in bad:
            continue  # the file is still there but broken: reported as a problem instead
        changes = diff_agreements(a, b)
        if a is not None and b is not None and a.path != b.path:
            changes = (Change(f"file renamed from {a.path} to {b.path}", promise=False),
                       *changes)
        if changes:
            diffs.append(AgreementDiff(ident, a, b, changes))
    problems = tuple(sorted(p for ps in bad.values() for p in ps))
    return RevisionDiff(base_c, head_c, tuple(diffs), problems,
                        gitlog.commit_date(root, head_c).date())


def pr_problems(d: RevisionDiff) -> tuple[Problem, ...]:
    """Errors of the pull-request rule, at the line of the change in the new file."""
    out: list[Problem] = []
    for ad in d.diffs:
        a, b = ad.old, ad.new
        if a is None or b is None:
            continue
        promises = [c for c in ad.changes if c.promise]
        if not promises:
            continue
        first = promises[0]
        if b.version <= a.version:
            pos = b.pos(first.pointer) if first.pointer else b.pos("/version")
            out.append(Problem(
                b.path, pos.line, pos.col, "error",
                f"{b.id}: promises changed ({first.what}) but version stays {b.version}"
                f"{'' if b.version == a.version else f' (was {a.version})'}: "
                "raise version and set a new effective date",
                "history.version-bump",
            ))
        elif b.effective <= a.effective:
            pos = b.pos("/effective")
            out.append(Problem(
                b.path, pos.line, pos.col, "error",
                f"{b.id}: version {a.version} → {b.version} changes promises but the effective "
                f"date stays {b.effective.isoformat()}"
                f"{'' if b.effective == a.effective else f' (was {a.effective.isoformat()})'}: "
                "set the date the new version takes effect, after the previous one",
                "history.effective-date",
            ))
        elif d.head_date is not None and b.effective < d.head_date:
            pos = b.pos("/effective")
            out.append(Problem(
                b.path, pos.line, pos.col, "warning",
                f"{b.id}: version {b.version} takes effect on {b.effective.isoformat()}, before "
                f"this change ({d.head_date.isoformat()}): periods from that day on are judged "
                "by it, even those already closed",
                "history.retroactive",
            ))
    return tuple(sorted(out))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#<>~])")


def md(text: str) -> str:
    """Text from YAML made inert in Markdown: no markup, no HTML, one line."""
    text = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))


def code(text: str) -> str:
    """Text for a Markdown code span, where backslash escapes do not work."""
    return " ".join(str(text).split()).replace("`", "'")


def _title(ad: AgreementDiff) -> str:
    a, b = ad.old, ad.new
    ver = ""
    if a is not None and b is not None:
        ver = (f", version {a.version} → {b.version}" if a.version != b.version
               else f", version {b.version}")
        if b.effective != a.effective:
            ver += f", effective {b.effective.isoformat()}"
    elif b is not None:
        ver = f", version {b.version}, effective {b.effective.isoformat()}"
    return f"**{md(ad.name)}** (`{code(ad.path)}`{ver})"


def markdown(d: RevisionDiff, problems: tuple[Problem, ...] = ()) -> str:
    """The summary for a pull request: weaker promises first, then other changes,
    added and removed agreements, and problems (``problems`` plus files that do not load)."""
    added = [x for x in d.diffs if x.old is None]
    removed = [x for x in d.diffs if x.new is None]
    changed = [x for x in d.diffs if x.old is not None and x.new is not None]
    weaker = [(x, [c for c in x.changes if c.weakens]) for x in d.diffs]
    weaker = [(x, cs) for x, cs in weaker if cs]
    lines = ["## Agreement changes", ""]
    lines.append(f"Comparing `{d.base[:7]}` with `{d.head[:7]}`: "
                 f"{len(changed)} changed, {len(added)} added, {len(removed)} removed.")
    lines.append("")
    allp = tuple(sorted(set(problems) | set(d.problems)))
    if allp:
        errors = any(p.severity == "error" for p in allp)
        lines += ["### ❌ Problems" if errors else "### Warnings", ""]
        lines += [f"- `{code(p.path)}:{p.line}:{p.col}` {p.severity}: {md(p.message)}"
                  for p in allp]
        lines.append("")
    if weaker:
        lines += ["### ⚠️ Weaker promises for customers", ""]
        for x, cs in weaker:
            lines.append(f"- {_title(x)}")
            lines += [f"  - {md(c.what)}" for c in cs]
        lines.append("")
    # version and effective date are in each agreement's title line
    others = [(x, [c for c in weakening_first(x.changes)
                   if not c.weakens and c.pointer not in ("/version", "/effective")])
              for x in changed]
    weak_ids = {x.id for x, _ in weaker}
    others = [(x, cs) for x, cs in others if cs or x.id not in weak_ids]
    if others:
        lines += ["### Other changes", ""]
        for x, cs in others:
            lines.append(f"- {_title(x)}" + ("" if cs else ": nothing else changed"))
            lines += [f"  - {md(c.what)}" + ("" if c.promise else " _(not a promise)_")
                      for c in cs]
        lines.append("")
    if added:
        lines += ["### Added agreements", ""]
        lines += [f"- {_title(x)}" for x in added]
        lines.append("")
    if removed:
        lines += ["### Removed agreements", ""]
        lines += [f"- {_title(x)}" for x in removed]
        lines.append("")
    if not d.diffs and not allp:
        lines += ["No agreement promises anything differently.", ""]
    return "\n".join(lines)
