"""Stage 1: load and validate agreements (YAML -> :class:`slacode.model.Agreement`).

Public surface: :func:`load_agreements` (files and folders, with cross-file checks),
:func:`agreement_files` (the files of a build, none being an error),
:func:`load_text` (one document, e.g. from git history), :func:`find_files`.
Modules: ``yamlsafe`` (bounded ruamel.yaml reader with positions), ``schema`` (JSON
Schema with positions), ``build`` (document -> typed model), ``lint`` (meaning).
``Agreement.positions`` maps RFC 6901 pointers into the YAML (``/objectives/0/target``,
``/calendars/cn-business/hours``, ``/priorities/P1/response``; ``""`` = root) to where
each value starts.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from slacode.load.memo import Validated, digest
from slacode.model import Agreement, unsafe_path
from slacode.problems import Code, Problem, SlacodeError

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LoadResult:
    agreements: tuple[Agreement, ...]  # only the files without errors
    problems: tuple[Problem, ...]  # every problem of every file, sorted by path, line, col

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def find_files(paths: Sequence[Path | str]) -> list[Path]:
    """Agreement files under ``paths``: files as given, folders searched for *.yaml/*.yml."""
    return list(_find(paths).values())


def agreement_files(paths: Sequence[Path | str]) -> list[Path]:
    """:func:`find_files`, where none at all is an error: a build of an emptied folder
    would publish an empty site over the good one."""
    files = find_files(paths)
    if not files:
        raise SlacodeError(f"no *.yaml or *.yml files under {', '.join(map(str, paths))}")
    return files


def _find(
    paths: Sequence[Path | str], searched: dict[Path, list[tuple[Path, Path]]] | None = None
) -> dict[Path, Path]:
    """:func:`find_files` keyed by each file's resolved path (resolved once: it costs a
    system call per path component). ``searched`` keeps each folder's files between
    calls, so the neighbours of a given folder's files are not searched for twice."""
    found: list[tuple[Path, Path]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = searched.get(p) if searched is not None else None
            if files is None:
                files = [
                    (f.resolve(), f) for f in sorted(p.rglob("*"))
                    if f.suffix in SUFFIXES and f.is_file()
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                ]
                if searched is not None:
                    searched[p] = files
            found.extend(files)
        else:
            found.append((p.resolve(), p))
    unique: dict[Path, Path] = {}
    for real, f in found:
        unique.setdefault(real, f)
    return unique


def _display(path: Path, real: Path, real_root: Path) -> str:
    try:
        return real.relative_to(real_root).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class _Loaded:
    agreement: Agreement | None
    problems: tuple[Problem, ...]
    raw_id: str | None  # the id the file claims, even when it has other errors


def _load(data: str | bytes, path: str, today: date | None,
          memo: Validated | None = None) -> _Loaded:
    key = digest(data) if memo is not None else ""
    known = memo.get(key) if memo is not None else None
    if known is not None:  # this very text parsed and passed the schema before
        values, positions = known[0], known[1]
    else:
        from slacode.load import yamlsafe

        doc, problems = yamlsafe.parse(data, path)
        if doc is None:
            return _Loaded(None, tuple(problems), None)
        from slacode.load import schema  # only for files that parse: keeps refusals fast

        raw_id = doc.data.get("id") if isinstance(doc.data.get("id"), str) else None
        problems = schema.validate(doc, path)
        if problems:
            return _Loaded(None, tuple(problems), raw_id)
        if memo is not None:
            memo.put(key, doc.data, doc.positions)
        values, positions = doc.data, doc.positions
    from slacode.load import build, lint

    raw_id = values.get("id") if isinstance(values.get("id"), str) else None
    try:
        agreement = build.build_agreement(values, path, positions)
    except ValueError as exc:  # a value the schema let through but Python cannot parse
        return _Loaded(None, (Problem(path, 1, 1, "error", f"cannot read the agreement: {exc}",
                                      Code.BUILD),), raw_id)
    problems = sorted(lint.lint_agreement(agreement, today))
    ok = not any(p.severity == "error" for p in problems)
    return _Loaded(agreement if ok else None, tuple(problems), raw_id)


def _outside(path: Path, real: Path, root: Path, real_root: Path) -> str | None:
    """How to name ``path`` when a symbolic link takes it out of ``root``; None when it stays.

    A link in slas/ to a file elsewhere (another checkout, /etc, a mounted secret) would
    publish or leak what the repository does not hold, so such a file is never read.
    ``real`` and ``real_root`` are the resolved ``path`` and ``root``.
    """
    plain = os.path.abspath(path)
    if str(real) == plain or real.is_relative_to(real_root):
        return None
    try:
        return Path(plain).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return str(path)


def _unsafe_name(shown: str) -> str | None:
    """Why an agreement file's name is refused (see :func:`slacode.model.unsafe_path`),
    or None: its path in the project when it is inside, else its own name (the folders
    above a project are not the project's to name)."""
    return unsafe_path(shown if not os.path.isabs(shown) else Path(shown).name)


def _linked_folders(paths: Sequence[Path | str], root: Path) -> list[Problem]:
    """A warning per symbolic link to a folder under the given folders: the search does
    not follow them (a link could lead anywhere, or in a circle), and an agreement
    nobody sees checked is worse than one refused out loud."""
    out = []
    for raw in paths:
        p = Path(raw)
        if not p.is_dir():
            continue
        for d in sorted(p.rglob("*")):
            if d.is_symlink() and d.is_dir() and not any(
                part.startswith(".") for part in d.relative_to(p).parts
            ):
                shown = Path(os.path.relpath(os.path.abspath(d), os.path.abspath(root)))
                out.append(Problem(shown.as_posix(), 0, 0, "warning",
                                   "symbolic link to a folder: its agreements are not read "
                                   "(link each file instead, or move the folder here)",
                                   Code.IO_FOLDER_LINK))
    return out


def _read(path: Path, shown: str) -> str | bytes | Problem:
    from slacode.load.yamlsafe import MAX_BYTES, too_large

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:  # refuse before reading: a huge file must not cost memory or time
            return too_large(shown, size)
        return path.read_bytes()
    except FileNotFoundError:
        return Problem(shown, 0, 0, "error", "no such file", Code.IO_MISSING)
    except OSError as exc:
        return Problem(shown, 0, 0, "error", f"cannot read: {exc.strerror or exc}",
                       Code.IO_UNREADABLE)


def load_agreements(
    paths: Sequence[Path | str],
    root: Path | None = None,
    today: date | None = None,
    data_root: Path | None = None,
    cache: Path | None = None,
) -> LoadResult:
    """Load every ``*.yaml``/``*.yml`` file under ``paths`` (files or folders).

    Paths in problems are relative to ``root`` (default: the current folder).
    Never raises for bad input: every problem becomes a :class:`Problem`.
    Cross-file checks (unique ids, dependencies) also see the other agreements in the
    folders of the given files, so checking one changed file (pre-commit) still knows
    its neighbours; problems are reported for the given files only.
    ``today`` dates the review-overdue check (default: the current date).
    ``data_root`` is the project folder data file paths are relative to: given, a data
    file that is not there is a warning.
    ``cache`` is a folder where the texts that passed the schema are remembered by their
    hash (:mod:`slacode.load.memo`): an unchanged file skips parsing and the schema, and
    is judged by the rest of the checks as on every call.
    """
    from slacode.load import lint

    root = root or Path.cwd()
    real_root = root.resolve()
    searched: dict[Path, list[tuple[Path, Path]]] = {}
    memo = Validated(cache) if cache is not None else None
    targets = _find(paths, searched)
    neighbours = _find(sorted({f.parent for f in targets.values() if f.parent.is_dir()}),
                       searched)
    loaded: dict[Path, tuple[str, _Loaded]] = {}
    for real, f in [*targets.items(), *((k, n) for k, n in neighbours.items() if k not in targets)]:
        linked = _outside(f, real, root, real_root)
        shown = linked or _display(f, real, real_root)
        unsafe = _unsafe_name(shown)
        data = (
            Problem(shown, 0, 0, "error",
                    "symbolic link to a file outside the repository: not read",
                    Code.IO_OUTSIDE_LINK)
            if linked else
            Problem(shown, 0, 0, "error", f"file name refused: {unsafe}", Code.IO_FILE_NAME)
            if unsafe else _read(f, shown)
        )
        if isinstance(data, Problem):
            loaded[real] = (shown, _Loaded(None, (data,), None))
        else:
            loaded[real] = (shown, _load(data, shown, today, memo))
    if memo is not None:
        memo.save()
    index: dict[str, list[str]] = {}
    for shown, item in loaded.values():
        if item.raw_id is not None:
            index.setdefault(item.raw_id, []).append(shown)
    universe = [item.agreement for _, item in loaded.values() if item.agreement is not None]
    mine = [loaded[k][1] for k in loaded if k in targets]
    problems = [p for item in mine for p in item.problems]
    problems += _linked_folders(paths, root)
    good = [item.agreement for item in mine if item.agreement is not None]
    cross = lint.lint_set(good, universe, index)
    problems.extend(cross)
    failed = {p.path for p in cross if p.severity == "error"}
    agreements = tuple(a for a in good if a.path not in failed)
    if data_root is not None:
        problems += _missing_data_files(agreements, data_root)
    return LoadResult(agreements, tuple(sorted(set(problems))))


def _missing_data_files(agreements: Sequence[Agreement], root: Path) -> list[Problem]:
    """A warning where a data file an objective names is not in the project: the build
    would show that objective as "no data" (and a strict build would stop), so the pull
    request that names it hears of it first."""
    out = []
    for a in agreements:
        for i, o in enumerate(a.objectives):
            path = o.source.path.strip() if o.source.kind != "prometheus" else ""
            if path and not (root / path).is_file():
                pos = a.pos(f"/objectives/{i}/source/{o.source.kind}/path")
                out.append(Problem(a.path, pos.line, pos.col, "warning",
                                   f"{a.id}/{o.id}: data file {path} not found; the objective "
                                   "shows no data until it exists", Code.LINT_SOURCE_MISSING))
        claims = a.credits.claims_path.strip() if a.credits else ""
        if claims and not (root / claims).is_file():
            pos = a.pos("/credits/claims/path")
            out.append(Problem(a.path, pos.line, pos.col, "warning",
                               f"{a.id}: claims record {claims} not found; no claim is checked "
                               "until it exists", Code.LINT_SOURCE_MISSING))
    return out


def load_text(text: str | bytes, path: str, memo: Validated | None = None
              ) -> tuple[Agreement | None, tuple[Problem, ...]]:
    """Load one agreement from text (e.g. a file's content at an old git commit).

    ``path`` is used in messages only. Returns ``(None, problems)`` when it has errors.
    Cross-file checks (unique ids, dependencies exist) are not run here.
    ``memo`` remembers the texts that passed the schema by their hash (see
    :mod:`slacode.load.memo`).
    """
    item = _load(text, path, None, memo)
    return item.agreement, item.problems
