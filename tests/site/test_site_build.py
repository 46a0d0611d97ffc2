"""Building the demo: strict builds pass, audiences hold, output is reproducible and atomic."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from site_support import BIN, ROOT, copy_project, env, own_history, run, tree

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


def test_the_site_states_the_policy_it_implements(demo_site: Path) -> None:
    """The policy is the product's own page, in the navigation; nothing in the repository
    sends a reader to a folder a clone does not have."""
    page = (demo_site / "policy" / "index.html").read_text(encoding="utf-8")
    assert "Our service-level policy" in page and "Specific and measurable" in page
    assert 'href="../about/"' in page  # how to read the figures it speaks of
    assert 'href="policy/"' in (demo_site / "index.html").read_text(encoding="utf-8")
    assert "site/docs/policy.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    for rel in tracked:
        if rel.endswith((".md", ".py", ".yml", ".yaml", ".json", ".j2")):
            assert b"../" + b"shared/" not in (ROOT / rel).read_bytes(), rel


def test_the_json_api_writes_times_one_way_and_figures_rounded(demo_site: Path) -> None:
    """ISO 8601 with a numeric offset everywhere (period bounds in the agreement's zone,
    the rest in UTC as +00:00, never "Z" beside it); figures at most 6 decimals, a
    budget's remaining percentage 2, as the README documents."""
    import json
    import re

    def leaves(x: object, key: str = ""):
        if isinstance(x, dict):
            for k, v in x.items():
                yield from leaves(v, k)
        elif isinstance(x, list):
            for v in x:
                yield from leaves(v, key)
        else:
            yield key, x

    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
    seen = 0
    for f in (demo_site / "api").glob("*.json"):
        for key, v in leaves(json.loads(f.read_text(encoding="utf-8"))):
            if isinstance(v, str) and stamp.match(v):
                seen += 1
                assert re.fullmatch(r".*T\d\d:\d\d:\d\d[+-]\d\d:\d\d", v), (f.name, key, v)
            if isinstance(v, float):
                places = 2 if key == "budget_remaining_percent" else 6
                assert v == round(v, places), (f.name, key, v)
    assert seen > 100


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


def test_a_misspelt_customer_stops_a_strict_build(project: Path) -> None:
    """customer:acme has an agreement; customer:acne has none, and its site would be the
    public one published as that customer's: a warning, which --strict makes an error."""
    r = run(BIN / "slacode", "build", "--strict", "--audience", "customer:acne", "--site-dir",
            project / "site" / "acne", cwd=project, check=False)
    assert r.returncode == 1
    assert ("mkdocs.yml:0:0: warning: no agreement is for customer:acne (customers with "
            "agreements: customer:acme, customer:globex)") in r.stderr
    assert not (project / "site" / "acne").exists()


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
    assert "Built 1 Dec 2025, 00&#58;00 UTC" in (out / "index.md").read_text(encoding="utf-8")


def test_internal_fields_of_a_public_agreement_reach_no_public_file(
    project: Path, tmp_path: Path
) -> None:
    """internal_notes on a public agreement and on its objective: only the internal build
    shows them; the public tree (pages, search index, sitemap, JSON, CSV, feed, .gz) never."""
    sla = project / "slas" / "payments-api.yaml"
    good = sla.read_text(encoding="utf-8")
    top, objective = "PUBLIC-AGREEMENT-NOTE-91c2", "PUBLIC-OBJECTIVE-NOTE-5d07"
    text = good.replace("\nparties:\n", f"\ninternal_notes: Margin is thin. {top}\n\nparties:\n", 1)
    text = text.replace(
        "  - id: availability\n",
        f"  - id: availability\n    internal_notes: Canary excluded. {objective}\n", 1,
    )
    assert text.count("internal_notes") == 2
    public, internal = tmp_path / "public", tmp_path / "internal"
    try:
        sla.write_text(text, encoding="utf-8")
        run(BIN / "slacode", "build", "--strict", "--site-dir", public, cwd=project)
        run(BIN / "slacode", "build", "--strict", "--audience", "internal", "--site-dir",
            internal, cwd=project)
    finally:
        sla.write_text(good, encoding="utf-8")
    texts = _texts(public)
    assert {"search/search_index.json", "sitemap.xml", "sitemap.xml.gz", "feed.xml"} <= set(texts)
    assert any(p.startswith("api/") and p.endswith(".json") for p in texts)
    for marker in (MARKER, top, objective):
        assert [p for p, t in texts.items() if marker in t] == [], marker
    # the scan finds them where they belong: the markers are real and the build shows them
    inside = "\n".join(_texts(internal).values())
    assert MARKER in inside and top in inside and objective in inside


HOSTILE_NAME = 'Pay </title><img src=x onerror="window.__pwned=3"> **x** {: #y }'
HOSTILE_TEXT = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> '
    '[click](javascript:alert(1)) **bold** {: onclick="alert(3)" } '
    '<a href="javascript:alert(4)">x</a>'
)


