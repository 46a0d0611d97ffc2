"""Stage 1: load and validate agreements (YAML -> :class:`slacode.model.Agreement`).

Public surface: :func:`load_agreements`. Modules: ``yamlsafe`` (bounded ruamel.yaml
loader with positions), ``schema`` (JSON Schema with positions), ``lint`` (meaning),
``build`` (document -> typed model).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from slacode.model import Agreement
from slacode.problems import Problem


@dataclass(frozen=True)
class LoadResult:
    agreements: tuple[Agreement, ...]  # only the files without errors
    problems: tuple[Problem, ...]  # every problem of every file, sorted by path, line, col

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def load_agreements(paths: Sequence[Path | str], root: Path | None = None) -> LoadResult:
    """Load every ``*.yaml``/``*.yml`` file under ``paths`` (files or folders).

    Paths in problems are relative to ``root`` (default: the current folder).
    Never raises for bad input: every problem becomes a :class:`Problem`.
    """
    raise NotImplementedError


def load_text(text: str | bytes, path: str) -> tuple[Agreement | None, tuple[Problem, ...]]:
    """Load one agreement from text (e.g. a file's content at an old git commit).

    ``path`` is used in messages only. Returns ``(None, problems)`` when it has errors.
    Cross-file checks (unique ids, dependencies exist) are not run here.
    """
    raise NotImplementedError
