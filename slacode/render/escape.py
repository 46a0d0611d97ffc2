"""The one escaping helper: every string from YAML or from a data source passes here.

Generated pages are Markdown that MkDocs turns into HTML, and Python-Markdown passes
raw HTML through untouched while still reading Markdown syntax inside inline HTML.
So untrusted text is emitted inside HTML elements and encoded as character
references both for HTML (``<``, ``&``, quotes) and for the Markdown and extension
syntax that could act on it (emphasis, links, ``attr_list`` braces, emoji and
autolink colons, table pipes). Browsers and the search indexer decode the references
back to the literal characters, so readers see exactly what the YAML said.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

# C0 controls (but tab and newline) and other characters XML 1.0 forbids.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Characters with a meaning in HTML, in inline Markdown or in the extensions we use.
_SPECIAL = {c: f"&#{ord(c)};" for c in "&<>\"'`\\*_{}[]()!|~=^:#+@$"}
_TABLE = str.maketrans(_SPECIAL)  # str.translate: one C pass, no regex callback per match
# text() in one pass for text without carriage returns: controls dropped, newlines made
# spaces, specials encoded. Most strings on a fleet's pages (dates, figures, ids) need
# none of it, and one regex search tells so several times faster than translating.
_TEXT = str.maketrans(
    {c: None for c in map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])}
    | {"\ufffe": None, "\uffff": None, "\n": " "}
    | _SPECIAL
)
_NEEDS_TEXT = re.compile(r"[\x00-\x1f\x7f\ufffe\uffff" + re.escape("".join(_SPECIAL)) + "]")
_SAFE_SCHEMES = ("http", "https", "mailto")


# what clean() changes: one search tells that most strings (figures, dates, ids) need none
_NEEDS_CLEAN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\r]")


def clean(value: Any) -> str:
    """``value`` as text without the control characters that break XML and terminals."""
    if value is None:
        return ""
    s = str(value)
    if _NEEDS_CLEAN.search(s) is None:
        return s
    return _CONTROL.sub("", s).replace("\r\n", "\n").replace("\r", "\n")


def text(value: Any) -> str:
    """Inline text for HTML element content or a quoted attribute inside generated Markdown.

    Newlines become spaces so that the text can never start a Markdown block.
    """
    s = "" if value is None else str(value)
    if _NEEDS_TEXT.search(s) is None:
        return s
    if "\r" in s:  # rare: clean() first turns CR LF and CR into one newline
        return clean(s).replace("\n", " ").translate(_TABLE)
    return s.translate(_TEXT)


def block(value: Any) -> str:
    """Multi-paragraph text: one ``<p>`` per blank-line separated paragraph."""
    paras = [p.strip() for p in re.split(r"\n\s*\n", clean(value)) if p.strip()]
    return "".join(f"<p>{text(p)}</p>" for p in paras)


def heading(value: Any) -> str:
    """Text for a Markdown heading built from YAML below the page title.

    Such a heading becomes a table-of-contents entry, whose text the theme decodes and
    its tooltips put back into the page as HTML; angle brackets therefore become the
    same look-alike quotation marks as in :func:`title`. (The page's own ``#`` heading
    is left out of the theme's table of contents and keeps the name as written.)
    """
    s = "" if value is None else str(value)
    return text(s.replace("<", "\u2039").replace(">", "\u203a"))


# What a YAML document may not hold (YAML 1.1 "printable", as PyYAML and so MkDocs read it)
_NOT_YAML = re.compile(r"[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def title(value: Any) -> str:
    """A page title for front matter and navigation.

    Themes print titles unescaped in some places and through ``striptags`` (which
    decodes references) in ``<title>``; angle brackets therefore become look-alike
    quotation marks so that neither path can open a tag. Characters YAML cannot hold
    (C1 controls, lone surrogates) are dropped: front matter that does not parse is
    left in the page as Markdown, where the name's ``![i](x){: onerror=...}`` or
    ``[x](javascript:...)`` would become live HTML.
    """
    s = " ".join(_NOT_YAML.sub("", clean(value)).split())
    s = s.replace("<", "\u2039").replace(">", "\u203a")
    return s.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&#39;")


def yaml_str(value: Any) -> str:
    """A double-quoted YAML scalar (front matter) holding :func:`title` of ``value``."""
    s = title(value).replace("\\", "\\\\")
    return f'"{s}"'


def url(value: Any) -> str:
    """An href for a contact or link, or ``""`` when it is not plainly http(s) or mailto.

    Bare e-mail addresses become ``mailto:`` links; ``javascript:`` and every other
    scheme are refused, so callers fall back to showing the text.
    """
    s = clean(value).strip()
    if not s or any(c.isspace() for c in s):
        return ""
    if re.fullmatch(r"[^@\s:/<>\"']+@[^@\s:/<>\"']+\.[A-Za-z]{2,}", s):
        return text("mailto:" + s)
    parts = urlsplit(s)
    if parts.scheme.lower() not in _SAFE_SCHEMES:
        return ""
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return ""
    return text(s)


def xml(value: Any) -> str:
    """Text for standalone XML (Atom feed, SVG badge files), where Markdown plays no part."""
    return (
        clean(value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def csv_cell(value: Any) -> str:
    """A CSV field that spreadsheets will not run as a formula."""
    s = clean(value)
    if s and s[0] in "=+-@\t" and not _is_number(s):
        return "'" + s
    return s


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def segment(value: str) -> str:
    """An id used as a file name or URL segment; refuses anything that could leave its folder."""
    if not _SEGMENT.match(value) or ".." in value:
        raise ValueError(f"unsafe id for a file name: {value!r}")
    return value
