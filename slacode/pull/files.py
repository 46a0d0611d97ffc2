"""File sources: interval counts (CSV / JSON lines, optionally gzip), incidents, surveys,
complaints.

The embedded default the demo runs on; formats are documented in ``data/README.md``.
Bad rows become ``path:line:col`` problems and are skipped, and the intervals a bad row
may have covered have no data (a row that cannot be read is not a row of good events);
the rest of the file counts. A missing or unreadable file is "no data" with the reason,
never a crash and never good data. Files are UTF-8, with or without a byte order mark; a
line that is not UTF-8 is a bad row.

Interval counts: each row covers ``[start, next start)`` at the file's resolution (the
smallest step between consecutive rows). Rows are summed into the objective's intervals
by their start. For ``slices`` objectives each row is one slice, classified bad when its
error rate ``(total - good) / total`` is above ``slice_threshold`` percent; a 0/0 slice
counts by ``zero_traffic`` (good, bad, or not at all); an interval then counts slices.
An empty ``good``/``total`` field (or JSON ``null``) is a row without data.
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import difflib
import gzip
import io
import itertools
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from slacode.config import Settings
from slacode.durations import Duration
from slacode.model import FIRST_YEAR, LAST_YEAR, TIME_RANGE, Agreement, Objective
from slacode.problems import Code, Problem
from slacode.pull.align import request_spans
from slacode.pull.base import (
    MAX_COUNT,
    Complaint,
    ComplaintRecords,
    Counts,
    CountSeries,
    Gap,
    Incident,
    IncidentRecords,
    PullRequest,
    SurveyRecords,
    SurveyResponse,
    add_gap,
)

T = TypeVar("T")

COUNT_FIELDS = ("start", "good", "total")
INCIDENT_FIELDS = (
    "id", "service", "priority", "opened", "first_response", "resolved", "title",
    "customer_visible", "restored", "data_lost", "escalations",
)
SURVEY_FIELDS = ("time", "score")
#: the incident column each objective kind reads
_NEEDED = {"response-time": "first_response", "resolution-time": "resolved",
           "recovery-point": "data_lost", "escalation": "escalations"}
COMPLAINT_FIELDS = (
    "id", "service", "customer", "opened", "acknowledged", "resolved", "channel", "category",
)
_TRUE = {"true", "yes", "1", "y", ""}
#: UNIX seconds as text: ASCII digits only (``str.isdigit`` also takes ``²`` and ``٣``)
_UNIX_SECONDS = re.compile(r"-?[0-9]{1,15}")
#: a byte that was not UTF-8, as ``errors="surrogateescape"`` decodes it
_UNDECODABLE = re.compile("[\udc80-\udcff]")
_FALSE = {"false", "no", "0", "n"}


class RowError(ValueError):
    """A bad value in one row; its message names the field, ``field`` says which column
    it is in (so the problem can point at it), ``None`` when no one field is at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Row(dict[str, object]):
    """One CSV record by column name, with the text it was read from, so that a problem
    can point at the column where a field starts (worked out only for bad rows)."""

    __slots__ = ("first", "header", "lines")

    def __init__(
        self, values: dict[str, object], lines: list[str], first: int, header: list[str]
    ) -> None:
        super().__init__(values)
        self.lines = lines  # the record's physical lines, endings kept
        self.first = first  # line number of the first one
        self.header = header

    def position(self, field: str | None) -> tuple[int, int] | None:
        """``(line, col)`` where ``field`` starts; just past the record's end when the row
        is too short to have it; ``None`` for no field."""
        if field is None or field not in self.header:
            return None
        h = self.header
        index = len(h) - 1 - h[::-1].index(field)  # the column the row's value came from
        return _field_starts(self.lines, self.first, index)


