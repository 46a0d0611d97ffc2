"""Project settings: what the pipeline runs on, and how they are read.

Settings live in ``mkdocs.yml`` under ``plugins: - slacode:``. Each option is declared
once, in :mod:`slacode.settings_schema` (the plugin's config class, with MkDocs' option
types); :func:`settings_from_options` maps the validated block to :class:`Settings` for
the plugin and the command line alike, and :func:`load_settings` reads the file as MkDocs
does (``!ENV``, ``INHERIT``), so ``slacode evaluate`` and ``mkdocs build`` agree.
Secrets are never settings: a server names the environment variables that hold them.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from slacode.problems import SlacodeError


@dataclass(frozen=True)
class PrometheusServer:
    """One Prometheus-compatible HTTP API (Prometheus, Thanos, Mimir, Cortex, VictoriaMetrics)."""

    name: str = "default"
    url: str = ""  # e.g. http://127.0.0.1:9090; may be overridden by url_env
    url_env: str = "SLACODE_PROMETHEUS_URL"
    token_env: str = "SLACODE_PROMETHEUS_TOKEN"  # bearer token
    username_env: str = "SLACODE_PROMETHEUS_USERNAME"  # basic auth
    password_env: str = "SLACODE_PROMETHEUS_PASSWORD"
    headers_env: str = "SLACODE_PROMETHEUS_HEADERS"  # "Name: value; Name2: value2"
    verify_tls: bool = True
    connect_timeout: float = 3.0
    read_timeout: float = 30.0
    retries: int = 3
    concurrency: int = 4
    # what one server may cost: ``read_timeout`` bounds each read, not a server sending a
    # byte every few seconds, so a query (its retries and waits included) ends after
    # ``query_timeout`` seconds and every query of a run after ``run_timeout``; an answer
    # is read up to ``max_body_mb`` MiB once decoded (a gzip bomb stops there); a
    # ``Retry-After`` longer than ``max_retry_after`` seconds ends the query, not a wait.
    # Each one reached leaves the query's intervals without data, with the reason.
    query_timeout: float = 300.0
    run_timeout: float = 3600.0
    max_body_mb: float = 64.0
    max_retry_after: float = 30.0
    # the server evaluates the recording rules ``slacode rules`` writes (and their history
    # was backfilled): time slices are read from the recorded series, not re-evaluated
    recording_rules: bool = False

    def resolved_url(self) -> str:
        return os.environ.get(self.url_env, "") or self.url


@dataclass(frozen=True)
class Settings:
    root: Path = field(default_factory=Path.cwd)
    slas: str = "slas"
    ledger: str = "ledger"
    cache: str = ".slacode/cache"
    audience: str = "public"  # public | internal | customer:NAME | all (slacode build)
    language: str = "en"  # en | zh
    now: str = ""  # pinned evaluation time (ISO 8601); "" = SOURCE_DATE_EPOCH or the clock
    history_months: int = 13  # how far back periods are evaluated and shown
    strict: bool = False  # any data gap fails the run
    #: how long an open improvement action (``actions/``) may be past its due date before
    #: a strict build fails on it (``slacode.load.actions``); days or weeks, e.g. 14d
    actions_grace: str = "14d"
    # a finished day is pulled as one interval unless evaluation needs its hours
    # (maintenance windows, rolling-window edges); false keeps every interval at the
    # objective's resolution, e.g. to inspect hourly counts with ``slacode pull``
    whole_days: bool = True
    servers: tuple[PrometheusServer, ...] = (PrometheusServer(),)
    site_url: str = ""
    # GitHub organisation of owners given as team names (`slacode codeowners` writes
    # ``team-payments`` as ``@ORG/team-payments``; validate checks CODEOWNERS with it)
    codeowners_org: str = ""
    #: (audience, language) pairs: a site (and a customer's reports) in another language
    #: than ``language``, e.g. ``languages: {"customer:globex": zh}``
    languages: tuple[tuple[str, str], ...] = ()
    #: the repository's web address (MkDocs' ``repo_url`` unless given): pull-request
    #: numbers in the change history link there
    repo_url: str = ""
    #: a folder describing a sample history (``manifest.yaml``, see
    #: ``slacode.history.replay``) read instead of the project's own git log: a demo's;
    #: "" (a real project) reads the project's git
    history_from: str = ""

    def language_for(self, audience: str) -> str:
        """The language of ``audience``'s site and reports."""
        return dict(self.languages).get(audience, self.language)

    def path(self, rel: str) -> Path:
        p = Path(rel)
        return p if p.is_absolute() else self.root / p

    def server(self, name: str) -> PrometheusServer | None:
        return next((s for s in self.servers if s.name == name), None)

    def now_epoch(self) -> int:
        """The evaluation time: pinned ``now``, else ``SOURCE_DATE_EPOCH``, else the clock."""
        if self.now:
            return parse_now(self.now)
        sde = os.environ.get("SOURCE_DATE_EPOCH", "")
        if sde.isdigit():
            if not _EARLIEST <= int(sde) < _LATEST:
                raise SlacodeError(f"SOURCE_DATE_EPOCH={sde} is not a time between "
                                   f"{_YEARS[0]} and {_YEARS[1]}")
            return int(sde)
        return int(time.time())

    def today(self) -> date:
        """The UTC date of :meth:`now_epoch`: what reviews and contract ends are dated by,
        so that a pinned or moved clock moves them too."""
        return datetime.fromtimestamp(self.now_epoch(), UTC).date()


