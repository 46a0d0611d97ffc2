"""A Chinese build of the demo, end to end: the change history, Material's own words and
what stays as written (the agreements' text, the hand-written About page)."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
from site_support import BIN, copy_project, env, own_history, run


def _git(root: Path, *args: str, date: str = "2026-11-01T10:00:00+00:00") -> None:
    """git with a dated commit: before the demo's pinned now, whatever the clock says (the
    feed leaves out anything dated after the build's now)."""
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                    "-c", "commit.gpgsign=false", *args], cwd=root, check=True,
                   capture_output=True,
                   env={**env(), "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})


@pytest.fixture(scope="module")
def chinese_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with one lowered target in its history, built with ``language: zh`` in the
    plugin block and no ``theme.language``."""
    root = copy_project(tmp_path_factory.mktemp("zh"))
    own_history(root)  # this test's history is the git repository it writes below
    cfg = root / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    text = re.sub(r"\n  language: en[^\n]*", "", text, count=1)
    cfg.write_text(text.replace("  - slacode:\n", "  - slacode:\n      language: zh\n", 1),
                   encoding="utf-8")
    # the demo's two agreements with a version merged for 2026-12-01 get their previous
    # version as the first commit, so that it is in force at the demo's now
    sla = root / "slas" / "payments-api.yaml"
    desk = root / "slas" / "support-desk.yaml"
    yaml, desk_yaml = sla.read_text(encoding="utf-8"), desk.read_text(encoding="utf-8")
    assert "    target: 99.95\n" in yaml and "version: 4\neffective: 2026-12-01\n" in yaml
    sla.write_text(_before(yaml, 3, {"p1-resolution", "p2-response", "p2-resolution"}),
                   encoding="utf-8")
    desk.write_text(_before(desk_yaml, 2, {"p1-resolution", "p2-resolution", "p3-response",
                                           "p4-response"}), encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "agreements")
    # version 4 from next month, with a lower target: the periods already judged keep 3
    sla.write_text(yaml.replace("    target: 99.95\n", "    target: 99.9\n", 1), encoding="utf-8")
    desk.write_text(desk_yaml, encoding="utf-8")
    _git(root, "commit", "-q", "-am", "lower the target", date="2026-11-20T10:00:00+00:00")
    out = root / "site" / "public"
    run(BIN / "mkdocs", "build", "--strict", "-d", out, cwd=root)
    return out


def _before(text: str, version: int, added: set[str]) -> str:
    """An agreement's text as its previous version had it: in force since 2025-10-01,
    without the objectives its pending version adds."""
    import io
    from datetime import date

    from ruamel.yaml import YAML

    yaml = YAML()
    doc = yaml.load(text)
    assert doc["effective"] == date(2026, 12, 1) and added <= {o["id"] for o in doc["objectives"]}
    doc["version"], doc["effective"] = version, date(2025, 10, 1)
    for o in [o for o in doc["objectives"] if o["id"] in added]:
        doc["objectives"].remove(o)
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _text(page: Path) -> str:
    return html.unescape(page.read_text(encoding="utf-8"))


def test_the_change_history_of_a_chinese_site_is_in_chinese(chinese_site: Path) -> None:
    page = _text(chinese_site / "services" / "payments-api" / "index.html")
    history = page[page.index('data-table="history"'):]
    history = history[:history.index("</table>")]
    assert "月度可用性目标 99.95% → 99.9%" in history
    assert "版本 4 将于 2026年12月1日 生效" in history  # in words, not "版本 3 → 4"
    assert "版本 3（2025年10月1日 生效）是本仓库历史中的第一个版本；更早的版本在此之前已经约定" \
        in history
    # the reason is the commit's own words, as written; everything else is Chinese
    assert "原因：lower the target" in history
    fixed = re.sub(r'<p class="slc-meta">.*?</p>', "", history)
    assert not re.search(r"\b(target|agreement|added|monthly|availability|version)\b", fixed)
    feed = _text(chinese_site / "feed.xml")
    assert "月度可用性目标 99.95% → 99.9%" in feed
    assert "协议 payments-api 已创建（版本 3，2025年10月1日 生效）" in feed


def test_materials_own_words_are_chinese_when_the_theme_names_no_language(
    chinese_site: Path,
) -> None:
    page = _text(chinese_site / "services" / "payments-api" / "index.html")
    assert '<html lang="zh"' in page
    assert 'placeholder="搜索"' in page  # Material's search box
    assert 'title="永久链接"' in page and "Permanent link" not in page


def test_the_hand_written_about_page_is_published_as_written(chinese_site: Path) -> None:
    # slacode does not translate the site's own pages: they are the project's text (a
    # Chinese site has its own, see mkdocs.zh.yml)
    page = _text(chinese_site / "about" / "index.html")
    assert "How to read these pages" in page


def _prose(page: Path) -> str:
    """What a reader sees of a page: the header, navigation and article, without markup,
    code and the scripts."""
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style|code)\b.*?</\1>", " ", text, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_the_chinese_site_is_chinese(chinese_demo: Path) -> None:
    """mkdocs.zh.yml: the title, the navigation and the hand-written pages in Chinese, the
    About page stating the same policy as the English one (verdicts, credits, claims)."""
    about = _prose(chinese_demo / "about" / "index.html")
    policy = _prose(chinese_demo / "policy" / "index.html")
    index = _prose(chinese_demo / "index.html")
    for page in (about, policy, index):
        assert "示例云服务水平" in page and "Example Cloud service levels" not in page
        for english in ("How to read these pages", "Our service-level policy", "Reports",
                        "Services", "Switch to dark mode", "Search", "Table of contents"):
            assert english not in page, english
    assert "<title>如何阅读本站 - 示例云服务水平</title>" in \
        (chinese_demo / "about" / "index.html").read_text(encoding="utf-8")
    # the states, as the generated pages name them, each with its meaning
    for state in ("达标", "未达标", "进展正常", "有风险", "低于目标，仍可挽回", "本周期已无法达标",
                  "无数据", "数据不足", "暂定", "复核中", "数据重述"):
        assert state in about, state
    assert "缺失的数据从不计为正常" in about and "服务抵扣" in about
    assert "申请的最后一天、申请的渠道和方式，以及多久内支付" in policy
    # little English prose is left: the words of a sentence, not names like JSON or P1
    for page in (about, policy):
        words = re.findall(r"\b[a-z]{4,}\b", page)
        assert len(words) < 12, words


def test_a_version_merged_for_later_is_announced_not_presented(chinese_site: Path) -> None:
    """Version 4 (99.9% from 2026-12-01) is merged; at the demo's now version 3 (99.95%)
    is the promise the periods are judged by, and the page, JSON and search say so."""
    import json

    page = _text(chinese_site / "services" / "payments-api" / "index.html")
    start = page.index('class="slc-head"')
    head = page[start:page.index("<h2", start)]
    assert "版本 3，生效日期 2025年10月1日" in head and "版本 4，生效日期" not in page
    assert "第 4 版将于 2026年12月1日 生效。" in head and "月度可用性目标 99.95% → 99.9%" in head
    assert "目标 99.95%" in page and "目标 99.9%<" not in page and "目标 99.9% " not in page
    assert "自 2026年12月1日 起为 99.9%" in page  # the objectives table says when it changes
    data = json.loads((chinese_site / "api" / "payments-api.json").read_text(encoding="utf-8"))
    agreement = data["agreement"]
    assert (agreement["version"], agreement["objectives"][0]["target"]) == (3, 99.95)
    assert [(u["version"], u["effective"]) for u in data["upcoming"]] == [(4, "2026-12-01")]
    search = json.loads((chinese_site / "search" / "search_index.json").read_text("utf-8"))
    assert any("第 4 版将于 2026年12月1日 生效" in d["text"] for d in search["docs"])
