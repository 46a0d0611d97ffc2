"""Writing a rendered tree to disk, and swapping a finished folder into place.

A site folder is replaced only by a complete new one: the new tree is written
beside it, then renamed over it, so readers and a failed or killed build never
see a half-written site.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

_TMP = ".{name}.tmp-"
_OLD = ".{name}.old-"


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


def recover(target: Path) -> None:
    """Finish or undo a swap that was interrupted, and drop leftovers of killed builds."""
    parent, name = target.parent, target.name
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(_OLD.format(name=name) + "*"))
    if olds and not target.exists():
        olds[-1].rename(target)  # killed between the two renames: put the old site back
        olds = olds[:-1]
    for p in [*olds, *parent.glob(_TMP.format(name=name) + "*")]:
        shutil.rmtree(p, ignore_errors=True)


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; on normal exit it replaces ``target``.

    On an exception the new folder is removed and ``target`` is left as it was.
    """
    target = target.absolute()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        recover(target)
        tmp = Path(tempfile.mkdtemp(prefix=_TMP.format(name=target.name), dir=target.parent))
    except OSError as exc:  # named by the folder asked for, not by a temporary name
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    os.chmod(tmp, 0o755)
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=_OLD.format(name=target.name), dir=target.parent))
        old.rmdir()
        target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(target)
