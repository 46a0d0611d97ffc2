"""The MkDocs plugin and the pipeline it runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

import slacode.pipeline
from slacode.pipeline import PipelineResult
from slacode.problems import Problem

ROOT = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path, plugin: str = "slacode", language: str = "en"):
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text(
        "site_name: Test\ntheme:\n  name: material\n  language: " + language + "\n"
        "plugins:\n  - " + plugin + "\n",
        encoding="utf-8",
    )
    return load_config(config_file=str(cfg))


def _fake_run(files: dict[str, str], problems: tuple[Problem, ...] = ()):
    seen = {}

    def run(settings, **kw):
        seen["settings"] = settings
        return PipelineResult(files, problems, watch=(str(settings.root / "slas"),))

    return run, seen


def test_options_become_settings_and_the_theme_picks_the_language(tmp_path: Path) -> None:
    cfg = _config(
        tmp_path,
        'slacode:\n      audience: "customer:acme"\n      now: "2026-11-26T00:00:00Z"',
        language="zh",
    )
    plugin = cfg.plugins["slacode"]
    plugin.on_config(cfg)
    assert plugin.settings.audience == "customer:acme"
    assert plugin.settings.language == "zh"
    assert plugin.settings.root == tmp_path.resolve()


def test_bad_audience_is_a_one_line_plugin_error(tmp_path: Path) -> None:
    cfg = _config(tmp_path, 'slacode:\n      audience: "everyone"')
    with pytest.raises(PluginError, match="audience 'everyone'"):
        cfg.plugins["slacode"].on_config(cfg)


def test_generated_pages_are_added_without_touching_docs_dir(tmp_path: Path, monkeypatch) -> None:
    cfg = _config(tmp_path)
    run, _ = _fake_run({"index.md": "# Status\n", "api/services.json": "{}\n"})
    monkeypatch.setattr(slacode.pipeline, "run", run)
    plugin = cfg.plugins["slacode"]
    plugin.on_config(cfg)
    from mkdocs.structure.files import get_files

    cfg.plugins.on_pre_build(config=cfg)
    files = cfg.plugins.on_files(get_files(cfg), config=cfg)
    assert files.get_file_from_path("index.md").generated_by == "slacode"
    assert files.get_file_from_path("api/services.json") is not None
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["about.md"]

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = Server()
    plugin.on_serve(server, config=cfg, builder=None)
    assert server.watched == [str(tmp_path.resolve() / "slas")]


def test_a_hand_written_page_that_slacode_generates_is_an_error(
    tmp_path: Path, monkeypatch
) -> None:
    cfg = _config(tmp_path)
    monkeypatch.setattr(slacode.pipeline, "run", _fake_run({"about.md": "# Generated\n"})[0])
    plugin = cfg.plugins["slacode"]
    plugin.on_config(cfg)
    from mkdocs.structure.files import get_files

    cfg.plugins.on_pre_build(config=cfg)
    with pytest.raises(PluginError, match=r"about\.md is written by hand"):
        cfg.plugins.on_files(get_files(cfg), config=cfg)


def test_errors_in_agreements_stop_the_build(tmp_path: Path, monkeypatch) -> None:
    cfg = _config(tmp_path)
    bad = Problem("slas/x.yaml", 3, 5, "error", "target must be a number")
    monkeypatch.setattr(slacode.pipeline, "run", _fake_run({}, (bad,))[0])
    plugin = cfg.plugins["slacode"]
    plugin.on_config(cfg)
    with pytest.raises(PluginError, match="1 error"):
        cfg.plugins.on_pre_build(config=cfg)


def test_pipeline_on_the_demo_renders_the_public_site() -> None:
    from slacode.config import load_settings
    from slacode.pipeline import run

    settings = load_settings(ROOT)
    public = run(settings)
    assert public.ok, [str(p) for p in public.errors()]
    assert "services/payments-api.md" in public.files
    assert not any("auth-internal" in p or "acme" in p for p in public.files)
    assert {r.service for r in public.results} >= {"payments-api", "auth-internal"}


def test_generate_false_builds_the_tree_in_docs_dir_without_the_pipeline(
    tmp_path: Path, monkeypatch
) -> None:
    """What the fleet benchmark uses: `slacode render --out docs` first, then only MkDocs."""

    def no_run(*args, **kw):
        raise AssertionError("the pipeline must not run")

    monkeypatch.setattr(slacode.pipeline, "run", no_run)
    cfg = _config(tmp_path, "slacode:\n      generate: false", language="zh")
    plugin = cfg.plugins["slacode"]
    plugin.on_config(cfg)
    assert plugin.settings is None and plugin.language == "zh"
    from mkdocs.structure.files import get_files

    cfg.plugins.on_pre_build(config=cfg)
    files = cfg.plugins.on_files(get_files(cfg), config=cfg)
    assert [f.src_uri for f in files.documentation_pages()] == ["about.md"]


def test_mkdocs_build_says_how_long_each_stage_took(tmp_path: Path, monkeypatch, caplog) -> None:
    cfg = _config(tmp_path)

    def run(settings, **kw):
        return PipelineResult({"index.md": "# Status\n"}, (), queries=7,
                              seconds={"load": 0.25, "pull": 3.5, "render": 1.0})

    monkeypatch.setattr(slacode.pipeline, "run", run)
    cfg.plugins["slacode"].on_config(cfg)
    with caplog.at_level("INFO", logger="mkdocs.plugins.slacode"):
        from mkdocs.structure.files import get_files

        cfg.plugins.on_pre_build(config=cfg)
        cfg.plugins.on_files(get_files(cfg), config=cfg)
    assert "slacode: 0 agreements, 7 queries; load 0.25s, pull 3.50s, render 1.00s" in (
        caplog.text)


def _zh_config(tmp_path: Path, theme: str, toc: str = "      permalink: true\n"):
    (tmp_path / "docs").mkdir(exist_ok=True)
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text(
        "site_name: Test\n" + theme + "markdown_extensions:\n  - toc:\n" + toc
        + "plugins:\n  - search\n  - slacode:\n      language: zh\n",
        encoding="utf-8",
    )
    return load_config(config_file=str(cfg))


def test_a_chinese_site_gets_materials_own_words_in_chinese(tmp_path: Path) -> None:
    cfg = _zh_config(tmp_path, "theme:\n  name: material\n")
    cfg.plugins.on_config(cfg)
    assert cfg.theme["language"] == "zh"  # Material's search box, navigation, footer
    assert cfg.mdx_configs["toc"]["permalink_title"] == "永久链接"
    # the search plugin, listed first, read the language after slacode set it
    assert "、" in cfg.plugins["material/search"].config.separator


def test_a_theme_language_written_in_the_file_is_kept(tmp_path: Path) -> None:
    cfg = _zh_config(tmp_path, "theme:\n  name: material\n  language: en\n")
    cfg.plugins.on_config(cfg)
    assert cfg.theme["language"] == "en"  # the generated pages are Chinese all the same
    assert cfg.plugins["slacode"].settings.language == "zh"
    assert "permalink_title" not in cfg.mdx_configs["toc"]  # English, as the rest of the theme


def test_a_permalink_title_written_in_the_file_is_kept(tmp_path: Path) -> None:
    cfg = _zh_config(tmp_path, "theme:\n  name: material\n",
                     "      permalink: true\n      permalink_title: Anchor\n")
    cfg.plugins.on_config(cfg)
    assert cfg.theme["language"] == "zh"
    assert cfg.mdx_configs["toc"]["permalink_title"] == "Anchor"


def test_a_large_public_fleet_is_grouped_in_runs_of_services() -> None:
    """Material renders the whole navigation into every page: 75 services in one list
    would cost N² links. Public pages name no owner, so they are grouped in runs named
    by their first and last service; internal pages by owner, a large team in runs too."""
    from types import SimpleNamespace

    from mkdocs.structure.nav import Section

    from slacode.plugin import GROUP_ABOVE, group_by_owner

    def page(n: int, owner: str = "") -> SimpleNamespace:
        group = f"slacode_group: {owner}\n" if owner else ""
        return SimpleNamespace(file=SimpleNamespace(
            content_string=f"---\ntitle: svc-{n:03d}\n{group}---\n# x\n"), parent=None)

    services = [page(n) for n in range(75)]
    section = Section("Services", list(services))
    group_by_owner(section, services, "No owner")
    assert [g.title for g in section.children] == [
        "svc-000 – svc-029", "svc-030 – svc-059", "svc-060 – svc-074"]
    assert all(len(g.children) <= GROUP_ABOVE for g in section.children)
    assert services[40].parent is section.children[1]

    team = [page(n, "team-a") for n in range(40)] + [page(n) for n in range(40, 45)]
    section = Section("Services", list(team))
    group_by_owner(section, team, "No owner")
    assert [g.title for g in section.children] == [
        "team-a: svc-000 – svc-029", "team-a: svc-030 – svc-039", "No owner"]
