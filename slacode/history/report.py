"""What a change to ``slas/`` promises differently between two revisions, as Markdown.

Used by ``slacode diff`` for a pull-request comment or a job summary. Changes that
weaken a promise for customers come first under their own heading. The pull-request
rule (:func:`pr_problems`): a change to any promise needs a higher ``version`` and a
later ``effective`` date, so that each period can be judged by the version in force;
and a maintenance window may not be added (moved, extended, announced earlier) once it
has begun: it would erase downtime that already happened from the figures and credits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

from slacode.history import gitlog
from slacode.history.semdiff import Change, diff_agreements, weakening_first, window_span
from slacode.history.versions import (
    Loader,
    _plain_loader,
    _rel,
    _save,
    _shared,
    agreements_at,
    versions,
    versions_of,
)
from slacode.model import Agreement, Maintenance, maintenance_account
from slacode.problems import Code, Problem


@dataclass(frozen=True)
class AgreementDiff:
    id: str
    old: Agreement | None  # None: added
    new: Agreement | None  # None: removed
    changes: tuple[Change, ...]
    #: indexes into ``new.maintenance`` of windows this change makes excluded although
    #: they began before it (see :func:`retroactive_windows`)
    retroactive: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        a = self.new or self.old
        return a.name if a else self.id

    @property
    def path(self) -> str:
        a = self.new or self.old
        return a.path if a else ""


@dataclass(frozen=True)
class Uncompared:
    """A file at HEAD that does not load, with the first reason why: the agreement of
    BASE it held (``old``), or ``None`` for a file new at HEAD (added, or an agreement
    moved there: it would otherwise read as removed)."""

    old: Agreement | None
    problem: Problem
    more: int = 0  # further problems in the same file

    @property
    def path(self) -> str:
        return self.problem.path


@dataclass(frozen=True)
class RevisionDiff:
    base: str  # commit compared from (the merge base of BASE and HEAD)
    head: str
    diffs: tuple[AgreementDiff, ...]  # only agreements that changed, by id
    problems: tuple[Problem, ...]  # files at HEAD that do not load
    head_date: date | None = None  # the day HEAD was committed
    # files at HEAD that do not load (an agreement of BASE, or a new file): nothing in
    # them could be compared, which a reviewer must not read as "no change"
    uncompared: tuple[Uncompared, ...] = ()
    #: the time the change is judged at: HEAD's commit time, or the time of the check
    #: when later (a committer date is whatever the committer set)
    as_of: datetime | None = None
    #: each commit of the range that changes a promise of an agreement in place (see
    #: :func:`commit_diffs`); only filled when asked for (``each_commit``)
    commits: tuple[CommitDiff, ...] = ()
    #: agreement id -> frozen ledger records (``ledger/<id>/*.json``) at BASE or HEAD, for
    #: agreements this change removes: their closed periods would vanish from the site
    frozen: Mapping[str, int] = field(default_factory=dict)
    #: files under the agreements folder with uncommitted changes, when HEAD is the
    #: checked-out commit: HEAD means the last commit, so these are not compared
    uncommitted: tuple[str, ...] = ()
    ledger_dir: str = "ledger"  # the ledger folder ``frozen`` counted in


@dataclass(frozen=True)
class CommitDiff:
    """One commit of a pull request that changes the promises of a version in place."""

    commit: str
    subject: str
    diff: AgreementDiff  # the agreement at the commit's parent and at the commit


_HEX = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")
_PLAIN = re.compile(r"[\w./@{}~^-]*")  # a revision safe to echo back unquoted
_ACCEPTED = "a branch, tag or commit, e.g. main, origin/main, v1.2 or a1b2c3d"


def _commit(root: Path, rev: str, role: str) -> str:
    """The one commit ``rev`` names, or a one-line :class:`gitlog.GitError` that quotes
    what the user typed (not the hashes git made of it) and says what is accepted."""
    if ".." in rev:  # git forbids ".." in ref names: this is a range, not a revision
        a, _, b = rev.partition("..")
        b = b.removeprefix(".")
        hint = (f"; try: slacode diff {a or 'HEAD'} {b or 'HEAD'}"
                if _PLAIN.fullmatch(a) and _PLAIN.fullmatch(b) else "")
        raise gitlog.GitError(
            f"{role} {rev!r} is a range (A..B): give BASE and HEAD as two arguments, "
            f"each {_ACCEPTED}{hint}")
    try:
        out = gitlog.resolve(root, rev)
    except gitlog.GitError as exc:
        if "revision" not in str(exc):  # git itself failed: its message says why
            raise
        what = "unknown" if rev and not rev.startswith("-") else "invalid"
        raise gitlog.GitError(
            f"{what} revision {rev!r} given as {role}: expected {_ACCEPTED}") from None
    if not _HEX.fullmatch(out):  # e.g. "A^!" names more than one commit
        raise gitlog.GitError(
            f"revision {rev!r} given as {role} names more than one commit: expected {_ACCEPTED}")
    return out


def _utc(t: datetime) -> datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


def retroactive_windows(old: Agreement | None, new: Agreement, as_of: datetime) -> tuple[int, ...]:
    """Indexes of ``new``'s maintenance windows that began before ``as_of`` and leave time
    out of the figures that ``old`` did not: added, moved, extended, or announced earlier
    after the fact.

    The agreement is the record customers are told by: a window written down only after
    it began was not announced in time, whatever its ``announced`` date claims, and
    excluding it erases downtime that already happened. A window ``new`` does not exclude
    anyway (not announced, or too late for the notice) erases nothing, and neither does
    one inside a window ``old`` already excluded (narrowed, split, or only described).
    """
    late = set(maintenance_account(new).late)
    before: tuple[Maintenance, ...] = ()
    if old is not None:
        old_late = set(maintenance_account(old).late)
        before = tuple(o for o in old.maintenance if o.end > o.start and o not in old_late)

    def erases(w: Maintenance) -> bool:
        if w.end <= w.start or w in late or _utc(w.start) >= as_of:
            return False
        return not any(_utc(o.start) <= _utc(w.start) and _utc(w.end) <= _utc(o.end)
                       for o in before)

    return tuple(i for i, w in enumerate(new.maintenance) if erases(w))


def _with_retroactive(changes: tuple[Change, ...], old: Agreement | None, new: Agreement,
                      found: tuple[int, ...]) -> tuple[Change, ...]:
    """``changes`` with each window of ``found`` as a weaker promise (it erases past
    downtime), in place of the "planned maintenance added" bookkeeping line."""
    spans = {window_span(new.maintenance[i].start, new.maintenance[i].end) for i in found}
    kept = tuple(c for c in changes
                 if not (c.what.startswith("planned maintenance added: ")
                         and c.what.removeprefix("planned maintenance added: ") in spans))
    same_span = set() if old is None else {(o.start, o.end) for o in old.maintenance}
    weaker = []
    for i in found:
        w = new.maintenance[i]
        what = ("now excluded from the figures" if (w.start, w.end) in same_span
                else "added")
        weaker.append(Change(
            f"maintenance window {window_span(w.start, w.end)} {what} after it began: "
            "downtime already past is left out of the figures and credits",
            weakens=True, promise=False, pointer=f"/maintenance/windows/{i}"))
    return (*weaker, *kept)


def _published(root: Path, base_c: str, slas_dir: str, loader: Loader | None,
               cache: Path | None = None, ids: set[str] | None = None
               ) -> dict[tuple[str, int], Agreement]:
    """(agreement id, version) -> that version's text as BASE's history holds it; with
    ``ids``, of those agreements only (the history of their files alone is read)."""
    at_base = agreements_at(root, base_c, slas_dir, loader or _plain_loader())[0]
    if ids is None:
        past = versions(root, slas_dir, base_c, loader, cache)
    else:
        past = versions_of(root, {p: a.id for p, a in at_base.items() if a.id in ids},
                           slas_dir, base_c, loader, cache)
    out = {(a.id, a.version): a for vs in past.values() for a in vs}
    for a in at_base.values():
        out.setdefault((a.id, a.version), a)
    return out


def commit_diffs(
    root: Path, base_c: str, head_c: str, slas_dir: str = "slas", loader: Loader | None = None,
    cache: Path | None = None,
) -> tuple[CommitDiff, ...]:
    """Each commit of ``base_c..head_c`` (merges aside) whose text of an agreement claims a
    version BASE already has, but promises something else than that version did.

    The check of BASE against HEAD sees only the end result, which a squash merge puts
    on the base branch as one commit. A merge commit or a rebase merge keeps every
    commit: the history then holds the in-place text as the newest of that version and
    judges all its periods, closed ones included, by it (the nightly build finds the
    frozen figures changed). A commit that edits a version new in the same pull request
    is fine: the newest text of a version counts.
    """
    root = Path(root)
    pre = gitlog.prefix(root)
    load = loader or _plain_loader()
    texts = _shared(load)
    # the range's commits (merges aside) and the agreement files each changed: one git log
    # and one read of the texts, whatever the number of commits
    # (--full-history: every commit of the range is checked, as a merge commit keeps them
    # all, not only those on the side git would simplify to)
    out = gitlog.git(root, "log", "--reverse", "--topo-order", "--no-merges", "--full-history",
                     "--no-renames", "--name-only", "-z", "--format=%x1e%H%x1f%P%x1f%s",
                     f"{base_c}..{head_c}", "--", slas_dir).decode("utf-8", "replace")
    touched: list[tuple[str, str, list[str]]] = []  # (commit, subject, paths)
    for rec in out.split("\x1e")[1:]:
        head, _, rest = rec.partition("\0")
        commit, parents, subject = head.split("\x1f", 2)
        paths = [p.lstrip("\n") for p in rest.split("\0")]
        paths = [p for p in paths if p.endswith((".yaml", ".yml"))]
        if parents.split() and paths:  # a root commit adds everything: BASE covers it
            touched.append((commit, subject.strip(), paths))
    specs = [f"{c}:{p}" for c, _, paths in touched for p in paths]
    ids = dict(zip(specs, gitlog.blob_ids(root, specs), strict=True))
    contents = gitlog.read_objects(root, sorted({o for o in ids.values() if o}))
    loaded: list[tuple[str, str, Agreement]] = []
    for commit, subject, paths in touched:
        for path in paths:
            oid = ids.get(f"{commit}:{path}")
            if oid is None or oid not in contents:
                continue  # deleted here: the check against BASE reports a removal
            b = texts.load(contents[oid], _rel(path, pre), oid)[0]
            if b is not None:
                loaded.append((commit, subject, b))
    published = _published(root, base_c, slas_dir, loader, cache,
                           {b.id for _, _, b in loaded}) if loaded else {}
    found: list[CommitDiff] = []
    for commit, subject, b in loaded:
        a = published.get((b.id, b.version))
        if a is None:
            continue
        changes = tuple(c for c in diff_agreements(a, b) if c.promise)
        if changes:
            found.append(CommitDiff(commit, subject, AgreementDiff(b.id, a, b, changes)))
    _save(load)
    return tuple(found)


def _frozen_records(root: Path, revs: tuple[str, ...], ledger_dir: str, ident: str) -> int:
    """How many frozen ledger records of ``ident`` git holds at any of ``revs``, or the
    work tree does (a ledger kept out of git is just as frozen)."""
    folder = f"{ledger_dir.rstrip('/')}/{ident}/"
    names: set[str] = set()
    for rev in revs:
        out = gitlog.git(root, "ls-tree", "-r", "-z", "--name-only", rev, "--", folder,
                         check=False)
        names |= {PurePosixPath(p).name for p in out.decode("utf-8", "replace").split("\0")
                  if p.endswith(".json")}
    on_disk = root / folder
    if on_disk.is_dir():
        names |= {f.name for f in on_disk.glob("*.json") if f.is_file()}
    return len(names)


def _uncommitted(root: Path, head_c: str, slas_dir: str) -> tuple[str, ...]:
    """Files under ``slas_dir`` changed in the work tree, when ``head_c`` is checked out."""
    if gitlog.git(root, "rev-parse", "HEAD", check=False).decode().strip() != head_c:
        return ()
    out = gitlog.git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--",
                     slas_dir, check=False).decode("utf-8", "replace")
    pre = gitlog.prefix(root)
    return tuple(sorted({_rel(e[3:], pre) for e in out.split("\0")
                         if len(e) > 3 and e[2] == " "}))


def diff_revisions(
    root: Path, base: str, head: str = "HEAD", slas_dir: str = "slas",
    loader: Loader | None = None, now: datetime | None = None, *,
    each_commit: bool = False, ledger_dir: str = "ledger", cache: Path | None = None,
) -> RevisionDiff:
    """Compare the agreements at the merge base of ``base`` and ``head`` with those at
    ``head`` (what a pull request from ``head`` into ``base`` changes), paired by id.

    Maintenance windows are judged at HEAD's commit time, or at ``now`` when later (pass
    the time of a pull-request check: a committer date is whatever the committer set).
    With ``each_commit``, every commit of the range is also checked (:func:`commit_diffs`).
    A removed agreement's frozen records under ``ledger_dir`` are counted. HEAD is a
    commit: uncommitted edits are not compared, only listed (``uncommitted``).
    ``cache``: the project's cache folder, where the last build's history answers are
    stored (:mod:`slacode.history.store`); BASE's past versions are taken from there when
    they hold for it, else only the history of the agreements the range touches is read.

    Raises :class:`gitlog.GitError` when git cannot tell (not a repository, unknown revision).
    """
    root = Path(root)
    reason = gitlog.unavailable(root)
    if reason:
        raise gitlog.GitError(f"history unavailable: {reason}")
    head_c = _commit(root, head, "HEAD")
    base_c = _commit(root, base, "BASE")
    base_c = gitlog.merge_base(root, base_c, head_c) or base_c
    # the texts of both sides and of the range are loaded as they are: the texts the
    # history walk remembers (``cache``) are the whole history's, too many to read for these
    old, _ = agreements_at(root, base_c, slas_dir, loader or _plain_loader())
    new, bad = agreements_at(root, head_c, slas_dir, loader or _plain_loader())
    olds = {a.id: a for a in old.values()}
    news = {a.id: a for a in new.values()}
    committed = _utc(gitlog.commit_date(root, head_c))
    as_of = max(committed, _utc(now)) if now is not None else committed
    diffs = []
    uncompared = []
    for path in sorted(p for p in bad if p not in new):
        # a file that does not load: not "removed", and not "unchanged" either
        ps = sorted(bad[path], key=lambda p: (p.severity != "error", p)) or [
            Problem(path, 0, 0, "error", "does not load", Code.HISTORY_NOT_LOADED)]
        uncompared.append(Uncompared(old.get(path), ps[0], len(ps) - 1))
    for ident in sorted(olds.keys() | news.keys()):
        a, b = olds.get(ident), news.get(ident)
        if b is None and a is not None and a.path in bad:
            continue  # listed as not compared
        changes = diff_agreements(a, b)
        if a is not None and b is not None and a.path != b.path:
            changes = (Change(f"file renamed from {a.path} to {b.path}", promise=False),
                       *changes)
        found = retroactive_windows(a, b, as_of) if b is not None else ()
        if found and b is not None:
            changes = _with_retroactive(changes, a, b, found)
        if changes:
            diffs.append(AgreementDiff(ident, a, b, changes, found))
    problems = tuple(sorted(p for ps in bad.values() for p in ps))
    frozen = {}
    for ad in diffs:
        if ad.new is None:
            n = _frozen_records(root, (base_c, head_c), ledger_dir, ad.id)
            if n:
                frozen[ad.id] = n
    return RevisionDiff(base_c, head_c, tuple(diffs), problems,
                        committed.date(), tuple(uncompared), as_of,
                        commit_diffs(root, base_c, head_c, slas_dir, loader, cache)
                        if each_commit else (),
                        frozen, _uncommitted(root, head_c, slas_dir), ledger_dir.rstrip("/"))


def _retroactive_problems(d: RevisionDiff, ad: AgreementDiff) -> list[Problem]:
    b = ad.new
    if b is None or not ad.retroactive:
        return []
    when = d.as_of.date().isoformat() if d.as_of else "HEAD"
    out = []
    for i in ad.retroactive:
        w = b.maintenance[i]
        pos = b.pos(f"/maintenance/windows/{i}")
        out.append(Problem(
            b.path, pos.line, pos.col, "error",
            f"{b.id}: maintenance window {window_span(w.start, w.end)} started before this change "
            f"({when}) and cannot be excluded retroactively: the agreement is the record "
            "customers are told by, so a window written down after it began was not "
            "announced in time. Remove it (the downtime counts) and record it as an "
            "incident; if customers really were told in time, show the announcement in the "
            "pull request: this check cannot verify it and stays failed, so merging is the "
            "approvers' explicit decision",
            Code.HISTORY_RETROACTIVE_MAINTENANCE,
        ))
    return out


def _removed_problem(d: RevisionDiff, ad: AgreementDiff) -> list[Problem]:
    a = ad.old
    n = d.frozen.get(ad.id, 0)
    if a is None or ad.new is not None or not n:
        return []
    return [Problem(
        a.path, 0, 0, "error",
        f"{a.id}: removing the agreement (or changing its id) would drop its {n} frozen "
        f"closed period{'' if n == 1 else 's'} ({d.ledger_dir}/{a.id}/) from the site: "
        "its page, past breaches and feed entries would vanish, and closed periods must "
        "never change silently. To retire the service, keep the file and set contract.end: "
        "nothing is judged after that day, and its past stays published",
        Code.HISTORY_REMOVED_WITH_LEDGER,
    )]


def _commit_problems(d: RevisionDiff, failed: set[str]) -> list[Problem]:
    """An error per commit that changes a merged version's promises in place (one per
    agreement and commit), unless the check against BASE already fails that agreement."""
    out = []
    for cd in d.commits:
        a, b = cd.diff.old, cd.diff.new
        if a is None or b is None or b.path in failed:
            continue
        first = cd.diff.changes[0]
        pos = b.pos(first.pointer) if first.pointer else b.pos("/version")
        more = len(cd.diff.changes) - 1
        out.append(Problem(
            b.path, pos.line, pos.col, "error",
            f"{b.id}: commit {cd.commit[:7]} ({cd.subject}) changes the promises of "
            f"version {b.version}, already merged, in place ({first.what}"
            f"{f'; {more} more' if more else ''}): a merge commit or a rebase merge keeps "
            f"this commit, and the history would judge every period since "
            f"{a.effective.isoformat()} by it, closed ones included. Raise version and set "
            "a new effective date in that same commit, or squash the pull request's "
            "commits into one",
            Code.HISTORY_COMMIT_VERSION_BUMP,
        ))
    return out


def pr_problems(d: RevisionDiff) -> tuple[Problem, ...]:
    """Errors of the pull-request rule, at the line of the change in the new file; and
    the same rule for every commit of the range (see :func:`commit_diffs`)."""
    out: list[Problem] = []
    for ad in d.diffs:
        out += _retroactive_problems(d, ad)
        out += _removed_problem(d, ad)
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
                Code.HISTORY_VERSION_BUMP,
            ))
        elif b.effective <= a.effective:
            pos = b.pos("/effective")
            out.append(Problem(
                b.path, pos.line, pos.col, "error",
                f"{b.id}: version {a.version} → {b.version} changes promises but the effective "
                f"date stays {b.effective.isoformat()}"
                f"{'' if b.effective == a.effective else f' (was {a.effective.isoformat()})'}: "
                "set the date the new version takes effect, after the previous one",
                Code.HISTORY_EFFECTIVE_DATE,
            ))
        elif (day := d.as_of.date() if d.as_of else d.head_date) and b.effective < day:
            pos = b.pos("/effective")
            weaker = next((c for c in promises if c.weakens), None)
            if weaker is not None:
                # periods under way or closed would be judged by a weaker promise than
                # the one customers were given for them, like a backdated maintenance window
                out.append(Problem(
                    b.path, pos.line, pos.col, "error",
                    f"{b.id}: version {b.version} weakens a promise ({weaker.what}) from "
                    f"{b.effective.isoformat()}, before this change ({day.isoformat()}): "
                    "periods already under way or closed would be judged by the weaker "
                    f"promise. Set effective to {day.isoformat()} or later (a new period's "
                    "start, such as the first of next month, is clearest)",
                    Code.HISTORY_RETROACTIVE_WEAKER,
                ))
            else:
                out.append(Problem(
                    b.path, pos.line, pos.col, "warning",
                    f"{b.id}: version {b.version} takes effect on {b.effective.isoformat()}, "
                    f"before this change ({day.isoformat()}): periods from that day on are "
                    "judged by it, even those already closed",
                    Code.HISTORY_RETROACTIVE,
                ))
    out += _acceptance_problems(d)
    failed = {p.path for p in out if p.code in (Code.HISTORY_VERSION_BUMP,
                                                       Code.HISTORY_EFFECTIVE_DATE)}
    out += _commit_problems(d, failed)
    return tuple(sorted(set(out)))


def _acceptance_problems(d: RevisionDiff) -> list[Problem]:
    """A warning for each new version (or new agreement) of a customer agreement that the
    customer has not accepted yet, naming the customer: the policy asks that targets be
    agreed with them. An acceptance carried over unchanged from the version before is
    that version's, not this one's."""
    out = []
    for ad in d.diffs:
        a, b = ad.old, ad.new
        if b is None or not b.customer_name or (a is not None and b.version <= a.version):
            continue
        who = b.customer_name + (f" ({b.customer.name})" if b.customer.name else "")
        stale = a is not None and b.acceptance is not None and b.acceptance == a.acceptance
        if b.acceptance is not None and not stale:
            continue
        pos = b.pos("/acceptance") if stale else b.pos("/version")
        why = (f"its acceptance is the one of version {a.version}" if stale and a is not None
               else "it records no acceptance")
        out.append(Problem(
            b.path, pos.line, pos.col, "warning",
            f"{b.id}: version {b.version} is for customer {who}, and {why}: record who at "
            "the customer accepted it and when (acceptance: {by, date}) once they have",
            Code.HISTORY_UNACCEPTED,
        ))
    return out


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#>~$])")  # "<" becomes &lt; (any renderer)
# GitHub turns "@name" into a mention (a notification) and "#12" into a cross-reference
# after rendering, so a backslash (gone by then) does not stop them; nor does it stop the
# autolinks of bare "https://..." / "www." / e-mail addresses. A zero-width joiner right
# after "@", "#", "://" and "www" does: the text reads the same but matches none of them.
_ZWJ = "\u200d"
_GITHUB_LINKS = re.compile(r"(@|#(?=\d)|:(?=//)|(?<![^\W_])www(?=\.))", re.IGNORECASE)
# what would open a block (list, heading underline) at the start of a list item's text
_BLOCK_START = re.compile(r"^(\d{1,9}(?=[.)])|[-+=])")


def md(text: str) -> str:
    """Text from YAML made inert in Markdown as GitHub renders it: no markup, no HTML,
    no links, images, mentions or issue references, one line."""
    text = " ".join(str(text).split())
    text = _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))
    text = _BLOCK_START.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit()
                            else "\\" + m.group(1), text)
    return _GITHUB_LINKS.sub(lambda m: m.group(1) + _ZWJ, text)


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
                 f"{len(changed)} changed, {len(added)} added, {len(removed)} removed"
                 + (f", {len(d.uncompared)} not compared." if d.uncompared else "."))
    lines.append("")
    if d.uncompared:
        # first: a broken file hides every change in it, weaker promises included
        lines += ["### ❓ Not compared: files that do not load", "",
                  "What these agreements promise differently is not shown, weaker promises "
                  "included: their files do not load at HEAD. Fix the file to see the "
                  "comparison.", ""]
        for u in d.uncompared:
            p = u.problem
            more = f" ({u.more} more under Problems)" if u.more else ""
            what = (f"**{md(u.old.name)}** (`{code(u.old.path)}`)" if u.old is not None
                    else f"`{code(u.path)}` (new at HEAD: added, or an agreement moved here)")
            lines.append(f"- {what}: could not be compared: "
                         f"`{code(p.path)}:{p.line}:{p.col}` {md(p.message)}{more}")
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
    if not d.diffs and not allp and not d.uncompared:
        lines += ["No agreement promises anything differently"
                  + (" in the last commit." if d.uncommitted else "."), ""]
    if d.uncommitted:
        n = len(d.uncommitted)
        lines += [f"Not compared: {n} file{'' if n == 1 else 's'} with uncommitted changes "
                  f"({', '.join(f'`{code(p)}`' for p in d.uncommitted[:5])}"
                  f"{', …' if n > 5 else ''}). HEAD means the last commit: commit the "
                  "changes to compare them.", ""]
    return "\n".join(lines)
