"""One way to report a problem with a position, shared by every stage.

Every user-facing error is a :class:`Problem` rendered as ``path:line:col:
severity: message``; stages collect them instead of raising so that one run
reports everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    col: int  # 1-based; 0 when unknown
    severity: Severity
    message: str
    code: str = ""  # short stable identifier, e.g. "yaml.duplicate-key", "lint.target-range"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def as_github(self) -> str:
        """A GitHub Actions workflow command, so CI annotates the pull request diff."""
        level = "error" if self.severity == "error" else "warning"
        msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{level} file={self.path},line={self.line},col={self.col}::{msg}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
            "code": self.code,
        }


class SlacodeError(Exception):
    """An expected failure with a message for the user; the CLI prints it, no traceback."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems
