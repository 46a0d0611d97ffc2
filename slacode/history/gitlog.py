"""Read-only git plumbing for the history of ``slas/``: logs, blobs, pull-request numbers.

Every call runs ``git`` as a subprocess with settings that make reading an untrusted
clone safe and offline: no hooks, no fsmonitor, no pager, no external diff or
textconv drivers, no network protocol (a partial clone cannot fetch), no prompt, and
none of the caller's ``GIT_*`` variables. Nothing here changes the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_SAFE = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.pager=cat",
    "-c", "core.quotePath=false",
    "-c", "protocol.allow=never",
    "-c", "color.ui=false",
    "-c", "log.showSignature=false",
    "-c", "log.follow=false",
    "-c", "diff.renames=true",
    "-c", "i18n.logOutputEncoding=UTF-8",
    "--no-pager",
)
_TIMEOUT = 120

#: "Merge pull request #12 from owner/branch" (GitHub merge button)
MERGE_PR = re.compile(r"^Merge pull request #(\d+)\b")
#: "Title of the change (#12)" (GitHub squash and rebase merges)
SQUASH_PR = re.compile(r"\(#(\d+)\)\s*$")
#: "See merge request group/project!12" (GitLab merge commits)
GITLAB_MR = re.compile(r"^See merge request \S+!(\d+)\s*$", re.MULTILINE)


class GitError(Exception):
    """git failed or is not usable here; the message is fit for the user."""


@dataclass(frozen=True)
class FileCommit:
    """One commit that changed one file, as ``git log --follow`` lists it."""

    commit: str
    parents: tuple[str, ...]
    date: datetime  # author date
    author: str
    subject: str
    status: str  # A (added), M (modified), R (renamed), C (copied: an addition), T (type changed)
    path: str  # path after the commit, relative to the git top level
    old_path: str  # path before the commit (same as path unless renamed)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_PAGER="cat",
        GIT_NO_LAZY_FETCH="1",
        LC_ALL="C",
    )
    return env


def git(root: Path, *args: str, stdin: bytes | None = None, check: bool = True) -> bytes:
    """Run ``git ARGS`` in ``root`` with the safe settings; stdout as bytes."""
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed")
    try:
        proc = subprocess.run(
            [exe, *_SAFE, *args], cwd=root, input=stdin, capture_output=True,
            env=_env(), timeout=_TIMEOUT, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]} failed: {exc}") from None
    if check and proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {msg[-1] if msg else proc.returncode}")
    return proc.stdout


def unavailable(root: Path) -> str:
    """Why the git history of ``root`` cannot be read ("" when it can).

    A shallow clone counts as unavailable: its history is cut short, and a change log
    that silently starts at the clone depth would mislead.
    """
    if not root.is_dir():
        return f"{root} is not a folder"
    try:
        out = git(root, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository",
                  check=False)
    except GitError as exc:
        return str(exc)
    lines = out.decode().split()
    if len(lines) < 2 or lines[0] != "true":
        return "not a git repository"
    if lines[1] == "true":
        return "shallow clone (fetch the full history, e.g. actions/checkout with fetch-depth: 0)"
    if not git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip():
        return "no commits yet"
    return ""


def prefix(root: Path) -> str:
    """``root`` relative to the git top level, with a trailing slash ("" at the top)."""
    return git(root, "rev-parse", "--show-prefix").decode().strip()


def toplevel(root: Path) -> Path:
    """The top folder of the work tree ``root`` is in."""
    return Path(git(root, "rev-parse", "--show-toplevel").decode().strip())


def resolve(root: Path, rev: str) -> str:
    """The commit a revision names; a clear error for an unknown one."""
    if not rev or rev.startswith("-"):
        raise GitError(f"invalid revision {rev!r}")
    out = git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}",
              check=False).decode().strip()
    if not out:
        raise GitError(f"unknown revision {rev!r}")
    return out


def commit_date(root: Path, commit: str) -> datetime:
    """When ``commit`` was committed (its committer date)."""
    out = git(root, "show", "-s", "--format=%cI", "--end-of-options", commit)
    return datetime.fromisoformat(out.decode().strip())


def merge_base(root: Path, a: str, b: str) -> str | None:
    out = git(root, "merge-base", a, b, check=False).decode().strip()
    return out or None


def tracked_files(root: Path, rev: str, folder: str) -> list[str]:
    """``*.yaml``/``*.yml`` files under ``folder`` at ``rev``, relative to the top level."""
    out = git(root, "ls-tree", "-r", "-z", "--name-only", "--full-name", rev, "--", folder)
    return sorted(p for p in out.decode("utf-8", "replace").split("\0")
                  if p.endswith((".yaml", ".yml")))


def tracked_blobs(root: Path, rev: str, folder: str) -> dict[str, str]:
    """:func:`tracked_files` with the blob id of each: path -> id, one ``git ls-tree``."""
    out = git(root, "ls-tree", "-r", "-z", "--full-name", rev, "--", folder)
    found = {}
    for rec in out.decode("utf-8", "replace").split("\0"):
        meta, _, path = rec.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and path.endswith((".yaml", ".yml")):
            found[path] = parts[2]
    return found


def file_log(root: Path, path: str, rev: str = "HEAD") -> list[FileCommit]:
    """Every commit reachable from ``rev`` that changed ``path`` (top-level relative),
    following renames; newest first (topological order).

    Only a real rename (status R: the old file went away) carries older history.
    ``--follow`` also follows copies (it always looks for them), so a new file copied
    from another would take over that file's history: an internal agreement copied to a
    public one would publish the internal one's names and values. A copy (status C) is
    therefore where the file's history starts: it is listed as an addition
    (``old_path == path``) and nothing older is read. Likewise a deletion (status D)
    ends it: what is older belongs to a deleted file that had the same name.
    """
    fmt = "%x1e%H%x1f%P%x1f%aI%x1f%an%x1f%s"
    out = git(
        root, "log", "--follow", "-M", "--topo-order", "--no-ext-diff", "--no-textconv",
        "--name-status", "-z", f"--format={fmt}", rev, "--", f":(top,literal){path}",
    ).decode("utf-8", "replace")
    entries = []
    name = path  # the file's name at the commit being read (older names after a rename)
    for rec in out.split("\x1e")[1:]:
        head, _, rest = rec.partition("\0")
        commit, parents, date, author, subject = head.split("\x1f", 4)
        fields = [f for f in rest.strip("\n").split("\0") if f != ""]
        fields = [f.lstrip("\n") for f in fields]
        status, old, new = "M", name, name  # a merge lists no files: it kept the name
        if fields:
            status = fields[0][:1]
            if status == "D":
                break  # a file deleted here; the one at ``path`` was added after it
            if status == "R" and len(fields) >= 3:
                old, new = fields[1], fields[2]
            elif status == "C" and len(fields) >= 3:
                old = new = fields[2]  # a copy starts a new history (see above)
            elif len(fields) >= 2:
                old = new = fields[1]
        name = old
        entries.append(FileCommit(
            commit=commit, parents=tuple(parents.split()), date=datetime.fromisoformat(date),
            author=author, subject=subject, status=status, path=new, old_path=old,
        ))
        if status == "C":
            break  # anything older is the copied file's history
    return entries


def read_blobs(root: Path, specs: Sequence[str]) -> list[bytes | None]:
    """Contents of ``REV:PATH`` specs (top-level paths) in one ``git cat-file --batch``;
    ``None`` for a missing one."""
    if not specs:
        return []
    for s in specs:
        if "\n" in s:
            raise GitError(f"invalid object name {s!r}")
    data = git(root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in specs).encode())
    out: list[bytes | None] = []
    pos = 0
    for _ in specs:
        eol = data.index(b"\n", pos)
        header = data[pos:eol].split()
        pos = eol + 1
        if len(header) == 3 and header[1] in (b"blob",):
            size = int(header[2])
            out.append(data[pos:pos + size])
            pos += size + 1
        elif len(header) == 3 and header[2].isdigit():  # not a blob (a tree): skip its body
            pos += int(header[2]) + 1
            out.append(None)
        else:  # "<spec> missing" / "ambiguous"
            out.append(None)
    return out


def read_objects(root: Path, oids: Sequence[str]) -> dict[str, bytes]:
    """Object id -> contents of each blob of ``oids``, in one ``git cat-file --batch``."""
    if not oids:
        return {}
    data = git(root, "cat-file", "--batch", stdin="".join(f"{o}\n" for o in oids).encode())
    out: dict[str, bytes] = {}
    pos = 0
    for oid in oids:
        eol = data.index(b"\n", pos)
        header = data[pos:eol].split()
        pos = eol + 1
        if len(header) == 3 and header[2].isdigit():
            size = int(header[2])
            if header[1] == b"blob":
                out[oid] = data[pos:pos + size]
            pos += size + 1
    return out


def pr_from_subject(subject: str) -> int | None:
    """The pull-request number a merge or squash subject names, else ``None``."""
    m = MERGE_PR.match(subject) or SQUASH_PR.search(subject)
    return int(m.group(1)) if m else None


def reason_of(subject: str) -> str:
    """A commit subject as the reason for a change: without the "(#12)" a squash merge
    appends (the number is given as a link of its own)."""
    return SQUASH_PR.sub("", subject).strip()


def pr_titles(root: Path, rev: str) -> dict[int, str]:
    """Pull-request number -> its title, as the main line of ``rev`` records it: the
    squash commit's subject ("Title (#12)"), or the first line of the body of a merge
    commit ("Merge pull request #12 from ..." on GitHub, "See merge request g/p!12" on
    GitLab, both of which put the title there). One git call."""
    out = git(root, "log", "--first-parent", "--format=%x1e%s%x1f%b", rev).decode(
        "utf-8", "replace")
    titles: dict[int, str] = {}
    for rec in out.split("\x1e")[1:]:
        subject, _, body = rec.partition("\x1f")
        lines = [line.strip() for line in body.splitlines() if line.strip()]
        m = MERGE_PR.match(subject)
        gl = GITLAB_MR.search(body)
        if m:
            number, title = int(m.group(1)), lines[0] if lines else ""
        elif gl:
            number = int(gl.group(1))
            title = lines[0] if lines and not GITLAB_MR.match(lines[0]) else ""
        elif (sq := SQUASH_PR.search(subject)) is not None:
            number, title = int(sq.group(1)), reason_of(subject)
        else:
            continue
        if title:
            titles.setdefault(number, title)  # newest first: a later reuse never wins
    return titles


def pr_numbers(root: Path, rev: str) -> dict[str, int]:
    """Commit -> number of the pull request that brought it into ``rev``'s first-parent line.

    Each "Merge pull request #N" merge owns the commits its other parents add; squash
    commits ("Title (#N)") and GitLab merges ("See merge request g/p!N") name themselves.
    The earliest merge that brought a commit in wins. Two git calls, one pass over the graph.
    """
    parents: dict[str, list[str]] = {}
    for line in git(root, "rev-list", "--parents", rev).decode().splitlines():
        commit, *ps = line.split()
        parents[commit] = ps
    mainline: list[tuple[str, int | None]] = []
    out = git(root, "log", "--first-parent", "--format=%x1e%H%x1f%s%x1f%b", rev).decode(
        "utf-8", "replace")
    for rec in out.split("\x1e")[1:]:
        commit, subject, body = rec.split("\x1f", 2)
        number = pr_from_subject(subject)
        if number is None:
            m = GITLAB_MR.search(body)
            number = int(m.group(1)) if m else None
        mainline.append((commit, number))
    seen = {c for c, _ in mainline}
    owner: dict[str, int] = {}
    for commit, number in reversed(mainline):  # oldest first
        if number is not None:
            owner[commit] = number
        stack = list(parents.get(commit, [])[1:])
        while stack:  # what this merge brought in: not on the main line, not brought before
            c = stack.pop()
            if c in seen:
                continue
            seen.add(c)
            if number is not None:
                owner[c] = number
            stack.extend(parents.get(c, []))
    return owner


def blob_ids(root: Path, specs: Sequence[str]) -> list[str | None]:
    """Object ids of ``REV:PATH`` specs (top-level paths) in one ``git cat-file
    --batch-check``; ``None`` for a missing one or one that is not a file."""
    if not specs:
        return []
    for s in specs:
        if "\n" in s:
            raise GitError(f"invalid object name {s!r}")
    out = git(root, "cat-file", "--batch-check=%(objectname) %(objecttype)",
              stdin="".join(f"{s}\n" for s in specs).encode()).decode().splitlines()
    ids: list[str | None] = []
    for line in out[:len(specs)]:
        oid, _, kind = line.partition(" ")
        ids.append(oid if kind == "blob" else None)
    return ids


def mainline_blobs(root: Path, rev: str, paths: Sequence[str]) -> set[str]:
    """Every content that ``paths`` (top-level) had at some commit of ``rev``'s first-parent
    line: what the branch itself held, as opposed to the intermediate texts of a pull
    request's own commits (a merge commit brings those in beside the main line)."""
    if not paths:
        return set()
    out = git(root, "log", "--first-parent", "--diff-merges=first-parent", "--raw",
              "--no-abbrev", "--no-renames", "-z", "--format=%x1e", rev, "--",
              *(f":(top,literal){p}" for p in sorted(set(paths)))).decode("utf-8", "replace")
    found = set()
    for field in out.split("\0"):
        field = field.strip("\x1e\n")
        if field.startswith(":"):
            parts = field.split()
            if len(parts) >= 4 and set(parts[3]) != {"0"}:
                found.add(parts[3])
    return found


