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
import multiprocessing
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from slacode.cli.options import Project, project_options
from slacode.problems import GAP_CODES, Problem, SlacodeError

log = logging.getLogger(__name__)

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
        site = _build(config_file, audience, strict, site_dir, overrides=_overrides(root, now),
                      notes=notes)
    _fail_on_disputes(strict, site.disputes, f"site written to {site.target}")
    return site.target


def build_all(
    config_file: Path, *, strict: bool = False, site_dir: Path | None = None,
    seconds: dict[str, float] | None = None, root: Path | None = None, now: str | None = None,
    notes: list[Problem] | None = None, cpu: dict[str, float] | None = None,
) -> dict[str, Path]:
    """Every audience's site from one pull and evaluation: audience -> published folder.

    The public site goes where a public build puts it (``site_dir``, e.g. ``site/public``);
    beside it go ``internal/`` and ``customers/NAME/`` for every customer an agreement
    (or a past version of one) names. The first build (public) pulls and evaluates; the
    others are rendered from that evaluation, so an extra audience costs its render and
    its MkDocs build only, and on a machine with more than one core they are built in
    worker processes while the public one renders (see :class:`_Others`). Each folder is
    byte for byte what ``--audience X`` alone writes. The other audiences' sites are
    swapped in together, and only after the public one was: a failed source fails the
    first build, so a strict run then publishes nothing at all, and a failure in any
    other audience's build keeps every other audience's previous site. ``seconds`` and
    ``cpu`` get each audience's wall and CPU seconds (for the benchmark).
    """
    from slacode.config import load_settings

    config_file = config_file.resolve()
    settings = load_settings(root, config_file=config_file, now=now,
                             on_warning=lambda _text: None)
    overrides = _overrides(root, now)
    took = seconds if seconds is not None else {}
    spent = cpu if cpu is not None else {}
    with _source_date_epoch(settings.now_epoch()):
        others = _Others(config_file, strict, overrides)
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            # every audience's build has the one evaluation's notes: the first one's say it
            public = _build(config_file, "public", strict, site_dir, overrides=overrides,
                            notes=notes, then=others.start)
        except BaseException:
            others.cancel()
            raise
        took["public"], spent["public"] = time.perf_counter() - t0, time.process_time() - c0
        others.start(public.target, public.evaluated)  # unless it has started
        built = others.finish()
    out = {"public": public.target}
    for b in built:
        out[b.audience], took[b.audience], spent[b.audience] = b.target, b.seconds, b.cpu
    disputes = next((d for d in [public.disputes, *(b.disputes for b in built)] if d), [])
    _fail_on_disputes(strict, disputes, "sites written to " + ", ".join(map(str, out.values())))
    return out


@dataclass(frozen=True)
class _Site:
    """What a build leaves once its site is written: where it is published, its disputes
    and the evaluation it rendered (``None`` without the slacode plugin). Not the plugin,
    which holds every page of the site."""

    target: Path
    disputes: list[Any]
    evaluated: Any


@dataclass(frozen=True)
class _Built:
    """One audience's site, built (and then published) by :func:`_take_and_build`."""

    audience: str
    target: Path
    seconds: float
    cpu: float
    disputes: list[Any]


@dataclass(frozen=True)
class _Job:
    """What every other audience's build shares: the project, the one evaluation, the
    audiences with the folder each is published to, and a file for each one's messages
    (written by whichever process builds it, shown in order at the end)."""

    config_file: Path
    strict: bool
    overrides: dict[str, Any]
    evaluation: Any
    plan: list[tuple[str, Path]]
    logs: list[Any]


class _Withheld(Exception):
    """An audience failed (the public one, or another): no other site is published."""


class _Counter:
    """A counter for this process alone (what ``multiprocessing.Value`` is for several)."""

    value = 0

    def get_lock(self) -> contextlib.nullcontext[None]:
        return contextlib.nullcontext()


