"""``slacode init [DIR]``: start a repository of agreements that installs slacode."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Write into a folder that is not empty (files of the same name are "
                   "replaced, others kept).")
def command(folder: Path, force: bool) -> None:
    """Start a repository of agreements in FOLDER that builds as it is.

    Writes an example agreement with sample data, mkdocs.yml, the pull-request and
    nightly workflows (which run the slacode action), pre-commit and CODEOWNERS into
    FOLDER (default: here); then `slacode validate && slacode build` work."""
    from slacode.init import write_project

    written = write_project(folder, force=force)
    for path in written:
        click.echo(f"wrote {folder / path}")
    where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {folder} && "
    click.echo(f"next: {where}git init && slacode validate && slacode build "
               "(then see README.md)")
