"""The site-wide change history (``changes/``): every service's changes the audience may
see, latest first and grouped by month, each worded as its service page words it, with
its reason, pull request, service and a link to the version it made."""

from __future__ import annotations

import html
import re

import pytest
from gitrepo import Repo, sla

from slacode.history import history, versions
from slacode.load import load_text
from slacode.render import render

NOW = "2026-06-15T00:00:00Z"
PAY, WEB, AUTH = "slas/payments-api.yaml", "slas/status-web.yaml", "slas/auth.yaml"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    repo = Repo(tmp_path_factory.mktemp("changes") / "project")
    repo.commit("Add the payments agreement (#3)", {PAY: sla(effective="2026-01-01")},
                date="2026-01-05T09:00:00+00:00")
    repo.commit("Add the status page agreement (#4)",
                {WEB: sla(id="status-web", effective="2026-02-01").replace(
                    "name: Payments API", "name: Status <b>website</b>")},
                date="2026-01-20T09:00:00+00:00")
    repo.commit("Add the SECRET-AUTH sign-in agreement (#5)", {AUTH: sla(
        id="auth", effective="2026-02-01").replace("visibility: public", "visibility: internal")},
        date="2026-03-01T09:00:00+00:00")
    repo.commit("Raise payments availability to 99.95% from July (#7)",
                {PAY: sla(version=2, effective="2026-07-01", target=99.95)},
                date="2026-05-20T09:00:00+00:00")
    return repo


def _build(repo: Repo, audience: str = "public", language: str = "en") -> dict[str, str]:
    current = []
    for path in (PAY, WEB, AUTH):
        ag, problems = load_text((repo.path / path).read_text(encoding="utf-8"), path)
        assert ag is not None, problems
        current.append(ag)
    return render(current, (), now=NOW, audience=audience, language=language,
                  history=history(repo.path), versions=versions(repo.path),
                  repo_url="https://github.com/example/slas")


def _rows(page: str) -> list[str]:
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", r)).split())
            for r in re.findall(r"<tr data-service=.*?</tr>", page)]


def test_every_public_change_latest_first_by_month(project: Repo) -> None:
    page = _build(project)["changes.md"]
    assert re.findall(r"^## (.+)$", page, re.M) == ["May 2026", "January 2026"]
    rows = _rows(page)
    assert len(rows) == 3  # the internal agreement's change is not there
    raised, web, added = rows
    assert raised.startswith("20 May 2026 Payments API Version 2 takes effect 1 Jul 2026")
    assert "Why: Raise payments availability to 99.95% from July · pull request #7" in raised
    assert "target 99.9% → 99.95%" in raised
    assert web.startswith("20 Jan 2026 Status <b>website</b> Version 1")
    assert "<b>website</b>" not in page  # the name from YAML is text, not markup
    assert added.startswith("5 Jan 2026 Payments API Version 1")
    assert 'href="../services/payments-api/v2/"' in page
    assert 'href="../services/payments-api/"' in page
    assert '<a href="https://github.com/example/slas/pull/7"' in html.unescape(page)
    assert 'href="../feed.xml"' in page
    assert "SECRET-AUTH" not in page and "auth" not in re.findall(r'data-service="(\w+)"', page)


def test_the_internal_build_lists_internal_agreements_and_chinese_is_chinese(
        project: Repo) -> None:
    inside = _build(project, "internal")["changes.md"]
    assert "SECRET-AUTH" in inside and 'data-service="auth"' in inside
    zh = html.unescape(_build(project, language="zh")["changes.md"])
    assert "# 协议变更记录" in zh and "## 2026年5月" in zh
    assert "版本 2 将于 2026年7月1日 生效" in zh and "原因：Raise payments availability" in zh
    assert "Changes to our agreements" not in zh and "Merged" not in zh


def test_a_site_without_history_says_so(tmp_path) -> None:
    ag, _ = load_text(sla(), PAY)
    assert ag is not None
    page = render([ag], (), now=NOW)["changes.md"]
    assert "No recorded changes." in page and "<table" not in page


def test_a_chinese_site_names_past_versions_objectives_in_chinese(tmp_path) -> None:
    """A translation added to the current file is lent to the past versions whose English
    is the same: the version pages and the change rows name objectives in Chinese."""
    repo = Repo(tmp_path / "p")
    repo.commit("Add it (#1)", {PAY: sla(effective="2026-01-01", p3=False)},
                date="2026-01-05T09:00:00+00:00")
    repo.commit("Add a P3 objective (#2)", {PAY: sla(version=2, effective="2026-03-01").replace(
        "  - id: p3-resolution\n",
        "  - id: p3-resolution\n    name: {en: Resolving P3 tickets, zh: 解决 P3 工单}\n")},
        date="2026-02-05T09:00:00+00:00")
    ag, _ = load_text((repo.path / PAY).read_text(encoding="utf-8"), PAY)
    files = render([ag], (), now=NOW, language="zh", history=history(repo.path),
                   versions=versions(repo.path))
    assert "新增指标“解决 P3 工单”：目标 95%" in html.unescape(files["changes.md"])
    assert "解决 P3 工单" in files["services/payments-api/v2.md"]
