"""The project options every command that reads a project takes, declared once.

``--root``, ``-f/--config-file`` and ``--now`` mean the same on every command: which
project, which settings, and when "now" is. :func:`project_options` adds the three to a
command and hands it one :class:`Project`; a command whose ``--now`` means something
more specific (``diff --pr``: the check's time) says so in its help, and still takes it
from here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from slacode.config import Settings

F = TypeVar("F", bound=Callable[..., Any])

#: what ``--now`` means unless a command says otherwise
NOW_HELP = ("Evaluation time, ISO 8601 with an offset; wins over SLACODE_NOW and the "
            "settings' pinned `now` (default: those, else SOURCE_DATE_EPOCH, else the clock).")

#: the names of the three options, as ``--help`` lists them
NAMES = ("--root", "--config-file", "--now")


@dataclass(frozen=True)
class Project:
    """Which project a command works on, as its options gave it (``None``: not given)."""

    root: Path | None = None
    config_file: Path | None = None
    now: str | None = None

    @property
    def explicit(self) -> bool:
        """Whether ``--root`` or ``-f`` named the project (else: the current folder)."""
        return self.root is not None or self.config_file is not None

    @property
    def mkdocs_yml(self) -> Path:
        """The configuration file: ``-f``, else ``ROOT/mkdocs.yml``."""
        if self.config_file is not None:
            return self.config_file
        return (self.root if self.root is not None else Path(".")) / "mkdocs.yml"

    def settings(self, **overrides: Any) -> Settings:
        """The project's settings, with ``--now`` and a command's own ``overrides``."""
        from slacode.config import load_settings

        return load_settings(self.root, config_file=self.config_file, now=self.now, **overrides)

    def plugin_overrides(self) -> dict[str, Any]:
        """What the MkDocs plugin takes over from the options in ``slacode build``: the
        time, and a project folder other than the configuration file's."""
        out: dict[str, Any] = {}
        if self.now is not None:
            out["now"] = self.now
        if self.root is not None:
            out["root"] = self.root.resolve()
        return out


def project_options(now_help: str = NOW_HELP) -> Callable[[F], F]:
    """Add ``--root``, ``-f/--config-file`` and ``--now`` to a command, which then gets
    them as one ``project`` argument (a :class:`Project`)."""

    def decorate(f: F) -> F:
        @functools.wraps(f)
        def wrapper(*args: Any, root: Path | None, config_file: Path | None,
                    now_text: str | None, **kwargs: Any) -> Any:
            return f(*args, project=Project(root, config_file, now_text), **kwargs)

        options = [
            click.option("--root", type=click.Path(file_okay=False, path_type=Path),
                         default=None, metavar="DIR",
                         help="Project folder: holds slas/ and what the settings name "
                              "(default: the folder of --config-file, else here)."),
            click.option("-f", "--config-file", type=click.Path(dir_okay=False, path_type=Path),
                         default=None, metavar="FILE",
                         help="MkDocs configuration whose slacode block holds the settings "
                              "(default: ROOT/mkdocs.yml)."),
            click.option("--now", "now_text", default=None, metavar="ISO", help=now_help),
        ]
        decorated: Any = wrapper
        for option in reversed(options):
            decorated = option(decorated)
        return decorated

    return decorate
