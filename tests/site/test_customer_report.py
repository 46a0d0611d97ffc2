"""`slacode report`: the monthly report of one demo customer, as HTML and a PDF printed by
real headless Chromium, checked with poppler's pdftotext against the customer's JSON API.

globex's October 2026 (frozen in the demo ledger): availability breached (25% credit,
750.00 EUR, claim by 2026-11-30), a P1 first response missed (GLX-5), a maintenance
window excluded and one announced too late.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from prometheus_server import real_clock
from site_support import BIN, CHROMIUM, ROOT, env

from slacode.render import fmt
from slacode.render.strings import t

pytestmark = pytest.mark.browser


def _report(out: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """``slacode report`` in the demo (Chromium keeps the real clock: it may hang under the
    suite's moved one, and the report's content depends only on the pinned ``now``)."""
    r = subprocess.run([str(BIN / "slacode"), "report", "--out", str(out), *args], cwd=ROOT,
                       capture_output=True, text=True, env=real_clock(env()), timeout=120)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def _pdf_text(pdf: Path, *pages: int) -> str:
    where = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(["pdftotext", "-layout", *where, str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def globex(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path(CHROMIUM).exists() or shutil.which("pdftotext") is None:
        pytest.skip("needs /usr/bin/chromium and pdftotext (Debian chromium, poppler-utils)")
    out = tmp_path_factory.mktemp("reports")
    _report(out, "--customer", "globex", "--period", "2026-10")
    return out


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """globex's October periods as the customer site's JSON API gives them."""
    tree = tmp_path_factory.mktemp("globex-tree") / "docs"
    subprocess.run([str(BIN / "slacode"), "render", "--generated-only", "--audience",
                    "customer:globex", "--out", str(tree)], cwd=ROOT, check=True,
                   capture_output=True, env=env())
    data = json.loads((tree / "api" / "globex-exports.json").read_text(encoding="utf-8"))
    return {p["objective"]: p for p in data["periods"] if p["period"] == "2026-10"}


def test_the_pdf_shows_the_figures_verdicts_and_credits_of_the_json_api(
        globex: Path, api: dict) -> None:
    text = _pdf_text(globex / "report-globex-2026-10.pdf")
    assert set(api) == {"availability", "p1-response", "p1-resolution"}
    for objective, p in api.items():
        assert p["frozen_at"], objective  # a report shows frozen figures only
        line = next(ln for ln in text.splitlines()
                    if ln.strip().startswith(("Monthly availability", "P1 first response",
                                              "P1 resolution")[list(api).index(objective)])
                    and "2026-10" in ln)
        for shown in (fmt.figure(p["value"], p["unit"]), fmt.figure(p["target"], p["unit"]),
                      t("verdict." + p["verdict"]), fmt.percent(p["coverage"] * 100, 1)):
            assert shown in line, (objective, shown, line)
    credit = api["availability"]["credit"]
    assert (credit["percent"], credit["amount"], credit["claim_by"]) == (25.0, 750.0, "2026-11-30")
    row = next(ln for ln in text.splitlines() if "750.00 EUR" in ln)
    assert "25%" in row and "30 Nov 2026" in row
    # where to claim (the agreement's claim channel) and the customer's own claim
    assert "Claim a credit through: key-accounts@example.com." in text
    assert "Claimed: CLM-102 on 4 Nov 2026: open" in text
    # the period's incidents against their targets, maintenance excluded and not, version
    assert "GLX-5" in text and "after 41 minutes;" in text and "missed" in text
    assert "Version 1, effective 1 Jan 2026" in text
    assert "Warehouse" in text and "No: announced" in text
    assert "The agreement did not change in this period." in text


def test_every_page_carries_the_fingerprint_and_renders(globex: Path) -> None:
    pdf = globex / "report-globex-2026-10.pdf"
    html = (globex / "report-globex-2026-10.html").read_text(encoding="utf-8")
    fingerprint = unescape(html.split("data-fingerprint>")[1].split("<")[0])
    assert fingerprint.startswith("sha256:") and len(fingerprint) == 7 + 64
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")))
    assert pages >= 1 and "A4" in info
    for n in range(1, pages + 1):
        assert fingerprint in _pdf_text(pdf, n), n
        assert f"page {n} of {pages}" in _pdf_text(pdf, n)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(globex / "page")], check=True)
    assert len(list(globex.glob("page-*.png"))) == pages
    # nothing of another customer, nothing internal
    for word in ("ACME", "acme-analytics", "GLOBEX-INTERNAL-3c9e", "INTERNAL-MARKER-7f3a"):
        assert word not in html and word not in _pdf_text(pdf)


def test_verify_accepts_the_report_and_rejects_one_changed_figure(globex: Path) -> None:
    good = globex / "report-globex-2026-10.html"
    r = subprocess.run([str(BIN / "slacode"), "report", "--verify", str(good)], cwd=ROOT,
                       capture_output=True, text=True, env=env())
    assert r.returncode == 0, r.stderr
    assert "matches the ledger" in r.stdout
    html = good.read_text(encoding="utf-8")
    assert html.count(">98.55%<") == 1
    bad = globex / "changed.html"
    bad.write_text(html.replace(">98.55%<", ">99.55%<"), encoding="utf-8")
    r = subprocess.run([str(BIN / "slacode"), "report", "--verify", str(bad)], cwd=ROOT,
                       capture_output=True, text=True, env=env())
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert ("globex-exports 2026-10 availability value: the report says '99.55%', the ledger "
            "'98.55%'") in r.stderr


def test_an_open_month_is_refused_with_the_reason(tmp_path: Path) -> None:
    r = _report(tmp_path, "--customer", "globex", "--period", "2026-11", "--no-pdf", check=False)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "globex-exports 2026-11 availability is not frozen yet: it is still open" in r.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written
    r = _report(tmp_path, "--customer", "initech", "--period", "2026-10", "--no-pdf",
                check=False)
    assert r.returncode == 1 and "no agreement of customer:initech was in force in 2026-10" \
        in r.stderr


def test_a_chinese_report_prints_in_chinese(tmp_path: Path, globex: Path) -> None:
    _report(tmp_path, "--customer", "globex", "--period", "2026-10", "--language", "zh")
    text = _pdf_text(tmp_path / "report-globex-2026-10.pdf")
    assert "2026年10月 服务报告" in text and "未达标" in text and "750.00 EUR" in text
    assert "赔偿申请渠道" in text and "第 1 页" in text


def test_the_nights_new_records_give_their_customers_reports_printed_apart(
        tmp_path: Path) -> None:
    """The nightly passes the newly frozen records: a customer's record stands for its
    month (public ones for none); the PDFs are printed afterwards from the HTML alone,
    in a job without the credentials."""
    _report(tmp_path, "--no-pdf", "ledger/globex-exports/2026-10.json",
            "ledger/payments-api/2026-10.json", "ledger/acme-analytics/2026-10.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "report-acme-2026-10.html", "report-globex-2026-10.html"]
    r = subprocess.run([str(BIN / "slacode"), "report", "--print",
                        str(tmp_path / "report-acme-2026-10.html")], cwd=tmp_path,
                       capture_output=True, text=True, env=real_clock(env()), timeout=120)
    assert r.returncode == 0, r.stderr
    text = _pdf_text(tmp_path / "report-acme-2026-10.pdf")
    assert "ACME Analytics Platform" in text and "99.997%" in text and "bonus" in text.lower()
    html = (tmp_path / "report-acme-2026-10.html").read_text(encoding="utf-8")
    assert unescape(html.split("data-fingerprint>")[1].split("<")[0]) in text


def test_a_restated_or_edited_record_makes_both_files_fail_verification(
        globex: Path, tmp_path: Path) -> None:
    """The PDF names its records and carries their fingerprint: it verifies against the
    ledger as it was, and not once a figure of a record it shows has changed."""
    def verify(file: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(BIN / "slacode"), "report", "--verify", str(file)],
                              cwd=cwd, capture_output=True, text=True, env=env())

    pdf, page = globex / "report-globex-2026-10.pdf", globex / "report-globex-2026-10.html"
    r = verify(pdf, ROOT)
    assert r.returncode == 0 and "its fingerprint matches the 1 ledger records it names" \
        in r.stdout, r.stderr
    shutil.copytree(ROOT / "ledger", tmp_path / "ledger")
    record = tmp_path / "ledger" / "globex-exports" / "2026-10.json"
    record.write_text(record.read_text(encoding="utf-8").replace(
        '"value": 98.550329', '"value": 98.650329', 1), encoding="utf-8")
    for file in (pdf, page):
        r = verify(file, tmp_path)
        assert r.returncode == 1 and "Traceback" not in r.stderr, file
        assert "sha256:" in r.stderr and ("have changed since" in r.stderr
                                          or "do not give its fingerprint" in r.stderr)
