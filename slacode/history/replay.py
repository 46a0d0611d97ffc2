"""A history described in files, replayed into git; and the history as of a time.

A project's change log is its git history. A demo or a training project has none worth
showing (its git log is the tool's own development), so it may describe one instead:
``history_from: data/history`` names a folder with a ``manifest.yaml`` listing, oldest
first, the commits that made its agreements (date, author, pull request, title, and the
agreement text of that version). :func:`replay` writes that into a git repository in the
project's cache folder with fixed author and committer dates and identities, so the same
manifest gives the same commits (and hashes) on every machine, and the normal history
stage reads it like any other repository. The last commit of each file must be the
project's current file (``current: true``): the history ends where ``slas/`` is. A file
the project no longer has leaves no history (its agreement is not on the site either).

:func:`revision_at` is the history a build at time T may describe: the last commit of
the first-parent line committed at or before T. A page that describes T never lists a
change merged after it, nor reads a version merged after it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from slacode.history import gitlog
from slacode.problems import SlacodeError

#: the manifest's file name inside the ``history_from`` folder
MANIFEST = "manifest.yaml"
#: the folder under the cache where replayed repositories are kept (one per manifest state)
FOLDER = "history-replay"


@dataclass(frozen=True)
class SampleCommit:
    """One commit of a described history: one agreement file's new text."""

    when: datetime
    author: str  # "Name <address>"
    title: str
    pr: int | None
    path: str  # where the file is in the replayed repository, e.g. slas/payments-api.yaml
    text: bytes


def revision_at(root: Path, when: int) -> str:
    """The commit of ``root``'s first-parent line last committed at or before ``when``
    (UNIX seconds): the history a build at that time describes. "" when every commit is
    later (the build has no history yet); ``HEAD`` when git cannot tell here (the history
    stage then says why, see :func:`gitlog.unavailable`)."""
    if gitlog.unavailable(root):
        return "HEAD"
    at = datetime.fromtimestamp(when, UTC).isoformat()
    try:
        out = gitlog.git(root, "rev-list", "-n1", "--first-parent", f"--before={at}", "HEAD")
    except gitlog.GitError:
        return "HEAD"
    return out.decode().strip()


def read_manifest(folder: Path, root: Path) -> tuple[SampleCommit, ...]:
    """The commits ``folder/manifest.yaml`` describes, oldest first. Raises
    :class:`SlacodeError` ``path:line:col: what is wrong`` for a manifest that cannot be
    replayed (a missing text, dates out of order, a file whose last commit is not the
    project's current file)."""
    from slacode.load.yamlsafe import parse

    path = folder / MANIFEST
    shown = _shown(path, root)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SlacodeError(f"{shown}: cannot read the history manifest: "
                           f"{exc.strerror or exc}") from None
    doc, problems = parse(raw, shown)
    if doc is None:
        p = problems[0]
        raise SlacodeError(f"{p.path}:{p.line}:{p.col}: {p.message}")

    def fail(pointer: str, what: str) -> SlacodeError:
        pos = doc.positions.get(pointer) or doc.positions.get("")
        return SlacodeError(f"{shown}:{pos.line}:{pos.col}: {what}" if pos else f"{shown}: {what}")

    commits = doc.data.get("commits")
    if not isinstance(commits, list) or not commits:
        raise fail("", "expected 'commits:', a list of the commits that made the agreements")
    out: list[SampleCommit] = []
    last: dict[str, bool] = {}
    gone: set[str] = set()
    for i, c in enumerate(commits):
        at = f"/commits/{i}"
        if not isinstance(c, dict):
            raise fail(at, "expected a commit: date, author, title, file, and text or current")
        unknown = sorted(set(c) - {"date", "author", "title", "pr", "file", "text", "current"})
        if unknown:
            raise fail(f"{at}/{unknown[0]}", f"unknown field {unknown[0]!r}")
        when = _when(c.get("date"))
        if when is None:
            raise fail(f"{at}/date" if "date" in c else at,
                       "expected 'date', ISO 8601 with an offset, e.g. 2025-09-15T10:00:00Z")
        if out and when < out[-1].when:
            raise fail(f"{at}/date", "dates must not go back: list the commits oldest first")
        author = c.get("author")
        if not isinstance(author, str) or "<" not in author or not author.endswith(">") \
                or "\n" in author:
            raise fail(f"{at}/author" if "author" in c else at,
                       "expected 'author' as Name <address>")
        title = c.get("title")
        if not isinstance(title, str) or not title.strip() or "\n" in title.strip():
            raise fail(f"{at}/title" if "title" in c else at,
                       "expected 'title', one line: why the change was made")
        pr = c.get("pr")
        if pr is not None and (isinstance(pr, bool) or not isinstance(pr, int) or pr < 1):
            raise fail(f"{at}/pr", "expected 'pr', the pull request's number")
        file = c.get("file")
        if not isinstance(file, str) or not _safe_rel(file):
            raise fail(f"{at}/file" if "file" in c else at,
                       "expected 'file', the agreement's path in the project, e.g. "
                       "slas/payments-api.yaml")
        current = c.get("current") is True
        text_name = c.get("text")
        if current == (text_name is not None):
            raise fail(at, "give either 'text' (a file beside the manifest) or current: true")
        if current:
            source = root / file
            if not source.is_file():  # the agreement is gone: so is its history
                gone.add(file)
                continue
        else:
            if not isinstance(text_name, str) or not _safe_rel(text_name):
                raise fail(f"{at}/text", "expected 'text', a path beside the manifest")
            source = folder / text_name
        try:
            text = source.read_bytes()
        except OSError as exc:
            raise fail(f"{at}/text" if not current else f"{at}/current",
                       f"cannot read {_shown(source, root)}: {exc.strerror or exc}") from None
        out.append(SampleCommit(when, author.strip(), title.strip(), pr, file, text))
        last[file] = current
    stale = sorted(f for f, current in last.items() if not current and f not in gone)
    if stale:
        raise fail("", f"the last commit of {stale[0]} must be the project's file "
                       "(current: true): the history ends where the agreements are")
    return tuple(c for c in out if c.path not in gone)


