"""Project settings, declared and validated in one place.

Settings live in ``mkdocs.yml`` under ``plugins: - slacode:`` (the MkDocs plugin
declares the same options in ``slacode.plugin``); the CLI reads that block too, so
``slacode build`` and ``mkdocs build`` agree. Secrets are never settings: a server
names the environment variables that hold them.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
    audience: str = "public"  # public | internal | customer:NAME
    language: str = "en"  # en | zh
    now: str = ""  # pinned evaluation time (ISO 8601); "" = SOURCE_DATE_EPOCH or the clock
    history_months: int = 13  # how far back periods are evaluated and shown
    strict: bool = False  # any data gap fails the run
    # a finished day is pulled as one interval unless evaluation needs its hours
    # (maintenance windows, rolling-window edges); false keeps every interval at the
    # objective's resolution, e.g. to inspect hourly counts with ``slacode pull``
    whole_days: bool = True
    servers: tuple[PrometheusServer, ...] = (PrometheusServer(),)
    site_url: str = ""

    def path(self, rel: str) -> Path:
        p = Path(rel)
        return p if p.is_absolute() else self.root / p

    def server(self, name: str) -> PrometheusServer | None:
        return next((s for s in self.servers if s.name == name), None)

    def now_epoch(self) -> int:
        """The evaluation time: pinned ``now``, else ``SOURCE_DATE_EPOCH``, else the clock."""
        if self.now:
            try:
                dt = datetime.fromisoformat(self.now)
            except ValueError:
                raise SlacodeError(
                    f"invalid evaluation time {self.now!r}: expected ISO 8601, "
                    "e.g. 2026-11-26T00:00:00Z"
                ) from None
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=UTC)
            return int(dt.timestamp())
        sde = os.environ.get("SOURCE_DATE_EPOCH", "")
        if sde.isdigit():
            return int(sde)
        return int(time.time())


_SCALARS = {
    "slas": str, "ledger": str, "cache": str, "audience": str, "language": str, "now": str,
    "history_months": int, "strict": bool, "site_url": str, "whole_days": bool,
}


def settings_from_mapping(data: dict[str, Any], root: Path) -> Settings:
    """Build settings from the plugin's config mapping; unknown keys are an error."""
    kwargs: dict[str, Any] = {"root": root}
    for key, value in data.items():
        if key == "prometheus":
            kwargs["servers"] = _servers(value)
        elif key in _SCALARS:
            if value is None:
                continue
            if not isinstance(value, _SCALARS[key]):
                kind = _SCALARS[key].__name__
                raise SlacodeError(f"mkdocs.yml: slacode option {key!r} must be a {kind}")
            kwargs[key] = value
        elif key in ("enabled",):
            continue
        else:
            raise SlacodeError(f"mkdocs.yml: unknown slacode option {key!r}")
    # SLACODE_NOW (an ISO time, or "clock") replaces the file's pinned ``now``: a nightly
    # job runs on the clock in a project whose mkdocs.yml pins ``now`` for its demo data.
    # A command's own --now still wins.
    env_now = os.environ.get("SLACODE_NOW", "").strip()
    if env_now:
        kwargs["now"] = "" if env_now.lower() == "clock" else env_now
    s = Settings(**kwargs)
    check_audience(s.audience)
    return s


def _servers(value: Any) -> tuple[PrometheusServer, ...]:
    if not value:
        return (PrometheusServer(),)
    if not isinstance(value, dict):
        raise SlacodeError(
            "mkdocs.yml: slacode option 'prometheus' must map server names to settings"
        )
    out = []
    fields = PrometheusServer.__dataclass_fields__
    for name, opts in value.items():
        opts = dict(opts or {})
        bad = [k for k in opts if k not in fields or k == "name"]
        if bad:
            raise SlacodeError(f"mkdocs.yml: prometheus server {name!r}: unknown option {bad[0]!r}")
        out.append(PrometheusServer(name=str(name), **opts))
    return tuple(out)


def check_audience(audience: str) -> str:
    if audience in ("public", "internal") or (
        audience.startswith("customer:") and len(audience) > len("customer:")
    ):
        return audience
    raise SlacodeError(
        f"audience {audience!r} is not one of: public, internal, customer:NAME"
    )


def load_settings(root: Path | None = None, **overrides: Any) -> Settings:
    """Settings from ``ROOT/mkdocs.yml`` (the ``slacode`` plugin block), then overrides."""
    root = (root or Path.cwd()).resolve()
    data: dict[str, Any] = {}
    cfg = root / "mkdocs.yml"
    if cfg.is_file():
        data = _plugin_block(cfg)
    settings = settings_from_mapping(data, root)
    clean = {k: v for k, v in overrides.items() if v is not None}
    if "audience" in clean:
        check_audience(clean["audience"])
    return replace(settings, **clean)


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
