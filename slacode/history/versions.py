"""Agreement history from git: the change log of each agreement and its versions over time.

The file at ``HEAD`` names the agreement: entries and versions are keyed by the id it
has there, and renames of the file are followed back. When history cannot be read
(no git, not a repository, a shallow clone) the functions return nothing and
:func:`slacode.history.gitlog.unavailable` says why; they never raise for that.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath

from slacode.heap import long_lived
from slacode.history import gitlog, store
from slacode.history.semdiff import Change, diff_agreements
from slacode.model import Agreement, visible
from slacode.problems import Code, Problem, printable

#: ``load_text(text, path) -> (Agreement | None, problems)``, as :func:`slacode.load.load_text`
Loader = Callable[[str | bytes, str], tuple[Agreement | None, tuple[Problem, ...]]]


#: ``date`` by another name: :class:`ChangeEntry` has a field called ``date`` (a datetime)
Day = date


@dataclass(frozen=True)
class ChangeEntry:
    """One commit that changed one agreement file, with what it changed in words."""

    service: str  # agreement id (as the file at HEAD names it)
    path: str  # the file at this commit, relative to the project root
    commit: str
    date: datetime  # author date
    author: str
    subject: str
    pr: int | None  # pull request that brought the commit in, when the history says so
    version: int | None  # None when the file could not be read at this commit
    effective: Day | None
    changes: tuple[Change, ...]  # against the file as it was before this commit
    renamed_from: str = ""  # previous path when this commit renamed the file
    #: why, in the words of the change itself: the title of the pull request that brought
    #: the commit in when the history records it, else the commit's subject (without the
    #: "(#12)" of a squash merge)
    reason: str = ""
    problems: tuple[Problem, ...] = ()  # why the file could not be read at this commit
    #: visibility of the version this commit made ("" when it could not be read) and of
    #: the one before ("" when there was none or it could not be read): which audiences
    #: may see this entry, see :func:`for_audience`. :func:`history` always sets both.
    visibility: str = "public"
    previous_visibility: str = "public"

    @property
    def weakens(self) -> bool:
        return any(c.weakens for c in self.changes)

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass(frozen=True)
class _State:
    """One commit of one file, loaded: the raw walk both ``history`` and ``versions`` use."""

    fc: gitlog.FileCommit
    agreement: Agreement | None
    previous: Agreement | None
    problems: tuple[Problem, ...]
    had_previous: bool  # whether a previous state existed (False for additions)
    #: whether the text this commit made, and the one before it, were ever on the
    #: first-parent line of the walked revision (see :func:`gitlog.mainline_blobs`)
    mainline: bool = True
    previous_mainline: bool = True


def _default_loader(cache: Path | None = None) -> Loader:
    """:func:`slacode.load.load_text`; with a cache folder, one that remembers the texts
    that passed the schema by their hash (:mod:`slacode.load.memo`), so that a walk after
    a new commit loads only the new texts. One loader per folder in a process: the walks
    of one build are found again by it."""
    from slacode.load import load_text

    return _memo_loader(cache) if cache is not None else load_text


def _plain_loader() -> Loader:
    """:func:`slacode.load.load_text` remembering in memory only: for a few texts
    (``slacode diff``), reading and rewriting the remembered texts of the whole history
    costs more than it saves. A tree of many new texts (``diff``'s BASE) is still checked
    on two cores (:mod:`slacode.load.prefetch`). One per process, as :func:`_memo_loader`
    keeps it."""
    return _memo_loader(None)


@lru_cache(maxsize=4)
def _memo_loader(cache: Path | None) -> Loader:
    from slacode.load import load_text
    from slacode.load.memo import HISTORY_FILE, Validated
    from slacode.load.prefetch import prefetch

    memo = Validated(cache, HISTORY_FILE)

    def load(text: str | bytes, path: str) -> tuple[Agreement | None, tuple[Problem, ...]]:
        return load_text(text, path, memo)

    load.save = memo.save  # type: ignore[attr-defined]
    load.prefetch = lambda items: prefetch(items, memo)  # type: ignore[attr-defined]
    return load


def _save(load: Loader) -> None:
    """Write what a remembering loader learnt (nothing for another loader)."""
    save = getattr(load, "save", None)
    if save is not None:
        save()


class _Cache:
    """Each distinct blob is parsed once, however many commits share it."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self.seen: dict[tuple[str, str], tuple[Agreement | None, tuple[Problem, ...]]] = {}
        self.by_id: set[tuple[str, str]] = set()  # keys that are git's blob ids

    def knows(self, blob: bytes, path: str, oid: str | None = None) -> bool:
        """Whether :meth:`load` has this text as this file already."""
        return (oid or hashlib.sha256(blob).hexdigest(), path) in self.seen

    def load(self, blob: bytes, path: str, oid: str | None = None
             ) -> tuple[Agreement | None, tuple[Problem, ...]]:
        """``blob`` loaded as the file ``path``; ``oid``, git's id of the blob, saves
        hashing it."""
        key = (oid or hashlib.sha256(blob).hexdigest(), path)
        if oid is not None:
            self.by_id.add(key)
        if key not in self.seen:
            try:
                self.seen[key] = self.loader(blob.decode("utf-8", "replace"), path)
            except Exception as exc:  # an old bad file must not stop the log
                self.seen[key] = (None, (Problem(path, 0, 0, "error", f"cannot read: {exc}",
                                                  Code.HISTORY_UNREADABLE),))
        return self.seen[key]


#: one :class:`_Cache` per loader in a process: ``slacode diff`` loads BASE, HEAD and the
#: commits between, mostly the same texts (the loaders are kept, so their ids stay theirs)
_CACHES: dict[int, tuple[Loader, _Cache]] = {}


def _shared(load: Loader) -> _Cache:
    got = _CACHES.get(id(load))
    if got is None or got[0] is not load or len(got[1].seen) > 50_000:
        got = _CACHES[id(load)] = (load, _Cache(load))
    return got[1]


def _rel(top_path: str, pre: str) -> str:
    return top_path[len(pre):] if pre and top_path.startswith(pre) else top_path


#: the problem code of history that git could not read (a strict build fails on it)
HISTORY_ERROR = Code.HISTORY_ERROR


@dataclass
class _Walked:
    """What a walk found: file (top-level path) -> (id at the revision, states newest
    first), and why any of it could not be read."""

    files: dict[str, tuple[str, list[_State]]]
    problems: dict[str, Problem]  # by message: history and versions may add the same
    #: :func:`history`'s answer and the pull-request numbers it used, once asked
    #: (the pull-request number of each commit in the change log, as it was read)
    changes: tuple[dict[str, int | None], dict[str, tuple[ChangeEntry, ...]]] | None = None
    #: :func:`versions`' answer, once asked
    versions: dict[str, tuple[Agreement, ...]] | None = None
    #: where the answers are stored (cache folder, root, folder walked, commit)
    stored: tuple[Path, Path, str, str] | None = None
    #: whether ``files`` was read (False for answers taken from the store)
    read: bool = True
    #: the commit the answers were read at (the store's, which may be another commit
    #: with the same agreements)
    at: str = ""

    def save(self) -> None:
        """Store both answers for the next build (:mod:`slacode.history.store`): they
        are what a build asks, and far smaller than the walk (one agreement per version,
        not per text)."""
        if self.stored is None or self.problems or self.changes is None \
                or self.versions is None:
            return
        folder, root, slas_dir, commit = self.stored
        store.save(folder, root, slas_dir, {"commit": commit, "versions": self.versions,
                                            "changes": self.changes})

    def ensure_read(self, root: Path, slas_dir: str, commit: str, load: Loader) -> None:
        """Read the walk itself, when only stored answers were taken and one of them no
        longer holds."""
        if self.read:
            return
        self.read = True
        try:
            _walk_files(root, slas_dir, commit, load, self)
        except gitlog.GitError as exc:
            p = _lost(slas_dir, exc, "every agreement's change log and past versions")
            self.files, self.problems, self.stored = {}, {p.message: p}, None


def _lost(path: str, exc: Exception, what: str = "its change log and past versions") -> Problem:
    return Problem(path, 0, 0, "warning", f"history not read: {printable(str(exc))}; {what} "
                   "are missing from this build", HISTORY_ERROR)


#: the last walks, so that ``history`` and ``versions`` of one build read git once
_WALKS: dict[tuple[str, str, str, int | str], _Walked] = {}


def _walk(root: Path, slas_dir: str, rev: str, loader: Loader | None,
          cache: Path | None = None) -> _Walked:
    """Every agreement file's states at ``rev``. Never raises for git: a git command that
    fails is a :data:`HISTORY_ERROR` problem naming what lost its history (one file, or
    the whole folder), never silence. (History that is simply not there, outside a
    repository or in a shallow clone, is :func:`gitlog.unavailable`'s to say.)"""
    root = Path(root)
    if gitlog.unavailable(root):
        return _Walked({}, {})
    try:
        commit = gitlog.resolve(root, rev)
    except gitlog.GitError as exc:
        p = _lost(slas_dir, exc, "every agreement's change log and past versions")
        return _Walked({}, {p.message: p})
    # the default loader reads its remembered texts when made: only a walk needs it
    key = (str(root.resolve()), slas_dir, commit, id(loader) if loader else str(cache))
    if key not in _WALKS:
        if len(_WALKS) >= 4:
            _WALKS.pop(next(iter(_WALKS)))
        # the last build's walk, when nothing under the folder changed since (only with
        # the default loader: another one may read the same texts differently)
        keep = cache is not None and loader is None
        entry = store.load(cache, root, slas_dir, commit) if cache is not None and keep \
            else None
        if entry is not None and isinstance(entry.get("versions"), dict) \
                and isinstance(entry.get("changes"), tuple):
            walked = _Walked({}, {}, changes=entry["changes"], versions=entry["versions"],
                             read=False, at=str(entry.get("commit")))
        else:
            walked = _Walked({}, {})
            try:
                _walk_files(root, slas_dir, commit, loader or _default_loader(cache), walked)
            except gitlog.GitError as exc:
                p = _lost(slas_dir, exc, "every agreement's change log and past versions")
                walked = _Walked({}, {p.message: p})
        walked.at = walked.at or commit
        if cache is not None and keep and not walked.problems:
            walked.stored = (cache, root, slas_dir, commit)
        _WALKS[key] = walked
    return _WALKS[key]


def problems(
    root: Path, slas_dir: str = "slas", rev: str = "HEAD", loader: Loader | None = None,
    cache: Path | None = None,
) -> tuple[Problem, ...]:
    """Why part of the history of ``slas_dir`` could not be read (see :func:`_walk`): a
    build shows these and a strict build fails on them, so that no agreement loses its
    history quietly. Reads git only when :func:`history` or :func:`versions` has not."""
    return tuple(sorted(_walk(Path(root), slas_dir, rev, loader, cache).problems.values()))


def _walk_files(root: Path, slas_dir: str, commit: str, load: Loader, walked: _Walked,
                only: Iterable[str] | None = None) -> None:
    """:func:`_walk_texts` with what it has loaded kept from the garbage collector's full
    scans (:func:`slacode.heap.long_lived`): the texts, parsed documents and agreements of
    a walk live to its end, and scanning them again each time the heap grew by a quarter
    was a fifth of a cold walk of 5,000 commits (4.1 s with the scans, 3.2 s without)."""
    with long_lived() as keep:
        _walk_texts(root, slas_dir, commit, load, walked, only, keep)


def _walk_texts(root: Path, slas_dir: str, commit: str, load: Loader, walked: _Walked,
                only: Iterable[str] | None, keep: Callable[[], None]) -> None:
    """Each agreement file at ``commit``: its log, and each state loaded with the one
    before, into ``walked``. A file whose history git cannot give (a line break in one of
    its names refuses ``REV:PATH``) is a problem of its own: the others keep theirs.

    Git is read a fixed number of times whatever the size of the history: one ``git
    log`` of the folder gives every file's commits (:func:`gitlog.folder_logs`), one
    ``git cat-file --batch-check`` the blob each state names, one ``git cat-file
    --batch`` the distinct texts; each distinct text is loaded once. ``only``: the files
    (top-level paths) to walk, when not all."""
    pre = gitlog.prefix(root)
    cache = _shared(load)
    out = walked.files
    folder = f"{pre}{slas_dir.strip('/')}"
    files = gitlog.tracked_files(root, commit, slas_dir)
    if only is not None:
        chosen = set(only)
        files = [f for f in files if f in chosen]
    logs: dict[str, list[gitlog.FileCommit]] = {}
    for path, got in gitlog.folder_logs(root, commit, folder, files).items():
        if isinstance(got, gitlog.GitError):
            p = _lost(_rel(path, pre), got)
            walked.problems[p.message] = p
        else:
            logs[path] = got
    # a pull request merged with a merge commit keeps its own commits beside the main
    # line; their intermediate texts were never what the branch held
    merged = bool(gitlog.git(root, "rev-list", "--merges", "-n1", commit).strip())
    # the folder as one path (git matches 200 file names on every commit 15 times slower),
    # and the names outside it that a file had before a rename. The set grows by the texts
    # of the folder's other files: two agreement files never hold the same bytes (the id
    # differs), so no text is taken for the main line's that was not there.
    names = {p for log in logs.values() for fc in log for p in (fc.path, fc.old_path)}
    main = gitlog.mainline_blobs(root, commit, [folder, *sorted(
        p for p in names if not p.startswith(f"{folder}/"))]) if merged else set()
    # every state's two texts (this commit's, the one before), as REV:PATH specs
    specs: dict[str, list[str]] = {}
    for path, log in list(logs.items()):
        mine: list[str] = []
        for fc in log:
            mine.append(f"{fc.commit}:{fc.path}")
            mine.append(f"{fc.parents[0]}:{fc.old_path}"
                        if fc.parents and fc.status not in ("A", "C") else "")
        bad = next((s for s in mine if "\n" in s), None)
        if bad is not None:  # git cannot name this text: this file loses its history
            p = _lost(_rel(path, pre), gitlog.GitError(f"invalid object name {bad!r}"))
            walked.problems[p.message] = p
            del logs[path]
            continue
        specs[path] = mine
    wanted = list(dict.fromkeys(s for mine in specs.values() for s in mine if s))
    oid_of = dict(zip(wanted, gitlog.blob_ids(root, wanted), strict=True))
    texts = gitlog.read_objects(root, sorted({o for o in oid_of.values() if o}))
    #: per file: each text's blob id and bytes (new, old, new, old, ...), and per state
    #: (mainline, previous_mainline) and whether its new and its old text are loaded
    plans: dict[str, tuple[list[str | None], list[bytes | None], list[tuple[bool, bool]],
                           list[tuple[bool, bool]]]] = {}
    for path, log in logs.items():
        ids = [oid_of.get(s) if s else None for s in specs[path]]
        contents = [texts.get(o) if o else None for o in ids]
        flags = [(not merged or ids[2 * i] in main,
                  not merged or contents[2 * i + 1] is None or ids[2 * i + 1] in main)
                 for i in range(len(log))]
        # a text :func:`_main_line` drops (a pull request's own step) is never loaded; the
        # newest names the agreement, and when no text is the branch's all are kept
        keep_all = not any(m for m, _ in flags)
        loads = [(m or keep_all or i == 0, p or keep_all) for i, (m, p) in enumerate(flags)]
        plans[path] = (ids, contents, flags, loads)
    ahead = getattr(load, "prefetch", None)
    if ahead is not None:  # a walk with a memo: the texts' parse and schema on two cores
        items: list[tuple[str | bytes, str]] = []
        for path, log in logs.items():
            ids, contents, _, loads = plans[path]
            for i, fc in enumerate(log):
                for j, name, taken in ((2 * i, fc.path, loads[i][0]),
                                       (2 * i + 1, fc.old_path, loads[i][0] and loads[i][1])):
                    blob, rel = contents[j], _rel(name, pre)
                    if taken and blob is not None and not cache.knows(blob, rel, ids[j]):
                        items.append((blob.decode("utf-8", "replace"), rel))
        ahead(items)
        keep()
    for path, log in logs.items():
        ids, contents, flags, loads = plans[path]
        states = []
        for i, fc in enumerate(log):
            new_blob, old_blob = contents[2 * i], contents[2 * i + 1]
            mainline, previous_mainline = flags[i]
            rel_new, rel_old = _rel(fc.path, pre), _rel(fc.old_path, pre)
            ag: Agreement | None = None
            problems: tuple[Problem, ...] = ()
            prev = None
            if loads[i][0]:
                ag, problems = cache.load(new_blob, rel_new, ids[2 * i]) \
                    if new_blob is not None else (None, (Problem(
                        rel_new, 0, 0, "error", "file missing at this commit",
                        Code.HISTORY_FILE_MISSING),))
                if old_blob is not None and loads[i][1]:
                    prev = cache.load(old_blob, rel_old, ids[2 * i + 1])[0]
            states.append(_State(fc, ag, prev, problems, old_blob is not None,
                                 mainline=mainline, previous_mainline=previous_mainline))
        head = states[0].agreement if states else None
        ident = head.id if head else PurePosixPath(path).stem
        out[path] = (ident, states)
        keep()
    _save(load)


def history(
    root: Path, slas_dir: str = "slas", rev: str = "HEAD", loader: Loader | None = None,
    cache: Path | None = None,
) -> dict[str, tuple[ChangeEntry, ...]]:
    """Agreement id -> every commit that changed its file, newest first, with the
    semantic diff against the file before that commit. Empty when history is unavailable.
    ``cache``: the folder where the walk is kept for the next build (see
    :mod:`slacode.history.store`)."""
    root = Path(root)
    walked = _walk(root, slas_dir, rev, loader, cache)
    if walked.read and not walked.files:
        return {}
    if walked.changes is not None and walked.at and walked.at == gitlog.resolve(root, rev):
        return dict(walked.changes[1])  # read at this very commit: nothing to check
    try:
        prs = gitlog.pr_numbers(root, rev)
    except gitlog.GitError as exc:
        prs = {}
        p = _lost(slas_dir, exc, "the pull-request numbers of the change log")
        walked.problems[p.message] = p
    try:
        titles = gitlog.pr_titles(root, rev)
    except gitlog.GitError:
        titles = {}  # the commit subjects stand in: nothing of the change log is lost
    try:
        pre = gitlog.prefix(root)
    except gitlog.GitError as exc:
        p = _lost(slas_dir, exc, "the change log of every agreement")
        walked.problems[p.message] = p
        return {}
    if walked.changes is not None and all(prs.get(c) == n
                                          for c, n in walked.changes[0].items()):
        # the answer already made: its commits still belong to the same pull requests
        # (a later merge elsewhere adds numbers, but never changes these)
        return dict(walked.changes[1])
    if not walked.read:
        walked.ensure_read(root, slas_dir, gitlog.resolve(root, rev),
                           loader or _default_loader(cache))
        walked.versions = None
    out: dict[str, tuple[ChangeEntry, ...]] = {}
    for ident, all_states in walked.files.values():
        entries = []
        for st in _main_line(all_states):
            fc = st.fc
            changes: tuple[Change, ...]
            if st.agreement is None:
                changes = ()
            elif not st.had_previous:
                changes = diff_agreements(None, st.agreement)
            elif st.previous is None:  # the previous state did not load: nothing to compare
                changes = (Change("agreement rewritten (the previous version could not be read)",
                                  weakens=False, promise=True, code="agreement-rewritten"),)
            else:
                changes = diff_agreements(st.previous, st.agreement)
            renamed = _rel(fc.old_path, pre) if fc.status == "R" and fc.old_path != fc.path else ""
            if renamed:
                changes = (Change(f"file renamed from {renamed}", promise=False,
                                  code="file-renamed", params={"old": renamed}), *changes)
            pr = gitlog.pr_from_subject(fc.subject) or prs.get(fc.commit)
            entries.append(ChangeEntry(
                service=ident, path=_rel(fc.path, pre), commit=fc.commit, date=fc.date,
                author=fc.author, subject=fc.subject,
                pr=pr,
                reason=(titles.get(pr) if pr is not None else None)
                or gitlog.reason_of(fc.subject),
                version=st.agreement.version if st.agreement else None,
                effective=st.agreement.effective if st.agreement else None,
                changes=changes, renamed_from=renamed,
                problems=st.problems if st.agreement is None else (),
                visibility=st.agreement.visibility if st.agreement else "",
                previous_visibility=st.previous.visibility if st.previous else "",
            ))
        out[ident] = (*out.get(ident, ()), *entries)
    walked.changes = ({e.commit: prs.get(e.commit) for es in out.values() for e in es}, out)
    walked.save()
    return dict(out)


def _main_line(states: Sequence[_State]) -> list[_State]:
    """``states`` (newest first) without the texts the branch never held: the commits of
    a pull request merged with a merge commit, up to the one whose text was merged. The
    merged one is compared with the text before the pull request, so the change log has
    one entry saying what the pull request changed, not a step that never was in force
    (e.g. a version's target changed in place, then the version raised)."""
    if all(st.mainline for st in states):
        return list(states)
    kept: list[_State] = []
    before: _State | None = None  # the last text the branch held, walking oldest first
    for st in reversed(states):
        if not st.mainline:
            continue
        if not st.previous_mainline:
            st = replace(st, previous=before.agreement if before else None,
                         had_previous=before is not None, previous_mainline=True)
        kept.append(st)
        before = st
    return kept[::-1] or list(states)  # never nothing: the text at the tip is the branch's


def _visible(visibility: str, audience: str) -> bool:
    if not visibility:  # the version could not be read: who may see it is unknown
        return audience == "internal"
    return visible(visibility, audience)


def for_audience(entries: Iterable[ChangeEntry], audience: str) -> tuple[ChangeEntry, ...]:
    """The change log a build for ``audience`` may show.

    A version outside the audience (e.g. the agreement while it was internal) must not
    reach it, not even as the "before" side of a diff: an entry whose new version is
    outside is dropped, and one that makes the agreement visible (the version before was
    outside) says only that it was published, with no old name, id, path or values, and
    without its commit's subject or pull-request title (they may name the old version).
    """
    out = []
    for e in entries:
        if not _visible(e.visibility, audience):
            continue
        if e.previous_visibility and not _visible(e.previous_visibility, audience):
            what = f"agreement {e.service} published"
            params: dict[str, object] = {"id": e.service}
            if e.version is not None and e.effective is not None:
                what += f" (version {e.version}, effective {e.effective.isoformat()})"
                params |= {"version": e.version, "effective": e.effective.isoformat()}
            # nor the commit's words, which may name what the audience may not see
            e = replace(e, changes=(Change(what, weakens=False, promise=True,
                                           code="agreement-published", params=params),),
                        renamed_from="", previous_visibility="", subject="", reason="")
        out.append(e)
    return tuple(out)


def versions(
    root: Path, slas_dir: str = "slas", rev: str = "HEAD", loader: Loader | None = None,
    cache: Path | None = None,
) -> dict[str, tuple[Agreement, ...]]:
    """Agreement id -> every distinct version of it in the history, by effective date.

    A version is its number: when a file changed without a bump (a typo fix, or a
    pull request whose later commit corrected the version's effective date), the newest
    content of that version counts, effective date included; an intermediate text of a
    version never leaves a stray version in force for some days. (A promise of a version
    already merged may not change in place: ``slacode diff --pr`` checks every commit.)
    Old versions carry the id the file has at ``rev``, so they line up with today's
    results. Empty when history is unavailable.
    """
    walked = _walk(Path(root), slas_dir, rev, loader, cache)
    if walked.versions is not None:
        return dict(walked.versions)
    out = _versions(walked)
    walked.versions = out
    walked.save()
    return dict(out)


def _versions(walked: _Walked) -> dict[str, tuple[Agreement, ...]]:
    out: dict[str, tuple[Agreement, ...]] = {}
    for ident, states in walked.files.values():
        seen: dict[int, Agreement] = {}
        for st in _main_line(states):  # newest first: the first state of a version wins
            a = st.agreement
            if a is not None and a.version not in seen:
                seen[a.version] = a if a.id == ident else replace(a, id=ident)
        out[ident] = tuple(sorted(seen.values(), key=lambda a: (a.effective, a.version)))
    return out


def versions_of(
    root: Path, files: Mapping[str, str], slas_dir: str = "slas", rev: str = "HEAD",
    loader: Loader | None = None, cache: Path | None = None,
) -> dict[str, tuple[Agreement, ...]]:
    """:func:`versions` of some agreement files only (``files``: path relative to
    ``root`` -> the id of the agreement there at ``rev``): what a check of a few files
    asks (``slacode diff --pr``), without reading every file's history. The stored
    answers of the last build serve it when they hold for ``rev`` (only these
    agreements' are decoded). Raises :class:`gitlog.GitError` when git cannot tell."""
    root = Path(root)
    commit = gitlog.resolve(root, rev)
    pre = gitlog.prefix(root)
    paths = sorted(files)
    entry = store.load(cache, root, slas_dir, commit, ids=set(files.values()),
                       changes=False) if cache is not None and loader is None else None
    if entry is not None and isinstance(entry.get("versions"), dict):
        return dict(entry["versions"])
    walked = _Walked({}, {})
    _walk_files(root, slas_dir, commit, loader or _plain_loader(), walked,
                only=[f"{pre}{p}" for p in paths])
    return _versions(walked)


def in_force(versions: Sequence[Agreement], day: date) -> Agreement | None:
    """The version effective on ``day``: the latest ``effective`` on or before it (the
    highest version among equal dates); ``None`` before the first one."""
    best = None
    for a in versions:
        if a.effective <= day and (best is None or (a.effective, a.version)
                                   >= (best.effective, best.version)):
            best = a
    return best


def in_force_during(versions: Sequence[Agreement], first: date, last: date
                    ) -> tuple[Agreement, ...]:
    """Every version in force on some day from ``first`` to ``last`` (both included): the
    one in force on ``first`` and each taking effect after it, up to ``last``. Before the
    first version took effect, the earliest stands in (it is the promise a page presents
    then, and the one evaluate draws the 90-day strip by). What a build publishes about
    those days must pass the audience check of each of them."""
    start = in_force(versions, first)
    if start is None and versions:
        start = min(versions, key=lambda a: (a.effective, a.version))
    later = [a for a in versions if first < a.effective <= last]
    return tuple(a for a in (start, *later) if a is not None)


def upcoming(versions: Sequence[Agreement], today: date) -> tuple[Agreement, ...]:
    """Versions already merged whose effective date is still ahead, soonest first."""
    return tuple(sorted((a for a in versions if a.effective > today),
                        key=lambda a: (a.effective, a.version)))


def agreements_at(
    root: Path, rev: str, slas_dir: str = "slas", loader: Loader | None = None,
    cache: Path | None = None,
) -> tuple[dict[str, Agreement], dict[str, tuple[Problem, ...]]]:
    """The agreements of ``slas_dir`` at ``rev``: path -> agreement, path -> problems
    (paths relative to ``root``). Raises :class:`gitlog.GitError` when git cannot tell.
    ``cache``: a folder where texts that passed the schema are remembered by hash."""
    root = Path(root)
    commit = gitlog.resolve(root, rev)
    pre = gitlog.prefix(root)
    files = gitlog.tracked_blobs(root, commit, slas_dir)
    load = loader or _default_loader(cache)
    texts = _shared(load)
    contents = gitlog.read_objects(root, sorted({o for f, o in files.items()
                                                 if (o, _rel(f, pre)) not in texts.by_id}))
    ahead = getattr(load, "prefetch", None)
    if ahead is not None:  # a tree of many new texts: their parse and schema on two cores
        ahead([(contents[o].decode("utf-8", "replace"), _rel(f, pre))
               for f, o in sorted(files.items()) if o in contents])
    good: dict[str, Agreement] = {}
    bad: dict[str, tuple[Problem, ...]] = {}
    for f, oid in sorted(files.items()):
        rel = _rel(f, pre)
        blob = contents.get(oid, b"")
        if (oid, rel) not in texts.by_id and oid not in contents:
            continue
        ag, problems = texts.load(blob, rel, oid)
        if ag is not None:
            good[rel] = ag
        if any(p.severity == "error" for p in problems):
            bad[rel] = problems
    _save(load)
    return good, bad
