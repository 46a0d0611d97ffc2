"""``slacode build``: the published site, swapped in only when the whole build succeeded.

MkDocs (with ``--strict``) writes into its output folder before it fails, so the
build goes to a temporary folder beside the site and replaces it in one rename at
the end; a failed or killed build leaves the previous site byte for byte intact.
``SOURCE_DATE_EPOCH`` defaults to the evaluation time so that two builds of the same
inputs give the same files (sitemap dates included).

Two builds publishing to the same folder take turns (see
:mod:`slacode.render.output`), and a finished tree is swapped in only when it holds
``index.html`` and every page its sitemap lists: a build whose folder was emptied
under it fails instead of publishing what it wrote afterwards.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from slacode.cli.options import Project, project_options
from slacode.problems import GAP_CODES, Problem, SlacodeError

#: exit status of a strict build that published the site but found disputed frozen figures
EXIT_DISPUTED = 3


class DisputedError(SlacodeError):
    """A strict build published the site, but frozen figures are disputed: a failure of
    its own (exit 3), distinct from a failed build that kept the previous site (exit 1)."""

    exit_code = EXIT_DISPUTED


def load_mkdocs_config(config_file: Path, **overrides: Any) -> Any:
    """The MkDocs config, with load errors as one-line :class:`SlacodeError`."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if not config_file.is_file():
        raise SlacodeError(f"{config_file}: no such file")
    try:
        return load_config(config_file=str(config_file), **overrides)
    except MkDocsException as exc:
        raise SlacodeError(f"{config_file}: {exc}") from None


def build_site(
    config_file: Path,
    *,
    audience: str | None = None,
    strict: bool = False,
    site_dir: Path | None = None,
    root: Path | None = None,
    now: str | None = None,
    notes: list[Problem] | None = None,
) -> Path:
    """Build the site of ``config_file`` for ``audience``; returns the published folder
    (for ``all``, the public one: see :func:`build_all`).

    ``root`` and ``now`` are the command's project options (a project folder other than
    the file's, the evaluation time); the pipeline's notes (what MkDocs logs at INFO:
    data gaps, warnings about agreements) are added to ``notes``."""
    from slacode.config import ALL, load_settings

    config_file = config_file.resolve()
    # its warnings are the plugin's to give, in MkDocs' log (where --strict counts them)
    settings = load_settings(root, config_file=config_file, now=now,
                             on_warning=lambda _text: None)
    if (audience or settings.audience) == ALL:
        return build_all(config_file, strict=strict, site_dir=site_dir, root=root, now=now,
                         notes=notes)["public"]
    with _source_date_epoch(settings.now_epoch()):
        target, plugin = _build(config_file, audience, strict, site_dir,
                                overrides=_overrides(root, now), notes=notes)
    _fail_on_disputes(strict, [plugin], f"site written to {target}")
    return target


def build_all(
    config_file: Path, *, strict: bool = False, site_dir: Path | None = None,
    seconds: dict[str, float] | None = None, root: Path | None = None, now: str | None = None,
    notes: list[Problem] | None = None,
) -> dict[str, Path]:
    """Every audience's site from one pull and evaluation: audience -> published folder.

    The public site goes where a public build puts it (``site_dir``, e.g. ``site/public``);
    beside it go ``internal/`` and ``customers/NAME/`` for every customer an agreement
    (or a past version of one) names. The first build (public) pulls and evaluates; the
    others are rendered from that evaluation, so an extra audience costs its render and
    its MkDocs build only. Each folder is swapped in on its own, as a single-audience
    build does, and is byte for byte what ``--audience X`` alone writes. A failed
    source fails the first build, so a strict run then publishes nothing at all.
    """
    from slacode.config import load_settings

    config_file = config_file.resolve()
    settings = load_settings(root, config_file=config_file, now=now,
                             on_warning=lambda _text: None)
    overrides = _overrides(root, now)
    out: dict[str, Path] = {}
    plugins = []  # only their disputes are kept: a plugin holds its site's generated files
    took = seconds if seconds is not None else {}
    with _source_date_epoch(settings.now_epoch()):
        t0 = time.perf_counter()
        # every audience's build has the one evaluation's notes: the first one's say it
        public, plugin = _build(config_file, "public", strict, site_dir, overrides=overrides,
                                notes=notes)
        took["public"] = time.perf_counter() - t0
        out["public"], evaluation = public, getattr(plugin, "evaluated", None)
        plugins.append(_Disputes(getattr(plugin, "disputes", None)))
        root = public.parent
        for audience in ["internal", *customers(evaluation)]:
            name = audience.partition(":")[2]
            folder = root / "customers" / name if name else root / audience
            t0 = time.perf_counter()
            out[audience], plugin = _build(config_file, audience, strict, folder,
                                           evaluation=evaluation, overrides=overrides)
            took[audience] = time.perf_counter() - t0
            plugins.append(_Disputes(getattr(plugin, "disputes", None)))
    _fail_on_disputes(strict, plugins, "sites written to " + ", ".join(map(str, out.values())))
    return out


