"""The one schema of the project settings: the ``slacode`` block of ``mkdocs.yml``.

Each option is declared once, here, with MkDocs' own option types (``Choice``,
``SubConfig``, ``DictOfItems``, ``Optional``). MkDocs validates the block with
:class:`SlacodeConfig` when it loads the plugin; the command line loads ``mkdocs.yml``
with MkDocs' loader (so ``!ENV`` and ``INHERIT`` resolve alike) and validates the block
with the same class (:func:`validate_block`). :func:`slacode.config.settings_from_options`
then maps the validated values to :class:`slacode.config.Settings`, for both.

This module lives apart from :mod:`slacode.plugin` so that the command line reads the
settings without importing the renderer. Every message is phrased to follow
"slacode option 'NAME'" (``must be ...``), which is how the command line prints it;
MkDocs prints it after ``Plugin 'slacode' option 'NAME':``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, Config, ValidationError
from mkdocs.exceptions import ConfigurationError

from slacode.config import (  # SWITCHES: the plugin's own switches, re-exported
    ALL,
    GITHUB_ORG,
    HISTORY_MONTHS,
    SWITCHES,
    check_audience,
    parse_now,
)
from slacode.problems import SlacodeError

#: the languages of the generated pages
LANGUAGES = ("en", "zh")


class OptionError(ValidationError):
    """A bad value, with the keys that lead to it inside the plugin block (for its
    ``line:col``) and the words the command line prints before the message."""

    def __init__(self, message: str, path: tuple[str, ...] = (), subject: str = "") -> None:
        super().__init__(_join(subject, message))  # what MkDocs prints
        self.message = message
        self.path = path
        self.subject = subject


def _join(subject: str, message: str) -> str:
    """``subject`` and a message that may go on from it ("must be ...") or stand apart."""
    if not subject:
        return message
    sep = " " if message.split(" ", 1)[0] in ("must", "for", "names") else ": "
    return f"{subject}{sep}{message}"


class Checked(BaseConfigOption[Any]):
    """A value of a Python type (``True`` is not a number here) that passes ``ok``; the
    error says what it ``must be``."""

    def __init__(self, kind: type | tuple[type, ...], what: str,
                 ok: Callable[[Any], bool] | None = None, kind_what: str = "") -> None:
        super().__init__()
        self.kind, self.what, self.ok = kind, what, ok
        self.kind_what = kind_what or what  # said when the type is wrong

    def run_validation(self, value: object) -> Any:
        plain = self.kind is bool or not isinstance(value, bool)
        if not (isinstance(value, self.kind) and plain):
            raise OptionError(f"must be {self.kind_what}, got {value!r}")
        if self.ok is not None and not self.ok(value):
            raise OptionError(f"must be {self.what}, got {value!r}")
        return value


def _text(what: str = "text") -> c.Optional[Any]:
    return c.Optional(Checked(str, what))


def _flag() -> c.Optional[Any]:
    return c.Optional(Checked(bool, "true or false"))


def _seconds(lo: float, hi: float, what: str, *, open_low: bool = True) -> c.Optional[Any]:
    def ok(v: float) -> bool:
        return (lo < v if open_low else lo <= v) and v <= hi

    return c.Optional(Checked((int, float), what, ok))


def _whole(lo: int, hi: int, *, kind_what: str = "") -> c.Optional[Any]:
    return c.Optional(Checked(int, f"a whole number from {lo} to {hi}",
                              lambda v: lo <= v <= hi, kind_what))


class Language(c.Choice[str]):
    """``en`` or ``zh``."""

    def __init__(self) -> None:
        super().__init__(LANGUAGES)

    def run_validation(self, value: object) -> str:
        if value not in self.choices:
            raise OptionError(f"must be {' or '.join(LANGUAGES)}, got {value!r}")
        return str(value)


class Now(Checked):
    """A pinned evaluation time: ISO 8601 with a UTC offset. A time YAML read as a
    timestamp (``!ENV`` gives one: it reads the variable as YAML) is taken as written."""

    def __init__(self) -> None:
        super().__init__(str, "text (quote a time)")

    def run_validation(self, value: object) -> Any:
        if isinstance(value, datetime):
            value = value.isoformat()
        text = super().run_validation(value)
        if text:
            try:
                parse_now(text)
            except SlacodeError as exc:
                raise OptionError(str(exc)) from None
        return text


class Audience(Checked):
    """``public``, ``internal``, ``customer:NAME`` or ``all``."""

    def __init__(self) -> None:
        super().__init__(str, "text")

    def run_validation(self, value: object) -> Any:
        text = super().run_validation(value)
        if text != ALL:
            try:
                check_audience(text)
            except SlacodeError as exc:
                raise OptionError(str(exc)) from None
        return text


class Languages(c.DictOfItems[str]):
    """Audience -> language of its site and reports, e.g. ``customer:globex: zh``."""

    def __init__(self) -> None:
        super().__init__(Language())

    def run_validation(self, value: object) -> dict[str, str]:
        if not isinstance(value, dict):
            raise OptionError("must map audiences to en or zh, e.g. customer:globex: zh")
        out = {}
        for audience, language in value.items():
            name = str(audience)
            if name in (ALL, "public"):
                raise OptionError(f"names {name!r}: the public site's language is 'language'",
                                  (name,))
            try:
                check_audience(name)
            except SlacodeError as exc:
                raise OptionError(str(exc), (name,)) from None
            try:
                out[name] = self.option_type.run_validation(language)
            except OptionError as exc:
                raise OptionError(f"for {name}: {exc.message}", (name,)) from None
        return out


class ServerConfig(Config):
    """One Prometheus-compatible server (see :class:`slacode.config.PrometheusServer`);
    unset means the default there."""

    url = c.Optional(Checked(str, "an http:// or https:// URL",
                             lambda v: v == "" or _is_http_url(v)))
    url_env = _text()
    token_env = _text()
    username_env = _text()
    password_env = _text()
    headers_env = _text()
    verify_tls = _flag()
    connect_timeout = _seconds(0, 3600, "a number of seconds above 0")
    read_timeout = _seconds(0, 3600, "a number of seconds above 0")
    retries = _whole(0, 20)
    concurrency = _whole(1, 64)
    query_timeout = _seconds(0, 86400, "a number of seconds above 0, at most 86400")
    run_timeout = _seconds(0, 86400, "a number of seconds above 0, at most 86400")
    max_body_mb = _seconds(0, 4096, "a number of MiB above 0, at most 4096")
    max_retry_after = _seconds(0, 3600, "a number of seconds from 0 to 3600", open_low=False)
    recording_rules = _flag()


_SERVER_OPTIONS = frozenset(key for key, _option in ServerConfig._schema)


class Servers(c.DictOfItems[Any]):
    """Server name -> :class:`ServerConfig`; an unknown option is an error, not a warning
    (a misspelt timeout would otherwise be the default in silence)."""

    def __init__(self) -> None:
        super().__init__(c.SubConfig(ServerConfig))

    def run_validation(self, value: object) -> dict[str, dict[str, Any]]:
        if value == {}:
            return {}
        if not isinstance(value, dict):
            raise OptionError("must map server names to settings")
        out = {}
        for name, opts in value.items():
            subject = f"prometheus server {str(name)!r}"
            if opts is None:
                opts = {}
            if not isinstance(opts, dict):
                raise OptionError("must map option names to values, e.g. "
                                  "url: http://127.0.0.1:9090", (str(name),), subject)
            server = ServerConfig()
            try:
                server.load_dict(opts)
            except ConfigurationError as exc:
                raise OptionError(str(exc), (str(name),), subject) from None
            failed, _warnings = server.validate()
            unknown = next((k for k in opts if k not in _SERVER_OPTIONS), None)
            if unknown is not None:
                raise OptionError(f"unknown option {unknown!r}", (str(name), str(unknown)),
                                  subject)
            if failed:
                key, err = failed[0]
                raise OptionError(f"option {key!r} {getattr(err, 'message', err)}",
                                  (str(name), key), subject)
            out[str(name)] = dict(server)
        return out


class SlacodeConfig(Config):
    """The plugin block: one option per :class:`~slacode.config.Settings` field (unset
    means the default there), and the plugin's own switches ``enabled`` and ``generate``."""

    enabled = c.Type(bool, default=True)
    generate = c.Type(bool, default=True)
    slas = _text()
    ledger = _text()
    cache = _text()
    audience = c.Optional(Audience())
    language = c.Optional(Language())
    now = c.Optional(Now())
    history_months = _whole(*HISTORY_MONTHS, kind_what="a whole number")
    strict = _flag()
    #: how long an improvement action may stay open past its due date before a strict
    #: build fails (slacode.load.actions)
    actions_grace = c.Optional(Checked(str, "days or weeks, e.g. 14d or 2w",
                                       lambda v: bool(re.fullmatch(r"[1-9][0-9]{0,3}[dw]", v))))
    whole_days = _flag()
    site_url = _text()
    codeowners_org = c.Optional(Checked(str, "a GitHub organisation name",
                                        lambda v: not v or bool(GITHUB_ORG.fullmatch(v))))
    #: the repository's web address, for pull-request links (MkDocs' ``repo_url`` unless given)
    repo_url = c.Optional(Checked(str, "an http:// or https:// URL",
                                  lambda v: not v or _is_http_url(v)))
    prometheus = c.Optional(Servers())
    languages = c.Optional(Languages())
    #: a folder with a described sample history (manifest.yaml), replayed into git and
    #: read instead of the project's own history: for a demo (slacode.history.replay)
    history_from = c.Optional(Checked(str, "a folder of the project, e.g. data/history",
                                      lambda v: not v or (not v.startswith(("/", "\\"))
                                                          and ".." not in v.split("/"))))