class _Queue:
    """The next audience of the plan to build, shared by this process and its workers
    (``shared``): each takes one when it is free, so one slow site never leaves a core
    idle."""

    def __init__(self, size: int, shared: bool) -> None:
        self.size = size
        self._next: Any = multiprocessing.get_context("fork").Value("i", 0) if shared \
            else _Counter()

    def take(self) -> int | None:
        with self._next.get_lock():
            i = self._next.value
            if i >= self.size:
                return None
            self._next.value = i + 1
            return int(i)

    def stop(self) -> None:
        """Nothing more is taken: one build failed, so none of them is published."""
        with self._next.get_lock():
            self._next.value = self.size


class _Failed(Exception):
    """``audience``'s build failed with ``error``."""

    def __init__(self, audience: str, error: BaseException) -> None:
        super().__init__(audience, error)
        self.audience, self.error = audience, error


def _take_and_build(job: _Job, queue: _Queue, stack: contextlib.ExitStack) -> list[_Built]:
    """Build audiences taken from ``queue`` until it is empty, each into a new folder
    beside its site, swapped in when ``stack`` closes without an exception. A failure
    stops the queue for every process and is raised as :class:`_Failed`."""
    built: list[_Built] = []
    while (i := queue.take()) is not None:
        audience, folder = job.plan[i]
        try:
            with _stderr_to(job.logs[i]):
                t0, c0 = time.perf_counter(), time.process_time()
                site = stack.enter_context(_building(
                    job.config_file, audience, job.strict, folder, evaluation=job.evaluation,
                    overrides=job.overrides))
        except BaseException as exc:
            queue.stop()
            raise _Failed(audience, exc) from exc
        built.append(_Built(audience, site.target, time.perf_counter() - t0,
                            time.process_time() - c0, site.disputes))
    return built


@contextlib.contextmanager
def _stderr_to(log: Any) -> Iterator[None]:
    """This process's messages go to ``log`` within: the descriptor, the ``sys.stderr``
    that ``print`` and click use, and the log handlers that write to it."""
    import io

    before, saved = sys.stderr, os.dup(2)
    handlers = [(h, h.stream) for logger in (logging.getLogger(), logging.getLogger("mkdocs"))
                for h in logger.handlers if isinstance(h, logging.StreamHandler)
                and (getattr(h, "_slacode", False) or h.stream in (before, sys.__stderr__))]
    before.flush()
    os.dup2(log.fileno(), 2)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                  errors="backslashreplace", line_buffering=True)
    for h, _stream in handlers:
        h.setStream(sys.stderr)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        for h, stream in handlers:
            h.stream = stream
        sys.stderr = before


def _in_worker(job: _Job, queue: _Queue, verdict: Any, result: Any) -> None:
    """A worker process's part of ``--audience all``: build what it takes from ``queue``,
    report it, wait for the parent's verdict (every audience built), publish or not, and
    say how that went. Errors travel back as exceptions, never as a traceback."""
    try:
        with contextlib.ExitStack() as stack:
            built = _take_and_build(job, queue, stack)
            result.send(("built", built))
            if not verdict.recv():
                raise _Withheld
        result.send(("published", built))
    except _Withheld:
        result.send(("withheld", None))
    except _Failed as failed:
        result.send(("failed", (failed.audience, _portable(failed.error))))
    except BaseException as exc:  # a swap that failed: the parent raises it
        result.send(("failed", ("", _portable(exc))))


def _portable(exc: BaseException) -> BaseException:
    """``exc``, or a :class:`SlacodeError` saying the same when it cannot be pickled; an
    error that is not a :class:`SlacodeError` (a bug) gets its traceback said here."""
    import pickle
    import traceback

    if isinstance(exc, Exception) and not isinstance(exc, SlacodeError | click.ClickException):
        traceback.print_exception(exc)
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # whatever the exception holds
        return SlacodeError(f"{type(exc).__name__}: {exc}")
    return exc


