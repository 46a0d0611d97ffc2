"""Local cache of final intervals, so that a nightly pull asks only for what is new.

One file, ``intervals.json`` under ``settings.cache``, holds an entry per (source,
query, step, timezone), found by a hash of that key and checked against the key itself.
It is read once when a pull first needs it and written once at the end
(:meth:`Cache.flush`, an atomic replace): a fleet's nightly pull touches hundreds of
entries, and one file per entry cost more than the queries. Only intervals that ended
at least :data:`SETTLE` seconds before ``now`` are stored: late samples (remote write,
federation) can still change younger ones. Intervals the server answered "no samples"
for are stored too (with their reason), because a gap in the past stays a gap; faults
(down, timeout, 5xx) are not, so they are asked for again next time. Credentials are
never part of a key. Entries no pull has used for :data:`FORGET` seconds are dropped.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
from array import array
from pathlib import Path
from typing import Any, NamedTuple

log = logging.getLogger(__name__)

#: seconds after an interval's end before it counts as final
SETTLE = 600
#: file layout: 4 is one file of entries, each storing columns (starts, ends, good,
#: total as base64 of machine arrays, reasons); 3 had JSON numbers, 2 one file per entry
FORMAT = 4
_NAN = float("nan")
#: the cache file, under ``settings.cache``
FILENAME = "intervals.json"
#: an entry no pull has used for this long (seconds) belongs to a removed objective
FORGET = 62 * 86400
#: files of the one-file-per-entry layout (format 2), removed on the first write
_OLD_FILE = re.compile(r"[a-z]+-[0-9a-f]{32}\.json")


class CachedPoint(NamedTuple):
    """One final interval. :meth:`Cache.load` gives plain tuples of the same shape
    (``Row``): a fleet's cache holds a quarter of a million, straight from ``zip``."""

    start: int
    end: int
    good: float | None
    total: float | None
    reason: str = ""  # why good/total are None


#: (start, end, good, total, reason), as :class:`CachedPoint`
Row = tuple[int, int, float | None, float | None, str]


def _digest(key: dict[str, Any]) -> str:
    text = json.dumps(key, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _pack(typecode: str, values: list[Any]) -> str:
    return base64.b64encode(array(typecode, values).tobytes()).decode("ascii")


def _unpack(typecode: str, text: str, n: int) -> list[Any]:
    values = array(typecode)
    values.frombytes(base64.b64decode(text, validate=True))
    if len(values) != n:
        raise ValueError("a column of the wrong length")
    return values.tolist()


def _encode(key: dict[str, Any], rows: list[Row], used: int) -> dict[str, Any]:
    """An entry: numbers as base64 of machine arrays (a tenth of the time of JSON
    numbers both ways), ``None`` counts as NaN (a figure is never NaN: the server's
    NaN is stored as no data), reasons only where there is one."""
    return {
        "key": key,
        "used": used,
        "n": len(rows),
        "start": _pack("q", [r[0] for r in rows]),
        "end": _pack("q", [r[1] for r in rows]),
        "good": _pack("d", [_NAN if r[2] is None else r[2] for r in rows]),
        "total": _pack("d", [_NAN if r[3] is None else r[3] for r in rows]),
        "reason": {str(i): r[4] for i, r in enumerate(rows) if r[4]},
    }


def _points(entry: dict[str, Any]) -> dict[int, Row]:
    n = entry["n"]
    if not isinstance(n, int):
        raise ValueError("no row count")
    starts, ends = _unpack("q", entry["start"], n), _unpack("q", entry["end"], n)
    goods = [None if g != g else g for g in _unpack("d", entry["good"], n)]  # NaN: None
    totals = [None if t != t else t for t in _unpack("d", entry["total"], n)]
    reasons = [""] * n
    for i, why in entry["reason"].items():
        reasons[int(i)] = str(why)
    return {r[0]: r for r in zip(starts, ends, goods, totals, reasons, strict=True)}


class Cache:
    """Final interval counts on disk; ``folder=None`` disables caching.

    Thread-safe: the fetches of one pull load and store concurrently."""

    def __init__(self, folder: Path | None, settle: int = SETTLE) -> None:
        self.folder = folder
        self.settle = settle
        self._lock = threading.Lock()
        self._entries: dict[str, dict[str, Any]] | None = None  # digest -> entry
        self._dirty = False
        self._now = 0  # the newest ``now`` a store was made for

    @property
    def path(self) -> Path | None:
        return None if self.folder is None else self.folder / FILENAME

    def _all(self) -> dict[str, dict[str, Any]]:
        """The entries, read on first use; an unreadable or older file counts as empty."""
        if self._entries is None:
            self._entries = {}
            path = self.path
            if path is not None and path.is_file():
                try:
                    doc = json.loads(path.read_text(encoding="utf-8"))
                    if doc.get("format") == FORMAT:
                        entries = doc["entries"]
                        if not isinstance(entries, dict):
                            raise ValueError("entries is not an object")
                        self._entries = entries
                except (OSError, ValueError, KeyError, TypeError, AttributeError):
                    log.warning("ignoring unreadable cache file %s", path)
        return self._entries

    def load(self, key: dict[str, Any]) -> dict[int, Row]:
        """Cached points by interval start."""
        if self.folder is None:
            return {}
        digest = _digest(key)
        with self._lock:
            entry = self._all().get(digest)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return {}
        try:
            return _points(entry)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError, binascii.Error):
            log.warning("ignoring an unreadable entry of cache file %s", self.path)
            return {}

    def store(
        self,
        key: dict[str, Any],
        points: list[CachedPoint],
        now: int,
        known: dict[int, Row] | None = None,
    ) -> None:
        """Add the final ones among ``points`` to the cache (written by :meth:`flush`).

        ``known`` is what :meth:`load` gave for this key earlier in the run; passing it
        saves converting the entry a second time. An entry is marked used even when
        nothing new is final, so that :meth:`flush` keeps it.
        """
        if self.folder is None:
            return
        merged: dict[int, Row] = dict(known) if known is not None else self.load(key)
        for p in points:
            if p[1] <= now - self.settle:
                merged[p[0]] = p
        entry = _encode(key, sorted(merged.values()), now)
        with self._lock:
            self._all()[_digest(key)] = entry
            self._dirty = True
            self._now = max(self._now, now)

    def flush(self) -> None:
        """Write what this run stored, in one atomic replace; never raises for disk faults."""
        path = self.path
        with self._lock:
            if path is None or not self._dirty:
                return
            entries = self._all()
            cutoff = self._now - FORGET
            keep = {d: e for d, e in entries.items()
                    if isinstance(e, dict) and e.get("used", 0) >= cutoff}
            text = json.dumps({"format": FORMAT, "entries": keep}, separators=(",", ":"))
            self._dirty = False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        except OSError:
            log.warning("cannot write cache file %s", path)
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, path)
        except OSError:
            log.warning("cannot write cache file %s", path)
            Path(tmp).unlink(missing_ok=True)
            return
        for old in path.parent.iterdir():
            if _OLD_FILE.fullmatch(old.name):
                old.unlink(missing_ok=True)
