"""``slacode init``: a new repository of agreements that uses slacode as a package.

Adopting slacode should not mean forking it: the tool comes from ``pip install slacode``
and the reusable action, the agreements live in a repository of their own. The files
of that repository are the tree under ``template/`` (names starting ``dot-`` are
written with a ``.``: package data keeps no hidden files), with a few words filled in
(``@@VERSION@@`` and the like) so that the hook, the action and the editor's schema all
name the version that wrote them. ``.github/CODEOWNERS`` is made from the example's
owners by :func:`slacode.cli.codeowners.render`, as ``slacode codeowners`` would.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from slacode import __version__
from slacode.problems import InstallError, SlacodeError

#: this project on GitHub (``owner/name``): the pre-commit hook and the action come from it
REPOSITORY = "slacode/slacode"
#: the example's ``mkdocs.yml`` pins ``now`` here, in the last day of the sample data
#: (which ends 2026-04-01): February is closed (missed), March still open
SAMPLE_NOW = "2026-03-31T20:00:00Z"
#: entries a folder may hold and still count as empty (``git init`` first is common)
IGNORED = frozenset({".git"})


def substitutions() -> dict[str, str]:
    """The words filled into the template, for this version of slacode."""
    from slacode.load.schema import schema_version

    tag = f"v{__version__}"
    return {
        "@@SCHEMA_VERSION@@": str(schema_version()),
        "@@VERSION@@": __version__,
        "@@REPOSITORY_URL@@": f"https://github.com/{REPOSITORY}",
        "@@ACTION@@": f"{REPOSITORY}@{tag}",
        "@@SCHEMA_URL@@": (f"https://raw.githubusercontent.com/{REPOSITORY}/{tag}"
                           "/schemas/sla.schema.json"),
        "@@NOW@@": SAMPLE_NOW,
    }


def template() -> dict[str, str]:
    """``{path in the new repository: text}``, words filled in."""
    root = resources.files("slacode.init") / "template"
    if not root.is_dir():
        raise InstallError(f"{root} missing")
    words = substitutions()
    files: dict[str, str] = {}

    def walk(node: Traversable, parts: tuple[str, ...]) -> None:
        for child in node.iterdir():
            name = "." + child.name[4:] if child.name.startswith("dot-") else child.name
            if child.is_dir():
                walk(child, (*parts, name))
            elif not name.endswith((".pyc", ".pyo")):
                try:
                    text = child.read_text(encoding="utf-8")
                except OSError as exc:
                    raise InstallError(f"cannot read {child}: {exc.strerror or exc}") from None
                for key, value in words.items():
                    text = text.replace(key, value)
                files["/".join((*parts, name))] = text

    walk(root, ())
    return dict(sorted(files.items()))


def write_project(target: Path, *, force: bool = False) -> list[str]:
    """Write a new repository of agreements into ``target``; returns the paths written.

    Refuses a folder that holds anything but ``.git`` unless ``force``: then files of
    the same names are replaced and every other file is left as it is."""
    from slacode.cli.codeowners import render as codeowners
    from slacode.load import load_agreements
    from slacode.render.output import write_tree

    if target.exists() and not target.is_dir():
        raise SlacodeError(f"{target} is a file, not a folder")
    if target.is_dir() and not force:
        there = sorted(p.name for p in target.iterdir() if p.name not in IGNORED)
        if there:
            raise SlacodeError(f"{target} is not empty (it holds {there[0]}"
                               f"{f' and {len(there) - 1} more' if len(there) > 1 else ''}); "
                               "choose a new folder, or use --force to write the new files "
                               "into it (files of the same name are replaced)")
    files = template()
    target.mkdir(parents=True, exist_ok=True)
    write_tree(files, target)
    loaded = load_agreements([target / "slas"], root=target)
    if not loaded.ok:  # the template is ours: this is a broken installation
        raise InstallError(f"the example agreement does not load: {loaded.problems[0]}")
    owners = ".github/CODEOWNERS"
    write_tree({owners: codeowners(loaded.agreements)}, target)
    return sorted([*files, owners])
