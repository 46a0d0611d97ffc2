"""Finished HTML blocks bypass Markdown and search, yet the built page shows them unchanged;
a large fleet's navigation is grouped by owner."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

import pytest
import render_sample as sample
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import get_navigation

from slacode.plugin import GROUP_ABOVE
from slacode.render import passthrough, render
from slacode.render.output import write_tree

CONFIG = """\
site_name: Test
docs_dir: docs
site_dir: {site}
theme:
  name: material
  language: {language}
markdown_extensions:
  - toc:
      permalink: true
  - tables
  - admonition
  - attr_list
plugins:
  - search
{slacode}"""


def _tree() -> dict[str, str]:
    return render(
        sample.agreements(), sample.results(), now=sample.NOW, incidents=sample.incidents()
    )


def test_stash_and_restore_give_back_the_page_without_its_markers() -> None:
    page = _tree()["services/payments-api.md"]
    text, blocks = passthrough.stash(page)
    assert blocks and passthrough.OPEN not in text and passthrough.CLOSE not in text
    # the bulky parts travel as blocks; the agreement text stays for Markdown and search
    assert "<svg" not in text and 'data-table="periods"' not in text
    assert 'class="slc-description"' in text and 'data-table="priorities"' in text
    unwrapped = page.replace(passthrough.OPEN + "\n\n", "").replace(
        "\n\n" + passthrough.CLOSE, ""
    )
    assert passthrough.restore(text, blocks) == unwrapped


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("audience", ["public", "internal"])
def test_every_marked_block_is_stashed_whole(language: str, audience: str) -> None:
    """A marker the plugin missed would leave a block half-hidden or a marker on the page."""
    files = render(
        sample.agreements(),
        sample.results(),
        now=sample.NOW,
        incidents=sample.incidents(),
        language=language,
        audience=audience,
    )
    for path, page in files.items():
        if path.endswith(".md"):
            text, blocks = passthrough.stash(page)
            assert page.count(passthrough.OPEN) == page.count(passthrough.CLOSE) == len(blocks)
            assert "slacode:html" not in text, path


def _site(tmp_path: Path, name: str, plugin: bool, language: str = "en") -> Path:
    root = tmp_path / name
    write_tree(_tree(), root / "docs")
    slacode = "  - slacode:\n      generate: false\n" if plugin else ""
    (root / "mkdocs.yml").write_text(
        CONFIG.format(site=root / "site", slacode=slacode, language=language), encoding="utf-8"
    )
    build(load_config(config_file=str(root / "mkdocs.yml")))
    return root / "site"


def _article(site: Path, page: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    return "".join(re.sub(r"<!-- /?slacode:html -->", "", article).split())


def test_the_plugin_build_shows_the_same_pages_and_indexes_only_the_text(
    tmp_path: Path,
) -> None:
    fast = _site(tmp_path, "fast", plugin=True)
    plain = _site(tmp_path, "plain", plugin=False)
    for page in ("index.html", "services/payments-api/index.html"):
        assert _article(fast, page) == _article(plain, page), page
        assert "slacode:stash" not in (fast / page).read_text(encoding="utf-8")
    html = (fast / "services/payments-api/index.html").read_text(encoding="utf-8")
    assert html.count('<svg class="slc-strip"') >= 1 and 'data-table="periods"' in html
    index = json.loads((fast / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] for d in index["docs"])
    assert "Provider" in text and "Example Cloud" in text  # the agreement's own words
    assert "slc-strip" not in text and "Daily figures" not in text  # day-by-day detail is not


def _nav(tmp_path: Path, n: int, language: str = "en"):
    (tmp_path / "docs").mkdir(exist_ok=True)
    cfg_file = tmp_path / "mkdocs.yml"
    cfg_file.write_text(
        CONFIG.format(
            site=tmp_path / "site",
            language=language,
            slacode="  - slacode:\n      generate: false\n",
        ),
        encoding="utf-8",
    )
    cfg = load_config(config_file=str(cfg_file))
    cfg.theme["features"] = ["navigation.sections"]
    cfg.plugins.on_config(cfg)
    files = Files(
        [File.generated(cfg, "index.md", content="# Status\n")]
        + [
            File.generated(
                cfg,
                f"services/s{i:03d}.md",
                content=(
                    f'---\ntitle: "Service {i:03d}"\n'
                    + (f'slacode_group: "team-{i % 3}"\n' if i % 10 else "")
                    + "---\n\n# x\n"
                ),
            )
            for i in range(n)
        ]
    )
    nav = get_navigation(files, cfg)
    return cfg, cfg.plugins.on_nav(nav, config=cfg, files=files)


def test_a_large_fleet_is_grouped_by_owner_and_pruned(tmp_path: Path) -> None:
    cfg, nav = _nav(tmp_path, GROUP_ABOVE + 10, language="zh")
    section = next(i for i in nav.items if i.is_section)
    assert section.title == "服务"
    groups = [g.title for g in section.children]
    assert groups == ["team-0", "team-1", "team-2", "其他服务"]  # no owner: last, in its words
    listed = [p.file.src_uri for g in section.children for p in g.children]
    assert sorted(listed) == [f"services/s{i:03d}.md" for i in range(GROUP_ABOVE + 10)]
    assert all(p.file.src_uri.endswith("0.md") for p in section.children[-1].children)
    assert "navigation.prune" in cfg.theme["features"]
    pages = nav.pages
    assert pages[0].file.src_uri == "index.md"
    assert [p.file.src_uri for p in pages[1:]] == listed  # previous/next follow the groups
    assert all(a.next_page is b and b.previous_page is a for a, b in pairwise(pages))


def test_a_small_fleet_keeps_its_flat_list(tmp_path: Path) -> None:
    cfg, nav = _nav(tmp_path, 3)
    section = next(i for i in nav.items if i.is_section)
    assert section.title == "Services"
    assert [p.file.src_uri for p in section.children] == [f"services/s{i:03d}.md" for i in range(3)]
    assert "navigation.prune" not in cfg.theme["features"]