#: a customer name as the schema allows it: also safe as a folder name
_CUSTOMER = re.compile(r"customer:[a-z0-9][a-z0-9-]{0,62}")


def customers(evaluation: Any) -> list[str]:
    """Every ``customer:NAME`` an agreement or a past version names, sorted: each gets a
    site of its own."""
    if evaluation is None:
        return []
    every = [*evaluation.agreements, *(v for vs in evaluation.versions.values() for v in vs)]
    return sorted({a.visibility for a in every if _CUSTOMER.fullmatch(a.visibility)})


@dataclass(frozen=True)
class _Disputes:
    disputes: Any


def _fail_on_disputes(strict: bool, plugins: list[Any], where: str) -> None:
    disputes = next((d for p in plugins if (d := getattr(p, "disputes", None))), None)
    if strict and disputes:
        from slacode.plugin import disputed_message

        raise DisputedError(f"{disputed_message(disputes)} ({where})")


@contextlib.contextmanager
def _source_date_epoch(default: int) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` for the build (sitemap dates, gzip headers), then as it was."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if before is None:
        os.environ["SOURCE_DATE_EPOCH"] = str(default)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def _overrides(root: Path | None, now: str | None) -> dict[str, Any]:
    """The project options the plugin takes over from the command line."""
    out: dict[str, Any] = {}
    if root is not None:
        out["root"] = root.resolve()
    if now is not None:
        out["now"] = now
    return out


def _build(config_file: Path, audience: str | None, strict: bool, site_dir: Path | None,
           evaluation: Any = None, overrides: dict[str, Any] | None = None,
           notes: list[Problem] | None = None) -> tuple[Path, Any]:
    """One site; returns its folder and the slacode plugin that built it (``None`` when
    the config does not enable it). The pipeline's notes go to ``notes``."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from slacode.config import check_audience
    from slacode.render.output import replacing

    cfg = load_mkdocs_config(config_file, strict=strict)
    plugin = cfg.plugins.get("slacode")
    if audience is not None:
        if plugin is None:
            raise SlacodeError(f"{config_file}: the slacode plugin is not enabled")
        plugin.config.audience = check_audience(audience)
    if plugin is not None:
        plugin.defer_disputes = True  # published first, failed below
        plugin.evaluation = evaluation
        plugin.overrides = dict(overrides or {})
    target = Path(site_dir) if site_dir else Path(cfg.site_dir)
    _log_to_stderr()
    errors = _LastError()
    logging.getLogger("mkdocs").addHandler(errors)
    said = _Notes()
    try:
        with replacing(target) as tmp:
            cfg.site_dir = str(tmp)
            try:
                build(cfg)
            except MkDocsException as exc:
                # MkDocs logs a plugin's error, then aborts with "Aborted with a BuildError!":
                # the logged error is the reason worth the one line.
                from slacode.redact import redact

                reason = errors.message or redact(exc.format_message())
                raise SlacodeError(f"build failed, previous site kept: {reason}") from None
            except OSError as exc:
                raise SlacodeError(f"build failed, previous site kept: {exc}") from None
            missing = missing_page(tmp, cfg.site_url)
            if missing:
                raise SlacodeError(f"build failed, previous site kept: the built site has no "
                                   f"{missing}")
    finally:
        logging.getLogger("mkdocs").removeHandler(errors)
        said.close()
        if notes is not None and plugin is not None:
            known = {str(p) for p in notes}
            notes.extend(p for p in getattr(plugin, "problems", ())
                         if str(p) in said.lines and str(p) not in known)
    return target, plugin


def missing_page(site: Path, site_url: str | None = None) -> str:
    """The first file a complete build of ``site`` must hold and does not ("" when none
    is missing): ``index.html``, and the page of every address in ``sitemap.xml`` (which
    MkDocs writes after the pages, listing them all)."""
    from urllib.parse import unquote, urlsplit
    from xml.etree import ElementTree

    if not (site / "index.html").is_file():
        return "index.html"
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return ""
    try:
        root = ElementTree.parse(sitemap).getroot()
    except ElementTree.ParseError:
        return "readable sitemap.xml"
    base = urlsplit(site_url or "/").path
    for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        path = unquote(urlsplit((loc.text or "").strip()).path)
        rel = path[len(base):] if path.startswith(base) else path.lstrip("/")
        page = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        if not (site / page).is_file():
            return page
    return ""


class _Notes(logging.Handler):
    """The lines the slacode plugin logs at INFO while it is attached: the pipeline's notes,
    which MkDocs' own command prints and a ``slacode build`` sums up at its end (what the
    plugin logs as a warning is printed as it happens)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: set[str] = set()
        self.logger = logging.getLogger("mkdocs.plugins.slacode")
        self.level_before = self.logger.level
        self.logger.setLevel(logging.INFO)
        self.logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.INFO:
            self.lines.add(record.getMessage())

    def close(self) -> None:
        self.logger.removeHandler(self)
        self.logger.setLevel(self.level_before)
        super().close()


#: what the first part of a problem's code is about, as the summary counts it
_KINDS = {"pull": "measurement note", "lint": "agreement warning",
          "schema": "agreement warning", "yaml": "agreement warning", "io": "agreement warning",
          "history": "history note", "ledger": "ledger note", "generated": "generated file"}


def notes_summary(notes: list[Problem], verbose: bool = False, first: int = 5) -> list[str]:
    """The lines a build ends with about the pipeline's notes: how many of each kind,
    the first ``first`` of them (all with ``verbose``), and how to see the rest. An
    operator reads the gaps and warnings the pages show as "no data" here, not only in a
    full ``mkdocs build`` log."""
    if not notes:
        return []
    counts: dict[str, int] = {}
    for p in notes:
        code = str(getattr(p.code, "value", p.code))
        kind = "data gap" if code in GAP_CODES else _KINDS.get(code.partition(".")[0], "other note")
        counts[kind] = counts.get(kind, 0) + 1
    kinds = ", ".join(f"{n} {k}{'s' if n != 1 else ''}"
                      for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    n = len(notes)
    shown = notes if verbose or n <= first else notes[:first]
    head = f"slacode: {n} note{'s' if n != 1 else ''} from the pipeline ({kinds})"
    lines = [head + (":" if len(shown) == n else f"; the first {len(shown)}:")]
    lines += [f"  {p}" for p in shown]
    if len(shown) < n:
        lines.append(f"  ... {n - len(shown)} more: run with -v to see all {n}")
    return lines


class _LastError(logging.Handler):
    """Remembers the last error MkDocs logged (a plugin's reason for failing the build)."""

    def __init__(self) -> None:
        from slacode.redact import install_redaction

        super().__init__(logging.ERROR)
        self.message = ""
        install_redaction(self)  # the reason is printed: never with a credential

    def emit(self, record: logging.LogRecord) -> None:
        self.message = record.getMessage().splitlines()[0] if record.getMessage() else ""


def _log_to_stderr() -> None:
    """MkDocs' warnings and errors on stderr, through the credential filter the CLI's own
    logging uses: MkDocs, its plugins and hooks log what they like (a URL with its
    userinfo, a header), and a logger's own filter never sees its children's records."""
    from slacode.redact import install_redaction

    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_slacode", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler.setLevel(logging.WARNING)
        handler._slacode = True  # type: ignore[attr-defined]
        install_redaction(handler)
        logger.addHandler(handler)
        logger.propagate = False


@click.command()
@project_options()
@click.option("--audience", default=None,
              help="public (default), internal, customer:NAME, or all: every audience's site "
                   "from one evaluation (internal/ and customers/NAME/ beside the public one).")
@click.option("--strict", is_flag=True,
              help="Fail on any MkDocs warning or failed source (nothing is published, "
                   "exit 1); on disputed frozen figures, publish and then exit 3.")
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Publish here instead of the config's site_dir (with --audience all: the public "
         "site; the others go beside it).",
)
@click.option("-v", "--verbose", is_flag=True,
              help="Print every note of the pipeline (data gaps, warnings about agreements), "
                   "not only the count and the first few.")
def command(project: Project, audience: str | None, strict: bool, site_dir: Path | None,
            verbose: bool) -> None:
    """Run the pipeline and publish the site atomically."""
    from slacode.config import ALL

    config_file = project.mkdocs_yml
    if audience is None and config_file.is_file():
        audience = project.settings(on_warning=lambda _text: None).audience
    notes: list[Problem] = []
    try:
        if audience == ALL:
            for name, out in build_all(config_file, strict=strict, site_dir=site_dir,
                                       root=project.root, now=project.now,
                                       notes=notes).items():
                click.echo(f"{name} site written to {out}")
            return
        out = build_site(config_file, audience=audience, strict=strict, site_dir=site_dir,
                         root=project.root, now=project.now, notes=notes)
        click.echo(f"site written to {out}")
    finally:
        for line in notes_summary(notes, verbose):
            click.echo(line, err=True)
