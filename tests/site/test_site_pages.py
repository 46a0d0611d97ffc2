"""The pages a customer reads, in real headless Chromium: at 1280 px and 390 px, in
English and Chinese, nothing scrolls sideways, axe finds nothing serious in either
colour scheme, the overview says what the JSON API says, charts can be reached from the
keyboard, and a service page prints on A4 without navigation or closed sections."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from slacode.evaluate.results import Reason
from slacode.render import fmt
from slacode.render.overview_parts import period_name
from slacode.render.reasons import nothing_counted
from slacode.render.strings import t

pytestmark = pytest.mark.browser

#: (name, path): the pages issue 19's acceptance names: the overview, a 24x7 API, a
#: business-hours desk, a period report, the reports index and the change history (the
#: service pages' ``#change-history`` section, a version page it links to, and the
#: site-wide ``changes/`` page where the build has one)
PAGES = (
    ("overview", ""),
    ("api", "services/payments-api/"),
    ("desk", "services/support-desk/"),
    ("report", "reports/2026-03/"),
    ("reports", "reports/"),
    ("version", "services/payments-api/v3/"),
    ("changes", "changes/"),
)
#: pages a build may not have yet: checked whenever it has them, skipped only when not
OPTIONAL = frozenset({"changes"})
WIDTHS = (1280, 390)
LANGUAGES = ("en", "zh")

#: the page, every table and the box that would scroll it (Material wraps each table in a
#: scrolling ``.md-typeset__scrollwrap``): those whose content is wider than they are
OVERFLOW = """() => {
  const out = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) out.push(["page", root.scrollWidth, root.clientWidth]);
  for (const table of document.querySelectorAll("article table")) {
    const box = table.closest(".md-typeset__scrollwrap") || table.parentElement;
    // our own box too: Material's scroll box inside it once reached 16 px past it
    for (const el of [table.closest(".slc-table-wrap"), box, table].filter(Boolean)) {
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== "inline") {
        const id = table.dataset.table || table.closest("[data-objective]")?.dataset.objective;
        out.push([el.tagName + ":" + (id || "table"), el.scrollWidth, el.clientWidth]);
      }
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def bases(demo_site: Path, chinese_demo: Path, serve) -> dict[str, str]:
    """The English and the Chinese demo, each served once for the whole module."""
    return {"en": serve(demo_site), "zh": serve(chinese_demo)}


@pytest.fixture(scope="module")
def pages(demo_site: Path, chinese_demo: Path) -> dict[str, list[tuple[str, str]]]:
    """Per language, the pages of :data:`PAGES` its build has: an :data:`OPTIONAL` page
    is left out only when the built site lacks its ``index.html``."""
    return {language: [(name, path) for name, path in PAGES
                       if name not in OPTIONAL or (site / path / "index.html").is_file()]
            for language, site in (("en", demo_site), ("zh", chinese_demo))}


#: the axe rules whose result depends on colours (the only thing the dark scheme changes)
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

#: every SVG text whose colour is under 4.5:1 against the page (axe leaves text in a
#: chart "incomplete": it cannot tell an SVG's background), with its ratio
SVG_TEXT = """() => {
  const rgba = s => {
    const v = s.match(/[\\d.]+/g).map(Number);
    return v.length > 3 ? v : [...v, 1];
  };
  const lum = c => 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2]);
  const ch = x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
  const bg = rgba(getComputedStyle(document.body).backgroundColor);
  const out = [];
  for (const t of document.querySelectorAll("article svg text")) {
    const [r, g, b, a] = rgba(getComputedStyle(t).fill);
    const fg = [r, g, b].map((x, i) => x * a + bg[i] * (1 - a));
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < 4.5) out.push([t.textContent, Math.round(ratio * 100) / 100]);
  }
  return out;
}"""


def _scheme(page, scheme: str) -> None:
    """Switch ``page`` to Material's ``scheme`` ("slate" is dark) with the header's own
    toggle, as a reader does: the page is not loaded again, and the toggle sets exactly
    what a browser in dark mode gets (the scheme, primary and accent colours). Clicked
    from script: a pointer left on the toggle shows its tooltip, fading in while axe
    looks at it."""
    if page.evaluate("document.body.dataset.mdColorScheme") != scheme:
        page.evaluate("document.querySelector("
                      "'form[data-md-component=palette] label:not([hidden])').click()")
    page.wait_for_function(f"document.body.dataset.mdColorScheme === '{scheme}'")


def _axe_both_schemes(page, where: tuple) -> None:
    """Every axe rule in the light scheme and the colour rules in the dark one (with the
    charts' text, which axe cannot judge); ``page`` is left in the light scheme."""
    assert _axe_bad(page) == [], (*where, "light")
    assert page.evaluate(SVG_TEXT) == [], (*where, "light")
    _scheme(page, "slate")
    assert _axe_bad(page, COLOUR_RULES) == [], (*where, "dark")
    assert page.evaluate(SVG_TEXT) == [], (*where, "dark")
    _scheme(page, "default")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_scrolls_sideways_and_axe_finds_nothing_serious_in_either_scheme(
    bases: dict[str, str], pages: dict, visit, language: str, width: int
) -> None:
    """Each page of :data:`PAGES` at this width and language: axe reports no serious or
    critical violation in the light and in the dark scheme; with every disclosure open,
    neither the page nor any table's box is wider than the screen.

    Which rules run where, and why that still proves the acceptance:

    - light, both widths: every rule, because a width changes what is laid out and shown
      (stacked tables, Material's drawer and sidebars), so any rule may differ;
    - dark, both widths: the colour rules (:data:`COLOUR_RULES`). The dark scheme is
      Material's "slate" palette, which changes colour variables only: markup and layout
      are the light page's, so no other rule can come out differently. The page is
      switched with the header's toggle, not loaded again;
    - axe cannot judge text in an SVG (it leaves it "incomplete"), so the charts' text is
      measured against the page in both schemes (:data:`SVG_TEXT`);
    - what a reader opens (older incident months, more misses, older periods, daily
      tables) runs through the same rules in both schemes with every disclosure open,
      in English at 1280 px: it is the markup and CSS of the open instances checked at
      every width and language (the newest incident month and the latest periods are
      open, and stack at 390 px the same way), and opening them all makes the desk's
      page many times longer, which axe's contrast rule pays for per element."""
    v = visit(width=width)
    for name, path in pages[language]:
        where = (name, language, width)
        page = v.goto(bases[language] + path)
        _axe_both_schemes(page, where)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        if (language, width) == ("en", 1280) and page.locator("details").count():
            _axe_both_schemes(page, (*where, "every disclosure open"))
        assert page.evaluate(OVERFLOW) == [], where
    assert v.errors == [] and v.foreign == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_narrow_tables_stack_with_each_cell_named_by_its_column(
    bases: dict[str, str], visit, language: str
) -> None:
    v = visit(width=390)
    page = v.goto(bases[language])
    cell = page.locator('table[data-table="overview"] td[data-verdict]').first
    assert cell.evaluate("e => getComputedStyle(e).display") == "block"
    label = cell.evaluate("e => getComputedStyle(e, '::before').content")
    assert label == json.dumps(t("pages.verdict", language), ensure_ascii=False)
    # the headers are still there for a screen reader, out of sight
    assert page.locator('table[data-table="overview"] thead th').count() == 6


def _axe_bad(page, only: list[str] | None = None) -> list:
    """axe's serious and critical violations on ``page`` (``only`` these rules if given);
    the site has no iframes, so axe does not look for any."""
    from axe_playwright_python.sync_playwright import Axe

    options: dict = {"resultTypes": ["violations"], "iframes": False}
    if only:
        options["runOnly"] = {"type": "rule", "values": only}
    results = Axe().run(page, options=options)
    bad = [x for x in results.response["violations"] if x["impact"] in ("serious", "critical")]
    return [(x["id"], x["impact"], [n["target"] for n in x["nodes"]][:5]) for x in bad]


def _projected(agreement: dict, p: dict) -> float | None:
    """The credit percent the agreement's tiers give an open period at its projection."""
    cr = agreement.get("credits")
    figure = p["projection"] if p["projection"] is not None else p["value"]
    if not cr or p["closed"] or figure is None or p["objective"] != cr["objective"]:
        return None
    hits = [tier for tier in cr["tiers"] if figure < tier["below"]]
    return min(min(hits, key=lambda x: x["below"])["credit"], cr["cap"]) if hits else None


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_overview_says_what_the_json_api_says(
    bases: dict[str, str], demo_site: Path, visit, language: str, width: int
) -> None:
    api = json.loads((demo_site / "api" / "services.json").read_text(encoding="utf-8"))
    v = visit(width=width)
    page = v.goto(bases[language])
    assert page.locator("article h1").inner_text().rstrip("¶") == t("pages.overview_title",
                                                                    language)
    counted = {}
    for s in api["services"]:
        detail = json.loads((demo_site / s["json"]).read_text(encoding="utf-8"))
        assert page.locator(f'tr[data-service="{s["id"]}"] [data-status]').inner_text() \
            == t("verdict." + s["status"], language)
        for p in s["current"]:
            row = page.locator(f'tr[data-service="{s["id"]}"][data-objective="{p["objective"]}"]')
            assert row.get_attribute("data-period") == p["period"]
            # the figure with its objective's decimals, or what there was to count when
            # that was nothing ("No P1 incidents in this period"), as the JSON's reasons say
            judged = next(x for x in detail["periods"]
                          if (x["objective"], x["period"]) == (p["objective"], p["period"]))
            nothing = nothing_counted(tuple(Reason(r["code"], r["params"], r["text"])
                                            for r in judged.get("reasons", ())), language)
            figure = (nothing[:1].upper() + nothing[1:] if nothing and p["value"] is not None
                      else fmt.figure(p["value"], p["unit"], t("common.no_data_mark", language),
                                      target=p["target"], language=language))
            assert row.locator("td[data-figure]").inner_text() == \
                f'{figure} / {fmt.figure(p["target"], p["unit"], language=language)}'
            assert row.locator("td[data-verdict]").inner_text() == t("verdict." + p["verdict"],
                                                                      language)
            assert period_name(p["period"], language) in row.inner_text()
            counted[p["verdict"]] = counted.get(p["verdict"], 0) + 1
        credit = page.locator(f'tr[data-service="{s["id"]}"] td[data-credit]').inner_text()
        periods = [p for p in detail["periods"]
                   if detail["agreement"].get("credits")
                   and p["objective"] == detail["agreement"]["credits"]["objective"]]
        closed = [p for p in periods if p["closed"]]
        owed = closed[-1]["credit"] if closed else None
        expected = []
        if owed and owed["percent"] and owed["claim_by"] >= api["evaluated_at"][:10]:
            expected.append(fmt.percent(owed["percent"], 2))
        opened = [p for p in periods if not p["closed"]]
        projected = _projected(detail["agreement"], opened[-1]) if opened else None
        if projected:
            expected.append(fmt.percent(projected, 2))
        if expected:
            assert all(x in credit for x in expected), (s["id"], credit, expected)
        else:
            assert credit == "—", s["id"]
    # the chips count objectives, one each, as the period reports do
    chips = page.locator(".slc-lede .slc-summary .slc-chip").all_inner_texts()
    assert sorted(chips) == sorted(f"{n} × {t('verdict.' + verdict, language)}"
                                   for verdict, n in counted.items())
    # a breached service shows its credit: the demo's payments are below their first tier
    assert "10%" in page.locator('tr[data-service="payments-api"] td[data-credit]').inner_text()
    assert v.errors == [] and v.foreign == []


def test_chart_bars_are_reached_from_the_keyboard_and_mark_incident_days(
    bases: dict[str, str], visit
) -> None:
    v = visit()
    page = v.goto(bases["en"] + "services/payments-api/")
    strip = page.locator('.slc-chart[data-objective="availability"] svg.slc-strip')
    # the day of PAY-118 "Card payments failing" has a dot and says so on its bar
    bar = strip.locator("rect", has=page.locator("title", has_text="PAY-118"))
    assert bar.count() == 1 and strip.locator("circle.slc-mark").count() >= 1
    bar.focus()
    name = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert "PAY-118" in name and "Card payments failing" in name
    assert page.evaluate("getComputedStyle(document.activeElement).strokeWidth") == "2px"
    # past periods: every closed month labelled under its bar, a breach visibly shorter
    trend = page.locator('.slc-trend-wrap svg.slc-trend').first
    assert "Mar" in trend.locator("text").all_text_contents()
    heights = {r.get_attribute("class"): float(r.get_attribute("height"))
               for r in trend.locator("rect").all()}
    assert heights["slc-fill-breached"] < heights["slc-fill-met"] / 2
    assert v.errors == [] and v.foreign == []


@pytest.mark.parametrize("path", ["services/support-desk/", "reports/2026-03/"])
def test_a_page_prints_on_a4_without_navigation_and_with_every_section_open(
    bases: dict[str, str], visit, tmp_path: Path, path: str
) -> None:
    v = visit()
    page = v.goto(bases["en"] + path)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    months = page.locator("details.slc-month")
    # every incident month opens for print, the oldest (collapsed on screen) included
    assert months.count() == months.and_(page.locator("[open]")).count()
    pdf = tmp_path / "page.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Table of contents" not in text and "Made with" not in text
    if months.count():
        oldest = months.last.get_attribute("data-month")
        assert period_name(oldest, "en", kind=False) in text
        assert months.last.locator("tbody th").first.inner_text() in text
    # no table wider than the paper: its last column's words are on the page
    assert t("common.credit") in text or t("pages.inc_duration") in text
    out = subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf),
                          str(tmp_path / "p")], capture_output=True)
    assert out.returncode == 0 and list(tmp_path.glob("p*.png"))


