"""Finished HTML blocks bypass Markdown and search, yet the built page shows them unchanged;
a large fleet's navigation is grouped by owner."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

import markdown
import pytest
import render_sample as sample
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import get_navigation
from mkdocs.utils.meta import get_data

from slacode.plugin import GROUP_ABOVE
from slacode.render import passthrough, render
from slacode.render.output import write_tree

CONFIG = """\
site_name: Test
docs_dir: docs
site_dir: {site}
theme:
  name: {theme}
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
    unwrapped = page.replace(passthrough.OPEN + "\n\n", "").replace("\n\n" + passthrough.CLOSE, "")
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


def _site(
    tmp_path: Path, name: str, plugin: bool, language: str = "en", theme: str = "material"
) -> Path:
    root = tmp_path / name
    write_tree(_tree(), root / "docs")
    slacode = "  - slacode:\n      generate: false\n" if plugin else ""
    (root / "mkdocs.yml").write_text(
        CONFIG.format(site=root / "site", slacode=slacode, language=language, theme=theme),
        encoding="utf-8",
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
            theme="material",
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


def _chunks(page: str) -> list[str]:
    return [c for c in page.split("\n\n") if c.strip()]


def test_markdown_is_left_with_the_headings_only() -> None:
    for path, page in _tree().items():
        if not path.endswith(".md"):
            continue
        body, _ = get_data(page)  # as MkDocs hands the page to plugins
        text, blocks = passthrough.stash(body)
        left, prose = passthrough.stash_html(text)
        assert prose, path
        for chunk in _chunks(left):
            first = chunk.strip().splitlines()[0]
            assert first.startswith("#") or first.startswith("<!-- slacode:"), (path, chunk)
        back = passthrough.restore(passthrough.restore(left, prose, passthrough.PROSE), blocks)
        assert back == passthrough.restore(text, blocks), path


def test_only_html_that_markdown_copies_unchanged_is_set_aside() -> None:
    """Each chunk set aside reads the same through Python-Markdown, so the page does too."""
    md = markdown.Markdown(extensions=["toc", "tables", "admonition", "attr_list"])
    seen = 0
    for path, page in _tree().items():
        if path.endswith(".md"):
            _, prose = passthrough.stash_html(get_data(page)[0])
            for block in prose:
                for chunk in block.split("\n\n"):
                    if not chunk.startswith("<!-- slacode:"):
                        seen += 1
                        assert md.reset().convert(chunk) == chunk, (path, chunk)
    assert seen > 10


@pytest.mark.parametrize(
    "chunk",
    [
        "<p>Closed early</p>\n*then Markdown*",
        "<span>inline HTML starts a paragraph</span>",
        '<div markdown="1">\n*read by md_in_html*\n</div>',
        "<pre>\n  kept as code\n</pre>",
        "<div>\n<p>never closed</p>",
        "<!-- a comment -->\n<div>x</div>",
        "a < b <div>x</div>",
        "<ul><li>a</li></ul> <p>on the same line</p>",
        "<ul><li>a</li></ul>\n<span>inline</span>",
    ],
)
def test_html_markdown_would_change_stays_with_markdown(chunk: str) -> None:
    page = f"# Title\n\n{chunk}\n\n## Next\n"
    assert passthrough.stash_html(page) == (page, [])


def test_sibling_blocks_on_their_own_lines_are_set_aside() -> None:
    chunk = "<ul><li>a</li></ul>\n<p><strong>b</strong></p>\n<ul>\n<li>c</li>\n</ul>"
    assert markdown.markdown(chunk) == chunk
    assert passthrough.stash_html(f"# T\n\n{chunk}\n")[1] == [chunk]


def test_a_page_with_fenced_code_goes_to_markdown_whole() -> None:
    page = "# Title\n\n```html\n\n<div>shown as code</div>\n\n```\n"
    assert passthrough.stash_html(page) == (page, [])


def test_consecutive_blocks_travel_as_one() -> None:
    page = (
        "# T\n\n<p>a</p>\n\n<!-- slacode:stash 0 -->\n\n<div>\n<p>b</p>\n</div>\n\n"
        "## U\n\n<p>c</p>\n"
    )
    text, prose = passthrough.stash_html(page)
    assert text == ("# T\n\n<!-- slacode:prose 0 -->\n\n## U\n\n<!-- slacode:prose 1 -->\n")
    assert prose[0] == "<p>a</p>\n\n<!-- slacode:stash 0 -->\n\n<div>\n<p>b</p>\n</div>"
    assert passthrough.restore(text, prose, passthrough.PROSE) == page


def test_permalinks_are_hidden_from_search_and_shown_again() -> None:
    html = (
        '<h2 id="a">A<a class="headerlink" href="#a" title="Permanent link">&para;</a></h2>'
        '<p><a class="headerlink" href="#x">not a heading\'s</a></p>'
    )
    blocks = ["<svg></svg>"]
    hidden = passthrough.stash_permalinks(html, blocks)
    assert hidden.startswith('<h2 id="a">A<!-- slacode:stash 1 --></h2>')
    assert "not a heading's" in hidden and len(blocks) == 2
    assert passthrough.restore(hidden, blocks) == html


def test_the_plugin_build_gives_search_the_same_sections(tmp_path: Path) -> None:
    """Headings, their anchors and the agreement's words are indexed as without the plugin."""
    fast = _site(tmp_path, "fast", plugin=True)
    plain = _site(tmp_path, "plain", plugin=False)

    def docs(site: Path) -> list[dict]:
        return json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]

    assert [(d["location"], d["title"]) for d in docs(fast)] == [
        (d["location"], d["title"]) for d in docs(plain)
    ]
    parties = {d["location"]: d["text"] for d in docs(fast) if d["location"].endswith("#parties")}
    assert parties == {
        d["location"]: d["text"] for d in docs(plain) if d["location"].endswith("#parties")
    }
    page = (fast / "services/payments-api/index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h([1-6]) id=\"[^\"]+\">", page)
    assert headings and page.count('class="headerlink"') >= len(headings)
    assert "slacode:prose" not in page and "slacode:stash" not in page