#: Evaluation times outside these years are refused: periods reach back up to
#: ``history_months`` and forward to the next review, and dates end in 9999.
_YEARS = (1970, 2200)
_EARLIEST = int(datetime(_YEARS[0], 1, 1, tzinfo=UTC).timestamp())
_LATEST = int(datetime(_YEARS[1], 1, 1, tzinfo=UTC).timestamp())
HISTORY_MONTHS = (0, 120)  # 0: the current period only


def parse_now(text: str) -> int:
    """A pinned evaluation time (ISO 8601 with a UTC offset) as UNIX seconds."""
    example = "e.g. 2026-11-26T00:00:00Z"
    try:
        dt = datetime.fromisoformat(text.strip())
    except (ValueError, TypeError):
        raise SlacodeError(
            f"invalid evaluation time {text!r}: expected ISO 8601, {example}"
        ) from None
    if dt.tzinfo is None:
        raise SlacodeError(
            f"invalid evaluation time {text!r}: give a UTC offset (Z or +08:00), {example}"
        )
    ts = int(dt.timestamp())
    if not _EARLIEST <= ts < _LATEST:
        raise SlacodeError(
            f"invalid evaluation time {text!r}: must be between {_YEARS[0]} and {_YEARS[1]}"
        )
    return ts



#: a GitHub organisation name: what ``@ORG/team`` in CODEOWNERS may start with
GITHUB_ORG = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?")


