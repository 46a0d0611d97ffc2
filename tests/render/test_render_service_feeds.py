"""Feeds a reader can subscribe to: one per service (``feed-<id>.xml``), plus the site-wide
one, each ``updated`` at its newest entry (never older than an entry, never after now)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import render_sample as sample

from slacode.render import feeds, render

ATOM = "{http://www.w3.org/2005/Atom}"


def _files(**kw: object) -> dict[str, str]:
    return render(sample.agreements(), sample.results(), now=sample.NOW,
                  site_url="https://sla.example.com/", **kw)


def _feed(text: str) -> tuple[str, list[tuple[str, str]]]:
    root = ET.fromstring(text)
    return root.find(ATOM + "updated").text, [
        (e.find(ATOM + "id").text, e.find(ATOM + "updated").text)
        for e in root.iter(ATOM + "entry")]


def test_each_service_has_its_own_feed_with_only_its_entries() -> None:
    files = _files()
    _, site_entries = _feed(files["feed.xml"])
    _, own = _feed(files["feed-payments-api.xml"])
    assert own and all(":payments-api:" in i for i, _ in own)
    assert set(own) <= set(site_entries)  # the same entries the site-wide feed has for it
    assert set(own) == {x for x in site_entries if ":payments-api:" in x[0]}
    root = ET.fromstring(files["feed-payments-api.xml"])
    assert root.find(ATOM + "id").text == "https://sla.example.com/feed-payments-api.xml"
    assert "Payments API" in root.find(ATOM + "title").text
    links = {link.get("rel"): link.get("href") for link in root.findall(ATOM + "link")}
    assert links == {"alternate": "https://sla.example.com/services/payments-api/",
                     "self": "https://sla.example.com/feed-payments-api.xml"}
    # a service the audience may not see has no feed either
    assert not any("auth-internal" in p or "acme" in p for p in files)


def test_updated_is_the_newest_entry_never_older_nor_after_now() -> None:
    files = _files()
    for path in ("feed.xml", "feed-payments-api.xml", "feed-support-desk.xml"):
        updated, entries = _feed(files[path])
        now = "2026-11-26T00:00:00Z"
        assert updated <= now, path
        if entries:
            assert updated == max(u for _, u in entries), path
        else:
            assert updated == now, path


def test_updated_follows_an_entry_older_than_now() -> None:
    older = [replace(r, periods=tuple(replace(p, frozen_at="2026-09-02T03:00:00+00:00")
                                      for p in r.periods)) for r in sample.results()]
    ags = [replace(a, maintenance=()) for a in sample.agreements()]
    files = render(ags, older, now=sample.NOW)
    updated, entries = _feed(files["feed-payments-api.xml"])
    assert entries and updated == "2026-09-02T03:00:00Z"


def test_newest_and_head_links() -> None:
    e = feeds.Entry("x", "t", "2026-10-01T00:00:00Z", "services/a/")
    assert feeds.newest([e], "2026-11-26T00:00:00+00:00") == "2026-10-01T00:00:00Z"
    assert feeds.newest([], "2026-11-26T00:00:00+00:00") == "2026-11-26T00:00:00Z"
    files = _files()
    links = feeds.head_links("services/payments-api.md", files, lambda p: "../../" + p)
    assert links.count('rel="alternate" type="application/atom+xml"') == 2
    assert 'href="../../feed-payments-api.xml"' in links
    assert 'href="../../feed.xml"' in links
    assert feeds.head_links("about.md", files, lambda p: p).count("<link") == 1
