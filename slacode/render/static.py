"""The stylesheet and script every slacode site needs, shipped inside the package.

The generated pages colour their status marks and inline charts from CSS variables
(``slacode.css``) and name Material's search dialog for screen readers
(``slacode.js``). They belong to the package, not to one repository's ``docs_dir``, so
that a site made with ``slacode init`` (or any ``plugins: [slacode]`` site) gets them
and an upgrade of slacode updates them. The plugin adds them to every build and to
``extra_css``/``extra_javascript``; ``slacode render --out`` writes them into its tree.
A file of the same name written by hand in ``docs_dir`` replaces the packaged one.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from slacode.problems import InstallError

#: site path -> file name under ``slacode/render/assets``
ASSETS = {
    "stylesheets/slacode.css": "slacode.css",
    "javascripts/slacode.js": "slacode.js",
}
STYLESHEETS = ("stylesheets/slacode.css",)
SCRIPTS = ("javascripts/slacode.js",)


@cache
def assets() -> dict[str, str]:
    """``{site path: text}`` of the packaged stylesheet and script."""
    folder = resources.files("slacode.render") / "assets"
    out = {}
    for path, name in ASSETS.items():
        try:
            out[path] = (folder / name).read_text(encoding="utf-8")
        except OSError as exc:
            raise InstallError(f"cannot read {folder / name}: {exc.strerror or exc}") from None
    return out
