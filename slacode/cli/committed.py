"""Files slacode generates and a repository commits: CODEOWNERS, the alerting rules.

Each is checked in the pull request with ``--check``; ``slacode validate`` warns while
one is out of date, so that a first agreement does not pass validate and then fail
the pull-request check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CommittedFile:
    """A generated file: where it is, what it holds, what it should hold, and the command
    that writes it."""

    target: Path
    shown: str  # as the user sees it: relative to the repository or project
    current: str | None  # None: not there
    expected: str
    command: str  # e.g. "slacode codeowners"
    summary: str = ""  # what it holds, said when it is written

    @property
    def stale(self) -> bool:
        return self.current != self.expected
