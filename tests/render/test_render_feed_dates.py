"""The feed dates each entry when its fact became known, and shows nothing dated after
the build's "now" (issue 27: a breach frozen on 11 October was dated 30 September, and a
maintenance window announced later showed from the first night on)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime

import render_sample as sample

from slacode.evaluate.results import Hold
from slacode.ledger import Restated
from slacode.model import Maintenance
from slacode.render import render

ATOM = "{http://www.w3.org/2005/Atom}"
BREACH = "urn:slacode:breach:payments-api:availability:2026-08"


def _feed(results=None, agreements=None, **kw) -> dict[str, str]:
    files = render(agreements or sample.agreements(), results or sample.results(),
                   now=sample.NOW, **kw)
    root = ET.fromstring(files["feed.xml"])
    return {e.find(ATOM + "id").text: e.find(ATOM + "updated").text
            for e in root.iter(ATOM + "entry")}


def _august(change) -> list:
    res = list(sample.results())
    res[0] = replace(res[0], periods=tuple(
        change(p) if (p.objective, p.period) == ("availability", "2026-08") else p
        for p in res[0].periods))
    (august,) = [p for p in res[0].periods
                 if (p.objective, p.period) == ("availability", "2026-08")]
    assert august.verdict == "breached"
    return res


def test_a_frozen_breach_is_dated_when_it_was_frozen() -> None:
    feed = _feed(_august(lambda p: replace(p, frozen_at="2026-11-11T02:17:00+00:00")))
    assert feed[BREACH] == "2026-11-11T02:17:00Z"  # not the end of August


def test_a_provisional_breach_is_not_in_the_feed_until_it_is_final() -> None:
    hold = Hold("incident", "2026-11-30T00:00:00+00:00", 1)
    assert BREACH not in _feed(_august(lambda p: replace(p, holds=(hold,))))
    final = _feed(_august(lambda p: replace(p, final_at="2026-11-02T00:00:00+00:00")))
    assert final[BREACH] == "2026-11-02T00:00:00Z"


def test_nothing_dated_after_now_is_in_the_feed() -> None:
    later = Maintenance(datetime(2026, 12, 20, 2, tzinfo=UTC),
                        datetime(2026, 12, 20, 3, tzinfo=UTC),
                        datetime(2026, 12, 1, tzinfo=UTC), "Announced after this build")
    ags = list(sample.agreements())
    ags[0] = replace(ags[0], maintenance=(*ags[0].maintenance, later))
    feed = _feed(
        _august(lambda p: replace(p, frozen_at="2026-12-01T00:00:00+00:00")), ags,
        restatements=(Restated("payments-api", "latency", "2026-09", "late data",
                               "2026-11-30T00:00:00+00:00"),))
    maintenance = {k: v for k, v in feed.items() if ":maintenance:" in k}
    # the window announced on 20 November is in, dated then; the one announced on
    # 1 December (after now, 26 November) is not, nor the breach frozen then
    assert maintenance == {"urn:slacode:maintenance:payments-api:2026-12-06T02:00:00Z":
                           "2026-11-20T00:00:00Z",
                           "urn:slacode:maintenance:payments-api:2026-10-10T02:00:00Z":
                           "2026-10-09T00:00:00Z"}
    assert BREACH not in feed
    assert not any(":restatement:" in k for k in feed)
    assert all(v <= "2026-11-26T00:00:00Z" for v in feed.values())


def test_a_credit_owed_is_an_entry_dated_as_its_breach_and_says_when_to_claim() -> None:
    from slacode.evaluate.results import Credit

    credit = Credit(10.0, 500.0, "USD", 99.95, "2026-10-30")
    frozen = _august(lambda p: replace(p, credit=credit, frozen_at="2026-11-11T02:17:00+00:00"))
    files = render(sample.agreements(), frozen, now=sample.NOW)
    entry = next(e for e in ET.fromstring(files["feed.xml"]).iter(ATOM + "entry")
                 if e.find(ATOM + "id").text == CREDIT)
    assert entry.find(ATOM + "updated").text == "2026-11-11T02:17:00Z"
    assert "credit of 10% (500.00 USD) owed" in entry.find(ATOM + "title").text
    assert entry.find(ATOM + "summary").text == "claim by 30 Oct 2026"
    zh = render(sample.agreements(), frozen, now=sample.NOW, language="zh")["feed.xml"]
    assert "应付赔偿 10% (500.00 USD)" in zh and "申请截止 2026年10月30日" in zh
    # while the period may still change, no credit is announced
    hold = Hold("incident", "2026-11-30T00:00:00+00:00", 1)
    assert CREDIT not in _feed(_august(lambda p: replace(p, credit=credit, holds=(hold,))))


CREDIT = "urn:slacode:credit:payments-api:availability:2026-08"
