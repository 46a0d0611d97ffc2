"""A Chinese build of the demo, end to end: the change history, Material's own words and
what stays as written (the agreements' text, the hand-written About page)."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
from site_support import BIN, copy_project, env, run


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                    "-c", "commit.gpgsign=false", *args], cwd=root, check=True,
                   capture_output=True, env=env())


@pytest.fixture(scope="module")
def chinese_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with one lowered target in its history, built with ``language: zh`` in the
    plugin block and no ``theme.language``."""
    root = copy_project(tmp_path_factory.mktemp("zh"))
    cfg = root / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    text = re.sub(r"\n  language: en[^\n]*", "", text, count=1)
    cfg.write_text(text.replace("  - slacode:\n", "  - slacode:\n      language: zh\n", 1),
                   encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "agreements")
    sla = root / "slas" / "payments-api.yaml"
    yaml = sla.read_text(encoding="utf-8")
    assert "    target: 99.95\n" in yaml and "version: 3\neffective: 2025-10-01\n" in yaml
    # a new version from next month: the periods already judged keep version 3
    sla.write_text(yaml.replace("    target: 99.95\n", "    target: 99.9\n", 1).replace(
        "version: 3\neffective: 2025-10-01\n", "version: 4\neffective: 2026-12-01\n", 1),
        encoding="utf-8")
    _git(root, "commit", "-q", "-am", "lower the target")
    out = root / "site" / "public"
    run(BIN / "mkdocs", "build", "--strict", "-d", out, cwd=root)
    return out


def _text(page: Path) -> str:
    return html.unescape(page.read_text(encoding="utf-8"))


def test_the_change_history_of_a_chinese_site_is_in_chinese(chinese_site: Path) -> None:
    page = _text(chinese_site / "services" / "payments-api" / "index.html")
    history = page[page.index('data-table="history"'):]
    history = history[:history.index("</table>")]
    assert "月度可用性目标 99.95% → 99.9%" in history
    assert "版本 3 → 4" in history and "生效日期 2025-10-01 → 2026-12-01" in history
    assert "协议 payments-api 已创建（版本 3，2025-10-01 生效）" in history
    assert not re.search(r"\b(target|agreement|added|monthly|availability)\b", history)
    feed = _text(chinese_site / "feed.xml")
    assert "月度可用性目标 99.95% → 99.9%" in feed


def test_materials_own_words_are_chinese_when_the_theme_names_no_language(
    chinese_site: Path,
) -> None:
    page = _text(chinese_site / "services" / "payments-api" / "index.html")
    assert '<html lang="zh"' in page
    assert 'placeholder="搜索"' in page  # Material's search box
    assert 'title="永久链接"' in page and "Permanent link" not in page


def test_the_hand_written_about_page_is_published_as_written(chinese_site: Path) -> None:
    # slacode does not translate the site's own pages: they are the project's text
    page = _text(chinese_site / "about" / "index.html")
    assert "How to read these pages" in page
