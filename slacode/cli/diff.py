"""``slacode diff BASE [HEAD] [--pr]``: what a change promises differently, as Markdown.

Compares ``slas/`` at the merge base of BASE and HEAD with HEAD (what a pull request
from HEAD into BASE changes) and prints a Markdown summary for a job summary or a
pull-request comment. With ``--pr``, a promise changed without a higher version and
a later effective date is an error (exit 1), reported as ``path:line:col``; so is a
maintenance window added, moved, extended or announced earlier after it began (it
would erase past downtime). "After" is judged at HEAD's commit time or at the time of
the check, whichever is later: a committer date can be set to anything.

With ``--pr`` every commit of the range is checked too: a commit that changes the
promises of a version already merged in place is an error naming the commit (a merge
commit or a rebase merge keeps it on the base branch, where it would rewrite the
history of closed periods). Removing an agreement whose closed periods are frozen in
the ledger is an error: retire a service by setting ``contract.end`` instead.

BASE and HEAD are one revision each (a branch, tag or commit, not ``A..B``); HEAD means
the last commit, so uncommitted edits are not compared (they are listed). Text from
the YAML is made inert in the Markdown (it may be posted as a comment); the problems on
stderr are plain text.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import click

from slacode.cli.options import Project, project_options
from slacode.problems import SlacodeError


@click.command("diff")
@project_options(now_help="Here: the check's time with --pr (default SLACODE_NOW, else, or "
                          "with 'clock', the clock). A pinned `now` in the settings is not "
                          "used: it dates demo data, not the check.")
@click.argument("base")
@click.argument("head", default="HEAD")
@click.option("--pr", "pr_mode", is_flag=True,
              help="Pull-request mode: a changed promise needs a version bump and a new "
                   "effective date, and no commit of the range may change a merged version "
                   "in place; a maintenance window may not be added after it began, nor a "
                   "promise weakened from a date before the check; an "
                   "agreement with frozen periods in the ledger may not be removed (set "
                   "contract.end instead).")
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text",
              show_default=True,
              help="How problems are printed on stderr; github adds annotations.")
def command(base: str, head: str, pr_mode: bool, project: Project, fmt: str) -> None:
    """Summarise what HEAD promises differently from BASE (Markdown on stdout).

    HEAD (default: HEAD, the last commit) and BASE are commits: uncommitted edits in the
    work tree are not compared; commit them first. The project must be inside a git work
    tree.
    """
    from slacode.config import load_settings
    from slacode.history.gitlog import GitError
    from slacode.history.report import diff_revisions, markdown, pr_problems

    settings = load_settings(project.root, config_file=project.config_file)
    now_text = project.now if project.now is not None else os.environ.get("SLACODE_NOW")
    now = _check_time(now_text) if pr_mode else None
    try:
        d = diff_revisions(settings.root, base, head, settings.slas, now=now,
                           each_commit=pr_mode, ledger_dir=settings.ledger,
                           cache=settings.path(settings.cache))
    except GitError as exc:
        raise SlacodeError(str(exc)) from None
    rule = pr_problems(d) if pr_mode else ()
    click.echo(markdown(d, rule))
    for p in rule:
        click.echo(p.as_github() if fmt == "github" else str(p), err=True)
    # Files that do not load are `slacode validate`'s to annotate; here they only fail the check.
    for p in d.problems:
        click.echo(str(p), err=True)
    if pr_mode and any(p.severity == "error" for p in (*rule, *d.problems)):
        raise click.exceptions.Exit(1)


def _check_time(text: str | None) -> datetime:
    """When the PR check judges: a window that began before then was not announced in time."""
    from slacode.config import parse_now

    if text is None or text.strip() in ("", "clock"):
        return datetime.now(UTC)
    return datetime.fromtimestamp(parse_now(text), UTC)
