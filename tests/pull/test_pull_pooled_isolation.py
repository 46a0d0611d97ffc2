"""Pooled queries hold several agreements' expressions in one PromQL text: no agreement may
reach into another's figures (issue 17, item 1).

The selectors here are put into the model directly, past the loader's check
(``tests/load/test_load_selectors.py``), to prove the layers of the source behind it."""

from __future__ import annotations

from dataclasses import replace

import pull_synthetic as ps
import pytest
from promql_parser import parse
from pull_support import make_agreement, make_settings
from test_pull_pooled import mine
from test_pull_prometheus import BERLIN, EVENTS, NOW, START, src

import slacode.pull.prometheus as prom
from slacode.promql import pooled_problem
from slacode.pull import pull
from slacode.pull.prometheus import PART, combined


def attack(selector: str, victim_part: str) -> str:
    """The audit's attack: a selector that closes the wrapping ``label_replace(`` and adds
    a series labelled as another objective's part (a billion good events)."""
    return (f'{selector}[1s])), "{PART}", "0.good", "", "") or label_replace(vector(1e9), '
            f'"{PART}", "{victim_part}", "", "") or label_replace(sum(increase({selector}')


def victim_and_attacker():
    evil = make_agreement(
        replace(EVENTS, source=src(good=attack(mine(ps.GOOD_SEL, 0), "1.good"),
                                   total=mine(ps.TOTAL_SEL, 0))), tz=BERLIN, id="evil")
    victim = make_agreement(
        replace(EVENTS, source=src(good=mine(ps.GOOD_SEL, 1), total=mine(ps.TOTAL_SEL, 1))),
        tz=BERLIN, id="victim")
    return evil, victim


@pytest.mark.prometheus
def test_a_forged_part_for_another_objective_is_not_credited(
    prometheus, tmp_path, monkeypatch
) -> None:
    """Even when the pooled query's text check is bypassed too, the answer's series are
    credited only to the part that asked for them."""
    monkeypatch.setattr(prom, "pooled_problem", lambda *args: "")
    evil, victim = victim_and_attacker()
    res = pull([evil, victim], make_settings(tmp_path / "both", prometheus.url, whole_days=True),
               NOW, start=START)
    alone = pull([victim], make_settings(tmp_path / "alone", prometheus.url, whole_days=True),
                 NOW, start=START)
    got = res.measurements[("victim", "availability")]
    assert got.points == alone.measurements[("victim", "availability")].points
    assert all(p.has_data for p in got.points) and not got.gaps
    # the attacker's own objective: no figure at all, a failed source with the reason
    bad = res.measurements[("evil", "availability")]
    assert not any(p.has_data for p in bad.points)
    assert bad.gaps[0].fault
    assert "answered a series that no expression of the query produces" in bad.gaps[0].reason


@pytest.mark.prometheus
def test_a_pooled_query_a_selector_rewrites_is_never_sent(
    prometheus, tmp_path, monkeypatch
) -> None:
    sent: list[str] = []
    post = prom.PrometheusClient._post

    def recorded(client, path, data, result_type):
        sent.append(str(data["query"]))
        return post(client, path, data, result_type)

    monkeypatch.setattr(prom.PrometheusClient, "_post", recorded)
    evil, victim = victim_and_attacker()
    res = pull([evil, victim], make_settings(tmp_path / "both", prometheus.url, whole_days=True),
               NOW, start=START)
    assert sent and not any("vector(1e9)" in q and mine(ps.TOTAL_SEL, 1) in q for q in sent)
    got = res.measurements[("victim", "availability")]
    monkeypatch.setattr(prom.PrometheusClient, "_post", post)
    alone = pull([victim], make_settings(tmp_path / "alone", prometheus.url, whole_days=True),
                 NOW, start=START)
    assert got.points == alone.measurements[("victim", "availability")].points
    assert not any(p.has_data for p in res.measurements[("evil", "availability")].points)


def test_a_part_that_reaches_into_its_neighbours_is_seen_before_the_query_is_sent() -> None:
    """Two selectors of an attacker around a victim's part (the attacker owns two
    agreements): each piece of text is unbalanced alone, the whole parses, and would
    multiply the victim's series, its label included, so no check of the answer could
    tell. The parse of each part on its own finds it, before anything is sent."""
    honest = [("t.0.good", "sum(increase(ok_total[1d]))"),
              ("t.0.total", "sum(increase(all_total[1d]))")]
    assert pooled_problem(combined(honest), honest, PART) == ""
    sandwich = [  # (the tag of the part names does not help here: nothing forges a name)
        ("t.0.good", f'sum(increase(a[1d])), "{PART}", "t.0.good", "", "") or '
                     "1e9 * (label_replace(vector(1)"),
        ("t.1.good", "sum(increase(ok_total[1d]))"),
        ("t.2.good", 'vector(2) < 0, "q", "x", "", "")) or label_replace(vector(3)'),
    ]
    query = combined(sandwich)
    assert "1000000000 * (label_replace" in str(parse(query))  # the server would run it
    assert pooled_problem(query, sandwich, PART) == (
        "a part is not valid PromQL: unexpected right parenthesis ')'")
    # a part that parses alone but hides the rest of the line behind a comment
    comment = [("t.0.good", "sum(increase(ok_total[1d])) # "), *honest[1:]]
    assert pooled_problem(combined(comment), comment, PART) != ""