def _field_starts(lines: list[str], first: int, index: int) -> tuple[int, int]:
    """Line and column (1-based, in characters) where field ``index`` of a CSV record
    starts, reading quotes as the ``csv`` module's default dialect does (a quote opens a
    quoted field only at its start; ``""`` inside is one quote); the position just past
    the record's text when it has fewer fields."""
    n = 0
    state = "start"  # start of a field, in a plain field, "quoted", or "after" a quote in one
    line, col = first, 1
    for i, text in enumerate(lines):
        for j, ch in enumerate(text):
            line, col = first + i, j + 1
            if state == "start" and n == index:
                return line, col
            if ch in "\r\n" and state != "quoted":
                return line, col  # the record ends before the field
            if state == "quoted":
                state = "after" if ch == '"' else "quoted"
            elif state == "after" and ch == '"':
                state = "quoted"  # a doubled quote
            elif ch == ",":
                n += 1
                state = "start"
            elif state == "start":
                state = "quoted" if ch == '"' else "plain"
            else:
                state = "plain"
        line, col = first + i, len(text) + 1
    return line, col


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_time(value: object, name: str) -> int:
    """ISO 8601 with an offset (or ``Z``), or UNIX seconds, to UNIX seconds.

    Only times in :data:`~slacode.model.TIME_RANGE` are times: every later stage turns
    them into dates and months, which end at year 9999 (a start of ``1e300`` or of
    ``0001-01-01T00:00:00+23:59`` would crash evaluation instead of being one bad row).
    Anything else raises :class:`RowError`, never another exception."""
    if isinstance(value, bool) or value is None:
        raise RowError(f"{name}: expected a time, got {value!r}", name)
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise RowError(f"{name}: expected a time, got {value!r}", name)
        shown, ts = repr(value), int(value)
    else:
        text = str(value).strip()
        shown = _shown(text)
        if _UNIX_SECONDS.fullmatch(text):
            ts = int(text)
        else:
            try:
                dt = datetime.fromisoformat(
                    text.replace("Z", "+00:00") if text.endswith("Z") else text)
            except ValueError:
                raise RowError(
                    f"{name}: {shown} is not a time (ISO 8601 with offset, or UNIX seconds)", name
                ) from None
            if dt.tzinfo is None:
                raise RowError(f"{name}: {shown} has no UTC offset (add Z or +08:00)", name)
            ts = TIME_RANGE[0] - 1 if dt.year < FIRST_YEAR else int(dt.timestamp())
    if not TIME_RANGE[0] <= ts < TIME_RANGE[1]:
        raise RowError(f"{name}: {shown} is not between the years {FIRST_YEAR} and "
                       f"{LAST_YEAR}", name)
    return ts


def _opt_time(value: object, name: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_time(value, name)


def _count(value: object, name: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise RowError(f"{name}: expected a number, got {value!r}", name)
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise RowError(f"{name}: {value!r} is not a number", name) from None
    if not math.isfinite(x) or x < 0:
        raise RowError(f"{name}: {_shown(value)} must be a finite number >= 0", name)
    if x > MAX_COUNT:
        raise RowError(f"{name}: {_shown(value)} is larger than any count "
                       f"(at most 2**53 = {MAX_COUNT:.0f})", name)
    return x


def file_format(path: str, declared: str = "") -> str:
    if declared:
        return declared
    name = path.lower().removesuffix(".gz")
    return "jsonl" if name.endswith((".jsonl", ".ndjson", ".json")) else "csv"


def _open_text(path: Path) -> io.TextIOBase:
    """UTF-8 text, a leading byte order mark dropped (a spreadsheet's "CSV UTF-8" starts
    with one, which would make the first column ``\ufeffstart``). A byte that is not
    UTF-8 is kept as a lone surrogate, so that its row, not the file, is refused."""
    if path.name.lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig",
                                errors="surrogateescape", newline="")
    return open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")


class FileFault(Exception):
    """The whole file is unusable (missing, unreadable, wrong header): no data, with why."""


def read_rows(
    path: Path, rel: str, fmt: str, fields: tuple[str, ...], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, object]]]:
    """``(line, row)`` pairs. Raises :class:`FileFault` for file-level problems (and no
    other exception: an ``OSError`` from a name too long to look up was an internal error)."""
    try:
        found = path.is_file()
    except OSError as exc:
        raise FileFault(f"cannot read {rel[:200]}: {exc.strerror or type(exc).__name__}") from None
    if not found:
        raise FileFault(f"file not found: {rel}")
    try:
        with _open_text(path) as f:
            if fmt == "jsonl":
                yield from _jsonl_rows(f, rel)
            else:
                yield from _csv_rows(f, rel, fields, required)
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError, csv.Error) as exc:
        raise FileFault(f"cannot read {rel}: {type(exc).__name__}: {exc}") from None


class _Lines:
    """The lines of a text file, remembering those read since the last :meth:`take`:
    the ``csv`` reader pulls exactly one record's lines per row."""

    def __init__(self, f: io.TextIOBase) -> None:
        self._f = iter(f)
        self._taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._f)
        self._taken.append(line)
        return line

    def take(self) -> list[str]:
        out, self._taken = self._taken, []
        return out


