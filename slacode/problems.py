"""One way to report a problem with a position, shared by every stage.

Every user-facing error is a :class:`Problem` rendered as ``path:line:col:
severity: message``; stages collect them instead of raising so that one run
reports everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

#: characters that would end or change the line a problem is printed on (C0 and C1
#: controls, DEL, the Unicode line and paragraph separators)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` on one line: each control character written as an escape (``\\n``,
    ``\\t``, ``\\x1b``). A file name or message holding a line break would otherwise start
    a line of its own in a log, where CI reads ``::error ...`` as a workflow command."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _annotation_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub documents it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _annotation_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``): also ``:`` and ``,``,
    which would end the property list or start another property."""
    return _annotation_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    col: int  # 1-based; 0 when unknown
    severity: Severity
    message: str
    code: str = ""  # short stable identifier, e.g. "yaml.duplicate-key", "lint.target-range"

    def __str__(self) -> str:
        """One line, whatever the path or message holds (see :func:`printable`)."""
        return (f"{printable(self.path)}:{self.line}:{self.col}: {self.severity}: "
                f"{printable(self.message)}")

    def as_github(self) -> str:
        """A GitHub Actions workflow command, so CI annotates the pull request diff.

        Escaped as GitHub documents it, properties and message apart: a file name is
        untrusted text, and an unescaped ``\\n`` or ``,`` in it would start a workflow
        command of its own or add properties."""
        level = "error" if self.severity == "error" else "warning"
        return (f"::{level} file={_annotation_property(self.path)},line={self.line},"
                f"col={self.col}::{_annotation_data(self.message)}")

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


class InstallError(SlacodeError):
    """A file of slacode itself (the schema, a template, a stylesheet) is missing or
    unreadable: the installation is at fault, not the user's input, so the message says
    which file and how to repair it instead of blaming an agreement or an output path."""

    def __init__(self, what: str) -> None:
        super().__init__(f"slacode is not installed correctly: {what}; reinstall it "
                         "(pip install --force-reinstall slacode)")
