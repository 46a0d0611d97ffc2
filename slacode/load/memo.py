"""A cache of agreement files that passed the schema, keyed by the hash of their bytes.

Pre-commit runs ``slacode validate`` on every commit, and most files have not changed
since the last run: parsing the YAML and checking it against the schema is most of the
cost of reading an unchanged file (about 4 ms of its 5.5 ms). This remembers, for each
file text that parsed and passed the schema, the parsed document (plain values and
positions); the rest (building the model, the meaning checks, which depend on the date,
and the cross-file checks) runs on every call, so a cached file is judged exactly as a
new one would be.

It can never answer for a text it has not seen: an entry is found by the SHA-256 of the
file's bytes, so an edited file is a new text and is parsed and validated again. The
whole cache is also keyed by a stamp of everything that decides the outcome (slacode's
version, the Python version, the YAML reader and schema checker's sources, every schema
file, the installed ruamel.yaml, jsonschema and referencing): any change there starts it empty.
Files with errors are never stored (they are rare in the loop, and their messages name
their path).

The cache is JSON (plain values only, never code), one file ``validated.json`` under the
project's cache folder (``cache`` setting, ``.slacode/cache`` by default, which git
ignores). An unreadable or foreign file is ignored and rewritten; a folder that cannot be
written costs the speed, never the check.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from slacode.model import Position

log = logging.getLogger(__name__)

#: the cache file under the project's cache folder
FILE = "validated.json"
#: the one of the texts in the git history (many more, and read by builds and
#: ``slacode diff``, not by the pre-commit loop, which should not load them)
HISTORY_FILE = "validated-history.json"
#: bump when the stored entry's shape changes
FORMAT = 1
#: entries kept at most (a project's files, with room for a few branches' worth)
MAX_ENTRIES = 20_000

_PACKAGE = Path(__file__).resolve().parent.parent
#: the modules whose code decides whether a text parses and passes the schema
_SOURCES = ("load/yamlsafe.py", "load/schema.py", "durations.py", "model.py")


def _libraries(h: Any, names: tuple[str, ...]) -> None:
    """Feed ``h`` each library by where it is and when it was written (an upgrade rewrites
    it); ``importlib.metadata`` would cost more than the cache saves."""
    from importlib.util import find_spec

    for name in names:
        try:
            spec = find_spec(name)
            origin = spec.origin if spec else None
            st = os.stat(origin) if origin else None
            h.update(f"{name}={origin}:{st.st_mtime_ns if st else 0}\0".encode())
        except (ImportError, ValueError, OSError):
            h.update(f"{name}=none\0".encode())


@lru_cache(maxsize=1)
def stamp() -> str:
    """What every entry depends on besides the file itself: a change in any of it
    (upgrading slacode or a library, editing the schema or the checker in a checkout)
    gives another stamp, and the cache starts empty."""
    from slacode import __version__

    h = hashlib.sha256()
    h.update(f"{FORMAT}\0{__version__}\0{sys.version_info[:2]}\0".encode())
    # the libraries that parse and check
    _libraries(h, ("jsonschema", "referencing", "ruamel.yaml", "_ruamel_yaml"))
    files = [_PACKAGE / s for s in _SOURCES]
    for folder in (_PACKAGE / "schemas", _PACKAGE.parent / "schemas"):
        if (folder / "sla.schema.json").is_file():
            files += [folder / "sla.schema.json", *sorted((folder / "defs").glob("*.json"))]
            break
    for f in files:
        try:
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
        except OSError:
            h.update(f"{f.name} missing\0".encode())
    return h.hexdigest()


def digest(data: str | bytes) -> str:
    """The key of one file's text."""
    return hashlib.sha256(data.encode("utf-8", "surrogatepass") if isinstance(data, str)
                          else data).hexdigest()