def _workers(audiences: int) -> int:
    """How many worker processes help build the audiences after the public one: one per
    core the public build leaves free. None on one core, or while other threads run: a
    fork copies their locks, held or not."""
    if audiences == 0 or threading.active_count() > 1 \
            or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)
    return min(audiences, cores - 1)


class _Worker:
    """A forked worker process and the pipes to and from it."""

    def __init__(self, job: _Job, queue: _Queue) -> None:
        ctx = multiprocessing.get_context("fork")
        verdict, self._verdict = ctx.Pipe(duplex=False)
        self._result, result = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_in_worker, args=(job, queue, verdict, result),
                                name="slacode-audiences", daemon=True)
        self.proc.start()
        verdict.close()  # this process keeps its own ends only: a dead worker reads as EOF
        result.close()

    def send(self, publish: bool) -> None:
        with contextlib.suppress(OSError):  # it has failed and exited already
            self._verdict.send(publish)

    def receive(self) -> tuple[str, Any]:
        try:
            return self._result.recv()
        except (EOFError, OSError):
            self.proc.join()
            return "failed", ("", SlacodeError(
                "build failed, previous site kept: a worker building the other audiences' "
                f"sites ended without a word (exit status {self.proc.exitcode})"))

    def close(self) -> None:
        self.proc.join()
        self._verdict.close()
        self._result.close()


class _Others:
    """The audiences after the public one in ``--audience all``.

    :meth:`start` is called as soon as the public build has evaluated (the plugin's
    ``on_evaluated``): it plans every other audience's folder and forks a worker per
    spare core, which start building from that evaluation while the public site
    renders. :meth:`finish` has this process take its share once the public site is
    published, then swaps every other site in when all were built (none when one
    failed), shows their messages in audience order as if they had been built one after
    another, and raises the first failure. :meth:`cancel` withholds them all."""

    def __init__(self, config_file: Path, strict: bool, overrides: dict[str, Any]) -> None:
        self.config_file, self.strict, self.overrides = config_file, strict, overrides
        self.job: _Job | None = None
        self.queue: _Queue | None = None
        self.workers: list[_Worker] = []

    def start(self, public: Path, evaluation: Any) -> None:
        if self.job is not None:
            return
        from slacode.heap import long_lived

        root = public.parent
        plan = [(a, (root / "customers" / a.partition(":")[2]) if a.startswith("customer:")
                 else root / a) for a in ["internal", *customers(evaluation)]]
        logs = [tempfile.TemporaryFile() for _ in plan]  # noqa: SIM115 - closed by _said
        self.job = _Job(self.config_file, self.strict, self.overrides, evaluation, plan, logs)
        n = _workers(len(plan))
        try:
            self.queue = _Queue(len(plan), shared=n > 0)
        except OSError as exc:  # no shared memory or semaphores here: no workers
            log.debug("building the other audiences here: %s", exc)
            n, self.queue = 0, _Queue(len(plan), shared=False)
        sys.stdout.flush()
        sys.stderr.flush()
        # the workers' collector never scans what they inherit (it lives to their end)
        with long_lived():
            for _ in range(n):
                try:
                    self.workers.append(_Worker(self.job, self.queue))
                except OSError as exc:  # no more processes: the others build the rest
                    log.debug("could not start a worker: %s", exc)
                    break

    def cancel(self) -> None:
        if self.queue is not None:
            self.queue.stop()
        for w in self.workers:
            w.send(False)
        for w in self.workers:
            w.close()
        self._said(show=False)

    def finish(self) -> list[_Built]:
        assert self.job is not None and self.queue is not None
        failures: dict[str, BaseException] = {}
        mine: list[_Built] = []
        try:
            with contextlib.ExitStack() as stack:
                try:
                    mine = _take_and_build(self.job, self.queue, stack)
                except _Failed as failed:
                    failures[failed.audience] = failed.error
                first = [w.receive() for w in self.workers]
                ok = not failures and all(kind == "built" for kind, _ in first)
                for w in self.workers:
                    w.send(ok)
                if not ok:
                    raise _Withheld
        except _Withheld:
            mine = []
        except Exception as exc:  # a swap of this process's share failed
            failures.setdefault("", exc)
        built = {b.audience: b for b in mine}
        for w, (kind, what) in zip(self.workers, first, strict=True):
            if kind == "built":
                kind, what = w.receive()
            if kind == "failed":
                failures.setdefault(*what)
            elif kind == "published":
                built.update((b.audience, b) for b in what)
            w.close()
        self._said(show=True)
        order = ["", *(a for a, _ in self.job.plan)]  # a failed swap first: it lost a site
        for audience in sorted(failures, key=order.index):
            raise failures[audience]
        return [built[a] for a, _ in self.job.plan if a in built]

    def _said(self, show: bool) -> None:
        """Each audience's messages, in order, as if built here one after another."""
        for file in self.job.logs if self.job else []:
            if show:
                file.seek(0)
                sys.stderr.write(file.read().decode("utf-8", "replace"))
            file.close()
        sys.stderr.flush()


