"""What the demo site tells a reader about its agreements' changes and how to follow them:
the change history in words with each version's full text, and feeds announced in every
page's head (a feed per service beside the site-wide one)."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

ATOM = "{http://www.w3.org/2005/Atom}"
LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
                  r'href="([^"]+)">')


def _feeds_of(site: Path, page: str) -> list[str]:
    """The site paths of the feeds ``page`` (a folder URL) links in its head."""
    text = (site / page / "index.html").read_text(encoding="utf-8")
    head = text[:text.index("</head>")]
    return [urljoin("https://x/" + page, href).removeprefix("https://x/")
            for href in LINK.findall(head)]


def test_every_page_links_the_feeds_a_reader_can_subscribe_to(demo_site: Path) -> None:
    assert _feeds_of(demo_site, "") == ["feed.xml"]
    assert _feeds_of(demo_site, "about/") == ["feed.xml"]
    for service in ("payments-api", "status-web", "support-desk"):
        own = f"feed-{service}.xml"
        assert _feeds_of(demo_site, f"services/{service}/") == [own, "feed.xml"]
        root = ET.fromstring((demo_site / own).read_bytes())
        ids = [e.find(ATOM + "id").text for e in root.iter(ATOM + "entry")]
        assert all(f":{service}:" in i for i in ids), service
        updated = root.find(ATOM + "updated").text
        entries = [e.find(ATOM + "updated").text for e in root.iter(ATOM + "entry")]
        # the build's pinned now is 2026-11-26T00:00:00Z
        assert updated == max(entries, default="2026-11-26T00:00:00Z") <= "2026-11-26T00:00:00Z"
    page = (demo_site / "services" / "payments-api" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../feed-payments-api.xml"' in page  # and a link a person sees


def test_the_change_history_is_in_words_and_links_each_versions_full_text(
    demo_site: Path,
) -> None:
    page = (demo_site / "services" / "payments-api" / "index.html").read_text(encoding="utf-8")
    start = page.index('<table data-table="history">')
    table = html.unescape(re.sub(r"<[^>]+>", " ", page[start:page.index("</table>", start)]))
    text = " ".join(table.split())
    assert "Version 4 takes effect 1 Dec 2026" in text
    # the demo's sample history (data/history): why each change was made, in a provider's
    # words with its pull request, back to the agreement's first version
    assert "Why: Raise payments availability to 99.95% from October · pull request #27" in text
    assert "Version 1, the agreement's first, effective 1 Mar 2024" in text
    assert "Version 3 edited" in text and "No promise changed." in text
    assert "//git.example.com/example-cloud/service-levels/pull/48" in html.unescape(page)
    assert "→" not in text.split("Why")[0]  # no "version 3 → 4" in the headline
    assert "Why: " in text and "new objective: P1 resolution, target 95%" in text
    # the build is pinned to 2026-11-26T00:00Z: no row is dated after it
    history = page[start:page.index("</table>", start)]
    cells = re.findall(r'<th scope="row"[^>]*>(.*?)</th>', history)
    assert cells and all(re.search(r"20\d\d-\d\d-\d\d", c).group(0) <= "2026-11-26"
                         for c in cells)
    for n in (1, 2, 3, 4):
        assert f'href="v{n}/"' in page
        version = (demo_site / "services" / "payments-api" / f"v{n}" / "index.html")
        assert version.is_file()
    v3 = html.unescape((demo_site / "services" / "payments-api" / "v3" / "index.html")
                       .read_text("utf-8"))
    assert "The version in force: effective 1 Oct 2025." in v3 and "Monthly availability" in v3
    v4 = html.unescape((demo_site / "services" / "payments-api" / "v4" / "index.html")
                       .read_text("utf-8"))
    assert "A version merged for later: it takes effect 1 Dec 2026." in v4
    # reached from the history, not listed in the navigation of every page
    index = (demo_site / "index.html").read_text(encoding="utf-8")
    assert "payments-api/v3/" not in index and "payments-api/v4/" not in index
