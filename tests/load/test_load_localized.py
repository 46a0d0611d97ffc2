"""Free text per language (``name: {en: ..., zh: ...}``): the plain fields hold English,
a Chinese site shows Chinese, and a language the site is not built in is an error at its
line and column."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from load_helpers import ROOT

from slacode.load import load_agreements
from slacode.model import localized


def _one(tmp_path: Path, text: str):
    (tmp_path / "slas").mkdir(exist_ok=True)
    path = tmp_path / "slas" / "svc.yaml"
    path.write_text(text, encoding="utf-8")
    return load_agreements([path], root=tmp_path, today=date(2026, 11, 26))


def _sample(name_line: str) -> str:
    text = (ROOT / "slas" / "status-web.yaml").read_text(encoding="utf-8")
    return "\n".join(name_line if line.startswith("name:") else line
                     for line in text.splitlines()) + "\n"


def test_a_chinese_site_takes_the_chinese_text_and_falls_back_to_english(
    tmp_path: Path
) -> None:
    result = _one(tmp_path, _sample('name: {en: "Status website", zh: "状态网站"}'))
    assert result.ok, [str(p) for p in result.problems]
    (a,) = result.agreements
    assert a.name == "Status website"  # ids, files and English pages keep the plain text
    zh = localized(a, "zh")
    assert zh.name == "状态网站"
    assert zh.objective("availability").name == "月度可用性"
    # text without Chinese keeps its own (English) words
    assert [o.description for o in zh.objectives] == [o.description for o in a.objectives]
    assert zh.description == a.description
    assert localized(a, "en") is a


def test_the_demo_agreements_are_named_in_chinese() -> None:
    result = load_agreements([ROOT / "slas"], root=ROOT, today=date(2026, 11, 26))
    desk = next(a for a in result.agreements if a.id == "support-desk")
    zh = localized(desk, "zh")
    assert zh.name == "客户支持服务台（中国）" and desk.name == "Customer Support Desk (China)"
    assert zh.objective("p4-resolution").name == "P4 解决"
    assert "服务台" in zh.description
    # text per language is not a promise: versions differing only in it compare equal
    assert replace(desk, translations=()) == desk


def test_a_language_the_site_is_not_built_in_is_an_error_at_its_line(tmp_path: Path) -> None:
    result = _one(tmp_path, _sample('name: {en: "Status website", fr: "Site de statut"}'))
    assert not result.ok
    (problem,) = [p for p in result.problems if p.severity == "error"]
    assert (problem.line, problem.col) == (3, 30)  # at the "fr" key
    assert "fr" in problem.message
    # ...and English is required: a page in English must have words
    result = _one(tmp_path, _sample('name: {zh: "状态网站"}'))
    assert not result.ok and any("en" in p.message for p in result.problems)


def test_a_past_version_says_the_translations_the_agreement_gives_now() -> None:
    # the version in force was written before the Chinese was added: same English, same
    # Chinese; an English text that changed since keeps its own words
    result = load_agreements([ROOT / "slas"], root=ROOT, today=date(2026, 11, 26))
    desk = next(a for a in result.agreements if a.id == "support-desk")
    past = replace(desk, version=desk.version - 1, translations=(),
                   description="Another description")
    zh = localized(past, "zh", latest=desk)
    assert zh.name == "客户支持服务台（中国）"
    assert zh.objective("p1-response").name == "P1 首次响应"
    assert zh.description == "Another description"
