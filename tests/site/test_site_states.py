"""The demo's verdicts say the same thing everywhere: the JSON of ``slacode evaluate``, the
site's JSON API, each service page's "this period" card and the About page's definitions
(one catalogue, one computation)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from slacode.evaluate.results import OPEN_STATES, SEVERITY
from slacode.render.strings import STRINGS


def test_json_api_pages_and_about_agree_on_every_current_state(
    demo_site: Path, evaluation: dict
) -> None:
    evaluated = {(r["service"], r["objective"], r["period"]): r["verdict"]
                 for r in evaluation["results"]}
    api = json.loads((demo_site / "api" / "services.json").read_text(encoding="utf-8"))
    about = html.unescape((demo_site / "about" / "index.html").read_text(encoding="utf-8"))
    seen: set[str] = set()
    for service in api["services"]:
        page = (demo_site / "services" / service["id"] / "index.html").read_text(
            encoding="utf-8")
        for cur in service["current"]:
            verdict = cur["verdict"]
            assert verdict in SEVERITY
            # the API and `slacode evaluate --format json` judge the period alike
            assert evaluated[(service["id"], cur["objective"], cur["period"])] == verdict
            card = page.split(f'class="slc-card" data-objective="{cur["objective"]}"')[1]
            card = card.split("</section>")[0]
            words = STRINGS["verdict." + verdict]["en"]
            assert f">{words}</span>" in card, (service["id"], cur["objective"], verdict)
            # the About page names the state with the same words and defines it
            assert words in about and STRINGS["verdict_def." + verdict]["en"] in about
            seen.add(verdict)
    # the demo shows open states that cannot be confused: recoverable and not
    assert {"on-track", "below-target", "cannot-recover"} <= seen
    assert seen & set(OPEN_STATES)


def test_an_open_period_is_never_called_breached_nor_a_closed_one_on_track(
    evaluation: dict
) -> None:
    for r in evaluation["results"]:
        if r["period"].startswith("rolling"):
            continue  # a rolling window is always the whole window up to now: met or not
        if r["closed"]:
            assert r["verdict"] not in OPEN_STATES, r
        else:
            assert r["verdict"] not in ("met", "breached"), r


def test_the_json_carries_each_reason_as_a_code_with_params_and_english_text(
    evaluation: dict
) -> None:
    live = [r for r in evaluation["results"] if not r["frozen_at"]]
    reasons = [x for r in live for x in r["reasons"]]
    misses = [m for r in live for m in r["misses"]]
    assert reasons and misses
    # records frozen before codes keep their English words alone, and still load
    frozen = [x for r in evaluation["results"] if r["frozen_at"] for x in r["reasons"]]
    assert any(not x["code"] and x["text"] for x in frozen)
    for x in reasons:
        assert set(x) == {"code", "params", "text"} and x["code"] and x["text"]
    for m in misses:
        assert m["code"] and isinstance(m["params"], dict) and m["what"]
    assert not any(re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", x["text"]) for x in reasons)
