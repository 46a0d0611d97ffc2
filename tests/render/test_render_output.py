"""A site folder is replaced whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from slacode.problems import SlacodeError
from slacode.render.output import MARKER, recover, replacing, write_tree


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_success_replaces_the_folder(tmp_path: Path) -> None:
    site = tmp_path / "public"
    write_tree({"index.html": "old", "gone.html": "x", MARKER: ""}, site)
    with replacing(site) as tmp:
        write_tree({"index.html": "new"}, tmp)
    assert _tree(site).keys() == {"index.html", MARKER}
    assert _tree(site)["index.html"] == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["public"]
    with replacing(site) as tmp:  # its own output is replaced again, night after night
        write_tree({"index.html": "newer"}, tmp)
    assert _tree(site)["index.html"] == b"newer"


@pytest.mark.parametrize("inside", [
    {"mkdocs.yml": "", "slas/a.yaml": ""},  # a project
    {"docs/index.md": "", "zensical.yml": ""},  # hand-written pages beside a site
    {"notes.txt": "mine"},  # anything else somebody keeps there
])
def test_a_folder_slacode_did_not_write_is_never_replaced(tmp_path: Path, inside) -> None:
    folder = tmp_path / "out"
    write_tree(inside, folder)
    before = _tree(folder)
    refused = pytest.raises(SlacodeError, match="refusing to replace a folder slacode did not")
    with refused, replacing(folder) as tmp:
        write_tree({"index.html": "new"}, tmp)
    assert _tree(folder) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_the_current_folder_is_never_replaced(tmp_path: Path, monkeypatch) -> None:
    project = tmp_path / "project"
    write_tree({MARKER: "", "index.html": ""}, project / "sub")
    monkeypatch.chdir(project / "sub")
    for target in (Path("."), Path(".."), project / "sub"):
        with pytest.raises(SlacodeError, match="the folder you are in"), replacing(target):
            pass
    assert (project / "sub" / "index.html").exists()


def test_a_site_built_before_outputs_were_marked_is_still_replaced(tmp_path: Path) -> None:
    site = tmp_path / "public"
    write_tree({"index.html": "old", "sitemap.xml": "", "assets/x.css": ""}, site)
    with replacing(site) as tmp:
        write_tree({"index.html": "new"}, tmp)
    assert _tree(site) == {"index.html": b"new", MARKER: _tree(site)[MARKER]}


def test_failure_leaves_the_previous_site_byte_for_byte(tmp_path: Path) -> None:
    site = tmp_path / "public"
    write_tree({"index.html": "old", "a/b.json": "{}", MARKER: ""}, site)
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


def test_render_into_the_project_stops_before_any_work(tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from slacode.cli import cli

    write_tree({"mkdocs.yml": "site_name: x\n", "slas/a.yaml": "id: a\n"}, tmp_path)
    before = _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    for out in (".", str(tmp_path)):
        r = CliRunner().invoke(cli, ["render", "--out", out])
        assert isinstance(r.exception, SlacodeError)  # main() prints it as one line, exit 1
        assert "refusing to replace the folder you are in" in str(r.exception)
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("relative", [False, True])
def test_a_symlinked_site_folder_stays_a_link_and_its_target_is_replaced(
        tmp_path: Path, relative: bool) -> None:
    """site/public -> /srv/www (the folder a web server serves): the link stays, and the
    served folder gets the new site, not a folder put where the link was."""
    served = tmp_path / "srv" / "www"
    write_tree({"index.html": "old", "gone.html": "x", MARKER: ""}, served)
    link = tmp_path / "site" / "public"
    link.parent.mkdir()
    pointed = Path("../srv/www") if relative else served
    link.symlink_to(pointed, target_is_directory=True)
    with replacing(link) as tmp:
        write_tree({"index.html": "new"}, tmp)
    assert link.is_symlink() and Path(os.readlink(link)) == pointed
    assert _tree(served).keys() == {"index.html", MARKER}
    assert _tree(served)["index.html"] == b"new"
    assert _tree(link)["index.html"] == b"new"  # what the link serves
    assert sorted(p.name for p in (tmp_path / "srv").iterdir()) == ["www"]
    assert sorted(p.name for p in link.parent.iterdir()) == ["public"]


def test_a_link_to_a_folder_not_yet_made_gets_the_site_there(tmp_path: Path) -> None:
    link = tmp_path / "public"
    link.symlink_to(tmp_path / "srv" / "www")
    with replacing(link) as tmp:
        write_tree({"index.html": "new"}, tmp)
    assert link.is_symlink()
    assert (tmp_path / "srv" / "www" / "index.html").read_text() == "new"


def test_a_link_to_a_folder_slacode_did_not_write_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write_tree({"mkdocs.yml": "", "slas/a.yaml": ""}, project)
    before = _tree(project)
    link = tmp_path / "public"
    link.symlink_to(project)
    with pytest.raises(SlacodeError, match="refusing to replace a folder slacode did not"), \
            replacing(link) as tmp:
        write_tree({"index.html": "new"}, tmp)
    assert link.is_symlink() and _tree(project) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "public"]


def _never_wait(what: str) -> None:
    raise AssertionError(f"waited: {what}")


def test_builds_of_folders_side_by_side_run_at_once(tmp_path: Path) -> None:
    """site/public and site/internal of one ``--audience all`` build: neither waits for
    the other, and each is published whole."""
    with replacing(tmp_path / "public", on_wait=_never_wait) as a, \
            replacing(tmp_path / "internal", on_wait=_never_wait) as b:
        write_tree({"index.html": "public"}, a)
        write_tree({"index.html": "internal"}, b)
    assert _tree(tmp_path / "public")["index.html"] == b"public"
    assert _tree(tmp_path / "internal")["index.html"] == b"internal"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["internal", "public"]


def test_a_second_build_of_the_same_folder_waits_until_the_first_has_published(
        tmp_path: Path) -> None:
    import threading

    site = tmp_path / "public"
    said: list[str] = []
    waiting = threading.Event()
    second_wrote: list[bytes] = []

    def second() -> None:
        with replacing(site, on_wait=lambda text: (said.append(text), waiting.set())) as tmp:
            second_wrote.append(_tree(site)["index.html"])  # the first one's, published
            write_tree({"index.html": "second"}, tmp)

    with replacing(site) as tmp:
        write_tree({"index.html": "first"}, tmp)
        other = threading.Thread(target=second)
        other.start()
        assert waiting.wait(timeout=60)
        recover(site)  # another build's clean-up leaves a live build's folder alone
        assert tmp.is_dir() and not site.exists()
    other.join()
    assert said == [f"another build is publishing to {site}; waiting for it to finish"]
    assert second_wrote == [b"first"]
    assert _tree(site)["index.html"] == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


def test_a_forked_child_does_not_hold_up_a_build_waiting_for_its_parent(
        tmp_path: Path) -> None:
    """``--audience all`` forks its workers in the middle of the public build: once that
    build has published, a build waiting for it goes on, whether the workers still run
    or not."""
    import threading

    site = tmp_path / "public"
    waiting = threading.Event()
    read, write = os.pipe()

    def second() -> None:
        with replacing(site, on_wait=lambda _text: waiting.set()) as tmp:
            write_tree({"index.html": "second"}, tmp)

    with replacing(site) as tmp:
        write_tree({"index.html": "first"}, tmp)
        child = os.fork()
        if child == 0:  # holds what it inherited until the test lets it go
            os.close(write)
            os.read(read, 1)
            os._exit(0)
        other = threading.Thread(target=second)
        other.start()
        assert waiting.wait(timeout=60)
    try:
        other.join(timeout=60)  # a guard against hanging, not a measure of time
        assert not other.is_alive(), "the second build still waits for the forked child"
    finally:
        os.close(read)
        os.close(write)  # the child ends
        os.waitpid(child, 0)
        other.join()
    assert _tree(site)["index.html"] == b"second"