#: a customer name as the schema allows it: also safe as a folder name
_CUSTOMER = re.compile(r"customer:[a-z0-9][a-z0-9-]{0,62}")


def customers(evaluation: Any) -> list[str]:
    """Every ``customer:NAME`` an agreement or a past version names, sorted: each gets a
    site of its own."""
    if evaluation is None:
        return []
    every = [*evaluation.agreements, *(v for vs in evaluation.versions.values() for v in vs)]
    return sorted({a.visibility for a in every if _CUSTOMER.fullmatch(a.visibility)})


def _fail_on_disputes(strict: bool, disputes: list[Any], where: str) -> None:
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
           notes: list[Problem] | None = None,
           then: Callable[[Path, Any], None] | None = None) -> _Site:
    """One site, built and published; see :func:`_building`."""
    with _building(config_file, audience, strict, site_dir, evaluation, overrides, notes,
                   then) as built:
        return built


@contextlib.contextmanager
def _building(config_file: Path, audience: str | None, strict: bool, site_dir: Path | None,
              evaluation: Any = None, overrides: dict[str, Any] | None = None,
              notes: list[Problem] | None = None,
              then: Callable[[Path, Any], None] | None = None) -> Iterator[_Site]:
    """One site, built into a folder beside its target, and published when the block
    ends without an exception. The pipeline's notes go to ``notes``; ``then`` is told the
    target and the evaluation as soon as the plugin has it."""
    from slacode.config import check_audience
    from slacode.render.output import replacing

    cfg = load_mkdocs_config(config_file, strict=strict)
    plugin = cfg.plugins.get("slacode")
    if audience is not None:
        if plugin is None:
            raise SlacodeError(f"{config_file}: the slacode plugin is not enabled")
        plugin.config.audience = check_audience(audience)
    target = Path(site_dir) if site_dir else Path(cfg.site_dir)
    if plugin is not None:
        plugin.defer_disputes = True  # published first, failed below
        plugin.evaluation = evaluation
        plugin.overrides = dict(overrides or {})
        if then is not None:
            plugin.on_evaluated = lambda evaluated: then(target, evaluated)
    with replacing(target) as tmp:
        _build_into(cfg, tmp, plugin, notes)
        site = _Site(target, list(getattr(plugin, "disputes", None) or []),
                     getattr(plugin, "evaluated", None))
        del cfg, plugin  # every page of the site: not kept while others are built
        yield site


def _build_into(cfg: Any, folder: Path, plugin: Any, notes: list[Problem] | None) -> None:
    """MkDocs' build of ``cfg`` into ``folder``, its failure as one line."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    _log_to_stderr()
    errors = _LastError()
    logging.getLogger("mkdocs").addHandler(errors)
    said = _Notes()
    cfg.site_dir = str(folder)
    try:
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
        missing = missing_page(folder, cfg.site_url)
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