class Validated:
    """Parsed documents of texts that passed the schema, by :func:`digest` of the text.

    :meth:`get` and :meth:`put` work in memory; :meth:`save` writes the file once, only
    when something was added, keeping the entries this run used (files removed from the
    project drop out)."""

    def __init__(self, folder: Path | None, name: str = FILE) -> None:
        #: None: in memory only, for this run (nothing read or written)
        self.path = folder / name if folder is not None else None
        self._old: dict[str, Any] = {}
        self._used: dict[str, Any] = {}
        self._added = False
        if self.path is None:
            return
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(doc, dict) and doc.get("stamp") == stamp() and isinstance(
                    doc.get("files"), dict):
                self._old = doc["files"]
        except FileNotFoundError:
            pass
        except (OSError, ValueError, UnicodeDecodeError):
            log.warning("ignoring unreadable cache file %s", self.path)

    def get(self, key: str) -> tuple[dict[str, Any], dict[str, Position]] | None:
        """(data, positions) of the text with this key, or None."""
        entry = self._old.get(key) or self._used.get(key)
        if not isinstance(entry, dict):
            return None
        try:
            data = entry["data"]
            positions = {k: Position(v[0], v[1]) for k, v in entry["positions"].items()}
        except (KeyError, TypeError, IndexError, AttributeError):
            return None
        if not isinstance(data, dict):
            return None
        self._used[key] = entry
        return data, positions

    def _room(self) -> None:
        """An in-memory memo lives as long as its process (``mkdocs serve``): bounded."""
        if self.path is None and len(self._used) >= MAX_ENTRIES:
            self._used.clear()

    def put(self, key: str, data: dict[str, Any], positions: dict[str, Position]) -> None:
        """Remember a text that parsed and passed the schema (the positions of its values;
        those of its keys only ever serve schema messages, which it has none of)."""
        self._room()
        self._used[key] = {
            "data": data,
            "positions": {k: [p.line, p.col] for k, p in positions.items()},
        }
        self._added = True

    def put_plain(self, key: str, data: dict[str, Any], positions: dict[str, Any]) -> None:
        """:meth:`put` with positions already as ``[line, col]`` pairs (as a worker process
        hands them back): no Position objects made only to be taken apart again."""
        self._room()
        self._used[key] = {"data": data, "positions": positions}
        self._added = True

    def save(self) -> None:
        """Write the entries of this run, when any is new (atomically: a reader never
        sees half a file)."""
        if self.path is None or not self._added or len(self._used) > MAX_ENTRIES:
            return
        tmp = ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".validated-", dir=self.path.parent)
            self._added = False
            # dumps, not dump: json.dump streams through the pure-Python encoder, which
            # made writing the cache a third of a cold validate
            text = json.dumps({"stamp": stamp(), "files": self._used}, separators=(",", ":"))
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, self.path)
        except (OSError, TypeError, ValueError):
            log.warning("cannot write cache file %s", self.path)
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


# --- the project settings ----------------------------------------------------------------------

#: the validated settings of the project's mkdocs.yml, under the default cache folder
SETTINGS_FILE = "settings.json"
#: where :data:`SETTINGS_FILE` lives: the default ``cache`` setting (the folder is known
#: before the settings are read only when it is the default)
SETTINGS_FOLDER = ".slacode/cache"
#: the modules whose code decides what a mkdocs.yml's slacode block validates to
_SETTINGS_SOURCES = ("config.py", "settings_schema.py")


@lru_cache(maxsize=1)
def settings_stamp() -> str:
    """What a remembered settings block depends on besides the file: slacode's version,
    the settings code, and the installed MkDocs (its loader reads the file, its option
    types check the block)."""
    from slacode import __version__

    h = hashlib.sha256()
    h.update(f"settings\0{FORMAT}\0{__version__}\0{sys.version_info[:2]}\0".encode())
    _libraries(h, ("mkdocs", "yaml"))
    for s in _SETTINGS_SOURCES:
        try:
            h.update(s.encode() + b"\0" + (_PACKAGE / s).read_bytes() + b"\0")
        except OSError:
            h.update(f"{s} missing\0".encode())
    return h.hexdigest()


def settings_memorable(text: bytes) -> bool:
    """Whether a mkdocs.yml's settings depend on its bytes alone: ``!ENV`` reads the
    environment and ``INHERIT`` another file, so such a file is always read in full."""
    return b"!ENV" not in text and b"INHERIT" not in text


def settings_get(root: Path, text: bytes) -> dict[str, Any] | None:
    """What :func:`settings_put` remembered for exactly this mkdocs.yml text, or None.

    ``slacode validate`` runs on every commit, and reading mkdocs.yml as MkDocs does
    (its loader, its option types) imports most of MkDocs, Jinja2 and Markdown: a
    quarter of the pre-commit loop's time for a block that rarely changes."""
    if not settings_memorable(text):
        return None
    try:
        doc = json.loads((root / SETTINGS_FOLDER / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not (isinstance(doc, dict) and doc.get("stamp") == settings_stamp()
            and doc.get("key") == digest(text) and isinstance(doc.get("entry"), dict)):
        return None
    entry: dict[str, Any] = doc["entry"]
    return entry


def settings_put(root: Path, text: bytes, entry: dict[str, Any]) -> None:
    """Remember the validated settings ``entry`` of this mkdocs.yml text (one entry: the
    project has one file). Only plain values that come back from JSON as they went in
    are kept; a folder that cannot be written costs the speed, never the check."""
    if not settings_memorable(text):
        return
    try:
        if json.loads(json.dumps(entry)) != entry:
            return
    except (TypeError, ValueError):
        return
    path = root / SETTINGS_FOLDER / SETTINGS_FILE
    tmp = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"stamp": settings_stamp(), "key": digest(text), "entry": entry}, f,
                      separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        log.warning("cannot write cache file %s", path)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
