"""Writing a rendered tree to disk, and swapping a finished folder into place.

A site folder is replaced only by a complete new one: the new tree is written
beside it, then renamed over it, so readers and a failed or killed build never
see a half-written site. And only a folder slacode wrote is replaced (it holds
:data:`MARKER`): ``--out .`` or ``--site-dir site`` must never delete a project.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
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
    refuse(target)
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
    (tmp / MARKER).write_text("written by slacode; replaced whole by every build\n",
                              encoding="utf-8")
    os.chmod(tmp, 0o755)
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