def _csv_rows(
    f: io.TextIOBase, rel: str, fields: tuple[str, ...], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, object]]]:
    """``(line, row)`` of each CSV record as :class:`Row` (``line``: where it starts).
    As ``csv.DictReader``: blank lines skipped, extra fields dropped, missing ones ``None``."""
    lines = _Lines(f)
    reader = csv.reader(lines)
    cells = next(reader, [])
    header = [h.strip() for h in cells]
    missing = [c for c in required if c not in header]
    if missing:
        raise FileFault(
            f"{rel}:1: header must name the columns {', '.join(fields)}; "
            f"missing {', '.join(missing)}"
        )
    for i, name in enumerate(header):
        if name not in fields:
            # a misspelt column ("responded") would read as a column nobody filled in:
            # every incident unanswered, every response objective breached
            col = sum(len(c) + 1 for c in cells[:i]) + 1 + len(cells[i]) - len(cells[i].lstrip())
            close = _closest(name, fields)
            hint = f"did you mean {close!r}? " if close else ""
            raise FileFault(f"{rel}:1:{col}: unknown column {name!r}: {hint}the columns are "
                            f"{', '.join(fields)}")
    n = len(lines.take()) + 1  # the line the next record starts on
    width = len(header)
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # one record the reader refuses (a field over its limit)
            text = lines.take()
            first, n = n, n + len(text)
            yield first, {"__error__": f"not a CSV record: {exc}"}
            continue
        text = lines.take()
        first, n = n, n + len(text)
        if not values:
            continue
        if len(values) < width:
            values = values + [None] * (width - len(values))  # type: ignore[list-item]
        row: dict[str, object] = dict(zip(header, values, strict=False))
        row.update(_bad_bytes(text, first) or {})  # still read: its start says where it was
        yield first, Row(row, text, first, header)


def _closest(name: str, fields: tuple[str, ...]) -> str:
    """The known column ``name`` was most likely meant as, by the whole name or by one
    of its words ("responded" is ``first_response``, not ``resolved``); "" when none is
    near."""
    words = {f: f for f in fields}
    for f in fields:
        words.update({w: f for w in f.split("_") if len(w) > 3 and w not in words})
    near = difflib.get_close_matches(name.lower(), words, n=1, cutoff=0.6)
    return words[near[0]] if near else ""


def _bad_bytes(lines: list[str], first: int) -> dict[str, object] | None:
    """The error row of a record with a byte that is not UTF-8, at that byte; else None."""
    for i, text in enumerate(lines):
        bad = _UNDECODABLE.search(text)
        if bad is not None:
            byte = ord(bad.group()) - 0xDC00
            return {"__error__": f"invalid UTF-8 (byte 0x{byte:02x}): save the file as UTF-8",
                    "__at__": (first + i, bad.start() + 1)}
    return None


def _jsonl_rows(f: io.TextIOBase, rel: str) -> Iterator[tuple[int, dict[str, object]]]:
    for n, line in enumerate(f, 1):
        if not line.strip():
            continue
        bad = _bad_bytes([line], n)
        if bad is not None:
            yield n, bad
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            yield n, {"__error__": f"invalid JSON: {exc.args[0] if exc.args else exc}"}
            continue
        except RecursionError:  # [[[[... a few thousand deep: not a row of counts
            yield n, {"__error__": "invalid JSON: nested too deeply"}
            continue
        if not isinstance(row, dict):
            yield n, {"__error__": "each line must be a JSON object"}
            continue
        yield n, row


def _problem(
    rel: str, line: int, message: str, severity: str = "error",
    raw: object = None, field: str | None = None,
) -> Problem:
    """A ``pull.bad-row`` problem, at the column where ``field`` starts in the CSV row
    ``raw`` when that can be known (else column 1 of the line, 0 for the whole file)."""
    at = raw.position(field) if isinstance(raw, Row) else None
    if at is None and isinstance(raw, dict) and isinstance(raw.get("__at__"), tuple):
        at = raw["__at__"]  # where the row's text itself is bad (a byte that is not UTF-8)
    line, col = at or (line, 1 if line else 0)
    return Problem(rel, line, col, severity, message, Code.PULL_BAD_ROW)  # type: ignore[arg-type]


@dataclass(frozen=True)
class CountRow:
    line: int
    start: int
    good: float | None
    total: float | None


