"""The history walk of the last build, kept on disk and keyed by commit.

Reading the history of ``slas/`` costs a ``git log`` per agreement file and a load of
every text each file ever had: tens of seconds for a repository of some thousand
commits. Between two builds it rarely changes: this keeps what the last walk found (see
``versions._Walked``) in one file under the project's cache folder (``cache`` setting,
``.slacode/cache``, which git ignores), and a build reuses it only when

* the stamp matches: the folder walked, slacode's version and the loader's stamp (the
  schema and the code that reads agreements, :func:`slacode.load.memo.stamp`), and
* the commit is the one walked, or one before or after it on the same first-parent
  line, with no commit between them that changed anything under the folder (``git
  rev-list --full-history``, merges included). A rewritten branch, a commit of another
  line, or one commit under ``slas/`` between them reads the history again. (The
  change log also names pull requests, which later merges may add: it is answered from
  the store only while those numbers are the same.)

The walk holds loaded agreements, which only :mod:`pickle` stores whole; and loading a
pickle runs whatever code it names. So the file is signed (HMAC-SHA256) with a key that
lives in the repository's git folder (``slacode-history.key``, made on first use, never
part of a commit or a clone): a file restored from elsewhere (another clone, a CI cache)
or put there by a commit does not verify and is ignored before it is unpickled. The
cost of that is only a cold walk.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import pickle
import secrets
import tempfile
from pathlib import Path
from typing import Any

from slacode.history import gitlog

log = logging.getLogger(__name__)

FILE = "history.pickle"
KEY_FILE = "slacode-history.key"
#: bump when what is stored changes shape
FORMAT = 1


def _key(root: Path, create: bool) -> bytes | None:
    """The signing key in the repository's git folder (made when ``create``)."""
    try:
        git_dir = Path(gitlog.git(root, "rev-parse", "--absolute-git-dir").decode().strip())
    except gitlog.GitError:
        return None
    path = git_dir / KEY_FILE
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    if not create:
        return None
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
    except OSError:
        return None
    return key


def stamp(slas_dir: str) -> str:
    """What a stored walk depends on besides the commits."""
    from slacode import __version__
    from slacode.load.memo import stamp as load_stamp

    return f"{FORMAT}\0{__version__}\0{load_stamp()}\0{slas_dir}"


def load(folder: Path, root: Path, slas_dir: str, commit: str) -> dict[str, Any] | None:
    """The stored entry (``commit``, ``walked``, ``history`` ...) when it holds for
    ``commit`` (see the module's docstring), else None."""
    path = folder / FILE
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    key = _key(root, create=False)
    if key is None or len(blob) < 32:
        return None
    mac, body = blob[:32], blob[32:]
    if not hmac.compare_digest(mac, hmac.new(key, body, hashlib.sha256).digest()):
        log.warning("ignoring cache file %s: not signed by this repository", path)
        return None
    try:
        entry = pickle.loads(body)
    except Exception:  # an old or damaged file: walk again
        return None
    if not isinstance(entry, dict) or entry.get("stamp") != stamp(slas_dir):
        return None
    if entry.get("commit") != commit and not _unchanged(root, slas_dir, entry.get("commit"),
                                                        commit):
        return None
    return entry


def _unchanged(root: Path, slas_dir: str, old: Any, new: str) -> bool:
    """Whether one of ``old`` and ``new`` lies on the other's first-parent line and no
    commit between them changed anything under ``slas_dir`` (either way: the base of a
    pull request is often an ancestor of the commit the last build read)."""
    if not isinstance(old, str) or not old:
        return False
    try:
        if old in gitlog.git(root, "rev-list", "--first-parent", new).decode().split():
            first, last = old, new
        elif new in gitlog.git(root, "rev-list", "--first-parent", old).decode().split():
            first, last = new, old
        else:
            return False
        touched = gitlog.git(root, "rev-list", "-n1", "--full-history", f"{first}..{last}",
                             "--", f":(literal){slas_dir}").strip()
    except gitlog.GitError:
        return False
    return not touched


def _share_positions(entry: dict[str, Any]) -> None:
    """Make equal positions and pointers of the stored versions one object each: pickle
    writes a shared object once, which halves the file and its loading time (each
    version maps ~150 pointers to positions, mostly the same from version to version).
    The dictionaries keep equal contents."""
    pointers: dict[str, str] = {}
    places: dict[tuple[int, int], Any] = {}
    for group in (entry.get("versions") or {}).values():
        for a in group:
            table = getattr(a, "positions", None)
            if not isinstance(table, dict):
                continue
            shared = {pointers.setdefault(k, k): places.setdefault((p.line, p.col), p)
                      for k, p in table.items()}
            table.clear()
            table.update(shared)


def save(folder: Path, root: Path, slas_dir: str, entry: dict[str, Any]) -> None:
    """Store ``entry`` (signed); a folder that cannot be written only costs speed."""
    key = _key(root, create=True)
    if key is None:
        return
    try:
        _share_positions(entry)
        body = pickle.dumps({**entry, "stamp": stamp(slas_dir)},
                            protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".history-", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(hmac.new(key, body, hashlib.sha256).digest() + body)
        os.replace(tmp, folder / FILE)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        log.warning("cannot write cache file %s", folder / FILE)
