"""The demo site announces its feeds in every page's head, and each service has its own."""

from __future__ import annotations

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
        own = f"services/{service}/feed.xml"
        assert _feeds_of(demo_site, f"services/{service}/") == [own, "feed.xml"]
        root = ET.fromstring((demo_site / own).read_bytes())
        ids = [e.find(ATOM + "id").text for e in root.iter(ATOM + "entry")]
        assert all(f":{service}:" in i for i in ids), service
        updated = root.find(ATOM + "updated").text
        entries = [e.find(ATOM + "updated").text for e in root.iter(ATOM + "entry")]
        # the build's pinned now is 2026-11-26T00:00:00Z
        assert updated == max(entries, default="2026-11-26T00:00:00Z") <= "2026-11-26T00:00:00Z"
    page = (demo_site / "services" / "payments-api" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../services/payments-api/feed.xml"' in page  # and a link a person sees
