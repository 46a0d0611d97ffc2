"""The MkDocs plugin: ``plugins: [slacode]`` runs the pipeline inside ``mkdocs build``/``serve``.

Its options are :class:`slacode.settings_schema.SlacodeConfig`, the one schema of the
settings, which the command line validates ``mkdocs.yml`` with too; both turn them into
settings with :func:`slacode.config.settings_from_options`, so they read them alike.
The pipeline runs in ``on_pre_build``, before MkDocs empties ``site_dir``: an agreement
or data error fails the build while the previous site is still there. ``on_files`` only
adds the generated pages; nothing generated is written to ``docs_dir``.

Strict builds (``mkdocs build --strict``, ``slacode build --strict``, as the nightly
job runs) fail when a measurement source failed during the run (a server down or
answering errors or partial data, a data file missing): a bad night must not replace
yesterday's figures with "no data". Data that is simply absent (no samples, empty rows)
is published as "no data" with its reason in every build; ``strict: true`` in the
plugin options fails on that too.

A frozen period that a fresh evaluation disagrees with (a dispute) does not withhold the
rest of the site: the pages are generated with the frozen figures, which customers were
told, marked "under review". A strict build then fails after the site is written, with
its own message (``slacode build --strict`` publishes first and exits 3, see
:mod:`slacode.cli.build`), so that the operator restates the period or finds the cause.

``generate: false`` builds a tree that ``slacode render --out`` already wrote into
``docs_dir`` (the fleet benchmark does this) without running the pipeline; the page
hooks below apply to it all the same.

Generated pages wrap finished HTML blocks (charts, day and period tables) in marker
comments (:mod:`slacode.render.passthrough`): the plugin hands Markdown and the search
plugin a placeholder instead and puts the block back afterwards, so a large fleet's
pages are not tokenised three times over. The rest of such a page's HTML (the agreement's
text) skips Markdown too but is back before the search plugin indexes the page; Markdown
only builds the headings. The built pages and the search index are the same as without
these shortcuts, the day-by-day detail apart, which is not indexed.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from slacode.config import Settings, settings_from_options
from slacode.problems import (
    STOPS,
    Code,
    Problem,
    SlacodeError,
    Strict,
    strict_failures,
    strictness,
)
from slacode.render import passthrough
from slacode.settings_schema import SWITCHES, SlacodeConfig

log = logging.getLogger("mkdocs.plugins.slacode")

#: A services section with more pages than this is grouped by owner in the navigation.
GROUP_ABOVE = 30


class SlacodePlugin(BasePlugin[SlacodeConfig]):
    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.generated: dict[str, str] = {}  # this build's pages, from on_pre_build
        self.pinned_epoch = False  # SOURCE_DATE_EPOCH set by this plugin for one build
        self.language = "en"
        self.watch: tuple[str, ...] = ()
        self.blocks: dict[str, list[str]] = {}
        self.prose: dict[str, list[str]] = {}
        self.split: dict[str, tuple[str, list[list[str]]]] = {}
        self.hide_permalinks = False
        #: this build's disputes (frozen figures a fresh evaluation disagrees with)
        self.disputes: list[Any] = []
        #: set by ``slacode build``, which publishes first and then fails on disputes itself
        self.defer_disputes = False
        #: set by ``slacode build --audience all``: the one evaluation every audience's
        #: site is rendered from (``None``: this build pulls and evaluates itself)
        self.evaluation: Any = None
        #: the evaluation this build rendered from (read by ``slacode build --audience all``)
        self.evaluated: Any = None
        #: called with it as soon as it is known (``slacode build --audience all`` starts
        #: the other audiences' builds then, while this one renders)
        self.on_evaluated: Callable[[Any], None] | None = None
        self.strict = False
        #: a command's own options (``slacode build --now``): they win over the block's
        self.overrides: dict[str, Any] = {}
        #: this build's problems (the notes of the pipeline included)
        self.problems: tuple[Any, ...] = ()

    @event_priority(50)  # before Material's search plugin reads the theme's language
    def on_config(self, config: Any) -> Any:
        if not self.config.enabled:
            return config
        root = Path(config.config_file_path or ".").resolve().parent
        options = {k: v for k, v in self.config.items() if v is not None and k not in SWITCHES}
        if "language" not in options:
            theme_lang = str(config.theme.get("language") or "en")
            options["language"] = "zh" if theme_lang.startswith("zh") else "en"
        own = (options.get("languages") or {}) if isinstance(options.get("languages"), dict) else {}
        if options.get("audience") in own:  # this audience's site has a language of its own
            options["language"] = own[options["audience"]]
            if config.theme.name == "material" and options["language"] in ("en", "zh"):
                # the theme's words (search, navigation, dates) too, whatever it says for
                # the other sites
                config.theme["language"] = options["language"]
        self.language = options["language"]
        if self.language == "zh":
            _chinese_theme(config)
        _add_assets(config)
        # Material's search skips heading permalinks; other indexers may keep their text.
        self.hide_permalinks = "material/search" in config.plugins
        if not self.config.generate:
            return config
        try:
            # settings warnings go to the MkDocs log, where --strict counts them
            self.settings = settings_from_options(
                options, root, site_url=config.site_url or "", repo_url=config.repo_url or "",
                on_warning=log.warning,
                overrides=self.overrides)
        except SlacodeError as exc:
            raise PluginError(str(exc)) from None
        self.language = self.settings.language
        return config

    def on_pre_build(self, *, config: Any) -> None:
        """Run the pipeline while the previous site is untouched: MkDocs cleans
        ``site_dir`` only after this event, so a failure here keeps yesterday's pages."""
        self.generated = {}
        self.disputes = []
        self.strict = bool(config.strict)
        if not self.config.enabled or self.settings is None:
            return
        from slacode.pipeline import evaluate_project, run

        if self.settings.now and "SOURCE_DATE_EPOCH" not in os.environ:
            # a pinned evaluation time pins the sitemap's dates too, as `slacode build` does
            os.environ["SOURCE_DATE_EPOCH"] = str(self.settings.now_epoch())
            self.pinned_epoch = True
        try:
            evaluated = self.evaluation if self.evaluation is not None else evaluate_project(
                self.settings, progress=lambda line: log.debug(line))
            self.evaluated = evaluated  # for the next audience of `slacode build --audience all`
            if self.on_evaluated is not None:
                self.on_evaluated(evaluated)
            result = run(self.settings, site_title=config.site_name, evaluation=evaluated)
        except SlacodeError as exc:
            raise PluginError(f"slacode: {exc}") from None
        self.problems = result.problems  # what `slacode build` sums up at its end
        self.watch = result.watch
        # what a strict build does not let pass (slacode.problems.strict_failures, the one
        # rule): stopped before publishing, or (disputes) published and then failed
        failing = set(strict_failures(result.problems))
        changed = [p for p in result.problems
                   if p in failing and strictness(p.code) is Strict.AFTER_PUBLISHING]
        stops = [p for p in result.problems
                 if p in failing and p.severity != "error" and p not in changed]
        for p in result.problems:
            # Data gaps are shown on the pages as "no data"; only errors stop the build.
            if p.severity == "error":
                log.error(str(p))
            elif (p in failing or p.code.startswith(("actions.", "claims."))) \
                    and not config.strict:
                log.warning(str(p))
            else:
                log.info(str(p))
        if not result.ok:
            raise PluginError(f"slacode: {len(result.errors())} error(s) in agreements or data")
        log.info("slacode: %d agreements, %d queries; %s", len(result.agreements), result.queries,
                 ", ".join(f"{k} {v:.2f}s" for k, v in result.seconds.items()))
        if stops and config.strict:
            raise PluginError(f"slacode: {_stopped(stops)}")
        self.disputes = changed
        self.generated = result.files

    def on_post_build(self, *, config: Any) -> None:
        self._unpin()
        if self.disputes and self.strict and not self.defer_disputes:
            # ``mkdocs build --strict`` has written the site (with the periods under
            # review) by now; the build still fails, as ``slacode build`` does
            raise PluginError(f"slacode: {disputed_message(self.disputes)}")

    def on_build_error(self, *, error: Exception) -> None:
        self._unpin()

    def _unpin(self) -> None:
        if self.pinned_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self.pinned_epoch = False

    def on_files(self, files: Files, *, config: Any) -> Files:
        for path, content in self.generated.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                raise PluginError(
                    f"slacode: {config.docs_dir}/{path} is written by hand but slacode "
                    "generates it; rename or remove the hand-written file"
                )
            files.append(File.generated(config, path, content=content))
        if self.config.enabled:
            from slacode.render.static import assets

            for path, text in assets().items():  # a hand-written file of the name wins
                if files.get_file_from_path(path) is None:
                    files.append(File.generated(config, path, content=text))
        return files

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Files) -> str:
        if not self.config.enabled:
            return markdown
        uri = page.file.src_uri
        text, blocks = passthrough.stash(markdown)
        prose: list[str] = []
        if blocks:  # a generated page: the rest of its HTML is finished as well
            text, prose = passthrough.stash_html(text)
            split = passthrough.split_headings(text)
            if split is not None:  # Markdown need not even see the placeholders
                self.split[uri] = (text, split[1])
                text = split[0]
        self.blocks[uri] = blocks
        self.prose[uri] = prose
        return text

    @event_priority(100)  # before other plugins read the page's HTML
    def on_page_content(self, html: str, *, page: Any, config: Any, files: Files) -> str:
        uri = page.file.src_uri
        if uri in self.split:
            text, tails = self.split.pop(uri)
            page.markdown = text  # what Markdown would have had without the split
            whole = passthrough.attach(html, tails)
            if whole is None:  # an extension made more of the headings: convert it all
                page.render(config, files)
                whole = page.content
            html = whole
        prose = self.prose.pop(uri, None) or []
        blocks = self.blocks.get(uri) or []
        if prose:
            html = passthrough.restore(html, prose, passthrough.PROSE)
        ids = passthrough.anchor_ids(prose + blocks)
        if ids and page.present_anchor_ids is not None:
            page.present_anchor_ids |= ids  # links to them validate as without the plugin
        return html

    @event_priority(50)  # just before the search plugin (priority 0) indexes the page
    def _hide_permalinks(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        blocks = self.blocks.get(page.file.src_uri)
        if blocks and self.hide_permalinks:
            page.content = passthrough.stash_permalinks(page.content, blocks)
        return context

    @event_priority(-100)  # after the search plugin has indexed the page without the blocks
    def _restore_blocks(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        blocks = self.blocks.pop(page.file.src_uri, None)
        if blocks:
            page.content = passthrough.restore(page.content, blocks)
        return context

    on_page_context = CombinedEvent(_hide_permalinks, _restore_blocks)

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        """Announce the Atom feeds in the page's head (``<link rel="alternate">``), so that
        a feed reader given any page finds the site's feed, and a service's page its own."""
        if not self.config.enabled or "feed.xml" not in self.generated:
            return output
        from mkdocs.utils import get_relative_url

        from slacode.render.feeds import head_links

        links = head_links(page.file.src_uri, self.generated,
                           lambda path: get_relative_url(path, page.url or "."))
        return output.replace("</head>", links + "</head>", 1) if links else output

    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        """Name the section of the service pages in the site's language; group a fleet.

        Material renders the whole navigation into every page, so a flat list of N
        services costs N² links over the site. Above :data:`GROUP_ABOVE` services the
        section is split by owner (as the overview groups them) and ``navigation.prune``
        leaves only the reader's own group expanded on each page; every other group is
        one link to its first service.
        """
        if not self.config.enabled:
            return nav
        from slacode.render.strings import t

        if _hide_version_pages(nav.items):
            _link_in_order(nav)
        # the period reports: one entry, their index (which lists them newest first)
        for i, item in enumerate(nav.items):
            index = next((c for c in getattr(item, "children", None) or []
                          if getattr(c, "file", None) is not None
                          and c.file.src_uri == "reports/index.md"), None)
            if item.is_section and index is not None:
                index.title, index.parent = t("nav.reports", self.language), None
                nav.items[i] = index
                _link_in_order(nav)
        for item in nav.items:
            children = getattr(item, "children", None) or []
            services = [
                c
                for c in children
                if getattr(c, "file", None) is not None and c.file.src_uri.startswith("services/")
            ]
            if not (item.is_section and services):
                continue
            item.title = t("nav.services", self.language)
            if len(services) > GROUP_ABOVE:
                group_by_owner(item, services, t("overview.no_owner", self.language))
                features = config.theme.get("features")
                if isinstance(features, list) and not {
                    "navigation.expand",
                    "navigation.prune",
                } & set(features):
                    features.append("navigation.prune")
                _link_in_order(nav)
        return nav

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        for path in self.watch:
            server.watch(path)
        return server


def _stopped(stops: list[Problem]) -> str:
    """Why a strict build published nothing, from the warnings it stops on: the first
    kind found (in :data:`slacode.problems.STOPS` order) and how many more of it."""
    code = next(c for c in STOPS if any(p.code == c for p in stops))
    same = [p for p in stops if p.code == code]
    first = same[0]
    more = f" (and {len(same) - 1} more)" if len(same) > 1 else ""
    if code == Code.PULL_FAULT:
        return (f"a measurement source failed, nothing published in strict mode: "
                f"{first.path}:{first.line}:{first.col}: {first.message}{more}")
    if code == Code.LEDGER_ORPHAN:
        return ("frozen records without an agreement, nothing published in strict mode: "
                f"{first}{more}")
    if code == Code.HISTORY_ERROR:
        return f"git history not read, nothing published in strict mode: {first}{more}"
    if code == Code.ACTIONS_OVERDUE_GRACE:
        return ("an improvement action is overdue beyond its grace, nothing published in "
                f"strict mode: {first}{more}")
    return f"nothing published in strict mode: {first}"


def disputed_message(disputes: list[Any]) -> str:
    """The one line a strict build fails with when frozen figures are disputed: what,
    that the site was published all the same, and the command that settles it."""
    first = disputes[0]
    more = f" (and {len(disputes) - 1} more)" if len(disputes) > 1 else ""
    return (f"disputed: a fresh evaluation disagrees with the frozen figures of "
            f"{len(disputes)} objective period(s); the site was published with the frozen "
            "figures marked 'under review'. Restate each with `slacode evaluate --restate "
            "PERIOD --service ID --reason TEXT` or find why the data changed: "
            f"{first}{more}")


def _add_assets(config: Any) -> None:
    """Link the packaged stylesheet and script (:mod:`slacode.render.static`) from every
    page, unless the configuration lists them already."""
    from mkdocs.config.config_options import ExtraScriptValue

    from slacode.render.static import SCRIPTS, STYLESHEETS

    css = [str(x) for x in config.extra_css]
    config.extra_css.extend(p for p in STYLESHEETS if p not in css)
    js = [str(x) for x in config.extra_javascript]
    config.extra_javascript.extend(ExtraScriptValue(p) for p in SCRIPTS if p not in js)


def _chinese_theme(config: Any) -> None:
    """A Chinese site gets Material's own words (search, navigation, "copy", dates) in Chinese
    too, and Chinese titles on heading permalinks, unless the configuration file says
    otherwise: a ``theme.language`` or a ``permalink_title`` written there is kept (and with
    ``theme.language: en`` the permalinks keep the English title of the rest of the theme)."""
    written = _written_config(config)
    if written is None:
        return  # the file cannot be read again: change nothing rather than guess
    theme = written.get("theme")
    if config.theme.name == "material":
        if not (isinstance(theme, dict) and "language" in theme):
            config.theme["language"] = "zh"
        elif not str(config.theme.get("language")).startswith("zh"):
            log.info("slacode: the pages are in Chinese but theme.language is %s, so Material's "
                     "own words (search, navigation) are not; remove it or set it to zh",
                     config.theme.get("language"))
    toc = config.mdx_configs.get("toc")
    if (isinstance(toc, dict) and toc.get("permalink") and "permalink_title" not in toc
            and str(config.theme.get("language") or "").startswith("zh")):
        toc["permalink_title"] = "永久链接"


def _written_config(config: Any) -> dict[str, Any] | None:
    """The configuration as its file (and any file it INHERITs) has it, before defaults."""
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    path = config.config_file_path
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml_load(f, get_yaml_loader(config=config))
    except (OSError, ConfigurationError):  # MkDocs read it already; this is only a hint
        return None
    return data if isinstance(data, dict) else None


def _front(file: File) -> tuple[str, str]:
    """The owner (internal builds only) and the title a generated service page names in
    its front matter (already escaped)."""
    try:
        _, meta = get_data(file.content_string)
    except (OSError, ValueError):
        return "", ""
    return str(meta.get("slacode_group") or ""), str(meta.get("title") or "")


def group_by_owner(section: Any, services: list[Any], no_owner: str) -> None:
    """Groups by owner (only internal pages name one); a group still larger than
    :data:`GROUP_ABOVE`, such as a public build's single one, is split into runs named
    by their first and last service."""
    groups: dict[str, list[tuple[str, Any]]] = {}
    for page in services:
        owner, title = _front(page.file)
        groups.setdefault(owner, []).append((title, page))
    grouped = []
    for owner in sorted(groups, key=lambda o: (o == "", o)):  # as the overview orders them
        rows = groups[owner]
        runs = [rows[i:i + GROUP_ABOVE] for i in range(0, len(rows), GROUP_ABOVE)]
        for run in runs:
            name = owner or (no_owner if len(groups) > 1 else "")
            if len(runs) > 1:
                span = f"{run[0][0]} – {run[-1][0]}"
                name = f"{name}: {span}" if name else span
            sub = Section(name, [page for _, page in run])
            sub.parent = section
            for _, page in run:
                page.parent = sub
            grouped.append(sub)
    section.children = [c for c in section.children if c not in services] + grouped


#: a version page of a service (``services/<id>/vN.md``), see ``render.service_page.versions``
_VERSION_PAGE = re.compile(r"services/[^/]+/v\d+\.md")


def _hide_version_pages(items: list[Any]) -> bool:
    """Take the pages of past versions out of the navigation (in place): each is reached
    from its service's change history, and a fleet's navigation would list every version
    of every service. Sections left empty go too. Whether anything was taken out."""
    changed = False
    kept = []
    for item in items:
        file = getattr(item, "file", None)
        if isinstance(item, Page) and file is not None and _VERSION_PAGE.fullmatch(file.src_uri):
            changed = True
            continue
        children = getattr(item, "children", None)
        if isinstance(item, Section) and children:
            changed |= _hide_version_pages(children)
            if not children:
                changed = True
                continue
        kept.append(item)
    items[:] = kept
    return changed


def _link_in_order(nav: Any) -> None:
    """Previous/next links follow the navigation as shown, groups included."""

    def pages(items: list[Any]) -> list[Any]:
        out = []
        for item in items:
            if isinstance(item, Page):
                out.append(item)
            out.extend(pages(getattr(item, "children", None) or []))
        return out

    ordered = pages(nav.items)
    nav.pages = ordered
    for i, page in enumerate(ordered):
        page.previous_page = ordered[i - 1] if i else None
        page.next_page = ordered[i + 1] if i + 1 < len(ordered) else None