def replay(folder: Path, root: Path, cache: Path) -> Path:
    """The git repository (under ``cache``) holding the history ``folder`` describes,
    written once per manifest state: the same manifest and texts give the same commits.
    Raises :class:`SlacodeError` for a manifest that cannot be replayed."""
    commits = read_manifest(folder, root)
    digest = hashlib.sha256()
    for c in commits:
        for part in (c.when.isoformat(), c.author, c.title, str(c.pr), c.path):
            digest.update(part.encode() + b"\0")
        digest.update(hashlib.sha256(c.text).digest())
    base = cache / FOLDER
    target = base / digest.hexdigest()[:20]
    if (target / ".git" / "slacode-replayed").is_file():
        return target
    try:
        base.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".replay-", dir=base))
    except OSError as exc:
        raise SlacodeError(f"history_from: cannot write {base}: {exc.strerror or exc}") from None
    try:
        _git(work, "init", "-q")
        _git(work, "fast-import", "--quiet", "--done", stdin=_stream(commits))
        _git(work, "symbolic-ref", "HEAD", "refs/heads/main")
        (work / ".git" / "slacode-replayed").write_text("")
        try:
            os.rename(work, target)
        except OSError:  # another build replayed it first: theirs is the same
            if not (target / ".git" / "slacode-replayed").is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for old in base.iterdir():  # earlier states of the manifest
        if old.name != target.name and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return target


def _stream(commits: tuple[SampleCommit, ...]) -> bytes:
    """``git fast-import`` input: one commit per described change, on ``main``."""
    out = bytearray()
    for n, c in enumerate(commits, start=1):
        stamp = f"{int(c.when.timestamp())} {c.when.strftime('%z') or '+0000'}"
        message = f"{c.title} (#{c.pr})" if c.pr is not None else c.title
        msg = message.encode() + b"\n"
        out += b"commit refs/heads/main\n"
        out += f"mark :{n}\n".encode()
        out += f"author {c.author} {stamp}\n".encode()
        out += f"committer {c.author} {stamp}\n".encode()
        out += f"data {len(msg)}\n".encode() + msg
        if n > 1:
            out += f"from :{n - 1}\n".encode()
        out += f"M 100644 inline {c.path}\n".encode()
        out += f"data {len(c.text)}\n".encode() + c.text + b"\n"
    out += b"done\n"
    return bytes(out)


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> None:
    """git with no configuration but its own: the user's and the system's settings
    (templates, hooks, signing, default branch) cannot change what is written."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C",
               GIT_TERMINAL_PROMPT="0")
    exe = shutil.which("git")
    if exe is None:
        raise SlacodeError("history_from: git is not installed")
    proc = subprocess.run([exe, "-c", "init.defaultBranch=main", "-c", "core.hooksPath=/dev/null",
                           *args], cwd=cwd, input=stdin, capture_output=True, env=env,
                          timeout=120, check=False)
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SlacodeError(f"history_from: git {args[0]} failed: "
                           f"{msg[-1] if msg else proc.returncode}")


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else None
    if not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else None


def _safe_rel(name: str) -> bool:
    p = PurePosixPath(name)
    return bool(name) and not p.is_absolute() and ".." not in p.parts and "\\" not in name \
        and all(ch.isprintable() for ch in name)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