def test_hostile_text_from_yaml_is_literal_text_in_every_public_file(
    project: Path, tmp_path: Path
) -> None:
    """Name and description with HTML, javascript: links, Markdown and attr_list syntax,
    written in the agreement itself: pages, search index, feed and JSON carry the text."""
    import html
    import json
    import xml.etree.ElementTree as ET

    from ruamel.yaml import YAML

    sla = project / "slas" / "payments-api.yaml"
    good = sla.read_text(encoding="utf-8")
    yaml = YAML()
    doc = yaml.load(good)
    doc["name"], doc["service"]["description"] = HOSTILE_NAME, HOSTILE_TEXT
    out = tmp_path / "public"
    # no history: the hostile file is the version in force, the one every page presents
    config = own_history(project)
    try:
        with sla.open("w", encoding="utf-8") as f:
            yaml.dump(doc, f)
        run(BIN / "slacode", "build", "--strict", "--site-dir", out, cwd=project)
    finally:
        sla.write_text(good, encoding="utf-8")
        (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    texts = _texts(out)
    for path, text in texts.items():
        if path.endswith((".html", ".xml", ".svg")) or path == "search/search_index.json":
            # no element or attribute of the hostile text survives in markup, nor in the
            # search index (its text is HTML that the search box inserts into the page)
            for raw in ("<script>window", "<img src=x", 'onerror="window', 'onclick="alert',
                        'href="javascript'):
                assert raw not in text, (path, raw)
    page = texts["services/payments-api/index.html"]
    description = html.unescape(page.split('class="slc-description"', 1)[1].split("</div>")[0])
    assert " ".join(HOSTILE_TEXT.split()) in " ".join(description.split())  # shown as text
    assert '{: onclick="alert(3)" }' in description  # attr_list syntax stays text
    index = json.loads(texts["search/search_index.json"])
    titles = [d["title"] for d in index["docs"]]
    assert any(html.unescape(t) == HOSTILE_NAME for t in titles), titles[:5]
    feed = ET.fromstring(texts["feed.xml"])
    assert any((e.text or "").startswith(HOSTILE_NAME + ": ") for e in feed.iter()
               if e.tag.endswith("title"))
    api = json.loads(texts["api/payments-api.json"])
    assert api["agreement"]["name"] == HOSTILE_NAME
    assert api["agreement"]["description"] == HOSTILE_TEXT


def test_the_build_time_shown_comes_from_source_date_epoch(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "public"
    r = subprocess.run(
        [str(BIN / "slacode"), "build", "--site-dir", str(out)],
        cwd=project, env=env(SOURCE_DATE_EPOCH="1764547200"), capture_output=True, text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Built 1 Dec 2025, 00:00 UTC" in page.replace("&#58;", ":")


def test_render_takes_the_language_of_the_plugin_block(project: Path) -> None:
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        "  - slacode:\n", "  - slacode:\n      language: zh\n", 1), encoding="utf-8")
    out = project / "site" / "generated"
    run(BIN / "slacode", "render", "--out", out, cwd=project)
    assert "服务" in (out / "index.md").read_text(encoding="utf-8")
    run(BIN / "slacode", "render", "--out", out, "--language", "en", cwd=project)
    assert "服务" not in (out / "index.md").read_text(encoding="utf-8")


def test_every_link_between_the_pages_of_the_demo_leads_somewhere(demo_site: Path) -> None:
    # pages, reports, badges, data files and feeds link to each other with relative URLs
    # written by hand in the templates: each must name a file of the built site
    import html
    import re
    from urllib.parse import urljoin, urlsplit

    broken = []
    checked = 0
    for page in demo_site.rglob("*.html"):
        url = "http://site/" + page.relative_to(demo_site).as_posix()
        for href in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")):
            target = urlsplit(urljoin(url, html.unescape(href)))
            if target.netloc != "site" or target.scheme != "http":
                continue  # another host, mailto:, data:
            path = demo_site / target.path.lstrip("/")
            if target.path.endswith("/"):
                path = path / "index.html"
            checked += 1
            if not path.is_file():
                broken.append(f"{page.relative_to(demo_site)} -> {href}")
    assert checked > 500 and broken == []
    # the reports are among them: the overview links the index, the index each period
    index = (demo_site / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="2026-10/"' in index
    assert (demo_site / "reports" / "2026-10" / "index.html").is_file()


def test_owners_reach_no_public_file(demo_site: Path, public_agreements: list) -> None:
    """Owners (team handles, addresses) are for CODEOWNERS and routing inside: the public
    index is not grouped by them and no page, JSON, feed or search entry names them."""
    owners = {o for a in public_agreements for o in a.owners}
    assert owners
    texts = _texts(demo_site)
    assert [(p, o) for p, t in texts.items() for o in owners if o in t] == []
    assert "Owned by" not in texts["index.html"]
