"""Untrusted text stays literal text through Markdown, HTML, XML and CSV."""

from __future__ import annotations

import html
import re

import markdown
import pytest

from slacode.render import escape

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "[click](javascript:alert(3))",
    "<javascript:alert(4)>",
    "**bold** _em_ `code`",
    'Title {: onclick="alert(5)" }',
    "a | b | c\n--- | --- | ---",
    "line one\n\n# heading\n\n- item",
    ":smile: ==mark== ^^ins^^ ~~del~~",
    '"><svg onload=alert(6)>',
    "&lt;script&gt; already encoded",
]
EXTENSIONS = ["toc", "tables", "admonition", "attr_list"]


def _md(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def _visible(html: str) -> str:
    import html as h

    return h.unescape(re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize("value", HOSTILE)
def test_inline_text_renders_literally_inside_html(value: str) -> None:
    for page in (f"<p>{escape.text(value)}</p>", f"Intro <span>{escape.text(value)}</span> end"):
        html = _md(page)
        assert "<script" not in html and "<img" not in html and "<svg" not in html
        assert "onerror=" not in html.replace("&quot;", "") or "onerror" in _visible(html)
        assert not re.search(r"<a\s", html), html
        assert "<strong>" not in html and "<em>" not in html and "<code>" not in html
        assert (
            "<h1" not in html
            and "<table" not in html
            and "onclick" not in re.sub(r">[^<]*<", "><", html)
        )
        assert " ".join(value.split()) in " ".join(_visible(html).split())


@pytest.mark.parametrize("value", HOSTILE)
def test_block_text_keeps_paragraphs_and_stays_literal(value: str) -> None:
    html = _md(f"<div>{escape.block(value)}</div>")
    assert "<script" not in html and "<h1" not in html and "<li" not in html
    for para in value.split("\n\n"):
        assert " ".join(para.split()) in " ".join(_visible(html).split())


def test_attribute_values_cannot_break_out() -> None:
    html = _md(f'<div title="{escape.text(HOSTILE[9])}">x</div>')
    assert html.count("<svg") == 0
    import html as h

    title = re.search(r'title="([^"]*)"', html)
    assert title and h.unescape(title.group(1)) == HOSTILE[9]


@pytest.mark.parametrize(
    "href, expected",
    [
        ("https://example.com/sla", "https&#58;//example.com/sla"),
        ("mailto:sla@example.com", "mailto&#58;sla&#64;example.com"),
        ("sla@example.com", "mailto&#58;sla&#64;example.com"),
        ("javascript:alert(1)", ""),
        ("JaVaScRiPt:alert(1)", ""),
        ("data:text/html,<script>", ""),
        ("//evil.example", ""),
        ("https://example.com/a b", ""),
    ],
)
def test_only_plain_web_and_mail_links(href: str, expected: str) -> None:
    assert escape.url(href) == expected


def test_titles_never_open_a_tag_even_after_striptags() -> None:
    from markupsafe import Markup

    t = escape.title("</title><script>alert(1)</script> & co")
    assert "<" not in t and ">" not in t
    assert "<" not in Markup(t).striptags()  # what Material does for <title>


def test_xml_and_csv() -> None:
    assert escape.xml("<a & 'b'>\x00") == "&lt;a &amp; &#39;b&#39;&gt;"
    assert escape.csv_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert escape.csv_cell("-12.5") == "-12.5"
    assert escape.csv_cell("@SUM(A1)") == "'@SUM(A1)"


@pytest.mark.parametrize("bad", ["../etc", "a/b", "", ".hidden", "a..b", "x" * 200])
def test_ids_that_would_leave_the_output_folder_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        escape.segment(bad)


@pytest.mark.parametrize("value", HOSTILE)
def test_headings_stay_text_in_the_table_of_contents(value: str) -> None:
    # the theme decodes a heading's text for its table of contents, and its tooltips put
    # that text back into the page as HTML: no tag may come out of it
    md = markdown.Markdown(extensions=EXTENSIONS)
    md.convert(f"## {escape.heading(value)}\n")
    names = [t["name"] for t in md.toc_tokens]
    assert names and all("<" not in html.unescape(n) for n in names)