@dataclass(frozen=True)
class _Logged:
    """One commit of the folder's log: who, when, and what it changed against its first
    parent (status, old path, new path)."""

    commit: str
    parents: tuple[str, ...]
    date: str
    author: str
    subject: str
    changes: tuple[tuple[str, str, str], ...]


def _folder_log(root: Path, rev: str, folder: str) -> list[_Logged]:
    """Every commit reachable from ``rev``, newest first (topological order), with the
    changes under ``folder`` against its first parent, renames detected: one git call."""
    fmt = "%x1e%H%x1f%P%x1f%aI%x1f%an%x1f%s"
    out = git(
        root, "log", "--topo-order", "--full-history", "--sparse",
        "--diff-merges=first-parent", "-M", "--no-ext-diff", "--no-textconv",
        "--name-status", "-z", f"--format={fmt}", rev, "--", f":(top,literal){folder}",
    ).decode("utf-8", "replace")
    commits = []
    for rec in out.split("\x1e")[1:]:
        head, _, rest = rec.partition("\0")
        commit, parents, date, author, subject = head.split("\x1f", 4)
        fields = [f.lstrip("\n") for f in rest.split("\0")]
        fields = [f for f in fields if f]
        changes = []
        i = 0
        while i < len(fields):
            status = fields[i][:1]
            if status in ("R", "C") and i + 2 < len(fields):
                changes.append((status, fields[i + 1], fields[i + 2]))
                i += 3
            elif i + 1 < len(fields):
                changes.append((status, fields[i + 1], fields[i + 1]))
                i += 2
            else:
                break
        commits.append(_Logged(commit, tuple(parents.split()), date, author, subject,
                               tuple(changes)))
    return commits


