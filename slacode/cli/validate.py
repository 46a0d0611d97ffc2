"""``slacode validate [PATH...]``: every problem of every agreement in one run.

Exit status: 0 when there are no errors (warnings allowed), 1 when any file has an
error, 2 for a usage error (a path that does not exist, no agreement files).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from slacode.problems import Problem, SlacodeError


def _project(paths: tuple[Path, ...]) -> Path | None:
    """The project folder of the agreements (the nearest one above them with an
    mkdocs.yml), which their data file paths are relative to; None outside a project."""
    start = Path(paths[0]).resolve()
    return next((f for f in (start, *start.parents) if (f / "mkdocs.yml").is_file()), None)


def _summary(problems: tuple[Problem, ...], files: int) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return (f"{files} agreement file{'s' if files != 1 else ''} checked: "
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}")


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
    show_default=True,
    help="text: path:line:col: severity: message; json: one document; "
    "github: workflow annotations.",
)
@click.option("--now", "now_text", default=None, metavar="ISO",
              help="The date reviews and contract ends are checked at (default: the "
                   "project's pinned `now`, SLACODE_NOW, SOURCE_DATE_EPOCH, the clock).")
@click.pass_context
def command(ctx: click.Context, paths: tuple[Path, ...], fmt: str, now_text: str | None) -> None:
    """Check agreements against the schema and for meaning (default: the slas/ folder)."""
    from slacode.config import load_settings
    from slacode.load import agreement_files, load_agreements

    root = Path.cwd()
    settings = load_settings((_project(paths) or root) if paths else root, now=now_text)
    if not paths:
        default = settings.path(settings.slas)
        if not default.is_dir():
            raise click.UsageError(f"no PATH given and {default} is not a folder")
        paths = (default,)
    try:
        files = agreement_files(paths)
    except SlacodeError as exc:
        raise click.UsageError(str(exc)) from None
    result = load_agreements(paths, root=root, today=settings.today(),
                             data_root=_project(paths))
    if fmt == "json":
        click.echo(json.dumps({
            "ok": result.ok,
            "files": len(files),
            "errors": sum(p.severity == "error" for p in result.problems),
            "warnings": sum(p.severity == "warning" for p in result.problems),
            "problems": [p.as_dict() for p in result.problems],
        }, indent=2))
    else:
        for p in result.problems:
            click.echo(p.as_github() if fmt == "github" else str(p))
        click.echo(_summary(result.problems, len(files)), err=True)
    ctx.exit(0 if result.ok else 1)
