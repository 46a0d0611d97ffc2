"""The ``slacode`` command line: one small module per subcommand in this package.

Each module ``slacode/cli/<name>.py`` defines a click command named ``command``;
the group imports it only when it runs, so ``slacode validate`` stays fast.
Expected failures raise :class:`slacode.problems.SlacodeError` and exit 1 or 2 with
a one-line message, never a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util  # not implied by `import importlib`: find_spec lives here
import sys
from pathlib import Path

import click

from slacode import __version__
from slacode.problems import InstallError, SlacodeError

#: subcommand name -> module under slacode.cli
COMMANDS = {
    "validate": "validate",
    "pull": "pull",
    "evaluate": "evaluate",
    "render": "render",
    "build": "build",
    "demo": "demo",
    "init": "init",
    "diff": "diff",
    "codeowners": "codeowners",
    "rules": "rules",
    "alerts": "alerts",
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


@click.group(cls=_LazyGroup, context_settings={
    "help_option_names": ["-h", "--help"],
    # each command's first line whole in `slacode --help`, whatever the terminal says
    "terminal_width": 100, "max_content_width": 100})
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
    except ImportError as exc:
        # a dependency missing or broken in this environment: name it, not a traceback
        what = f"module {exc.name} missing" if exc.name else str(exc)
        click.echo(f"slacode: error: {InstallError(what)}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"slacode: error: {os_error(exc)}", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)


def os_error(exc: OSError) -> str:
    """What an :class:`OSError` that reached the command line says went wrong.

    Reading the user's files (agreements, data, configuration, ledger) reports its own
    errors, so what is left is either slacode's own files (the package installed without
    its schema or templates) or an output path that cannot be written (read-only, missing
    parent, /proc): each is named for what it is, and an error without a file name is
    not passed off as a failed write.
    """
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    where = Path(str(exc.filename))
    package = Path(__file__).resolve().parent.parent
    if package in where.absolute().parents:
        what = (f"{where} missing" if isinstance(exc, FileNotFoundError)
                else f"cannot read {where}: {reason}")
        return str(InstallError(what))
    return f"cannot write {where}: {reason}"