def folder_logs(root: Path, rev: str, folder: str, paths: Sequence[str]
                ) -> dict[str, list[FileCommit] | GitError]:
    """:func:`file_log` of each of ``paths`` (top-level, under ``folder``) at ``rev``, from
    one ``git log`` of the folder instead of one ``git log --follow`` per file.

    The walk is git's own for one path, done here for all of them at once: from ``rev``
    back, a commit is listed when it changed the file's name of that moment; a rename
    (status R against the first parent) continues under the old name; an addition ends
    the file's history (as a copy does in :func:`file_log`). A merge commit is
    followed as git's default history simplification does for one path: through the
    first parent whose file is the same, else through all parents; it is never listed
    itself (``--follow`` lists only commits with a diff of the file, and a merge has none).
    A file whose first commit was a rename from outside the folder (which a log of the
    folder cannot see) is read with :func:`file_log`.
    """
    logged = _folder_log(root, rev, folder)
    # merges whose first-parent diff changes a file: is the file the same in another parent?
    touched_merges = [(c, new) for c in logged if len(c.parents) > 1
                      for st, _old, new in c.changes if st != "D"]
    specs = [f"{p}:{new}" for c, new in touched_merges for p in (c.commit, *c.parents[1:])]
    ids = iter(blob_ids(root, specs))
    same_as: dict[tuple[str, str], str] = {}  # (merge, path) -> the parent it equals there
    for c, new in touched_merges:
        mine = next(ids)
        theirs = [next(ids) for _ in c.parents[1:]]
        for p, oid in zip(c.parents[1:], theirs, strict=True):
            if mine is not None and oid == mine and (c.commit, new) not in same_as:
                same_as[(c.commit, new)] = p
    # one pass over the log for all files: ``want`` holds, for each commit still to be
    # reached, the files that reach it and the name each has there (the first child's
    # name wins, as git's single path does)
    entries: dict[str, list[FileCommit]] = {path: [] for path in paths}
    want: dict[str, dict[str, str]] = {logged[0].commit: {p: p for p in paths}} \
        if logged else {}

    def give(commit: str, reached: dict[str, str]) -> None:
        """Hand ``reached`` (path -> name) on to ``commit``; a file that reaches it from
        an earlier child keeps that child's name."""
        have = want.get(commit)
        if have is None:
            want[commit] = reached
        else:
            for path, name in reached.items():
                have.setdefault(path, name)

    for c in logged:
        wanted = want.pop(c.commit, None)
        if not wanted:
            continue
        changed = {new: (st, old) for st, old, new in c.changes if st != "D"}
        hit = changed.keys() & set(wanted.values()) if changed else ()
        if not hit:  # none of the files changed here: all go on through the first parent
            if c.parents:
                give(c.parents[0], wanted)
            continue
        when = datetime.fromisoformat(c.date)
        moved = {path: name for path, name in wanted.items() if name in hit}
        for path in moved:
            del wanted[path]
        later: list[tuple[str, dict[str, str]]] = []  # after the rest: its names win
        for path, name in moved.items():
            status, old = changed[name]
            if len(c.parents) > 1:  # a merge that changed the file against its first parent
                other = same_as.get((c.commit, name))
                if other is not None:  # the file came from that parent as it is
                    later.append((other, {path: name}))
                    continue
                # changed on both sides: both are followed, and the merge itself is not
                # listed (``git log --follow`` shows a commit only with a diff, which a
                # merge does not have)
                later += [(p, {path: name}) for p in c.parents]
                continue
            if status == "C":  # never: copies are not looked for here
                status, old = "A", name
            entries[path].append(FileCommit(
                commit=c.commit, parents=c.parents, date=when, author=c.author,
                subject=c.subject, status=status, path=name,
                old_path=old if status == "R" else name))
            if status != "A" and c.parents:
                later.append((c.parents[0], {path: old if status == "R" else name}))
        if c.parents:
            give(c.parents[0], wanted)
        for commit, reached in later:
            give(commit, reached)
    out: dict[str, list[FileCommit] | GitError] = dict(entries)
    additions = {path: e[-1].commit for path, e in entries.items() if e and e[-1].status == "A"}
    # an addition may be a rename from outside the folder: ask git about those commits once
    if additions:
        came_from = _renamed_into(root, sorted(set(additions.values())), folder)
        for path, commit in additions.items():
            if (commit, entries[path][-1].path) in came_from:
                try:
                    out[path] = file_log(root, path, rev)
                except GitError as exc:
                    out[path] = exc
    return out


def _renamed_into(root: Path, commits: Sequence[str], folder: str) -> set[tuple[str, str]]:
    """(commit, path) of files under ``folder`` that ``commits`` renamed from a path
    outside it (one ``git diff-tree --stdin`` over the whole tree)."""
    out = git(root, "diff-tree", "--stdin", "-r", "-M", "--no-ext-diff", "--no-textconv",
              "--name-status", "-z", "--root", "--format=%x1e%H",
              stdin="".join(f"{c}\n" for c in commits).encode()).decode("utf-8", "replace")
    found = set()
    for rec in out.split("\x1e")[1:]:
        commit, _, rest = rec.partition("\0")
        fields = [f.lstrip("\n") for f in rest.split("\0") if f.strip("\n")]
        i = 0
        while i < len(fields):
            status = fields[i][:1]
            if status in ("R", "C") and i + 2 < len(fields):
                if status == "R" and not fields[i + 1].startswith(f"{folder}/"):
                    found.add((commit.strip(), fields[i + 2]))
                i += 3
            else:
                i += 2
    return found
