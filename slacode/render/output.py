"""Writing a rendered tree to disk, and swapping a finished folder into place.

A site folder is replaced only by a complete new one: the new tree is written
beside it, then renamed over it, so readers and a failed or killed build never
see a half-written site. And only a folder slacode wrote is replaced (it holds
:data:`MARKER`): ``--out .`` or ``--site-dir site`` must never delete a project.

Two builds publishing to one folder at the same time (a nightly job and someone's
manual run, two CI jobs on one runner) take turns: each build holds an exclusive
``flock`` on the folder it writes (``.NAME.tmp-*``) until it has swapped it in, and a
second build for the same folder waits for that lock before it starts. Builds for
different folders beside each other (``site/public`` and ``site/internal`` of one
``--audience all`` build) run at once. The clean-up of earlier leftovers, the start of
a build and the swap are short steps under a lock on the folder that holds the site, and
the clean-up never deletes a folder whose build still holds it. Locking folders, not
lock files, leaves nothing behind beside the site.

A site folder that is a symbolic link (a deploy setup: ``site/public`` points at the
folder a web server serves) is followed: the new tree is written beside the folder it
points to and renamed over that folder, so the link stays and what it serves is
replaced as atomically as a plain folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from slacode.problems import SlacodeError

_TMP = ".{name}.tmp-"
_OLD = ".{name}.old-"
#: written into every folder :func:`replacing` fills; a hidden file, so MkDocs keeps it
MARKER = ".slacode-output"


def write_tree(files: Mapping[str, str | bytes], out: Path) -> None:
    """Write ``files`` under ``out``; refuses paths that would leave ``out``."""
    root = out.resolve()
    for rel, content in files.items():
        target = (root / rel).resolve()
        if root not in target.parents:
            raise ValueError(f"refusing to write outside {out}: {rel}")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="\n")


def published(target: Path) -> Path:
    """The folder a build replaces to publish at ``target``: ``target`` itself, or the
    folder it points to when it is a symbolic link (replacing the link by a folder would
    leave the served folder with the old site)."""
    target = target.absolute()
    return target.resolve() if target.is_symlink() else target


def recover(target: Path) -> None:
    """Finish or undo a swap that was interrupted, and drop leftovers of killed builds
    (a folder still being written by a live build is left to it)."""
    target = published(target)
    if not target.parent.is_dir():
        return
    with _publishing(target):
        busy = _recover(target)
    if busy is not None:
        os.close(busy)


def _recover(target: Path) -> int | None:
    """:func:`recover`, for a caller that holds :func:`_publishing` for ``target``; an open
    descriptor of the folder a live build is writing for ``target``, if one is (the
    caller closes it, or waits on it)."""
    parent, name = target.parent, target.name
    olds = sorted(parent.glob(_OLD.format(name=name) + "*"))
    if olds and not target.exists():
        olds[-1].rename(target)  # killed between the two renames: put the old site back
        olds = olds[:-1]
    for p in olds:  # a swap's old site: gone by the end of every swap that finished
        shutil.rmtree(p, ignore_errors=True)
    busy = None
    for p in parent.glob(_TMP.format(name=name) + "*"):
        live = _held_by_a_build(p)
        if live is None:
            shutil.rmtree(p, ignore_errors=True)
        elif busy is None:
            busy = live
        else:
            os.close(live)
    return busy


def _held_by_a_build(folder: Path) -> int | None:
    """An open descriptor of ``folder`` when a live build holds its lock (the caller
    closes it, or waits on it), else ``None``: a killed build's lock is gone with it."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return fd
    os.close(fd)  # abandoned (closing releases the probe's own lock)
    return None


