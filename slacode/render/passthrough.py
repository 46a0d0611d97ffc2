"""Finished HTML blocks of the generated pages that a site builder need not parse.

Charts, day-by-day tables and period tables are complete HTML when they leave the
templates, yet Python-Markdown tokenises every tag of a raw HTML block (twice, with
MkDocs' own anchor scan) and the search plugin parses the page again to index it: on a
fleet of 200 services this was most of the site build. The templates therefore wrap
such blocks in :data:`OPEN` / :data:`CLOSE` comment lines. Any Markdown processor reads
them as ordinary raw HTML between two comments (``slacode render --out`` trees built
by another generator show the same page); the MkDocs plugin swaps each block for a
placeholder before Markdown (:func:`stash`) and puts it back once the search plugin has
indexed the page (:func:`restore`), so the block is shown as written but neither
reparsed nor indexed (its figures are in ``api/<id>.json`` and ``.csv`` for machines).

The rest of a generated page is headings and prose that is already HTML too (the
agreement's parties, scope, priorities...). Readers search for those words, so the
search plugin must see them, but Markdown has nothing to do with them either:
:func:`stash_html` sets aside each raw HTML block that Markdown would pass through
verbatim anyway, for the plugin to put back right after Markdown (:func:`restore` with
``prefix=PROSE``). Markdown then only builds the headings, their anchors and the table
of contents. Heading permalinks, which the search plugin parses only to skip them, are
set aside the same way while it indexes the page (:func:`stash_permalinks`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Comment lines around a finished HTML block, each alone between blank lines.
OPEN = "<!-- slacode:html -->"
CLOSE = "<!-- /slacode:html -->"

#: Placeholder prefixes: blocks kept from Markdown and search, prose kept from Markdown only.
STASH = "stash"
PROSE = "prose"

_OPEN = OPEN + "\n\n"
_CLOSE = "\n\n" + CLOSE


def block(html: str) -> str:
    """``html`` as a finished block: between the markers, each alone between blank lines,
    so that Markdown and search leave it as it is."""
    return f"{_OPEN}{html}{CLOSE}\n\n"
_PLACEHOLDER = {p: re.compile(rf"<!-- slacode:{p} (\d+) -->") for p in (STASH, PROSE)}

#: Tags that start a raw HTML block in Python-Markdown (``Markdown.block_level_elements``
#: less those whose content is not HTML: ``pre``, ``script``, ``style``, ``textarea``, ...).
_BLOCK_TAGS = frozenset(
    re.findall(
        r"\w+",
        "address article aside blockquote center details dd div dl dt fieldset figcaption "
        "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p section "
        "summary table tbody td tfoot th thead tr ul",
    )
)
#: Elements without an end tag (Python-Markdown does not push them on its stack).
_VOID = frozenset(
    re.findall(r"\w+", "area base br col embed hr img input link meta param source track wbr")
)
_TAG = re.compile(
    r"""<(/?)([A-Za-z][A-Za-z0-9:-]*)"""
    r"""(?:\s+[^\s"'<>/=`]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*(/?)>"""
    r"""|<!--.*?-->|<""",
    re.S,
)
#: What may not occur in a block set aside for Markdown: text that is not HTML, or that
#: an extension would read (``markdown="1"`` of ``md_in_html``).
_UNSAFE = re.compile(r"<(?:pre|script|style|textarea|title)\b|markdown=|<!\[|<\?|--8<--", re.I)
_STASHED = re.compile(rf"<!-- slacode:{STASH} \d+ -->")
_PROSE = re.compile(rf"<!-- slacode:{PROSE} \d+ -->")
_HEADING = re.compile(r"#{1,6}[ \t][^\n<]*")
_HEADING_HTML = re.compile(r"<h([1-6])[ >][^\n]*</h\1>")
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.M)
_PERMALINK = re.compile(r'<a class="headerlink"[^<>]*>[^<>]*</a>(?=</h[1-6]>)')
_ID = re.compile(r"""\sid=["']([^"']+)["']""")


def stash(markdown: str) -> tuple[str, list[str]]:
    """``markdown`` with each wrapped block replaced by a placeholder comment, and the blocks."""
    blocks: list[str] = []
    out: list[str] = []
    pos = 0
    start = markdown.find(_OPEN)
    while start != -1:
        body = start + len(_OPEN)
        if start and markdown[start - 1] != "\n":
            start = markdown.find(_OPEN, start + 1)
            continue
        end = markdown.find(_CLOSE, body)
        while end != -1:
            after = end + len(_CLOSE)
            if after == len(markdown) or markdown[after] == "\n":
                break
            end = markdown.find(_CLOSE, end + 1)
        if end == -1:
            break
        out.append(markdown[pos:start])
        out.append(f"<!-- slacode:{STASH} {len(blocks)} -->")
        blocks.append(markdown[body:end])
        pos = end + len(_CLOSE)
        start = markdown.find(_OPEN, pos)
    if not blocks:
        return markdown, blocks
    out.append(markdown[pos:])
    return "".join(out), blocks


