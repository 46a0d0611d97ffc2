"""The site-wide change history in Chromium, as a customer opens it: reached from the
navigation in both languages, every row's links lead somewhere real, nothing runs off
the side of a phone, and the page names its feed."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_the_changes_page_reads_in_both_languages_at_both_widths(
        demo_site, chinese_demo, serve, visit, width: int) -> None:
    for site, title, heading in ((demo_site, "Changes to our agreements", "November 2026"),
                                 (chinese_demo, "协议变更记录", "2026年11月")):
        base = serve(site)
        v = visit(width=width)
        page = v.goto(base)
        if width == 390:  # the navigation is behind the menu button on a phone
            page.click("header label[for='__drawer']")
        page.locator("nav.md-nav--primary a.md-nav__link:visible", has_text=title).first.click()
        page.wait_for_load_state("networkidle")
        assert page.url == base + "changes/"
        assert page.locator("h1").inner_text().startswith(title)
        assert page.locator("h2").first.inner_text().startswith(heading)
        rows = page.locator("table[data-table=changes] tbody tr")
        assert rows.count() >= 10
        first = rows.first
        assert "payments-api" == first.get_attribute("data-service")
        # the row's links: the service, the version it made, the pull request
        hrefs = first.locator("a").evaluate_all("(as) => as.map(a => a.href)")
        assert base + "services/payments-api/" in hrefs
        assert base + "services/payments-api/v4/" in hrefs
        assert any(h.endswith("/pull/48") for h in hrefs)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("a[href='../feed.xml']").count() == 1
        version = page.request.get(base + "services/payments-api/v4/")
        assert version.ok
        assert v.errors == [] and v.foreign == []
