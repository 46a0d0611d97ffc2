"""The change history as a reader sees it, from a real git repository rendered as a build
pinned to a "now": words instead of "version 3 → 4", the reason and its pull request,
where the history starts, nothing dated after now, and each version's full text on a
page of its own, filtered for the audience like the service page."""

from __future__ import annotations

import html
import re

import pytest
from gitrepo import Repo, sla

from slacode.history import history, versions
from slacode.load import load_text
from slacode.render import render

PATH = "slas/payments-api.yaml"
NOW = "2026-06-15T00:00:00Z"
NOTE = "internal_notes: SECRET-NOTE-41c2\n"
VP = "escalation:\n  - {level: 1, name: VP Engineering, contact: vp-eng@example.com}\n"


def _v(version: int, effective: str, **kw: object) -> str:
    text = sla(version=version, effective=effective, **kw)  # type: ignore[arg-type]
    text = text.replace("  - id: p3-resolution\n", "  - id: p3-resolution\n"
                        "    name: Resolving P3 tickets\n")
    return text + NOTE + VP


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """Versions 3 (the first in git), 4 (a PR merged with a merge commit), 4 edited,
    5 (squash-merged, effective after now) and 6 committed after now."""
    repo = Repo(tmp_path_factory.mktemp("page") / "project")
    repo.commit("Import the payments agreement", {PATH: _v(3, "2026-01-01")},
                date="2026-01-05T09:00:00+00:00")
    repo.git("checkout", "-q", "-b", "raise")
    repo.commit("wip", {PATH: _v(4, "2026-03-01", target=99.95, p3=False)},
                date="2026-02-10T10:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "raise", "-m", "Merge pull request #12 from bob/raise",
             "-m", "Raise availability <b>to</b> 99.95", date="2026-02-12T10:00:00+00:00")
    repo.commit("Describe the webhooks", {PATH: _v(4, "2026-03-01", target=99.95, p3=False,
                                                   scope=("REST API", "Webhooks (signed)"))},
                date="2026-03-02T10:00:00+00:00")
    repo.commit("Longer P1 response at night (#15)", {PATH: _v(
        5, "2026-07-01", target=99.95, p3=False, scope=("REST API", "Webhooks (signed)"),
        p1_response="30m")}, date="2026-06-01T10:00:00+00:00")
    repo.commit("Add a P3 objective again", {PATH: _v(
        6, "2026-08-01", target=99.95, scope=("REST API", "Webhooks (signed)"),
        p1_response="30m")}, date="2026-06-20T10:00:00+00:00")  # after now
    return repo


def _build(repo: Repo, audience: str = "public", raw: bool = False,
           **kw: object) -> dict[str, str]:
    text = (repo.path / PATH).read_text(encoding="utf-8")
    ag, problems = load_text(text, PATH)
    assert ag is not None, problems
    files = render([ag], (), now=NOW, audience=audience, history=history(repo.path),
                   versions=versions(repo.path), **kw)  # type: ignore[arg-type]
    return files if raw else {k: html.unescape(v) for k, v in files.items()}


def _history(page: str) -> str:
    start = page.index('<table data-table="history">')
    return page[start:page.index("<!-- /slacode:html -->", start)]


def _rows(page: str) -> list[str]:
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in
            re.findall(r'<tr data-commit=.*?</tr>', _history(page))]


