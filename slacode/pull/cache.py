"""Local cache of final intervals, so that a nightly pull asks only for what is new.

One JSON file per (source, query, step, timezone), named by a hash of that key, under
``settings.cache``. Only intervals that ended at least :data:`SETTLE` seconds before
``now`` are stored: late samples (remote write, federation) can still change younger
ones. Intervals the server answered "no samples" for are stored too (with their
reason), because a gap in the past stays a gap; faults (down, timeout, 5xx) are not,
so they are asked for again next time. Credentials are never part of a key.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Any, NamedTuple

log = logging.getLogger(__name__)

#: seconds after an interval's end before it counts as final
SETTLE = 600
#: file layout: 2 stores columns (starts, ends, good, total, reasons), which reads and
#: writes several times faster than one small list per interval
FORMAT = 2


class CachedPoint(NamedTuple):
    """One final interval; a named tuple because a fleet's cache holds millions of them."""

    start: int
    end: int
    good: float | None
    total: float | None
    reason: str = ""  # why good/total are None


class Cache:
    """Final interval counts on disk; ``folder=None`` disables caching."""

    def __init__(self, folder: Path | None, settle: int = SETTLE) -> None:
        self.folder = folder
        self.settle = settle
        self._lock = threading.Lock()
        self._locks: dict[Path, threading.Lock] = {}
        self._made = False  # the folder exists

    def _file(self, key: dict[str, Any]) -> Path | None:
        if self.folder is None:
            return None
        text = json.dumps(key, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(text.encode()).hexdigest()[:32]
        return self.folder / f"{key.get('kind', 'source')}-{digest}.json"

    def load(self, key: dict[str, Any]) -> dict[int, CachedPoint]:
        """Cached points by interval start; an unreadable or older cache file is ignored."""
        path = self._file(key)
        if path is None or not path.is_file():
            return {}
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("format") != FORMAT or doc.get("key") != key:
                return {}
            cols = (doc["start"], doc["end"], doc["good"], doc["total"], doc["reason"])
            if len({len(c) for c in cols}) != 1:
                raise ValueError("columns of different lengths")
            return {p[0]: p for p in map(CachedPoint._make, zip(*cols, strict=True))}
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            log.warning("ignoring unreadable cache file %s", path)
            return {}

    def store(
        self,
        key: dict[str, Any],
        points: list[CachedPoint],
        now: int,
        known: dict[int, CachedPoint] | None = None,
    ) -> None:
        """Add the final ones among ``points`` to the cache.

        ``known`` is what :meth:`load` gave for this key earlier in the run; passing it
        saves reading the file a second time.
        """
        path = self._file(key)
        if path is None:
            return
        final = [p for p in points if p.end <= now - self.settle]
        if not final:
            return
        with self._lock:  # one writer per file; files of other keys are written meanwhile
            lock = self._locks.setdefault(path, threading.Lock())
        with lock:
            merged = dict(known) if known is not None else self.load(key)
            for p in final:
                merged[p.start] = p
            rows = sorted(merged.values())
            doc = {
                "format": FORMAT,
                "key": key,
                "start": [p.start for p in rows],
                "end": [p.end for p in rows],
                "good": [p.good for p in rows],
                "total": [p.total for p in rows],
                "reason": [p.reason for p in rows],
            }
            if not self._made:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._made = True
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    # dumps, not dump: only the one-shot encoder is the fast C one
                    f.write(json.dumps(doc, separators=(",", ":")))
                os.replace(tmp, path)
            except OSError:
                log.warning("cannot write cache file %s", path)
                Path(tmp).unlink(missing_ok=True)
