"""The history answers of the last build, kept on disk as plain JSON and keyed by commit.

Reading the history of ``slas/`` costs a walk over every commit under it and a load of
every text each file ever had. Between two builds it rarely changes: this keeps what
the last build asked (the versions and the change log, see ``versions._Walked``) in one
file under the project's cache folder (``cache`` setting, ``.slacode/cache``, which git
ignores), and a build reuses it only when

* the stamp matches: the folder walked, slacode's version and the loader's stamp (the
  schema and the code that reads agreements, :func:`slacode.load.memo.stamp`), and
* the commit is the one walked; or the tree of the folder (``git rev-parse
  COMMIT:slas``) is the one walked and one commit lies on the other's first-parent
  line with no commit between them that changed anything under the folder (``git
  rev-list --full-history``, merges included). A rewritten branch, a commit of another
  line, or one commit under ``slas/`` between them reads the history again. (The change
  log also names pull requests, which later merges may add: it is answered from the
  store only while those numbers are the same.)

The file is JSON, never code: loading it only builds slacode's own frozen dataclasses,
named from a fixed list (:func:`_classes`), so a file restored from elsewhere (a CI
cache, another clone) can at worst make a build show other history, as a checkout could,
and needs no key. Equal objects (most of two versions' objectives, positions) are written
once and shared. A damaged file, one of an older format or one that names anything not
on the list is ignored and the history read again: never an error.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slacode.history import gitlog

log = logging.getLogger(__name__)

FILE = "history.json"
#: bump when what is stored changes shape
FORMAT = 3


def stamp(slas_dir: str) -> str:
    """What a stored walk depends on besides the commits."""
    from slacode import __version__
    from slacode.load.memo import stamp as load_stamp

    return f"{FORMAT}\0{__version__}\0{load_stamp()}\0{slas_dir}"


def tree(root: Path, commit: str, slas_dir: str) -> str:
    """The tree id of the agreements folder at ``commit`` ("" when it has none): equal
    trees hold equal agreements, whatever else the commits changed."""
    try:
        pre = gitlog.prefix(root)
        out = gitlog.git(root, "rev-parse", "--verify", "--quiet", "--end-of-options",
                         f"{commit}:{pre}{slas_dir.strip('/')}", check=False)
    except gitlog.GitError:
        return ""
    return out.decode().strip()


def load(folder: Path, root: Path, slas_dir: str, commit: str, ids: Iterable[str] | None = None,
         changes: bool = True) -> dict[str, Any] | None:
    """The stored entry (``commit``, ``versions``, ``changes``) when it holds for
    ``commit`` (see the module's docstring), else None. ``ids``: decode the versions of
    these agreements only; ``changes``: whether the change log is wanted (each part is
    kept apart in the file, so a check of a few agreements decodes only theirs)."""
    path = folder / FILE
    try:
        with path.open("rb") as f:
            raw = json.load(f)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT \
            or raw.get("stamp") != stamp(slas_dir):
        return None
    old = raw.get("commit")
    if old != commit and (raw.get("tree") != tree(root, commit, slas_dir)
                          or not _unchanged(root, slas_dir, old, commit)):
        return None
    try:
        body = raw["body"]
        groups = body["versions"]
        if not isinstance(groups, dict):
            raise ValueError("versions")
        wanted = groups if ids is None else {i: groups[i] for i in ids if i in groups}
        entry: dict[str, Any] = {"versions": {i: decode(v) for i, v in wanted.items()}}
        if changes:
            entry["changes"] = decode(body["changes"])
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        log.warning("ignoring cache file %s: not a history store this version wrote", path)
        return None
    return {**entry, "commit": old}


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


def save(folder: Path, root: Path, slas_dir: str, entry: dict[str, Any]) -> None:
    """Store ``entry`` (``commit``, ``versions``, ``changes``); a folder that cannot be
    written only costs speed."""
    commit = entry.get("commit")
    if not isinstance(commit, str):
        return
    try:
        body = {"versions": {i: encode(vs) for i, vs in entry["versions"].items()},
                "changes": encode(entry["changes"])}
        text = json.dumps({"format": FORMAT, "stamp": stamp(slas_dir), "commit": commit,
                           "tree": tree(root, commit, slas_dir), "body": body},
                          separators=(",", ":"), ensure_ascii=False)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".history-", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, folder / FILE)
    except (OSError, TypeError, ValueError, KeyError, AttributeError, RecursionError) as exc:
        log.warning("cannot write cache file %s: %s", folder / FILE, exc)


# --- the codec -------------------------------------------------------------------------------
#
# A value is JSON itself (None, bool, int, float, str) or a list whose first item says what
# it is: ["t", ...] tuple, ["l", ...] list, ["d", k1, v1, k2, v2 ...] dict, ["P", pointer1,
# line1, col1, ...] a dict of positions, ["D", iso] date, ["T", iso, zone] datetime,
# ["H", iso] time, ["S", seconds] timedelta, ["E", name, value] enum member, ["@", n] the
# n-th object of the table. The table holds each distinct dataclass instance once, as
# [class name, field values in order], children before the objects that hold them.


@lru_cache(maxsize=1)
def _classes() -> dict[str, type]:
    """The only types a store may name: slacode's own frozen dataclasses and enums."""
    import importlib

    out: dict[str, type] = {}
    for name in ("model", "durations", "problems", "history.semdiff", "history.versions"):
        module = importlib.import_module(f"slacode.{name}")
        for attr, obj in vars(module).items():
            if isinstance(obj, type) and obj.__module__ == module.__name__ \
                    and not attr.startswith("_") \
                    and (dataclasses.is_dataclass(obj) or issubclass(obj, enum.Enum)):
                out.setdefault(attr, obj)
    return out


_FIELDS: dict[type, tuple[str, ...]] = {}
_BY_VALUE: dict[type, bool] = {}


def _fields(cls: type) -> tuple[str, ...]:
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.init)
    return _FIELDS[cls]


