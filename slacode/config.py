"""Project settings, declared and validated in one place.

Settings live in ``mkdocs.yml`` under ``plugins: - slacode:`` (the MkDocs plugin
declares the same options in ``slacode.plugin``); the CLI reads that block too, so
``slacode build`` and ``mkdocs build`` agree. Secrets are never settings: a server
names the environment variables that hold them.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
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


def check_settings(s: Settings) -> Settings:
    """Every value of ``s`` in range, or one :class:`SlacodeError` naming the option.

    Types are checked where the mapping is read; this checks what a type cannot say.
    """
    lo, hi = HISTORY_MONTHS
    if isinstance(s.history_months, bool) or not isinstance(s.history_months, int) or not (
        lo <= s.history_months <= hi
    ):
        raise SlacodeError(f"mkdocs.yml: slacode option 'history_months' must be a whole number "
                           f"from {lo} to {hi}, got {s.history_months!r}")
    if s.now:
        parse_now(s.now)
    if s.language not in ("en", "zh"):
        raise SlacodeError(f"mkdocs.yml: slacode option 'language' must be en or zh, "
                           f"got {s.language!r}")
    if s.audience != ALL:
        check_audience(s.audience)
    if not re.fullmatch(r"[1-9][0-9]{0,3}[dw]", s.actions_grace):
        raise SlacodeError(f"mkdocs.yml: slacode option 'actions_grace' must be days or weeks, "
                           f"e.g. 14d or 2w, got {s.actions_grace!r}")
    if s.codeowners_org and not GITHUB_ORG.fullmatch(s.codeowners_org):
        raise SlacodeError(f"mkdocs.yml: slacode option 'codeowners_org' must be a GitHub "
                           f"organisation name, got {s.codeowners_org!r}")
    for audience, language in s.languages:
        if audience == ALL or audience == "public":
            raise SlacodeError(f"mkdocs.yml: slacode option 'languages' names {audience!r}: "
                               "the public site's language is 'language'")
        try:
            check_audience(audience)
        except SlacodeError as exc:
            raise SlacodeError(f"mkdocs.yml: slacode option 'languages': {exc}") from None
        if language not in ("en", "zh"):
            raise SlacodeError(f"mkdocs.yml: slacode option 'languages' for {audience}: must "
                               f"be en or zh, got {language!r}")
    return s


#: a GitHub organisation name: what ``@ORG/team`` in CODEOWNERS may start with
GITHUB_ORG = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?")


_SCALARS = {
    "actions_grace": str,  # slacode.load.actions
    "slas": str, "ledger": str, "cache": str, "audience": str, "language": str, "now": str,
    "history_months": int, "strict": bool, "site_url": str, "whole_days": bool,
    "codeowners_org": str,
}


def settings_from_mapping(
    data: dict[str, Any], root: Path, on_warning: Callable[[str], None] | None = None
) -> Settings:
    """Build settings from the plugin's config mapping; unknown keys are an error.

    Warnings (settings that work but should change) go to ``on_warning``, by default
    :func:`warn`; the MkDocs plugin passes its logger's ``warning``, so a strict build
    counts them."""
    kwargs: dict[str, Any] = {"root": root}
    for key, value in data.items():
        if key == "prometheus":
            kwargs["servers"] = _servers(value, on_warning or warn)
        elif key == "languages":
            if value is None:
                continue
            if not isinstance(value, dict):
                raise SlacodeError("mkdocs.yml: slacode option 'languages' must map audiences "
                                   "to en or zh, e.g. customer:globex: zh")
            kwargs["languages"] = tuple(sorted((str(k), v if isinstance(v, str) else repr(v))
                                               for k, v in value.items()))
        elif key in _SCALARS:
            if value is None:
                continue
            if not isinstance(value, _SCALARS[key]) or (
                isinstance(value, bool) and _SCALARS[key] is not bool
            ):
                kind = {str: "text (quote a time)", int: "a whole number",
                        bool: "true or false"}[_SCALARS[key]]
                raise SlacodeError(f"mkdocs.yml: slacode option {key!r} must be {kind}, "
                                   f"got {value!r}")
            kwargs[key] = value
        elif key in ("enabled", "generate"):  # the MkDocs plugin's own switches
            continue
        else:
            raise SlacodeError(f"mkdocs.yml: unknown slacode option {key!r}")
    # SLACODE_NOW (an ISO time, or "clock") replaces the file's pinned ``now``: a nightly
    # job runs on the clock in a project whose mkdocs.yml pins ``now`` for its demo data.
    # A command's own --now still wins.
    env_now = os.environ.get("SLACODE_NOW", "").strip()
    if env_now:
        kwargs["now"] = "" if env_now.lower() == "clock" else env_now
    return check_settings(Settings(**kwargs))


#: server option -> (kind, check, what it must be); "number" is an int or a float
_SERVER_OPTIONS: dict[str, tuple[type | tuple[type, ...], Any, str]] = {
    "url": (str, lambda v: v == "" or _is_http_url(v), "an http:// or https:// URL"),
    "url_env": (str, None, "text"),
    "token_env": (str, None, "text"),
    "username_env": (str, None, "text"),
    "password_env": (str, None, "text"),
    "headers_env": (str, None, "text"),
    "verify_tls": (bool, None, "true or false"),
    "connect_timeout": ((int, float), lambda v: 0 < v <= 3600, "a number of seconds above 0"),
    "read_timeout": ((int, float), lambda v: 0 < v <= 3600, "a number of seconds above 0"),
    "retries": (int, lambda v: 0 <= v <= 20, "a whole number from 0 to 20"),
    "concurrency": (int, lambda v: 1 <= v <= 64, "a whole number from 1 to 64"),
    "query_timeout": ((int, float), lambda v: 0 < v <= 86400,
                      "a number of seconds above 0, at most 86400"),
    "run_timeout": ((int, float), lambda v: 0 < v <= 86400,
                    "a number of seconds above 0, at most 86400"),
    "max_body_mb": ((int, float), lambda v: 0 < v <= 4096,
                    "a number of MiB above 0, at most 4096"),
    "max_retry_after": ((int, float), lambda v: 0 <= v <= 3600,
                        "a number of seconds from 0 to 3600"),
    "recording_rules": (bool, None, "true or false"),
}


def _servers(value: Any, on_warning: Callable[[str], None]) -> tuple[PrometheusServer, ...]:
    if value is None or value == {}:
        return (PrometheusServer(),)
    if not isinstance(value, dict):
        raise SlacodeError(
            "mkdocs.yml: slacode option 'prometheus' must map server names to settings"
        )
    out = []
    for name, opts in value.items():
        where = f"mkdocs.yml: prometheus server {str(name)!r}"
        if opts is None:
            opts = {}
        if not isinstance(opts, dict):
            raise SlacodeError(f"{where} must map option names to values, e.g. "
                               "url: http://127.0.0.1:9090")
        for key, v in opts.items():
            spec = _SERVER_OPTIONS.get(key)
            if spec is None:
                raise SlacodeError(f"{where}: unknown option {key!r}")
            kind, ok, what = spec
            plain = kind is bool or not isinstance(v, bool)  # true is not a number here
            if not (isinstance(v, kind) and plain and (ok is None or ok(v))):
                raise SlacodeError(f"{where}: option {key!r} must be {what}, got {v!r}")
        shown = _password_hidden(opts.get("url", ""))
        if shown:
            on_warning(f"{where}: its url holds a password ({shown}), and mkdocs.yml is not "
                       "a place for secrets; give the URL in the variable named by url_env, "
                       "or the password in the one named by password_env")
        out.append(PrometheusServer(name=str(name), **opts))
    return tuple(out)


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and (
            parts.port is None or parts.port > 0)
    except ValueError:  # "http://[bad", a port that is not a number
        return False


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
    on_warning: Callable[[str], None] | None = None,
    **overrides: Any,
) -> Settings:
    """Settings from ``ROOT/mkdocs.yml`` (the ``slacode`` plugin block), then overrides;
    warnings as in :func:`settings_from_mapping`."""
    root = (root or Path.cwd()).resolve()
    data: dict[str, Any] = {}
    cfg = root / "mkdocs.yml"
    if cfg.is_file():
        data = _plugin_block(cfg)
    settings = settings_from_mapping(data, root, on_warning)
    clean = {k: v for k, v in overrides.items() if v is not None}
    return check_settings(replace(settings, **clean)) if clean else settings


def _plugin_block(cfg: Path) -> dict[str, Any]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    # mkdocs.yml may hold !!python/name tags (emoji, superfences); read them as plain text.
    yaml.constructor.add_multi_constructor(
        "", lambda loader, suffix, node: None
    )
    try:
        doc = yaml.load(cfg.read_text(encoding="utf-8")) or {}
    except Exception as exc:
        raise SlacodeError(f"{cfg}: cannot read: {exc}") from None
    for entry in doc.get("plugins") or []:
        if isinstance(entry, dict) and "slacode" in entry:
            return dict(entry["slacode"] or {})
    return {}
