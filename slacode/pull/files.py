"""File sources: interval counts (CSV / JSON lines, optionally gzip), incidents, surveys.

The embedded default the demo runs on; formats are documented in ``data/README.md``.
Bad rows become ``path:line`` problems and are skipped; a missing or unreadable file
is "no data" with the reason, never a crash and never good data.

Interval counts: each row covers ``[start, next start)`` at the file's resolution (the
smallest step between consecutive rows). Rows are summed into the objective's intervals
by their start. For ``slices`` objectives each row is one slice, classified bad when its
error rate ``(total - good) / total`` is above ``slice_threshold`` percent; a 0/0 slice
counts by ``zero_traffic`` (good, bad, or not at all); an interval then counts slices.
An empty ``good``/``total`` field (or JSON ``null``) is a row without data.
"""

from __future__ import annotations

import bisect
import csv
import gzip
import io
import itertools
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from slacode.config import Settings
from slacode.model import Objective
from slacode.problems import Problem
from slacode.pull.align import request_spans
from slacode.pull.base import (
    Counts,
    CountSeries,
    Gap,
    Incident,
    IncidentRecords,
    PullRequest,
    SurveyRecords,
    SurveyResponse,
)
from slacode.pull.prometheus import add_gap

COUNT_FIELDS = ("start", "good", "total")
INCIDENT_FIELDS = (
    "id", "service", "priority", "opened", "first_response", "resolved", "title",
    "customer_visible",
)
SURVEY_FIELDS = ("time", "score")
_TRUE = {"true", "yes", "1", "y", ""}
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


def parse_time(value: object, name: str) -> int:
    """ISO 8601 with an offset (or ``Z``), or UNIX seconds, to UNIX seconds."""
    if isinstance(value, bool) or value is None:
        raise RowError(f"{name}: expected a time, got {value!r}", name)
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise RowError(f"{name}: expected a time, got {value!r}", name)
        return int(value)
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise RowError(
            f"{name}: {text!r} is not a time (ISO 8601 with offset, or UNIX seconds)", name
        ) from None
    if dt.tzinfo is None:
        raise RowError(f"{name}: {text!r} has no UTC offset (add Z or +08:00)", name)
    return int(dt.timestamp())


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
        raise RowError(f"{name}: {value!r} must be a finite number >= 0", name)
    return x


def file_format(path: str, declared: str = "") -> str:
    if declared:
        return declared
    name = path.lower().removesuffix(".gz")
    return "jsonl" if name.endswith((".jsonl", ".ndjson", ".json")) else "csv"


def _open_text(path: Path) -> io.TextIOBase:
    if path.name.lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


class FileFault(Exception):
    """The whole file is unusable (missing, unreadable, wrong header): no data, with why."""


def read_rows(
    path: Path, rel: str, fmt: str, fields: tuple[str, ...], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, object]]]:
    """``(line, row)`` pairs. Raises :class:`FileFault` for file-level problems."""
    if not path.is_file():
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
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise FileFault(
            f"{rel}:1: header must name the columns {', '.join(fields)}; "
            f"missing {', '.join(missing)}"
        )
    n = len(lines.take()) + 1  # the line the next record starts on
    width = len(header)
    for values in reader:
        text = lines.take()
        first, n = n, n + len(text)
        if not values:
            continue
        if len(values) < width:
            values = values + [None] * (width - len(values))  # type: ignore[list-item]
        yield first, Row(dict(zip(header, values, strict=False)), text, first, header)


