"""Builds of one project that overlap: they take turns, and only a complete site is ever
published. Real `slacode build` processes, held in lock-step by an MkDocs hook that
waits for a file (no sleeps deciding the outcome, no timing asserted)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from site_support import BIN, copy_project, env, run, tree

#: an MkDocs hook: after the first page, GATE_DIR/inside is written, then the build waits
#: for GATE_DIR/go; WIPE empties the folder being written (what another build's clean-up
#: did), DROP removes one file once the build is done (an incomplete tree)
HOOK = '''
import os, shutil, time
from pathlib import Path

_first = True

def on_post_page(output, page, config):
    global _first
    if _first:
        _first = False
        if os.environ.get("WIPE"):
            shutil.rmtree(config.site_dir)
        gate = os.environ.get("GATE_DIR")
        if gate:
            Path(gate, "inside").write_text(config.site_dir)
            for _ in range(12000):
                if Path(gate, "go").exists():
                    break
                time.sleep(0.01)
            else:
                raise SystemExit("the test never opened the gate")
    return output

def on_post_build(config):
    drop = os.environ.get("DROP")
    if drop:
        os.remove(os.path.join(config.site_dir, drop))
'''


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo with the hook, and its site published once."""
    root = copy_project(tmp_path_factory.mktemp("concurrent"))
    (root / "gate_hook.py").write_text(HOOK, encoding="utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as fh:
        fh.write("\nhooks:\n  - gate_hook.py\n")
    run(BIN / "slacode", "build", "--strict", cwd=root)
    return root


def _until(done: Callable[[], bool], proc: subprocess.Popen[bytes], what: str) -> None:
    """Wait (polling) until ``done()``; fails when ``proc`` ended first or it never comes."""
    for _ in range(12000):
        if done():
            return
        if proc.poll() is not None:
            pytest.fail(f"the build exited {proc.returncode} before {what}")
        time.sleep(0.01)
    pytest.fail(f"never: {what}")


def _build(project: Path, log: Path, **extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(BIN / "slacode"), "build"], cwd=project, env=env(**extra),
                            stdout=subprocess.DEVNULL, stderr=log.open("wb"))


def _leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".public"))


def test_a_second_build_waits_and_both_publish_the_whole_site(
        project: Path, tmp_path: Path) -> None:
    site = project / "site" / "public"
    published = tree(site)
    assert "index.html" in published and "services/payments-api/index.html" in published
    gate = tmp_path / "gate"
    gate.mkdir()
    first = _build(project, tmp_path / "first.log", GATE_DIR=str(gate))
    second = None
    try:
        _until((gate / "inside").exists, first, "the first build wrote a page")
        second = _build(project, tmp_path / "second.log")
        _until(lambda: b"waiting for it to finish" in (tmp_path / "second.log").read_bytes(),
               second, "the second build said it waits")
        # the first build is half-way, the second waits: readers still get the whole site,
        # and the folder the first build writes into is still there
        assert tree(site) == published
        assert Path((gate / "inside").read_text()).is_dir()
        (gate / "go").touch()
        assert first.wait(timeout=300) == 0, (tmp_path / "first.log").read_text()
        assert second.wait(timeout=300) == 0, (tmp_path / "second.log").read_text()
    finally:
        for p in (first, second):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
    assert tree(site).keys() == published.keys()  # all 100-odd files, index.html included
    assert _leftovers(site) == []


def test_a_build_whose_folder_is_emptied_under_it_publishes_nothing(
        project: Path, tmp_path: Path) -> None:
    """What the other build's clean-up did: the folder goes mid-build, MkDocs writes the
    remaining pages into a new one. That partial tree must never be published."""
    site = project / "site" / "public"
    before = tree(site)
    proc = _build(project, tmp_path / "log", WIPE="1")
    assert proc.wait(timeout=300) == 1
    err = (tmp_path / "log").read_text()
    assert "removed during the build; previous site kept" in err
    assert "Traceback" not in err
    assert tree(site) == before
    assert _leftovers(site) == []


@pytest.mark.parametrize("drop", ["index.html", "services/payments-api/index.html"])
def test_a_build_missing_a_page_publishes_nothing(project: Path, tmp_path: Path,
                                                  drop: str) -> None:
    site = project / "site" / "public"
    before = tree(site)
    proc = _build(project, tmp_path / "log", DROP=drop)
    assert proc.wait(timeout=300) == 1
    err = (tmp_path / "log").read_text()
    assert f"previous site kept: the built site has no {drop}" in err
    assert tree(site) == before
    assert _leftovers(site) == []


def test_a_symlinked_site_folder_serves_the_new_build(project: Path, tmp_path: Path) -> None:
    """A deploy setup: the site folder is a link to the folder a web server serves."""
    served = tmp_path / "www"
    link = tmp_path / "public"
    link.symlink_to(served, target_is_directory=True)
    run(BIN / "slacode", "build", "--site-dir", link, cwd=project)
    assert link.is_symlink() and link.resolve() == served.resolve()
    assert tree(served).keys() == tree(project / "site" / "public").keys()
    # and again, over the site it published the night before
    run(BIN / "slacode", "build", "--site-dir", link, cwd=project)
    assert link.is_symlink() and (served / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "www"]