@dataclass(frozen=True)
class BadRow:
    """Where a refused row may lie: its ``start`` when that could be read, else between
    the starts of the rows around it in the file (``after`` < its start < ``before``;
    ``None`` = no such row, or the file is not in time order, so it could be anywhere)."""

    line: int
    start: int | None = None
    after: int | None = None
    before: int | None = None


@dataclass(frozen=True)
class CountFile:
    rows: list[CountRow]  # valid rows, sorted by start
    problems: list[Problem]  # one per bad row
    bad: list[BadRow]


def read_counts(path: Path, rel: str, fmt: str) -> tuple[list[CountRow], list[Problem]]:
    """Valid rows sorted by start, and a problem for every bad one. Raises FileFault."""
    got = scan_counts(path, rel, fmt)
    return got.rows, got.problems


def scan_counts(path: Path, rel: str, fmt: str) -> CountFile:
    """:func:`read_counts`, and where each bad row may lie. Raises FileFault."""
    rows: list[CountRow] = []
    problems: list[Problem] = []
    seen: dict[int, int] = {}
    starts: list[int | None] = []  # each row's start in file order, None when unreadable
    bad: list[tuple[int, int]] = []  # (line, index in starts)
    for line, raw in read_rows(path, rel, fmt, COUNT_FIELDS, COUNT_FIELDS):
        start: int | None = None
        try:
            if "__error__" in raw:
                with contextlib.suppress(RowError):  # where the bad row lies, when it says
                    start = parse_time(raw.get("start"), "start")
                raise RowError(str(raw["__error__"]))
            if "start" not in raw:
                raise RowError("start: missing", "start")
            start = parse_time(raw["start"], "start")
            good, total = _count(raw.get("good"), "good"), _count(raw.get("total"), "total")
            if (good is None) != (total is None):
                raise RowError("good and total must both be given or both be empty",
                               "good" if good is None else "total")
            if good is not None and total is not None and good > total:
                raise RowError(f"good ({good:g}) is greater than total ({total:g})", "good")
            if start in seen:
                raise RowError(f"start: duplicate of line {seen[start]}", "start")
        except RowError as exc:
            problems.append(_problem(rel, line, str(exc), raw=raw, field=exc.field))
            bad.append((line, len(starts)))
            starts.append(start)
            continue
        seen[start] = line
        starts.append(start)
        rows.append(CountRow(line, start, good, total))
    rows.sort(key=lambda r: r.start)
    return CountFile(rows, problems, _where_bad(starts, bad))


def _where_bad(starts: list[int | None], bad: list[tuple[int, int]]) -> list[BadRow]:
    """Where each bad row may lie. A row whose start cannot be read lies between the
    readable starts before and after it, when the file is in time order; otherwise it
    could be anywhere."""
    known = [s for s in starts if s is not None]
    ordered = all(a <= b for a, b in itertools.pairwise(known))
    out = []
    for line, i in bad:
        if starts[i] is not None:
            out.append(BadRow(line, starts[i]))
        elif not ordered:
            out.append(BadRow(line))
        else:
            after = next((s for s in reversed(starts[:i]) if s is not None), None)
            before = next((s for s in starts[i + 1:] if s is not None), None)
            out.append(BadRow(line, None, after, before))
    return out


def file_resolution(rows: list[CountRow]) -> int | None:
    steps = [b.start - a.start for a, b in itertools.pairwise(rows) if b.start > a.start]
    return min(steps) if steps else None


