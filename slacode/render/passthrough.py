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
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Comment lines around a finished HTML block, each alone between blank lines.
OPEN = "<!-- slacode:html -->"
CLOSE = "<!-- /slacode:html -->"

_BLOCK = re.compile(r"^<!-- slacode:html -->\n\n(.*?)\n\n<!-- /slacode:html -->$", re.M | re.S)
_PLACEHOLDER = re.compile(r"<!-- slacode:stash (\d+) -->")


def stash(markdown: str) -> tuple[str, list[str]]:
    """``markdown`` with each wrapped block replaced by a placeholder comment, and the blocks."""
    blocks: list[str] = []

    def keep(m: re.Match[str]) -> str:
        blocks.append(m.group(1))
        return f"<!-- slacode:stash {len(blocks) - 1} -->"

    return _BLOCK.sub(keep, markdown), blocks


def restore(html: str, blocks: Sequence[str]) -> str:
    """``html`` with each placeholder left by :func:`stash` replaced by its block again."""
    if not blocks:
        return html

    def put(m: re.Match[str]) -> str:
        i = int(m.group(1))
        return blocks[i] if i < len(blocks) else m.group(0)

    return _PLACEHOLDER.sub(put, html)
