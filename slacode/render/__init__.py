"""Stage 5: render agreements and results into a docs tree (Markdown, JSON, CSV, SVG, Atom).

Knows nothing of MkDocs: :func:`render` returns ``{relative path: content}``; the
MkDocs plugin (``slacode.plugin``) and ``slacode render --out DIR`` both use it.
Every string from YAML or from a data source passes :mod:`slacode.render.escape`.
"""

from __future__ import annotations
