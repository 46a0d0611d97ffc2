"""The MkDocs plugin: ``plugins: [slacode]`` runs the pipeline inside ``mkdocs build``/``serve``.

Options mirror :class:`slacode.config.Settings` and are turned into settings by
:func:`slacode.config.settings_from_mapping`, so the CLI and MkDocs read them alike.
Generated pages are added in ``on_files``; nothing generated is written to ``docs_dir``.

Strict builds (``mkdocs build --strict``, ``slacode build --strict``, as the nightly
job runs) fail when a measurement source failed during the run (a server down or
answering errors or partial data, a data file missing): a bad night must not replace
yesterday's figures with "no data". Data that is simply absent (no samples, empty rows)
is published as "no data" with its reason in every build; ``strict: true`` in the
plugin options fails on that too.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from slacode.config import Settings, settings_from_mapping
from slacode.problems import SlacodeError

log = logging.getLogger("mkdocs.plugins.slacode")


class SlacodeConfig(Config):
    """One option per :class:`~slacode.config.Settings` field; unset means the default there."""

    enabled = c.Type(bool, default=True)
    slas = c.Optional(c.Type(str))
    ledger = c.Optional(c.Type(str))
    cache = c.Optional(c.Type(str))
    audience = c.Optional(c.Type(str))
    language = c.Optional(c.Type(str))
    now = c.Optional(c.Type(str))
    history_months = c.Optional(c.Type(int))
    strict = c.Optional(c.Type(bool))
    site_url = c.Optional(c.Type(str))
    prometheus = c.Optional(c.Type(dict))


class SlacodePlugin(BasePlugin[SlacodeConfig]):
    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.watch: tuple[str, ...] = ()

    def on_config(self, config: Any) -> Any:
        if not self.config.enabled:
            return config
        root = Path(config.config_file_path or ".").resolve().parent
        options = {k: v for k, v in self.config.items() if v is not None and k != "enabled"}
        if "language" not in options:
            theme_lang = str(config.theme.get("language") or "en")
            options["language"] = "zh" if theme_lang.startswith("zh") else "en"
        if "site_url" not in options and config.site_url:
            options["site_url"] = config.site_url
        try:
            self.settings = settings_from_mapping(options, root)
        except SlacodeError as exc:
            raise PluginError(str(exc)) from None
        return config

    def on_files(self, files: Files, *, config: Any) -> Files:
        if not self.config.enabled or self.settings is None:
            return files
        from slacode.pipeline import run

        try:
            result = run(
                self.settings, site_title=config.site_name, progress=lambda line: log.debug(line)
            )
        except SlacodeError as exc:
            raise PluginError(f"slacode: {exc}") from None
        self.watch = result.watch
        faults = [p for p in result.problems if p.code == "pull.fault"]
        for p in result.problems:
            # Data gaps are shown on the pages as "no data"; only errors stop the build.
            if p.severity == "error":
                log.error(str(p))
            elif p in faults and not config.strict:
                log.warning(str(p))
            else:
                log.info(str(p))
        if not result.ok:
            raise PluginError(f"slacode: {len(result.errors())} error(s) in agreements or data")
        if faults and config.strict:
            more = f" (and {len(faults) - 1} more)" if len(faults) > 1 else ""
            raise PluginError(
                f"slacode: a measurement source failed, nothing published in strict mode: "
                f"{faults[0].path}:{faults[0].line}:{faults[0].col}: {faults[0].message}{more}"
            )
        for path, content in result.files.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                raise PluginError(
                    f"slacode: {config.docs_dir}/{path} is written by hand but slacode "
                    "generates it; rename or remove the hand-written file"
                )
            files.append(File.generated(config, path, content=content))
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        """Name the folder section of the service pages in the site's language."""
        if self.settings is None:
            return nav
        from slacode.render.strings import t

        for item in nav.items:
            children = getattr(item, "children", None) or []
            if item.is_section and any(
                getattr(c, "file", None) is not None and c.file.src_uri.startswith("services/")
                for c in children
            ):
                item.title = t("nav.services", self.settings.language)
        return nav

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        for path in self.watch:
            server.watch(path)
        return server
