"""The published demo site in real headless Chromium, served on 127.0.0.1."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from prometheus_server import real_clock
from site_support import ARTIFACTS, BIN, ROOT, env, run

from slacode.ledger import result_from_dict
from slacode.render import fmt
from slacode.render.pages import SEVERITY, Words
from slacode.render.strings import t

pytestmark = pytest.mark.browser


def current(evaluation: dict, service: str) -> dict[str, dict]:
    """Each objective's open period (else its latest), as the overview shows it."""
    out: dict[str, dict] = {}
    for p in evaluation["results"]:
        if p["service"] != service:
            continue
        prev = out.get(p["objective"])
        if prev is None or prev["closed"] or not p["closed"]:
            out[p["objective"]] = p
    return out


def status(evaluation: dict, service: str) -> str:
    verdicts = {p["verdict"] for p in current(evaluation, service).values()} or {"no-data"}
    return next(v for v in SEVERITY if v in verdicts)


def test_overview_lists_every_public_service_with_its_status(
    demo_site: Path, serve, visit, evaluation: dict, public_agreements: list
) -> None:
    v = visit()
    page = v.goto(serve(demo_site))
    assert public_agreements, "the demo has public agreements"
    shown = page.eval_on_selector_all(
        "tr.slc-service th[scope=row] a", "els => els.map(e => e.textContent)"
    )
    assert sorted(shown) == sorted(a.name for a in public_agreements)
    for a in public_agreements:
        chip = page.locator(f'tr[data-service="{a.id}"] [data-status] .slc-chip')
        assert chip.inner_text() == t("verdict." + status(evaluation, a.id))
    assert (
        page.locator('[data-service="auth-internal"], [data-service="acme-analytics"]').count() == 0
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    assert v.errors == [] and v.foreign == []


def test_service_page_shows_the_evaluated_objectives_periods_and_credits(
    demo_site: Path, serve, visit, evaluation: dict, public_agreements: list
) -> None:
    a = next(a for a in public_agreements if a.id == "payments-api")
    v = visit()
    page = v.goto(serve(demo_site) + "services/payments-api/")
    # the older periods open under a disclosure, as a reader opens them
    page.locator("details.slc-older-periods > summary").evaluate_all(
        "els => els.forEach(e => e.click())")
    objectives = page.eval_on_selector_all(
        'table[data-table="objectives"] tbody tr', "els => els.map(e => e.dataset.objective)"
    )
    # the version in force now, as the page's own data says (a later one is announced)
    in_force = json.loads((demo_site / "api" / "payments-api.json").read_text())["agreement"]
    assert objectives == [o["id"] for o in in_force["objectives"]]
    assert set(objectives) <= {o.id for o in a.objectives}
    periods = [p for p in evaluation["results"] if p["service"] == "payments-api"]
    checked = 0
    for p in periods:
        row = page.locator(
            f'table[data-objective="{p["objective"]}"] tr[data-period="{p["period"]}"]'
        )
        if row.count() == 0:
            continue
        cells = row.locator("td")
        # the figure with its objective's decimals, or what the period had nothing of
        figure = html.unescape(re.sub(r"<[^>]+>", "", str(
            Words("en").period_fig(result_from_dict(p)))))
        assert cells.nth(0).inner_text() == figure, p
        assert cells.nth(1).inner_text() == fmt.figure(p["target"], p["unit"])
        assert cells.nth(2).inner_text() == t("verdict." + p["verdict"])
        credit = p["credit"]
        if a.credits and p["objective"] == a.credits.objective and credit and credit["percent"]:
            assert cells.nth(3).inner_text().startswith(fmt.percent(credit["percent"], 2))
        checked += 1
    closed = [p for p in periods if p["closed"] and p["objective"] == "availability"]
    assert checked >= 12 and len(closed) >= 12
    # the 90-day strip: one bar per day, each with its figure on hover
    bars = page.locator('.slc-chart[data-objective="availability"] svg rect')
    assert bars.count() == 90
    assert re.match(
        r"\d{4}-\d\d-\d\d: (\d+(\.\d+)?%|no data)$", bars.first.locator("title").text_content()
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "service-payments-api.png"), full_page=True)
    assert v.errors == [] and v.foreign == []