#: each axis label shown: its text, size on screen in CSS px (its font size times the
#: chart's scale), left and right edge
AXIS_PX = """() => [...document.querySelectorAll("svg.slc-trend text")]
  .filter(t => getComputedStyle(t).display !== "none")
  .map(t => { const r = t.getBoundingClientRect();
    return [t.textContent, t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize),
            r.left, r.right, r.top]; })"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_chart_labels_are_legible_and_every_period_is_one_tap_away(
    bases: dict[str, str], demo_site: Path, visit, language: str
) -> None:
    """At 390 px the months under a trend chart are at least 11 px on screen (thirteen
    months were drawn at 7 px), and an objective's periods, newest first, are cards of
    two lines: the newest in sight, the older ones opening under one disclosure, so every
    period of the JSON API is reachable and none of them costs a screen."""
    v = visit(width=390)
    page = v.goto(bases[language] + "services/payments-api/")
    labels = page.evaluate(AXIS_PX)
    assert len(labels) >= 7 and min(label[1] for label in labels) >= 11, labels
    # and no two on one line run into each other
    for a, b in zip(labels, labels[1:]):
        assert a[4] != b[4] or a[3] + 2 <= b[2] or b[3] + 2 <= a[2], (a, b)
    detail = json.loads((demo_site / "api" / "payments-api.json").read_text(encoding="utf-8"))
    split = False
    for objective in {p["objective"] for p in detail["periods"]}:
        expected = sorted((p["period"] for p in detail["periods"]
                           if p["objective"] == objective), reverse=True)
        tables = page.locator(f'table[data-table="periods"][data-objective="{objective}"]')
        shown = tables.and_(page.locator(":not([data-older])")).locator("tr[data-period]")
        assert shown.count() and all(row.is_visible() for row in shown.all())
        older = tables.and_(page.locator("[data-older]")).locator("tr[data-period]")
        if older.count():
            split = True
            assert not older.first.is_visible()
            page.locator("details.slc-older-periods", has=tables.last).locator(
                "summary").click()
            assert all(row.is_visible() for row in older.all())
        periods = [row.get_attribute("data-period") for row in shown.all() + older.all()]
        assert periods == expected, objective
        # a closed period and its verdict on one line, the figures under them (the open
        # one's "Cannot recover this period" takes a line of its own)
        card = shown.last
        period, verdict = card.locator("th").bounding_box(), card.locator(
            "td .slc-chip").bounding_box()
        assert period and verdict and abs(period["y"] - verdict["y"]) < period["height"]
        assert card.bounding_box()["height"] < 4.5 * period["height"]
    assert split  # fourteen months: the older ones are behind the disclosure
    assert v.errors == [] and v.foreign == []