def _verbatim(chunk: str) -> bool:
    """Whether Python-Markdown passes ``chunk`` (one block between blank lines) through as
    raw HTML, unchanged: each of its lines that Markdown's tag stack finds empty starts
    with a block-level tag, and the stack empties only at the end of a line."""
    if not chunk.startswith("<") or _UNSAFE.search(chunk):
        return False
    stack: list[str] = []
    expect = 0  # where the next top-level element must start
    for m in _TAG.finditer(chunk):
        closing, name, selfclosing = m.group(1), m.group(2), m.group(3)
        if name is None:
            if m.group(0) == "<" or not stack:  # a "<" that is no tag, a comment outside
                return False
            continue  # a comment inside the element
        name = name.lower()
        if not stack and (
            m.start() != expect or closing or name not in _BLOCK_TAGS or name in _VOID
        ):
            return False
        if closing:
            if name in stack:
                while stack and stack.pop() != name:
                    pass
                if not stack:
                    rest = chunk[m.end() :]
                    if not rest.strip(" \n"):
                        return True
                    if not rest.startswith("\n"):
                        return False  # text after the element on its line
                    expect = m.end() + 1
        elif not selfclosing and name not in _VOID:
            stack.append(name)
        elif not stack:
            return False
    return False


def stash_html(markdown: str) -> tuple[str, list[str]]:
    """``markdown`` with each run of raw HTML blocks that Markdown would copy unchanged
    (placeholders of :func:`stash` included) replaced by one ``prose`` placeholder, and
    the runs; unchanged when the page has fenced code."""
    if _FENCE.search(markdown):
        return markdown, []  # a fence may hold HTML that must stay code
    blocks: list[str] = []
    out: list[str] = []
    run: list[str] = []

    def flush(tail: str = "") -> None:
        if run:
            blocks.append("\n\n".join(run))
            out.append(f"<!-- slacode:{PROSE} {len(blocks) - 1} -->{tail}")
            run.clear()

    for chunk in markdown.split("\n\n"):
        if chunk.startswith("<") and (_STASHED.fullmatch(chunk) or _verbatim(chunk)):
            block = chunk.rstrip(" \n")
            run.append(block)
            if len(block) < len(chunk):  # the page's last line: the run ends here
                flush(chunk[len(block) :])
        else:
            flush()
            out.append(chunk)
    flush()
    return ("\n\n".join(out) if blocks else markdown), blocks


def split_headings(markdown: str) -> tuple[str, list[list[str]]] | None:
    """For a page left with nothing but one-line headings and ``prose`` placeholders, the
    headings alone and the placeholders before the first heading and after each; else
    ``None``. Markdown then has only the headings to convert (:func:`attach`)."""
    heads: list[str] = []
    tails: list[list[str]] = [[]]
    for chunk in markdown.strip("\n").split("\n\n"):
        if _PROSE.fullmatch(chunk):
            tails[-1].append(chunk)
        elif _HEADING.fullmatch(chunk):
            heads.append(chunk)
            tails.append([])
        else:
            return None
    return "\n\n".join(heads) + "\n", tails


def attach(html: str, tails: Sequence[Sequence[str]]) -> str | None:
    """The HTML Markdown makes of the whole page from the HTML of its headings alone and the
    placeholders :func:`split_headings` took away; ``None`` if ``html`` is not one heading
    element a line, one for each heading."""
    heads = html.split("\n") if html else []
    if len(heads) != len(tails) - 1 or not all(_HEADING_HTML.fullmatch(h) for h in heads):
        return None
    parts: list[str] = []
    for i, tail in enumerate(tails):
        if i:
            parts += (heads[i - 1], "\n")
        for placeholder in tail:
            parts += (placeholder, "\n\n")  # Markdown leaves a blank line after raw HTML
    return "".join(parts[:-1])


def stash_permalinks(html: str, blocks: list[str]) -> str:
    """``html`` with the permalink of each heading appended to ``blocks`` as a ``stash``
    placeholder: the search plugin skips them, once it has parsed them."""

    def keep(m: re.Match[str]) -> str:
        blocks.append(m.group(0))
        return f"<!-- slacode:{STASH} {len(blocks) - 1} -->"

    return _PERMALINK.sub(keep, html) if 'class="headerlink"' in html else html


def anchor_ids(blocks: Sequence[str]) -> set[str]:
    """The ``id`` attributes in ``blocks``, which MkDocs would have seen in the raw HTML."""
    return {m.group(1) for b in blocks if " id=" in b for m in _ID.finditer(b)}


def restore(html: str, blocks: Sequence[str], prefix: str = STASH) -> str:
    """``html`` with each placeholder left by :func:`stash` (or, with ``prefix=PROSE``,
    :func:`stash_html`) replaced by its block again."""
    if not blocks:
        return html

    def put(m: re.Match[str]) -> str:
        i = int(m.group(1))
        return blocks[i] if i < len(blocks) else m.group(0)

    return _PLACEHOLDER[prefix].sub(put, html)