#: every option name of the block
OPTIONS = frozenset(key for key, _option in SlacodeConfig._schema)


def validate_block(
    data: Any, where: str = "mkdocs.yml", position: Callable[[tuple[str, ...]], str] | None = None,
) -> dict[str, Any]:
    """The plugin block ``data`` validated with :class:`SlacodeConfig` (unset options left
    out), or one :class:`SlacodeError` ``WHERE[:line:col]: slacode option 'NAME' ...``.

    ``position`` gives ``line:col`` for the keys that lead to a value ("" when unknown).
    Unlike MkDocs, which only warns, an unknown option is an error here, as it always was
    for the command line."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise SlacodeError(f"{where}: the slacode plugin block must map option names to values")
    cfg = SlacodeConfig()
    cfg.load_dict(dict(data))
    failed, _warnings = cfg.validate()
    unknown = next((k for k in data if k not in OPTIONS), None)

    def at(path: tuple[str, ...]) -> str:
        pos = position(path) if position is not None else ""
        return f"{where}:{pos}" if pos else where

    if failed:
        key, err = failed[0]
        message = getattr(err, "message", str(err))
        sub = getattr(err, "path", ())
        subject = getattr(err, "subject", "") or f"slacode option {key!r}"
        raise SlacodeError(f"{at((key, *sub))}: {_join(subject, message)}")
    if unknown is not None:
        raise SlacodeError(f"{at((str(unknown),))}: unknown slacode option {unknown!r}")
    return {k: v for k, v in cfg.items() if v is not None and k not in SWITCHES}


def check_option(key: str, value: Any, given_as: str) -> Any:
    """``value`` of option ``key`` checked as the block's would be, for a value given
    elsewhere (a command-line option, an environment variable): one
    :class:`SlacodeError` naming ``given_as``."""
    option = dict(SlacodeConfig._schema)[key]
    try:
        return option.validate(value)
    except ValidationError as exc:
        raise SlacodeError(_join(given_as, getattr(exc, "message", str(exc)))) from None


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and (
            parts.port is None or parts.port > 0)
    except ValueError:  # "http://[bad", a port that is not a number
        return False