class _FileBase:
    def __init__(self, settings: Settings, cache: object = None) -> None:
        self.settings = settings
        self.problems: list[Problem] = []
        self.queries = 0
        self._read: dict[tuple[str, str], Any] = {}
        self._by_service: dict[str, dict[str, list[tuple[int, dict[str, object]]]]] = {}

    def _path(self, objective: Objective) -> tuple[Path, str]:
        rel = objective.source.path
        return self.settings.path(rel), rel

    def _inside(self, rel: str) -> None:
        """Refuse a file outside the project folder (symbolic links followed): the path
        comes from an agreement, and a pull request must not make CI read, say,
        ``/etc/passwd`` into a page. ``validate`` reports such a path too."""
        root = self.settings.root.resolve()
        try:
            inside = self.settings.path(rel).resolve().is_relative_to(root)
        except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
            inside = False
        if not inside:
            raise FileFault(f"refused to read {rel}: the path leads outside the project folder")

    def _once(self, rel: str, fmt: str, read: Callable[[], Any]) -> Any:
        """``read()`` once per file and run: several objectives often share one file.

        A :class:`FileFault` is remembered as its message (a ``str``), so every objective
        reading a broken file gets the same reason without reading it again. Every read
        goes through here, so here a path outside the project is refused.
        """
        if (rel, fmt) not in self._read:
            try:
                self._inside(rel)
                self._read[(rel, fmt)] = read()
            except FileFault as exc:
                self._read[(rel, fmt)] = str(exc)
        return self._read[(rel, fmt)]

    def _records(
        self, objective: Objective, fields: tuple[str, ...], required: tuple[str, ...]
    ) -> tuple[Path, str, list[tuple[int, dict[str, object]]] | str]:
        """The rows of a records file (incidents, survey), or the reason there are none."""
        path, rel = self._path(objective)
        fmt = file_format(rel, objective.source.format)
        rows = self._once(rel, fmt, lambda: list(read_rows(path, rel, fmt, fields, required)))
        return path, rel, rows

    def _records_of(
        self, rel: str, rows: list[tuple[int, dict[str, object]]], agr: Agreement,
        noun: str, parse: Callable[[dict[str, object]], tuple[int, T]], void: list[Gap],
        start: int, end: int,
    ) -> list[tuple[int, dict[str, object], str, int, T]]:
        """``(line, raw, id, opened, parsed)`` of each readable record (incident,
        complaint) of ``agr``, in file order. ``parse`` reads what the kind adds and
        returns ``(opened, parsed)``, raising :class:`RowError` for a bad field. A bad
        row is a problem at its field and a void gap where it may lie; a row of another
        service is skipped, its errors too (not this service's doubt); an id seen before
        is a bad row."""
        out: list[tuple[int, dict[str, object], str, int, T]] = []
        seen: set[str] = set()
        for line, raw in self._rows_of(rel, rows, agr.id):
            try:
                if "__error__" in raw:
                    raise RowError(str(raw["__error__"]))
                service = str(raw.get("service") or "").strip()
                if service and service != agr.id:
                    continue
                rid = str(raw.get("id") or "").strip()
                if not rid:
                    raise RowError("id: missing", "id")
                opened, parsed = parse(raw)
                if rid in seen:
                    raise RowError(f"id: duplicate {noun} {rid!r}", "id")
            except RowError as exc:
                self.problems.append(_problem(rel, line, str(exc), raw=raw, field=exc.field))
                if str(raw.get("service") or "").strip() not in ("", agr.id):
                    continue  # an unreadable row of another service: not this one's doubt
                at: int | None = None
                with contextlib.suppress(RowError):  # where the bad row lies, when it says
                    at = parse_time(raw.get("opened"), "opened")
                void.append(_void(rel, line, at, start, end))
                continue
            seen.add(rid)
            out.append((line, raw, rid, opened, parsed))
        return out

    def _rows_of(
        self, rel: str, rows: list[tuple[int, dict[str, object]]], service: str
    ) -> list[tuple[int, dict[str, object]]]:
        """The rows of ``service`` and the rows of no service (and unreadable ones), in
        file order: the file is split by service once, not scanned again per agreement
        (a fleet's shared incidents file was 1 M row visits per pull)."""
        index = self._by_service.get(rel)
        if index is None:
            index = {}
            for line, raw in rows:
                key = "" if "__error__" in raw else str(raw.get("service") or "").strip()
                index.setdefault(key, []).append((line, raw))
            self._by_service[rel] = index
        mine, common = index.get(service, []), index.get("", [])
        return sorted(common + mine, key=lambda r: r[0]) if mine and common else mine or common


