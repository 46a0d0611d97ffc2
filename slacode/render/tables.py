"""Tables that stack on a narrow screen without losing what each figure is.

On a phone a table of five columns is wider than the screen; scrolling it sideways hides
figures. ``slacode.css`` turns every table in a ``.slc-table-wrap`` into stacked rows below
a width, each cell introduced by its column's header, which it reads from the cell's
``data-label``. :func:`labelled` writes those labels into the generated HTML once, from
each table's own ``<thead>`` (minding ``rowspan`` and ``colspan``), so no template has to
repeat its headers and no label depends on JavaScript. The tables stay ``<table>``
elements with their headers (hidden from sight, not from screen readers, when stacked).
"""

from __future__ import annotations

import re

_TAG = re.compile(r"<(/?)(table|thead|tbody|tr|td|th)\b([^>]*)>", re.IGNORECASE)
_SPAN = re.compile(r'\b(rowspan|colspan)="(\d+)"')
_TEXT_TAG = re.compile(r"<[^>]*>")


def _header_text(html: str) -> str:
    """A header cell's words for an attribute: tags dropped, spaces collapsed (the cell's
    text is already escaped, and escaped text holds no ``"``)."""
    return " ".join(_TEXT_TAG.sub(" ", html).split())


def labelled(html: str) -> str:
    """``html`` with every body cell of every table given its column's header as
    ``data-label`` (tables without a ``<thead>`` are left as they are). Only the cells'
    opening tags change; text outside tables is left as it is."""
    out: list[str] = []
    pos = 0
    headers: list[str] = []
    in_head = False
    head_start = 0
    col = 0
    spans: dict[int, int] = {}  # column -> rows a rowspan cell above still covers
    depth = 0
    for m in _TAG.finditer(html):
        closing, name, attrs = m.group(1), m.group(2).lower(), m.group(3)
        out.append(html[pos:m.start()])
        pos = m.end()
        tag = m.group(0)
        if name == "table":
            depth += -1 if closing else 1
            if not closing and depth == 1:
                headers, spans = [], {}
        if depth == 0 and not (name == "table" and closing):
            out.append(tag)
            continue
        if closing:
            if name in ("td", "th") and in_head:
                headers.append(_header_text(html[head_start:m.start()]))
            if name == "thead":
                in_head = False
            out.append(tag)
            continue
        if name == "thead":
            in_head = True
        elif name == "tr":
            col = 0
            spans = {c: n - 1 for c, n in spans.items() if n > 1}
        elif name in ("td", "th"):
            if in_head:
                head_start = m.end()
            else:
                while col in spans:
                    col += 1
                found = dict(_SPAN.findall(attrs))
                width = int(found.get("colspan", 1))
                if int(found.get("rowspan", 1)) > 1:
                    for c in range(col, col + width):
                        spans[c] = int(found["rowspan"])
                if headers and col < len(headers) and "data-label=" not in attrs:
                    attrs += f' data-label="{headers[col]}"'
                col += width
        out.append(f"<{m.group(2)}{attrs}>")
    out.append(html[pos:])
    return "".join(out)