def _say(text: str) -> None:
    print(f"slacode: {text}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _publishing(target: Path) -> Iterator[None]:
    """Hold the exclusive lock of the folder that holds ``target``, for one short step
    (clean-up and start of a build, or its swap).

    ``flock`` is released by the kernel when its holder exits, killed or not, so a
    killed build never blocks the next one."""
    fd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


#: the descriptors by which this process holds the folders it is building: a forked
#: child (``--audience all`` builds audiences in worker processes) lets go of its
#: parent's, so a build waiting for one of them waits for the parent alone
_CLAIMS: set[int] = set()


def _forget_claims() -> None:
    for fd in _CLAIMS:
        with contextlib.suppress(OSError):
            os.close(fd)
    _CLAIMS.clear()


os.register_at_fork(after_in_child=_forget_claims)


def _claim(target: Path, on_wait: Callable[[str], None]) -> tuple[Path, int]:
    """A new folder beside ``target`` and the descriptor that holds its lock, made when
    no other build is writing one for ``target`` (waiting for it, and saying so once)."""
    said = False
    while True:
        with _publishing(target):
            busy = _recover(target)
            if busy is None:
                tmp = Path(tempfile.mkdtemp(prefix=_TMP.format(name=target.name),
                                            dir=target.parent))
                fd = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY)
                fcntl.flock(fd, fcntl.LOCK_EX)  # free: nobody else knew the folder yet
                _CLAIMS.add(fd)
                return tmp, fd
        try:  # outside the short lock: the other build swaps its site in under it
            if not said:
                on_wait(f"another build is publishing to {target}; waiting for it to finish")
                said = True
            fcntl.flock(busy, fcntl.LOCK_EX)  # until it has published, or given up
        finally:
            os.close(busy)


def _release(fd: int) -> None:
    _CLAIMS.discard(fd)
    os.close(fd)


def _same_folder(path: Path, fd: int) -> bool:
    """Whether ``path`` is still the folder open as ``fd``: not removed (a removed folder
    has no links), nor removed and made again by something writing into it. The open
    ``fd`` keeps the folder's inode from being reused meanwhile."""
    try:
        now, made = path.stat(), os.fstat(fd)
    except OSError:
        return False
    return made.st_nlink > 0 and (now.st_dev, now.st_ino) == (made.st_dev, made.st_ino)


@contextlib.contextmanager
def replacing(target: Path, on_wait: Callable[[str], None] = _say) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; on normal exit it replaces ``target``.

    On an exception the new folder is removed and ``target`` is left as it was. Another
    build publishing to ``target`` is waited for (``on_wait`` is told once). The swap is
    refused when the yielded folder is no longer the one made here: something removed
    it meanwhile, and whatever was written after would be a partial site.
    """
    target = published(target)
    refuse(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp, fd = _claim(target, on_wait)
    except OSError as exc:  # named by the folder asked for, not by a temporary name
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    try:
        try:
            yield tmp
            if not _same_folder(tmp, fd):
                raise SlacodeError(f"{target}: the folder this build was writing "
                                   f"({tmp.name}) was removed during the build; previous "
                                   "site kept")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        (tmp / MARKER).write_text("written by slacode; replaced whole by every build\n",
                                  encoding="utf-8")
        os.chmod(tmp, 0o755)
        with _publishing(target):
            _swap(tmp, target)
    finally:
        _release(fd)  # a build waiting for this folder goes on


def _swap(tmp: Path, target: Path) -> None:
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=_OLD.format(name=target.name), dir=target.parent))
        old.rmdir()
        target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(target)


def refuse(target: Path) -> None:
    """Raise unless ``target`` may be replaced whole: it does not exist, is empty, or is
    an output of slacode (it holds :data:`MARKER`, or is a built MkDocs site of an older
    version); never the current folder or one that holds it."""
    real = target.resolve()
    if real == Path.cwd().resolve() or real in Path.cwd().resolve().parents:
        raise SlacodeError(f"{target}: refusing to replace the folder you are in (or one "
                           "holding it); choose an output folder of its own, e.g. site/public")
    if not real.is_dir():
        if real.exists():
            raise SlacodeError(f"{target}: is a file, not an output folder")
        return
    names = {p.name for p in real.iterdir()}
    if not names or MARKER in names:
        return
    if {"index.html", "sitemap.xml"} <= names and not names & _PROJECT:
        return  # a site built before outputs were marked
    held = ", ".join(sorted(names)[:3]) + (", ..." if len(names) > 3 else "")
    raise SlacodeError(f"{target}: refusing to replace a folder slacode did not write (it "
                       f"holds {held}); choose an empty or new folder, or remove this one "
                       "yourself")


#: entries that make a folder a project or its sources, never a site to replace
_PROJECT = frozenset({".git", "mkdocs.yml", "slas", "ledger", "pyproject.toml", "docs"})