class FileSource(_FileBase):
    """``kind: file``: interval counts for events, latency and time-slice objectives."""

    kind = "file"

    def fetch(self, request: PullRequest) -> CountSeries:
        obj, agr = request.objective, request.agreement
        spans = request_spans(request.start, request.end, request.now, request.step, agr.timezone)
        path, rel = self._path(obj)
        fmt = file_format(rel, obj.source.format)

        def read() -> CountFile:
            got = scan_counts(path, rel, fmt)
            self.problems.extend(got.problems)
            return got

        got = self._once(rel, fmt, read)
        if isinstance(got, str):
            return _empty_series(request, spans, got)
        rows = got.rows
        starts = [s for s, _ in spans]
        res = file_resolution(rows)
        slices = obj.method == "slices"
        if slices and obj.slice is not None and res is not None and res != int(obj.slice.seconds):
            self.problems.append(_problem(
                rel, 0,
                f"rows are {res}s apart but {agr.id}/{obj.id} has slices of {obj.slice}; "
                "each row is counted as one slice", "warning"))
        good = [0.0] * len(spans)
        total = [0.0] * len(spans)
        has = [False] * len(spans)
        empty: set[int] = set()
        as_of: int | None = None
        thr = (obj.slice_threshold or 0.0) / 100.0
        for r in rows:
            i = bisect.bisect_right(starts, r.start) - 1
            if i < 0 or r.start >= spans[i][1]:
                continue
            if r.good is None or r.total is None:
                empty.add(i)
                continue
            row_end = min(r.start + (res or request.step), request.now)
            as_of = row_end if as_of is None else max(as_of, row_end)
            if not slices:
                good[i] += r.good
                total[i] += r.total
                has[i] = True
                continue
            if r.total == 0:
                if obj.zero_traffic == "no-data":
                    continue
                is_good = obj.zero_traffic == "good"
            else:
                is_good = (r.total - r.good) / r.total <= thr
            good[i] += 1.0 if is_good else 0.0
            total[i] += 1.0
            has[i] = True
        doubt = _doubtful(got.bad, spans, res or request.step, rel)
        points: list[Counts] = []
        gaps: list[Gap] = []
        for i, (s, e) in enumerate(spans):
            if has[i] and i not in doubt:
                points.append(Counts(s, e, good[i], total[i]))
            else:
                points.append(Counts(s, e, None, None))
                why = doubt.get(i) or (
                    f"empty counts in {rel}" if i in empty else f"no rows in {rel}")
                add_gap(gaps, s, e, why)
        return CountSeries(agr.id, obj.id, request.step, tuple(points), tuple(gaps), as_of)


def _doubtful(
    bad: list[BadRow], spans: list[tuple[int, int]], width: int, rel: str
) -> dict[int, str]:
    """Index of each interval a bad row may have covered -> the reason it has no data.

    A refused row's events are unknown, so the interval it falls in is not the sum of its
    other rows (that would read as good as the rows that survived): it has no data. A row
    covers ``[start, start + width)``, or, when its start is unreadable, the time between
    the rows around it (all of the file's time when the file is not in time order)."""
    out: dict[int, str] = {}
    if not bad or not spans:
        return out
    starts = [s for s, _ in spans]
    for b in bad:
        if b.start is not None:
            lo, hi = b.start, b.start + width
        else:
            lo = spans[0][0] if b.after is None else b.after + 1
            hi = spans[-1][1] if b.before is None else b.before
            if hi <= lo:  # the rows around it have one start: it can only have that one
                lo, hi = lo - 1, lo - 1 + width
        i = max(0, bisect.bisect_right(starts, lo) - 1)
        while i < len(spans) and spans[i][0] < hi:
            if spans[i][1] > lo:
                out.setdefault(i, f"a bad row in {rel} (line {b.line}) may fall here")
            i += 1
    return out


def _empty_series(request: PullRequest, spans: list[tuple[int, int]], reason: str) -> CountSeries:
    points = tuple(Counts(s, e, None, None) for s, e in spans)
    gaps = (Gap(spans[0][0], spans[-1][1], reason, fault=True),) if spans else ()
    return CountSeries(request.agreement.id, request.objective.id, request.step, points, gaps)


