"""``slacode pull``: fetch measurements for every objective and report their coverage.

A progress bar on a terminal; one plain line per objective otherwise (CI logs). Faults
(server down, timeouts, 5xx, no series, missing files) are reported as gaps, never as
figures; ``--strict`` (or ``strict: true`` in the settings) makes any gap exit 1. Bad
rows in data files are errors (exit 1) with ``path:line``.

``--format json`` prints one object with stable keys::

    {"now": "...", "queries": 12,
     "objectives": [{"service", "objective", "source", "intervals", "with_data", "as_of",
                     "gaps": [{"start", "end", "reason", "fault"}], "warnings",
                     "incidents" | "responses" | "complaints"}, ...],
     "problems": [{"path", "line", "col", "severity", "message", "code"}, ...]}

A gap's ``fault`` is true when the source failed (server down, an error or partial
answer, a missing file; problem code ``pull.fault``) rather than having no data for the
interval (``pull.gap``); ``slacode build --strict`` fails on a fault.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from pathlib import Path

import click

from slacode.problems import GAP_CODES, SlacodeError, as_errors

_HANDLER: logging.Handler | None = None


def _setup_logging(verbose: bool) -> None:
    from slacode.redact import install_redaction

    global _HANDLER
    root = logging.getLogger()
    if _HANDLER is not None:
        root.removeHandler(_HANDLER)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    install_redaction(handler)
    root.addHandler(handler)
    _HANDLER = handler
    root.setLevel(logging.DEBUG if verbose else logging.ERROR)


@click.command("pull")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="Project folder (holds mkdocs.yml and slas/).")
@click.option("--now", "now_text", default=None, metavar="ISO",
              help="Evaluation time (default: the pinned `now`, SOURCE_DATE_EPOCH, the clock).")
@click.option("--strict", is_flag=True, help="Exit 1 when any interval has no data.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Lines for people, or JSON with stable keys.")
@click.option("-v", "--verbose", is_flag=True, help="Log every query (credentials redacted).")
def command(root: Path, now_text: str | None, strict: bool, fmt: str, verbose: bool) -> None:
    """Pull measurements for every objective (cached; only new intervals are asked for)."""
    from slacode import load
    from slacode.config import load_settings
    from slacode.pipeline import past_versions
    from slacode.pull import pull, utc_text

    _setup_logging(verbose)
    settings = load_settings(root, now=now_text)
    try:
        now = settings.now_epoch()
    except ValueError:
        raise SlacodeError(f"invalid evaluation time {settings.now!r}: expected ISO 8601") from None
    loaded = load.load_agreements([settings.path(settings.slas)], root=settings.root,
                                  today=settings.today())
    errors = tuple(p for p in loaded.problems if p.severity == "error")
    if errors:
        raise SlacodeError(f"{len(errors)} error(s) in agreements; fix them first", errors)
    total = sum(len(a.objectives) for a in loaded.agreements)
    lock = threading.Lock()
    if sys.stderr.isatty() and total:
        bar = click.progressbar(length=total, label="Pulling", file=sys.stderr)
        bar.__enter__()

        def progress(line: str) -> None:
            with lock:
                bar.update(1)
    else:
        bar = None

        def progress(line: str) -> None:
            with lock:
                click.echo(f"pull {line}", err=True)

    try:
        # past versions' maintenance windows cut days as the build's pull does, so that
        # both ask for (and cache) the same intervals
        result = pull(loaded.agreements, settings, now, progress=progress,
                      versions=past_versions(settings))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)

    strict = strict or settings.strict
    rows = result.rows()
    problems = as_errors(result.problems, gaps=True) if strict else result.problems
    if fmt == "json":
        click.echo(json.dumps({
            "now": utc_text(now), "queries": result.queries, "objectives": rows,
            "problems": [p.as_dict() for p in problems],
        }, indent=2, sort_keys=True, allow_nan=False))  # no Infinity or NaN: not JSON
    else:
        for row in rows:
            click.echo(f"{row['service']}/{row['objective']}: {row['summary']}")
        click.echo(f"{result.queries} quer{'y' if result.queries == 1 else 'ies'} sent")
        for p in problems:
            click.echo(str(p), err=True)
    errs = tuple(p for p in problems if p.severity == "error")
    if errs:
        gaps = sum(1 for p in errs if p.code in GAP_CODES)
        what = f"{gaps} data gap(s) with --strict" if gaps == len(errs) else f"{len(errs)} error(s)"
        raise SlacodeError(f"pull: {what}")