def test_rows_say_version_date_reason_and_changes_in_words(project: Repo) -> None:
    files = _build(project, repo_url="https://github.com/example/slas")
    rows = _rows(files["services/payments-api.md"])
    assert len(rows) == 5
    six, five, edit, four, three = rows
    assert "after 15 Jun 2026" in six and "Version 6 takes effect 1 Aug 2026" in six
    assert "1 Jun 2026" in five and "Version 5 takes effect 1 Jul 2026" in five
    assert "Why: Longer P1 response at night" in five and "(#15)" not in five
    assert "Version 4 edited" in edit and "Why: Describe the webhooks" in edit
    assert "Version 4 took effect 1 Mar 2026" in four
    # the pull request's title, not its branch commit's "wip"; escaped, and linked
    assert "Why: Raise availability to 99.95" in four and "wip" not in four
    assert "version 3 → 4" not in four and "→ 1 Mar 2026" not in four
    assert ("Version 3 (effective 1 Jan 2026) is the first version in this repository's "
            "history; earlier versions were agreed before it") in three
    page = files["services/payments-api.md"]
    assert '<a href="https://github.com/example/slas/pull/12" rel="nofollow noopener">' \
           "pull request #12</a>" in page
    raw = _build(project, raw=True)["services/payments-api.md"]
    assert "<b>" not in raw and "&#60;b&#62;to&#60;/b&#62;" in raw  # text, not markup
    # objectives by name, not id: v4 removed the P3 one, v6 adds it back
    assert "objective Resolving P3 tickets removed" in four
    assert "new objective: Resolving P3 tickets, target 95%" in six
    assert "p3-resolution" not in six + four
    # nothing on the history is dated after now, and the rows after it are explained
    # (each row's date as its <time> gives it to machines)
    dates = re.findall(r'<time datetime="(2026-\d\d-\d\d)">',
                       _history(files["services/payments-api.md"]))
    assert len(dates) == 5 and max(dates) <= "2026-06-15"
    assert "merged after the time this page describes (15 Jun 2026, 00:00 UTC)" in page


def test_each_version_has_a_read_only_page_filtered_for_the_audience(project: Repo) -> None:
    public = _build(project)
    pages = sorted(p for p in public if re.fullmatch(r"services/payments-api/v\d+\.md", p))
    assert pages == [f"services/payments-api/v{n}.md" for n in (3, 4, 5, 6)]
    v3 = public["services/payments-api/v3.md"]
    assert "A past version: in force from 1 Jan 2026 to 28 Feb 2026, replaced by version 4." in v3
    assert "99.9%" in v3 and "P3" in v3  # its own targets and objectives
    assert "The version in force: effective 1 Mar 2026." in public["services/payments-api/v4.md"]
    assert "merged for later: it takes effect 1 Jul 2026" in public["services/payments-api/v5.md"]
    assert 'All versions: <a href="../v3/">Version 3</a> · <strong>Version 4</strong> · ' \
        '<a href="../v5/">Version 5</a>' in public["services/payments-api/v4.md"]
    history_ = _history(public["services/payments-api.md"])
    assert all(f'href="v{n}/"' in history_ for n in (3, 4, 5, 6))
    for text in public.values():  # internal notes and private contacts stay out
        assert "SECRET-NOTE-41c2" not in text and "vp-eng@example.com" not in text
    assert "VP Engineering" in v3
    inside = _build(project, "internal")["services/payments-api/v3.md"]
    assert "SECRET-NOTE-41c2" in inside and "vp-eng@example.com" in inside


def test_a_version_outside_the_audience_has_no_page(tmp_path) -> None:
    repo = Repo(tmp_path / "p")
    repo.commit("Internal draft", {PATH: _v(1, "2026-01-01").replace(
        "visibility: public", "visibility: internal")}, date="2026-01-05T09:00:00+00:00")
    repo.commit("Publish it", {PATH: _v(2, "2026-02-01")}, date="2026-01-20T09:00:00+00:00")
    public = _build(repo)
    assert "services/payments-api/v2.md" in public
    assert "services/payments-api/v1.md" not in public
    rows = _rows(public["services/payments-api.md"])
    assert len(rows) == 1 and "Version 2 published (effective 1 Feb 2026)" in rows[0]
    assert "services/payments-api/v1.md" in _build(repo, "internal")


def test_pull_request_links_and_the_repo_url_setting(tmp_path) -> None:
    from slacode.config import settings_from_mapping
    from slacode.problems import SlacodeError
    from slacode.render.service_page.history import pr_url

    assert pr_url("https://github.com/example/slas.git", 12) == \
        "https://github.com/example/slas/pull/12"
    assert pr_url("https://gitlab.example.com/cloud/slas/", 7) == \
        "https://gitlab.example.com/cloud/slas/-/merge_requests/7"
    assert pr_url("javascript:alert(1)", 1) == "" and pr_url("", 1) == ""
    assert settings_from_mapping({"repo_url": "https://github.com/x/y"}, tmp_path).repo_url
    with pytest.raises(SlacodeError, match="option 'repo_url' must be an http"):
        settings_from_mapping({"repo_url": "ftp://example.com/x"}, tmp_path)