def test_mkdocs_own_search_indexes_the_same_text(tmp_path: Path) -> None:
    """MkDocs' search keeps the permalink signs in its text: the plugin leaves them there."""
    fast = _site(tmp_path, "fast", plugin=True, theme="mkdocs")
    plain = _site(tmp_path, "plain", plugin=False, theme="mkdocs")

    def page_text(site: Path) -> str:
        docs = json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]
        return next(d["text"] for d in docs if d["location"] == "services/payments-api/")

    fast_text, plain_text = page_text(fast), page_text(plain)
    assert "Example Cloud" in fast_text and "\u00b6" in fast_text

    def agreement(text: str) -> str:  # the parties to the objectives, no figures between
        return text.split("Parties")[1].split("Objectives")[0]

    assert agreement(fast_text) == agreement(plain_text)


def test_markdown_of_the_headings_alone_gives_the_same_page() -> None:
    md = markdown.Markdown(
        extensions=["toc", "tables", "admonition", "attr_list"],
        extension_configs={"toc": {"permalink": True}},
    )
    split_pages = 0
    for path, page in _tree().items():
        if not path.endswith(".md"):
            continue
        text, _ = passthrough.stash_html(passthrough.stash(get_data(page)[0])[0])
        split = passthrough.split_headings(text)
        if split is None:
            continue
        split_pages += 1
        headings, tails = split
        assert "slacode:" not in headings
        assert passthrough.attach(md.reset().convert(headings), tails) == md.reset().convert(text)
    assert split_pages >= 2  # the service pages


def test_headings_markdown_made_more_of_are_not_reassembled() -> None:
    text = "# A\n\n<!-- slacode:prose 0 -->\n\n## B\n"
    headings, tails = passthrough.split_headings(text)
    assert headings == "# A\n\n## B\n" and tails == [[], ["<!-- slacode:prose 0 -->"], []]
    assert passthrough.attach('<h1 id="a">A</h1>\n<p>extra</p>\n<h2>B</h2>', tails) is None
    assert passthrough.attach('<h1 id="a">A</h1>', tails) is None
    assert passthrough.split_headings("# A\n\nSome *Markdown*\n") is None
    assert passthrough.split_headings("# A <em>html</em>\n") is None


def test_the_page_is_whole_when_the_headings_cannot_be_reassembled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(passthrough, "attach", lambda html, tails: None)
    fast = _site(tmp_path, "fast", plugin=True)
    plain = _site(tmp_path, "plain", plugin=False)
    page = "services/payments-api/index.html"
    assert _article(fast, page) == _article(plain, page)
