"""``slacode validate [PATH...]``: every problem of every agreement in one run.

Exit status: 0 when there are no errors (warnings allowed), 1 when any file has an
error, 2 for a usage error (a path that does not exist, no agreement files).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from slacode.cli.options import Project, project_options
from slacode.problems import Code, Problem, SlacodeError

if TYPE_CHECKING:
    from slacode.config import Settings
    from slacode.load import LoadResult


def _project(paths: tuple[Path, ...]) -> Path | None:
    """The project folder of the agreements (the nearest one above them with an
    mkdocs.yml), which their data file paths are relative to; None outside a project."""
    start = Path(paths[0]).resolve()
    return next((f for f in (start, *start.parents) if (f / "mkdocs.yml").is_file()), None)


def _stale_files(
    settings: Settings, paths: tuple[Path, ...], result: LoadResult, cache: Path | None = None
) -> list[Problem]:
    """Warnings for the generated files the repository commits (.github/CODEOWNERS, the
    alerting rules) that no longer match the agreements: the pull-request check fails on
    them (``--check``), so say it here first, with the command that mends each. Only in a
    git repository, over all agreements of the project (pre-commit passes only the
    changed files), and only when they all load; the alerting rules only where the
    project commits them."""
    from slacode.cli.alerts import DEFAULT_OUTPUT, alerts_file
    from slacode.cli.codeowners import codeowners
    from slacode.history import gitlog
    from slacode.load import load_agreements

    try:
        gitlog.toplevel(settings.root)
    except gitlog.GitError:
        return []
    folder = settings.path(settings.slas)
    whole = result if tuple(Path(p).resolve() for p in paths) == (folder.resolve(),) else \
        load_agreements([folder], root=settings.root, cache=cache)
    if not whole.ok:
        return []
    makers = [lambda: codeowners(settings, whole.agreements)]
    if (settings.root / DEFAULT_OUTPUT).is_file():
        makers.append(lambda: alerts_file(settings, whole.agreements))
    out = []
    for make in makers:
        try:
            state = make()
        except SlacodeError:  # a name CODEOWNERS cannot hold: load already says so
            continue
        if state.stale:
            at = 1 if state.current is not None else 0
            out.append(Problem(
                state.shown, at, at, "warning",
                f"out of date with the agreements in {settings.slas}/: run `{state.command}` "
                "and commit it (the pull-request check fails until then)", Code.GENERATED_STALE))
    return out


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
@project_options(now_help="The time reviews and contract ends are checked at; wins over "
                          "SLACODE_NOW and the settings' pinned `now` (default: those, else "
                          "SOURCE_DATE_EPOCH, else the clock).")
@click.pass_context
def command(ctx: click.Context, paths: tuple[Path, ...], fmt: str, project: Project) -> None:
    """Check agreements against the schema and for meaning (default: the slas/ folder)."""
    from slacode.load import agreement_files, load_agreements

    root = Path.cwd()
    if project.explicit or not paths:
        settings = project.settings(memo=True)
    else:  # the project of the agreements named
        settings = Project(_project(paths) or root, now=project.now).settings(memo=True)
    if not paths:
        default = settings.path(settings.slas)
        if not default.is_dir():
            raise click.UsageError(f"no PATH given and {default} is not a folder")
        paths = (default,)
    try:
        files = agreement_files(paths)
    except SlacodeError as exc:
        raise click.UsageError(str(exc)) from None
    # data file paths are relative to the project, when there is one
    data_root = settings.root if project.explicit else _project(paths)
    # unchanged files skip the parse and the schema (slacode.load.memo); only in a
    # project, whose cache folder git ignores
    cache = settings.path(settings.cache) if data_root else None
    result = load_agreements(paths, root=root, today=settings.today(),
                             data_root=data_root, cache=cache)
    stale = _stale_files(settings, paths, result, cache) if data_root else []
    if data_root:  # the improvement actions in actions/, judged at the project's now
        # straight from the loader, not through slacode.pipeline, whose imports (every
        # stage) would be most of the pre-commit loop's start-up
        from slacode.durations import Duration
        from slacode.load.actions import load_actions

        stale += load_actions(settings.root, result.agreements, settings.today(),
                              Duration.parse(settings.actions_grace)).problems
    result = replace(result, problems=(*result.problems, *stale))
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
