"""Building the demo: strict builds pass, audiences hold, output is reproducible and atomic."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from site_support import BIN, copy_project, env, run, tree

MARKER = "INTERNAL-MARKER-7f3a"


def _texts(site: Path) -> dict[str, str]:
    out = {}
    for path, data in tree(site).items():
        if path.endswith(".gz"):
            data = gzip.decompress(data)
        out[path] = data.decode("utf-8", errors="replace")
    return out


def test_mkdocs_strict_build_of_the_demo_passes_without_warnings(demo_build) -> None:
    out, r = demo_build
    assert r.returncode == 0, r.stderr[-4000:]
    assert "WARNING" not in r.stderr
    assert (out / "services" / "payments-api" / "index.html").is_file()
    assert (out / "api" / "services.json").is_file() and (out / "feed.xml").is_file()


def test_public_build_leaks_no_internal_marker_anywhere(demo_site: Path) -> None:
    texts = _texts(demo_site)
    assert "search/search_index.json" in texts and "sitemap.xml" in texts
    assert "/services/payments-api/" in texts["sitemap.xml"]
    hits = [p for p, text in texts.items() if MARKER in text]
    assert hits == []
    assert not (demo_site / "services" / "auth-internal").exists()
    assert not (demo_site / "services" / "acme-analytics").exists()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo with a published site in site/public (each test leaves it intact)."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    run(BIN / "slacode", "build", "--strict", cwd=root)
    return root


def test_customer_build_adds_the_customer_and_is_reproducible(project: Path) -> None:
    a, b = project / "site" / "a", project / "site" / "b"
    for out in (a, b):
        run(
            BIN / "slacode",
            "build",
            "--strict",
            "--audience",
            "customer:acme",
            "--site-dir",
            out,
            cwd=project,
        )
    assert (a / "services" / "acme-analytics" / "index.html").is_file()
    assert not (a / "services" / "auth-internal").exists()
    assert [p for p, t in _texts(a).items() if MARKER in t] == []
    assert tree(a) == tree(b)


def test_failed_build_keeps_the_previous_site_byte_for_byte(project: Path) -> None:
    site = project / "site" / "public"
    before = tree(site)
    sla = project / "slas" / "status-web.yaml"
    good = sla.read_text(encoding="utf-8")
    try:
        sla.write_text(good.replace("version: 1", "version: [oops"), encoding="utf-8")
        r = run(BIN / "slacode", "build", "--strict", cwd=project, check=False)
    finally:
        sla.write_text(good, encoding="utf-8")
    assert r.returncode == 1
    assert "slas/status-web.yaml:" in r.stderr and "Traceback" not in r.stderr
    assert tree(site) == before
    assert sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".public")) == []


def test_strict_warning_fails_the_build_and_publishes_nothing(project: Path) -> None:
    site = project / "site" / "public"
    before = tree(site)
    broken = project / "site" / "docs" / "broken.md"
    broken.write_text("# Broken\n\n[missing](missing.md)\n", encoding="utf-8")
    try:
        r = run(BIN / "slacode", "build", "--strict", cwd=project, check=False)
    finally:
        broken.unlink()
    assert r.returncode == 1, r.stderr
    assert "previous site kept" in r.stderr
    assert tree(site) == before


def test_killed_build_leaves_the_previous_site_intact(project: Path) -> None:
    site = project / "site" / "public"
    before = tree(site)
    proc = subprocess.Popen(
        [str(BIN / "slacode"), "build"],
        cwd=project,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while proc.poll() is None and not any(site.parent.glob(".public.tmp-*/*")):
            time.sleep(0.01)
        if proc.poll() is not None:
            pytest.skip("the build finished before it could be interrupted")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert tree(site) == before
    # the next build starts by removing what the killed one left behind
    from slacode.render.output import recover

    recover(site)
    assert [p.name for p in site.parent.iterdir() if p.name.startswith(".public")] == []
    assert tree(site) == before


def test_render_writes_the_tree_for_other_generators(project: Path) -> None:
    out = project / "site" / "generated"
    run(BIN / "slacode", "render", "--out", out, "--audience", "customer:acme", cwd=project)
    assert (out / "services" / "acme-analytics.md").is_file()
    r = subprocess.run(
        [str(BIN / "slacode"), "render", "--out", str(out)],
        cwd=project,
        env=env(SOURCE_DATE_EPOCH="1764547200"),
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert (out / "services" / "payments-api.md").is_file()
    assert (out / "about.md").is_file()  # hand-written pages come along
    assert (out / "stylesheets" / "slacode.css").is_file()
    assert not (out / "services" / "acme-analytics.md").exists()  # nothing stays behind
    # the build time shown comes from SOURCE_DATE_EPOCH
    assert "Built 2025-12-01 00&#58;00 UTC" in (out / "index.md").read_text(encoding="utf-8")