def settings_from_options(
    options: Mapping[str, Any],
    root: Path,
    *,
    site_url: str = "",
    repo_url: str = "",
    theme_language: str = "",
    on_warning: Callable[[str], None] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """The one mapping from the validated plugin block (see :mod:`slacode.settings_schema`)
    to :class:`Settings`, for the MkDocs plugin and the command line alike.

    Unset options (``None``) keep the defaults of :class:`Settings`; the site's
    ``site_url``, ``repo_url`` and theme language fill in for the block's own.
    ``SLACODE_NOW`` (an ISO time, or "clock") replaces the block's pinned ``now``: a nightly
    job runs on the clock in a project whose mkdocs.yml pins ``now`` for its demo data.
    ``overrides`` (a command's own ``--now``, ``--audience``) win over both, checked as the
    block's values are. Warnings (settings that work but should change) go to
    ``on_warning``, by default :func:`warn`; the plugin passes its logger's ``warning``, so
    that a strict build counts them."""
    kwargs: dict[str, Any] = {"root": root}
    for key, value in options.items():
        if value is None or key in SWITCHES:
            continue
        if key == "prometheus":
            kwargs["servers"] = _servers(value, on_warning or warn)
        elif key == "languages":
            kwargs["languages"] = tuple(sorted((str(k), str(v)) for k, v in value.items()))
        else:
            kwargs[key] = value
    if "language" not in kwargs and theme_language:
        kwargs["language"] = "zh" if theme_language.startswith("zh") else "en"
    if "site_url" not in kwargs and site_url:
        kwargs["site_url"] = site_url
    if "repo_url" not in kwargs and repo_url:
        kwargs["repo_url"] = repo_url
    env_now = os.environ.get("SLACODE_NOW", "").strip()
    # the schema (and with it MkDocs) only for values given outside the block
    if env_now:
        from slacode.settings_schema import check_option

        kwargs["now"] = "" if env_now.lower() == "clock" else check_option(
            "now", env_now, "SLACODE_NOW")
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    if given:
        from slacode.settings_schema import check_option

        schema_keys = _option_names()
    for key, value in given.items():
        given_as = f"--{key.replace('_', '-')}"
        kwargs[key] = check_option(key, value, given_as) if key in schema_keys else value
    return Settings(**kwargs)


def _option_names() -> frozenset[str]:
    from slacode.settings_schema import OPTIONS

    return OPTIONS


def settings_from_mapping(
    data: Mapping[str, Any], root: Path, on_warning: Callable[[str], None] | None = None
) -> Settings:
    """Settings from a plugin block given as a plain mapping (as written in mkdocs.yml):
    validated with the plugin's schema, then mapped; unknown keys are an error."""
    from slacode.settings_schema import validate_block

    return settings_from_options(validate_block(data), root, on_warning=on_warning)


def _servers(value: Mapping[str, Any],
             on_warning: Callable[[str], None]) -> tuple[PrometheusServer, ...]:
    """Validated server blocks as :class:`PrometheusServer`; a password in a URL warns."""
    if not value:
        return (PrometheusServer(),)
    out = []
    for name, opts in value.items():
        given = {k: v for k, v in opts.items() if v is not None}
        shown = _password_hidden(given.get("url", ""))
        if shown:
            on_warning(f"mkdocs.yml: prometheus server {str(name)!r}: its url holds a password "
                       f"({shown}), and mkdocs.yml is not a place for secrets; give the URL in "
                       "the variable named by url_env, or the password in the one named by "
                       "password_env")
        out.append(PrometheusServer(name=str(name), **given))
    return tuple(out)


def _password_hidden(url: str) -> str:
    """``url`` with its password shown as ``***``, or "" when it holds none."""
    try:
        parts = urlsplit(url)
        if not parts.password:
            return ""
    except ValueError:
        return ""
    userinfo, _, host = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return parts._replace(netloc=f"{user}:***@{host}").geturl()



_warned: set[str] = set()


def warn(message: str) -> None:
    """A warning about the settings, once per process (the CLI and the plugin both read them).

    Sent to the ``slacode`` logger; with no handler there it goes to stderr.
    """
    if message in _warned:
        return
    _warned.add(message)
    logger = logging.getLogger("slacode")
    if logger.hasHandlers():
        logger.warning(message)
    else:
        print(f"slacode: warning: {message}", file=sys.stderr)



#: the plugin's own switches in its block (``enabled``, ``generate``): not settings
SWITCHES = ("enabled", "generate")

#: the audience setting (and ``slacode build --audience``) that builds every audience's site
ALL = "all"


def check_audience(audience: str) -> str:
    if audience in ("public", "internal") or (
        audience.startswith("customer:") and len(audience) > len("customer:")
    ):
        return audience
    raise SlacodeError(
        f"audience {audience!r} is not one of: public, internal, customer:NAME"
    )



def load_settings(
    root: Path | None = None,
    *,
    config_file: Path | None = None,
    on_warning: Callable[[str], None] | None = None,
    memo: bool = False,
    **overrides: Any,
) -> Settings:
    """Settings of the project at ``root`` from its ``mkdocs.yml`` (or ``config_file``),
    read as MkDocs reads it, then ``overrides`` (a command's own options).

    ``memo`` (``slacode validate``, the pre-commit loop) serves the validated block from
    the project's cache while the file's bytes are the same (:mod:`slacode.load.memo`),
    which spares importing MkDocs; every other command reads the file in full.

    ``root`` defaults to the folder of ``config_file``, else the current folder;
    ``config_file`` to ``ROOT/mkdocs.yml``. A project without the file has the
    defaults; a ``config_file`` named but missing is an error."""
    if root is None:
        root = config_file.parent if config_file is not None else Path.cwd()
    root = root.resolve()
    cfg = config_file if config_file is not None else root / "mkdocs.yml"
    if not cfg.is_file():
        if config_file is not None:
            raise SlacodeError(f"{config_file}: no such file")
        return settings_from_options({}, root, on_warning=on_warning, overrides=overrides)
    text, read = b"", None
    if memo:
        from slacode.load import memo as remembered

        try:
            text = cfg.read_bytes()
        except OSError:  # read_mkdocs_yml says what is wrong
            memo = False
        else:
            read = remembered.settings_get(root, text)
    if read is None:
        read = _read_settings(cfg)
        if memo and read["options"].get("cache") in (None, remembered.SETTINGS_FOLDER):
            remembered.settings_put(root, text, read)
    return settings_from_options(
        read["options"], root, site_url=read["site_url"], repo_url=read["repo_url"],
        theme_language=read["theme_language"], on_warning=on_warning, overrides=overrides)


def _read_settings(cfg: Path) -> dict[str, Any]:
    """The validated slacode block of ``cfg`` and the site settings it takes from the
    rest of the file, as plain values."""
    doc = read_mkdocs_yml(cfg)
    block, where = plugin_block(doc)
    from slacode.settings_schema import validate_block

    shown = _shown(cfg)
    options = validate_block(block, shown, lambda path: _position(cfg, (*where, *path)))
    theme = doc.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    return {"options": options, "site_url": _site_url(doc.get("site_url")),
            "repo_url": str(doc.get("repo_url") or ""), "theme_language": str(language or "")}


def read_mkdocs_yml(cfg: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as MkDocs reads it before validating: its own loader and merge, so
    that ``!ENV`` and ``INHERIT`` (and the tags of Markdown extensions) resolve as they
    do in ``mkdocs build``."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    loader = get_yaml_loader()
    # MkDocs resolves ``!relative`` against its whole configuration (it names a folder of
    # the docs); no setting is one, so its text is enough here
    loader.add_constructor("!relative", lambda ld, node: ld.construct_scalar(node))
    try:
        with open(cfg, "rb") as f:
            doc = yaml_load(f, loader)
    except ConfigurationError as exc:
        raise SlacodeError(f"{_shown(cfg)}: cannot read: {exc}") from None
    except OSError as exc:
        raise SlacodeError(f"{_shown(cfg)}: cannot read: {exc.strerror or exc}") from None
    if not isinstance(doc, dict):
        raise SlacodeError(f"{_shown(cfg)}: cannot read: not a mapping of settings")
    return doc


def plugin_block(doc: Mapping[str, Any]) -> tuple[Any, tuple[Any, ...]]:
    """The ``slacode`` entry of ``plugins`` (a list or, as MkDocs also allows, a mapping),
    and the keys that lead to it in the file; ``({}, ())`` when the plugin is not listed
    with options."""
    plugins = doc.get("plugins")
    if isinstance(plugins, dict):
        return (plugins["slacode"], ("plugins", "slacode")) if "slacode" in plugins else ({}, ())
    for i, entry in enumerate(plugins or []):
        if isinstance(entry, dict) and "slacode" in entry:
            return entry["slacode"], ("plugins", i, "slacode")
    return {}, ()


def _site_url(value: Any) -> str:
    """``site_url`` as MkDocs makes it (a folder's URL ends in ``/``); "" when unset or
    not a URL, which MkDocs reports itself."""
    if not isinstance(value, str) or not value:
        return ""
    return value if value.endswith("/") else value + "/"


def _shown(cfg: Path) -> str:
    """The configuration file as messages name it: relative to here when inside."""
    try:
        return cfg.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(cfg)


def _position(cfg: Path, path: tuple[Any, ...]) -> str:
    """``line:col`` of the value at ``path`` in ``cfg``; "" when the file does not hold
    it (a value from a file it INHERITs). MkDocs' loader keeps no positions, so ruamel
    finds them."""
    from ruamel.yaml import YAML

    try:
        node = YAML(typ="rt", pure=True).load(cfg.read_text(encoding="utf-8"))
    except Exception:  # only a hint: MkDocs' loader has read the file
        return ""
    found = ""
    for key in path:
        try:
            line, col = node.lc.item(key) if isinstance(key, int) else node.lc.value(key)
            node = node[key]
        except (AttributeError, KeyError, IndexError, TypeError):
            return ""
        found = f"{line + 1}:{col + 1}"
    return found