def test_search_finds_a_service_by_name(
    demo_site: Path, serve, visit, public_agreements: list
) -> None:
    a = next(a for a in public_agreements if a.id == "support-desk")
    v = visit()
    page = v.goto(serve(demo_site) + "about/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially(a.name.split()[1], delay=30)
    result = page.locator(".md-search-result__item", has_text=a.name).first
    result.wait_for(timeout=15000)
    assert "services/support-desk/" in result.locator("a").first.get_attribute("href")
    assert v.errors == [] and v.foreign == []


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose agreement description, names and contacts are hostile text."""
    from ruamel.yaml import YAML

    root = tmp_path_factory.mktemp("hostile")
    docs = root / "docs"
    shutil.copytree(ROOT / "site" / "docs", docs)
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "render"))
    import render_sample as sample

    from slacode.render import render
    from slacode.render.output import write_tree
    from slacode.render.static import assets

    write_tree(assets(), docs)  # what the plugin adds, as `slacode render --out` does
    write_tree(
        render(
            sample.agreements(hostile=True),
            sample.results(),
            now=sample.NOW,
            incidents=sample.incidents(),
        ),
        docs,
    )
    yaml = YAML()
    cfg = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    cfg["plugins"] = ["search"]
    cfg["docs_dir"] = str(docs)
    cfg["site_dir"] = str(root / "public")
    with (root / "mkdocs.yml").open("w", encoding="utf-8") as f:
        yaml.dump(cfg, f)
    run(BIN / "mkdocs", "build", "--strict", "-f", root / "mkdocs.yml", cwd=root)
    return root / "public"


def test_hostile_description_shows_as_text_and_runs_nothing(
    hostile_site: Path, serve, visit
) -> None:
    import render_sample as sample

    v = visit()
    base = serve(hostile_site)
    page = v.goto(base + "services/payments-api/")
    h1 = page.locator("article h1").inner_text().rstrip("¶")
    assert h1 == " ".join(sample.HOSTILE_NAME.split())
    assert "<" not in page.title()
    text = page.locator(".slc-description").inner_text()
    assert " ".join(sample.HOSTILE.split()) in " ".join(text.split())
    assert page.evaluate("window.__pwned") is None
    assert (
        page.locator(".slc-description script, .slc-description img, .slc-description a").count()
        == 0
    )
    assert page.locator('a[href^="javascript" i]').count() == 0
    # search results render the same text without running it
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("onerror", delay=30)
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert v.dialogs == [] and v.errors == [] and v.foreign == []
    raw = (hostile_site / "services" / "payments-api" / "index.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in raw and 'onerror="window' not in html.unescape(
        re.sub(r">[^<]*<", "><", raw)
    )


def test_zensical_build_shows_the_same_figures(
    tmp_path: Path, evaluation: dict, serve, visit
) -> None:
    from site_support import copy_project

    project = copy_project(tmp_path / "project")
    run(BIN / "slacode", "render", "--out", "site/generated", cwd=project)
    r = subprocess.run(
        [str(BIN / "zensical"), "build", "-f", "site/zensical.yml"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env=real_clock(env()),  # zensical's build never ends under libfaketime
    )
    assert r.returncode == 0, r.stdout + r.stderr
    out = project / "site" / "public-zensical"
    v = visit()
    page = v.goto(serve(out) + "services/payments-api/")
    page.locator("details.slc-older-periods > summary").evaluate_all(
        "els => els.forEach(e => e.click())")
    for p in [p for p in evaluation["results"] if p["service"] == "payments-api"]:
        row = page.locator(
            f'table[data-objective="{p["objective"]}"] tr[data-period="{p["period"]}"]'
        )
        if row.count():
            assert row.locator("td").nth(0).inner_text() == html.unescape(re.sub(
                r"<[^>]+>", "", str(Words("en").period_fig(result_from_dict(p)))))
    assert v.errors == [] and v.foreign == []