def _bool(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowError(f"{name}: {value!r} is not true or false", name)


def _data_lost(value: object) -> float | None:
    """Seconds of data an incident lost: a duration (``0s``, ``15m``, ``2h``; ``0`` for
    none), or None when the field is empty (not known, which is never "none lost")."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if text == "0":
        return 0.0
    try:
        d = Duration.parse(text)
        if d.is_calendar:
            raise ValueError(f"{d} has no fixed length")
        return d.seconds
    except ValueError as exc:
        raise RowError(f"data_lost: {exc}", "data_lost") from None


def _escalations(value: object, opened: int) -> tuple[tuple[int, int], ...]:
    """``2=2026-11-19T04:05:00+01:00;3=...``: when the incident reached each escalation
    level, as (level, time), sorted by level; empty when the field is."""
    text = "" if value is None else str(value).strip()
    out: dict[int, int] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        level, sep, when = part.partition("=")
        if not sep or not level.strip().isdigit() or not 1 <= int(level) <= 20:
            raise RowError(f"escalations: {part!r} is not LEVEL=TIME (e.g. "
                           "2=2026-11-19T04:05:00+01:00; levels 1 to 20)", "escalations")
        try:
            at = parse_time(when.strip(), "escalations")
        except RowError as exc:
            raise RowError(str(exc), "escalations") from None
        if at < opened:
            raise RowError(f"escalations: level {int(level)} is before opened", "escalations")
        if int(level) in out:
            raise RowError(f"escalations: level {int(level)} is given twice", "escalations")
        out[int(level)] = at
    return tuple(sorted(out.items()))


class IncidentSource(_FileBase):
    """``kind: incidents``: incident records of the agreement's service opened in the range.

    A file may hold several services; rows whose ``service`` is another agreement's are
    skipped (an empty ``service`` belongs to every agreement reading the file). Times
    after ``now`` are treated as not yet happened.
    """

    kind = "incidents"

    def fetch(self, request: PullRequest) -> IncidentRecords:
        obj, agr = request.objective, request.agreement
        end = min(request.end, request.now)
        path, rel, rows = self._records(obj, INCIDENT_FIELDS, ("id", "priority", "opened"))
        needed = _NEEDED.get(obj.kind, "")
        header = (rows[0][1].header if isinstance(rows, list) and rows
                  and isinstance(rows[0][1], Row) else None)
        if needed and header is not None and needed not in header:
            # without the column every incident reads as unanswered or unresolved: a
            # breach made by the file's shape, not by what happened
            rows = (f"{rel}:1: no {needed!r} column, which {obj.kind} objectives read; "
                    f"the columns are {', '.join(INCIDENT_FIELDS)}")
        if isinstance(rows, str):
            return IncidentRecords(agr.id, obj.id, (), request.start, end,
                                   (Gap(request.start, end, rows, fault=True),))
        def parse(raw: dict[str, object]) -> tuple[int, tuple]:
            priority = str(raw.get("priority") or "").strip()
            if not priority:
                raise RowError("priority: missing", "priority")
            opened = parse_time(raw.get("opened"), "opened")
            first = _opt_time(raw.get("first_response"), "first_response")
            resolved = _opt_time(raw.get("resolved"), "resolved")
            restored = _opt_time(raw.get("restored"), "restored")
            for name, t in (("first_response", first), ("resolved", resolved),
                            ("restored", restored)):
                if t is not None and t < opened:
                    raise RowError(f"{name} is before opened", name)
            lost = _data_lost(raw.get("data_lost"))
            escalations = _escalations(raw.get("escalations"), opened)
            visible = _bool(raw.get("customer_visible"), "customer_visible")
            return opened, (priority, first, resolved, restored, lost, escalations, visible)

        def known(t: int | None) -> int | None:  # a time after ``now`` has not happened
            return t if t is not None and t <= request.now else None

        out: list[Incident] = []
        void: list[Gap] = []
        matrix = [pr.id for pr in agr.priorities]
        for line, raw, iid, opened, got in self._records_of(rel, rows, agr, "incident", parse,
                                                            void, request.start, end):
            priority, first, resolved, restored, lost, escalations, visible = got
            if matrix and priority not in matrix:
                # counted by no objective: say so rather than leave the incident out quietly
                self.problems.append(_problem(
                    rel, line, f"priority: {priority!r} is not in the priority matrix of "
                    f"{agr.id} ({', '.join(matrix)}); incident {iid} is not counted", "warning",
                    raw, "priority"))
            if not request.start <= opened < end:
                continue
            out.append(Incident(
                id=iid, priority=priority, opened=opened, first_response=known(first),
                resolved=known(resolved), title=str(raw.get("title") or ""),
                customer_visible=visible, service=str(raw.get("service") or "").strip(),
                restored=known(restored), data_lost=lost,
                escalations=tuple(e for e in escalations if e[1] <= request.now),
            ))
        out.sort(key=lambda i: (i.opened, i.id))
        return IncidentRecords(agr.id, obj.id, tuple(out), request.start, end,
                               _void_gaps(void, request.start, end),
                               as_of=_mtime(path, request.now))



def _void(rel: str, line: int, at: int | None, start: int, end: int) -> Gap:
    """Where a refused incident or survey row may lie: at its time when that could be
    read, else anywhere in the range (records files need not be in time order)."""
    reason = f"a bad row in {rel} (line {line}) may fall here"
    if at is None:
        return Gap(start, end, reason, void=True)
    return Gap(at, at + 1, reason, void=True)


def _void_gaps(gaps: list[Gap], start: int, end: int) -> tuple[Gap, ...]:
    """The void gaps that touch ``[start, end)``, sorted: a bad row timed outside the
    range touches no period of it."""
    return tuple(sorted((g for g in gaps if g.start < end and g.end > start),
                        key=lambda g: (g.start, g.end)))


def _mtime(path: Path, now: int) -> int:
    """Records files are complete up to when they were written (bounded by ``now``)."""
    try:
        return min(int(path.stat().st_mtime), now)
    except OSError:
        return now


class SurveySource(_FileBase):
    """``kind: survey``: survey responses (``time,score``) in the range, within the scale."""

    kind = "survey"

    def fetch(self, request: PullRequest) -> SurveyRecords:
        obj, agr = request.objective, request.agreement
        end = min(request.end, request.now)
        path, rel, rows = self._records(obj, SURVEY_FIELDS, SURVEY_FIELDS)
        if isinstance(rows, str):
            return SurveyRecords(agr.id, obj.id, (), request.start, end,
                                 (Gap(request.start, end, rows, fault=True),))
        out: list[SurveyResponse] = []
        void: list[Gap] = []
        for line, raw in rows:
            t: int | None = None
            try:
                if "__error__" in raw:
                    raise RowError(str(raw["__error__"]))
                t = parse_time(raw.get("time"), "time")
                score = _count(raw.get("score"), "score")
                if score is None:
                    raise RowError("score: missing", "score")
                if not obj.scale_min <= score <= obj.scale_max:
                    raise RowError(
                        f"score: {score:g} is outside the scale "
                        f"{obj.scale_min:g}..{obj.scale_max:g}", "score"
                    )
            except RowError as exc:
                self.problems.append(_problem(rel, line, str(exc), raw=raw, field=exc.field))
                if t is None:
                    with contextlib.suppress(RowError):
                        t = parse_time(raw.get("time"), "time")
                void.append(_void(rel, line, t, request.start, end))
                continue
            if request.start <= t < end:
                out.append(SurveyResponse(t, score))
        out.sort(key=lambda r: r.time)
        return SurveyRecords(agr.id, obj.id, tuple(out), request.start, end,
                             _void_gaps(void, request.start, end),
                             as_of=_mtime(path, request.now))


class ComplaintSource(_FileBase):
    """``kind: complaints``: complaints about the agreement's service opened in the range.

    The file is read as the incident file is (and shares its rules): a ``service`` column
    may name another agreement's rows, which are skipped; a bad row is a ``path:line:col``
    problem and leaves the periods it may fall in without a figure; times after ``now``
    have not happened yet.
    """

    kind = "complaints"

    def fetch(self, request: PullRequest) -> ComplaintRecords:
        obj, agr = request.objective, request.agreement
        end = min(request.end, request.now)
        path, rel, rows = self._records(obj, COMPLAINT_FIELDS, ("id", "opened"))
        if isinstance(rows, str):
            return ComplaintRecords(agr.id, obj.id, (), request.start, end,
                                    (Gap(request.start, end, rows, fault=True),))
        def parse(raw: dict[str, object]) -> tuple[int, tuple[int | None, int | None]]:
            opened = parse_time(raw.get("opened"), "opened")
            acknowledged = _opt_time(raw.get("acknowledged"), "acknowledged")
            resolved = _opt_time(raw.get("resolved"), "resolved")
            for name, t in (("acknowledged", acknowledged), ("resolved", resolved)):
                if t is not None and t < opened:
                    raise RowError(f"{name} is before opened", name)
            return opened, (acknowledged, resolved)

        def known(t: int | None) -> int | None:  # a time after ``now`` has not happened
            return t if t is not None and t <= request.now else None

        out: list[Complaint] = []
        void: list[Gap] = []
        for _line, raw, cid, opened, (acknowledged, resolved) in self._records_of(
                rel, rows, agr, "complaint", parse, void, request.start, end):
            if not request.start <= opened < end:
                continue
            out.append(Complaint(
                id=cid, opened=opened, acknowledged=known(acknowledged), resolved=known(resolved),
                customer=str(raw.get("customer") or "").strip(),
                channel=str(raw.get("channel") or "").strip(),
                category=str(raw.get("category") or "").strip(),
            ))
        out.sort(key=lambda c: (c.opened, c.id))
        return ComplaintRecords(agr.id, obj.id, tuple(out), request.start, end,
                                _void_gaps(void, request.start, end),
                                as_of=_mtime(path, request.now))
