"""The ``slacode`` command line: one small module per subcommand in this package.

Each module ``slacode/cli/<name>.py`` defines a click command named ``command``;
the group imports it only when it runs, so ``slacode validate`` stays fast.
Expected failures raise :class:`slacode.problems.SlacodeError` and exit 1 or 2 with
a one-line message, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from slacode import __version__
from slacode.problems import SlacodeError

#: subcommand name -> module under slacode.cli
COMMANDS = {
    "validate": "validate",
    "pull": "pull",
    "evaluate": "evaluate",
    "render": "render",
    "build": "build",
    "demo": "demo",
    "diff": "diff",
    "codeowners": "codeowners",
    "rules": "rules",
    "report": "report",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(
            n for n, m in COMMANDS.items() if importlib.util.find_spec(f"slacode.cli.{m}")
        )

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None or importlib.util.find_spec(f"slacode.cli.{module}") is None:
            return None
        return importlib.import_module(f"slacode.cli.{module}").command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="slacode")
def cli() -> None:
    """Service-level agreements as code: validate, pull, evaluate, publish."""


def main() -> None:
    """Console entry point: expected errors become one line on stderr, never a traceback."""
    try:
        rc = cli.main(standalone_mode=False)
        sys.exit(rc if isinstance(rc, int) else 0)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except SlacodeError as exc:
        click.echo(f"slacode: error: {exc}", err=True)
        for p in exc.problems:
            click.echo(str(p), err=True)
        sys.exit(getattr(exc, "exit_code", 1))  # 3: a strict build published, but disputed
    except OSError as exc:
        # one place for every command that writes: an output path that cannot be written
        # (read-only, missing parent, /proc) is the user's to fix, not a traceback
        where = exc.filename if exc.filename is not None else "output"
        click.echo(f"slacode: error: cannot write {where}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
