"""A site folder is replaced whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from slacode.render.output import recover, replacing, write_tree


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_success_replaces_the_folder(tmp_path: Path) -> None:
    site = tmp_path / "public"
    write_tree({"index.html": "old", "gone.html": "x"}, site)
    with replacing(site) as tmp:
        write_tree({"index.html": "new"}, tmp)
    assert _tree(site) == {"index.html": b"new"}
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


def test_failure_leaves_the_previous_site_byte_for_byte(tmp_path: Path) -> None:
    site = tmp_path / "public"
    write_tree({"index.html": "old", "a/b.json": "{}"}, site)
    before = _tree(site)
    with pytest.raises(RuntimeError), replacing(site) as tmp:
        write_tree({"index.html": "half"}, tmp)
        raise RuntimeError("strict build failed")
    assert _tree(site) == before
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


def test_interrupted_swap_is_undone_and_leftovers_removed(tmp_path: Path) -> None:
    # killed between "site -> old" and "new -> site": the old site comes back
    old = tmp_path / ".public.old-x1"
    write_tree({"index.html": "old"}, old)
    write_tree({"index.html": "half"}, tmp_path / ".public.tmp-y2")
    recover(tmp_path / "public")
    assert _tree(tmp_path / "public") == {"index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_write_tree_refuses_paths_outside(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_tree({"../outside.md": "x"}, tmp_path / "out")
