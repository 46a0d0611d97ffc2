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


def test_a_title_yaml_cannot_hold_never_leaves_its_front_matter_in_the_page() -> None:
    # front matter that does not parse stays in the page as Markdown: a name with a C1
    # control ("\x9b", written as an escape in the agreement's YAML) made the name's
    # image and link live HTML on the service page
    from mkdocs.utils.meta import get_data

    name = "Pay\x9b\x80 ![i](x){: onerror=alert(1) } [x](javascript:alert(2)) \ud800"
    body, meta = get_data(f"---\ntitle: {escape.yaml_str(name)}\n---\n\n# Page\n")
    assert meta["title"] == "Pay ![i](x){: onerror=alert(1) } [x](javascript:alert(2))"
    assert body == "# Page\n"
    assert "onerror" not in _md(body) and "javascript" not in _md(body)


def test_every_character_either_stays_in_the_title_or_is_dropped() -> None:
    import yaml

    chars = [chr(c) for c in range(0x110000)]
    for i in range(0, len(chars), 4096):
        value = "".join(chars[i:i + 4096])
        parsed = yaml.safe_load(f"title: {escape.yaml_str(value)}\n")["title"]
        assert "<" not in parsed and ">" not in parsed
        assert html.unescape(parsed) == html.unescape(escape.title(value))


def test_a_service_page_named_with_a_c1_control_keeps_its_title_and_no_live_html() -> None:
    from dataclasses import replace

    import render_sample as sample
    from mkdocs.utils.meta import get_data

    from slacode.render import render

    name = "Pay\x9b ![i](x){: onerror=alert(1) } [x](javascript:alert(2))"
    pay, *rest = sample.agreements()
    files = render([replace(pay, name=name), *rest], sample.results(), now=sample.NOW)
    body, meta = get_data(files["services/payments-api.md"])  # as MkDocs reads the page
    assert meta["title"] == "Pay ![i](x){: onerror=alert(1) } [x](javascript:alert(2))"
    out = _md(body)
    assert "onerror=" not in out and 'href="javascript' not in out