def _jsonl_rows(f: io.TextIOBase, rel: str) -> Iterator[tuple[int, dict[str, object]]]:
    for n, line in enumerate(f, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            yield n, {"__error__": f"invalid JSON: {exc.args[0] if exc.args else exc}"}
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
    line, col = at or (line, 1 if line else 0)
    return Problem(rel, line, col, severity, message, "pull.bad-row")  # type: ignore[arg-type]


@dataclass(frozen=True)
class CountRow:
    line: int
    start: int
    good: float | None
    total: float | None


def read_counts(path: Path, rel: str, fmt: str) -> tuple[list[CountRow], list[Problem]]:
    """Valid rows sorted by start, and a problem for every bad one. Raises FileFault."""
    rows: list[CountRow] = []
    problems: list[Problem] = []
    seen: dict[int, int] = {}
    for line, raw in read_rows(path, rel, fmt, COUNT_FIELDS, COUNT_FIELDS):
        try:
            if "__error__" in raw:
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
            continue
        seen[start] = line
        rows.append(CountRow(line, start, good, total))
    rows.sort(key=lambda r: r.start)
    return rows, problems


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


class FileSource(_FileBase):
    """``kind: file``: interval counts for events, latency and time-slice objectives."""

    kind = "file"

    def fetch(self, request: PullRequest) -> CountSeries:
        obj, agr = request.objective, request.agreement
        spans = request_spans(request.start, request.end, request.now, request.step, agr.timezone)
        path, rel = self._path(obj)
        fmt = file_format(rel, obj.source.format)

        def read() -> list[CountRow]:
            rows, problems = read_counts(path, rel, fmt)
            self.problems.extend(problems)
            return rows

        got = self._once(rel, fmt, read)
        if isinstance(got, str):
            return _empty_series(request, spans, got)
        rows = got
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
        points: list[Counts] = []
        gaps: list[Gap] = []
        for i, (s, e) in enumerate(spans):
            if has[i]:
                points.append(Counts(s, e, good[i], total[i]))
            else:
                points.append(Counts(s, e, None, None))
                why = f"empty counts in {rel}" if i in empty else f"no rows in {rel}"
                add_gap(gaps, s, e, why)
        return CountSeries(agr.id, obj.id, request.step, tuple(points), tuple(gaps), as_of)


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
        if isinstance(rows, str):
            return IncidentRecords(agr.id, obj.id, (), request.start, end,
                                   (Gap(request.start, end, rows, fault=True),))
        out: list[Incident] = []
        seen: set[str] = set()
        for line, raw in self._rows_of(rel, rows, agr.id):
            try:
                if "__error__" in raw:
                    raise RowError(str(raw["__error__"]))
                service = str(raw.get("service") or "").strip()
                if service and service != agr.id:
                    continue
                iid = str(raw.get("id") or "").strip()
                if not iid:
                    raise RowError("id: missing", "id")
                priority = str(raw.get("priority") or "").strip()
                if not priority:
                    raise RowError("priority: missing", "priority")
                opened = parse_time(raw.get("opened"), "opened")
                first = _opt_time(raw.get("first_response"), "first_response")
                resolved = _opt_time(raw.get("resolved"), "resolved")
                for name, t in (("first_response", first), ("resolved", resolved)):
                    if t is not None and t < opened:
                        raise RowError(f"{name} is before opened", name)
                visible = _bool(raw.get("customer_visible"), "customer_visible")
                if iid in seen:
                    raise RowError(f"id: duplicate incident {iid!r}", "id")
            except RowError as exc:
                self.problems.append(_problem(rel, line, str(exc), raw=raw, field=exc.field))
                continue
            seen.add(iid)
            known = [pr.id for pr in agr.priorities]
            if known and priority not in known:
                # counted by no objective: say so rather than leave the incident out quietly
                self.problems.append(_problem(
                    rel, line, f"priority: {priority!r} is not in the priority matrix of "
                    f"{agr.id} ({', '.join(known)}); incident {iid} is not counted", "warning",
                    raw, "priority"))
            if not request.start <= opened < end:
                continue
            out.append(Incident(
                id=iid, priority=priority, opened=opened,
                first_response=first if first is not None and first <= request.now else None,
                resolved=resolved if resolved is not None and resolved <= request.now else None,
                title=str(raw.get("title") or ""), customer_visible=visible, service=service,
            ))
        out.sort(key=lambda i: (i.opened, i.id))
        return IncidentRecords(agr.id, obj.id, tuple(out), request.start, end,
                               as_of=_mtime(path, request.now))


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
        for line, raw in rows:
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
                continue
            if request.start <= t < end:
                out.append(SurveyResponse(t, score))
        out.sort(key=lambda r: r.time)
        return SurveyRecords(agr.id, obj.id, tuple(out), request.start, end,
                             as_of=_mtime(path, request.now))