def _by_value(cls: type) -> bool:
    """Whether equal instances of ``cls`` are the same in every field (none is left out
    of the comparison), so that one may stand for the other."""
    if cls not in _BY_VALUE:
        _BY_VALUE[cls] = all(f.compare for f in dataclasses.fields(cls))
    return _BY_VALUE[cls]


def encode(value: Any) -> dict[str, Any]:
    """``value`` as JSON-ready data (see above)."""
    from slacode.model import Position

    classes = _classes()
    table: list[Any] = []
    seen: dict[Any, list[Any]] = {}  # equal objects: one row
    known: dict[int, list[Any]] = {}  # id(object) -> its reference: shared objects once
    keep: list[Any] = []  # keeps the objects of ``known`` alive while encoding

    def enc(v: Any) -> Any:
        if v is None or type(v) in (bool, int, float, str):
            return v
        ref = known.get(id(v))
        if ref is not None:
            return ref
        cls = type(v)
        if dataclasses.is_dataclass(v):
            if classes.get(cls.__name__) is not cls:
                raise TypeError(f"cannot store a {cls.__name__}")
            by_value = _by_value(cls)
            if by_value:
                try:
                    ref = seen.get(v)
                except TypeError:  # a field that cannot be hashed: by identity only
                    by_value = False
            if ref is None:
                table.append([cls.__name__, *(enc(getattr(v, f)) for f in _fields(cls))])
                ref = ["@", len(table) - 1]
                if by_value:
                    seen[v] = ref
            known[id(v)] = ref
            keep.append(v)
            return ref
        if isinstance(v, enum.Enum):
            return ["E", cls.__name__, v.value]
        if isinstance(v, (bool, int, float, str)):
            return v
        if cls is tuple:
            return ["t", *map(enc, v)]
        if cls is list:
            return ["l", *map(enc, v)]
        if cls is dict:
            if v and all(type(x) is Position for x in v.values()) \
                    and all(type(k) is str for k in v):
                flat: list[Any] = ["P"]
                for k, x in v.items():
                    flat += [k, x.line, x.col]
                return flat
            out: list[Any] = ["d"]
            for k, x in v.items():
                out += [enc(k), enc(x)]
            return out
        if cls is datetime:
            zone = v.tzinfo.key if isinstance(v.tzinfo, ZoneInfo) else None
            return ["T", (v.replace(tzinfo=None) if zone else v).isoformat(), zone]
        if cls is date:
            return ["D", v.isoformat()]
        if cls is time:
            return ["H", v.isoformat()]
        if cls is timedelta:
            return ["S", v.total_seconds()]
        raise TypeError(f"cannot store a {cls.__name__}")

    root = enc(value)
    return {"table": table, "root": root}


def decode(data: Any) -> Any:
    """The value :func:`encode` wrote; ``ValueError`` (or ``TypeError``, ``KeyError``) for
    anything else, including a type not on :func:`_classes`' list."""
    from slacode.model import Position

    if not isinstance(data, dict) or not isinstance(data.get("table"), list):
        raise ValueError("not a history store")
    classes = _classes()
    objects: list[Any] = []
    places: dict[tuple[int, int], Position] = {}  # equal positions: one object

    def dec(v: Any) -> Any:
        if type(v) is not list:
            if isinstance(v, dict):
                raise ValueError("unexpected mapping")
            return v
        tag = v[0]
        if tag == "@":
            return objects[v[1]]
        if tag == "P":
            out = {}
            for i in range(1, len(v) - 2, 3):
                line, col = v[i + 1], v[i + 2]
                if type(line) is not int or type(col) is not int:
                    raise ValueError("bad position")
                p = places.get((line, col))
                if p is None:
                    p = places[(line, col)] = Position(line, col)
                out[v[i]] = p
            return out
        if tag == "t":
            return tuple(map(dec, v[1:]))
        if tag == "l":
            return list(map(dec, v[1:]))
        if tag == "d":
            return {dec(v[i]): dec(v[i + 1]) for i in range(1, len(v) - 1, 2)}
        if tag == "T":
            t = datetime.fromisoformat(v[1])
            return t.replace(tzinfo=ZoneInfo(v[2])) if v[2] else t
        if tag == "D":
            return date.fromisoformat(v[1])
        if tag == "H":
            return time.fromisoformat(v[1])
        if tag == "S":
            return timedelta(seconds=v[1])
        if tag == "E":
            cls = classes[v[1]]
            if not issubclass(cls, enum.Enum):
                raise ValueError(f"{v[1]} is not an enum")
            return cls(v[2])
        raise ValueError(f"unknown tag {tag!r}")

    for row in data["table"]:
        cls = classes[row[0]]
        names = _fields(cls) if dataclasses.is_dataclass(cls) else ()
        if not names or len(row) != len(names) + 1:
            raise ValueError(f"bad row for {row[0]}")
        objects.append(cls(*map(dec, row[1:])))
    return dec(data["root"])
