"""`slacode build --audience all`: one evaluation, a site per audience, nothing crossing over.

The demo has two customers (acme, globex), an internal agreement and public ones. Each
folder of an all-audience build must be byte for byte the site ``--audience X`` builds
alone, and no folder may hold a word of what its audience may not see.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from site_support import BIN, copy_project, run, texts, tree

#: audience -> its folder, beside the public site
FOLDERS = {"public": "public", "internal": "internal", "customer:acme": "customers/acme",
           "customer:globex": "customers/globex"}

#: words only some audiences may read: the internal notes of three agreements, and each
#: customer's agreement (name, id, contract reference, an incident id)
INTERNAL = ("INTERNAL-MARKER-7f3a", "GLOBEX-INTERNAL-3c9e", "Renewal discount of 5%")
ACME = ("ACME Analytics Platform", "acme-analytics", "ACME-2025-ANL-07")
GLOBEX = ("Globex Data Exports", "globex-exports", "GLX-2026-EXP-01", "GLX-4")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("audiences"))
    r = run(BIN / "slacode", "build", "--strict", "--audience", "all", cwd=root)
    for audience, folder in FOLDERS.items():
        assert f"{audience} site written to {root / 'site' / folder}" in r.stdout
    return root


def test_every_folder_is_what_its_audience_alone_builds(project: Path) -> None:
    site = project / "site"
    for audience, folder in FOLDERS.items():
        alone = site / "alone" / folder
        run(BIN / "slacode", "build", "--strict", "--audience", audience, "--site-dir", alone,
            cwd=project)
        assert tree(site / folder) == tree(alone), audience
    assert (site / "customers" / "acme" / "services" / "acme-analytics" / "index.html").is_file()
    assert (site / "customers" / "globex" / "services" / "globex-exports" / "index.html").is_file()
    assert (site / "internal" / "services" / "auth-internal" / "index.html").is_file()


def test_no_audience_folder_holds_what_it_may_not_see(project: Path) -> None:
    site = project / "site"
    forbidden = {
        "public": INTERNAL + ACME + GLOBEX,
        "customer:acme": INTERNAL + GLOBEX,
        "customer:globex": INTERNAL + ACME,
    }
    for audience, words in forbidden.items():
        files = texts(site / FOLDERS[audience])
        # the scan reads the search index, the sitemap and its .gz, the feed and the API
        assert {"search/search_index.json", "sitemap.xml.gz", "feed.xml",
                "api/services.json"} <= set(files), audience
        hits = sorted((path, w) for path, text in files.items() for w in words if w in text)
        assert hits == [], audience
    # each customer does read its own agreement (the scan would find it), and only the
    # internal site reads every note
    acme = texts(site / "customers" / "acme")["search/search_index.json"]
    globex = texts(site / "customers" / "globex")["search/search_index.json"]
    assert "ACME Analytics Platform" in acme and "Globex Data Exports" in globex
    inside = "\n".join(texts(site / "internal").values())
    assert all(w in inside for w in INTERNAL + ACME + GLOBEX)


def test_the_audience_setting_all_builds_every_site(project: Path) -> None:
    """``audience: all`` in the plugin block: a plain ``slacode build`` (the nightly's) then
    writes every audience's site, the same as ``--audience all``."""
    cfg = project / "mkdocs.yml"
    before = cfg.read_text(encoding="utf-8")
    out = project / "again" / "public"
    try:
        cfg.write_text(before.replace("  - slacode:\n", "  - slacode:\n      audience: all\n", 1),
                       encoding="utf-8")
        run(BIN / "slacode", "build", "--strict", "--site-dir", out, cwd=project)
    finally:
        cfg.write_text(before, encoding="utf-8")
    for folder in FOLDERS.values():
        assert tree(out.parent / folder) == tree(project / "site" / folder), folder


def test_each_customer_site_has_its_own_feed_of_breaches_credits_maintenance_and_changes(
        project: Path) -> None:
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"

    def entries(folder: str) -> dict[str, tuple[str, str]]:
        root = ET.parse(project / "site" / folder / "feed.xml").getroot()
        return {e.find(atom + "id").text: (e.find(atom + "title").text,
                                           getattr(e.find(atom + "summary"), "text", ""))
                for e in root.iter(atom + "entry")}

    globex = entries("customers/globex")
    title, summary = globex["urn:slacode:credit:globex-exports:availability:2026-10"]
    assert title == ("Globex Data Exports: credit of 25% (750.00 EUR) owed for Monthly "
                     "availability in October 2026") and summary == "claim by 30 Nov 2026"
    assert "urn:slacode:breach:globex-exports:availability:2026-10" in globex
    assert ("urn:slacode:maintenance:globex-exports:2026-10-24T01:00:00Z" in globex)
    # the public agreements' entries are in every site's feed; a customer's only in its own
    public, acme = entries("public"), entries("customers/acme")
    assert not [i for i in (*public, *acme) if "globex" in i]
    assert not [i for i in (*public, *entries("customers/globex")) if "acme" in i]
    assert set(public) <= set(acme) and set(public) <= set(globex)


def test_a_dispute_publishes_every_audience_then_fails_and_a_failed_source_publishes_none(
        tmp_path: Path) -> None:
    """globex's frozen October disagrees with its data: every site is still published
    (globex's with the frozen figure under review) and the build exits 3. A data file
    gone missing fails the first build: nothing of any audience is replaced."""
    import json

    root = copy_project(tmp_path / "project")
    record = root / "ledger" / "globex-exports" / "2026-10.json"
    doc = json.loads(record.read_text(encoding="utf-8"))
    doc["results"]["availability"]["value"] = 42.0
    record.write_text(json.dumps(doc), encoding="utf-8")
    r = run(BIN / "slacode", "build", "--strict", "--audience", "all", cwd=root, check=False)
    assert r.returncode == 3, r.stderr
    assert "disputed: " in r.stderr and "globex-exports 2026-10 availability" in r.stderr
    site = root / "site"
    page = (site / "customers" / "globex" / "services" / "globex-exports" / "index.html"
            ).read_text(encoding="utf-8")
    row = page.split('data-period="2026-10"', 1)[1].split("</tr>", 1)[0]
    assert "42.00%" in row and "Under review" in row
    before = {folder: tree(site / folder) for folder in FOLDERS.values()}
    (root / "data" / "status-web" / "requests.csv").unlink()
    r = run(BIN / "slacode", "build", "--strict", "--audience", "all", cwd=root, check=False)
    assert r.returncode == 1 and "previous site kept" in r.stderr and "Traceback" not in r.stderr
    assert {folder: tree(site / folder) for folder in FOLDERS.values()} == before


def test_a_customer_site_in_a_language_of_its_own(tmp_path: Path) -> None:
    """``languages: {customer:globex: zh}``: globex's site (and its monthly report) is in
    Chinese, the others keep the site's English; the all-audience build still equals the
    single one."""
    root = copy_project(tmp_path / "project")
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        "  - slacode:\n", '  - slacode:\n      languages: {"customer:globex": zh}\n', 1),
        encoding="utf-8")
    run(BIN / "slacode", "build", "--strict", "--audience", "all", cwd=root)
    run(BIN / "slacode", "build", "--strict", "--audience", "customer:globex", "--site-dir",
        root / "alone", cwd=root)
    site = root / "site"
    assert tree(site / "customers" / "globex") == tree(root / "alone")
    globex = (site / "customers" / "globex" / "index.html").read_text(encoding="utf-8")
    acme = (site / "customers" / "acme" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in globex and "服务级别报告" in globex
    assert '<html lang="en"' in acme and "Service level report" in acme
    run(BIN / "slacode", "report", "--customer", "globex", "--period", "2026-10", "--no-pdf",
        "--out", root / "reports", cwd=root)
    report = (root / "reports" / "report-globex-2026-10.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in report and "服务报告" in report
    bad = cfg.read_text(encoding="utf-8").replace('"customer:globex": zh', '"customer:globex": fr')
    cfg.write_text(bad, encoding="utf-8")
    r = run(BIN / "slacode", "build", "--strict", "--audience", "all", cwd=root, check=False)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "slacode option 'languages' for customer:globex: must be en or zh, got 'fr'" in r.stderr


def test_a_public_build_publishes_no_private_contact_address(project: Path) -> None:
    """Escalation and emergency addresses are private unless marked ``public: true``: none
    reaches any file of the public site (pages, version pages, search index, feeds, JSON),
    while the internal site shows them all and a customer's site its own agreement's."""
    from slacode.load import load_agreements
    from slacode.render.contacts import private_contacts

    loaded = load_agreements([project / "slas"], root=project)
    private = {a.id: set(private_contacts(a, "public")) for a in loaded.agreements}
    assert {"vp-eng@example.com", "oncall@example.com", "+1-555-0199"} <= private["payments-api"]
    # support-desk marks the addresses it publishes anyway (support, complaints) public
    assert "cs-head@example.com" not in private["support-desk"]
    everything = set().union(*private.values())
    # pages write "@" as "&#64;" and JSON may write it as "\u0040": read them as text
    files = {p: html.unescape(t.replace("\\u0040", "@"))
             for p, t in texts(project / "site" / "public").items()}
    assert {"search/search_index.json", "feed.xml", "api/services.json"} <= set(files)
    hits = sorted((path, w) for path, text in files.items() for w in everything if w in text)
    assert hits == []
    page = files["services/support-desk/index.html"]
    assert "cs-head@example.com" in page and "not published" in page
    inside = html.unescape("\n".join(texts(project / "site" / "internal").values()))
    assert all(w in inside for w in everything)
    acme = html.unescape("\n".join(texts(project / "site" / "customers" / "acme").values()))
    assert all(w in acme for w in private["acme-analytics"])

def test_each_audience_sees_actions_and_claims_as_it_may(project: Path) -> None:
    """Improvement actions and "How to claim" in every site of one strict build: the
    public site gives where to claim and no customer's claim nor any owner; a customer's
    site shows its own claims (with what evaluation says of them), never another's; the
    internal site shows every claim and the owners. (The copy has no git history, so only
    the version in force now judges: the figures are checked on the demo itself.)"""
    site = project / "site"

    def page(folder: str, service: str) -> str:
        """The page's HTML, then its text (tags dropped)."""
        text = (site / folder / "services" / service / "index.html").read_text()
        return text + re.sub(r"<[^>]+>", "", text)

    public = page("public", "payments-api")
    assert "PAY-ACT-7" in public and "support.example.com/billing/credit-claim" in public
    assert "CLM-" not in public and "team-payments" not in public
    desk = page("public", "support-desk")
    assert "SD-ACT-3" in desk and "20 Nov 2026Open overdue" in desk
    assert "This agreement grants no service credits." in desk
    acme = page("customers/acme", "acme-analytics")
    assert "CLM-101 on 10 Sept 2026: paid · 1,200.00 USD 28 Sept 2026" in acme
    assert "CLM-102" not in acme and "CLM-105" not in page("customers/acme", "payments-api")
    globex = page("customers/globex", "globex-exports")
    assert "CLM-102 on 4 Nov 2026: open" in globex and 'data-state="claimed"' in globex
    assert "CLM-101" not in globex
    internal = page("internal", "payments-api")
    assert "CLM-105" in internal and "team-payments" in internal
