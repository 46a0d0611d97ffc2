"""Pooled queries hold several agreements' expressions in one PromQL text: no agreement may
reach into another's figures (issue 17, item 1), and a server's warning about one
expression marks only the objective it is about, without its words on a page (item 7).

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
from test_pull_trust import GOOD_TOTAL, Stub, events, series_answer
from test_pull_trust import NOW as STUB_NOW
from test_pull_trust import START as STUB_START

import slacode.pull.client as prom_client
import slacode.pull.prometheus as prom
from slacode.evaluate import evaluate
from slacode.promql import pooled_problem
from slacode.pull import pull
from slacode.pull.planning import PART, combined
from slacode.render import render


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
    post = prom_client.PrometheusClient.post

    def recorded(client, path, data, result_type):
        sent.append(str(data["query"]))
        return post(client, path, data, result_type)

    monkeypatch.setattr(prom_client.PrometheusClient, "post", recorded)
    evil, victim = victim_and_attacker()
    res = pull([evil, victim], make_settings(tmp_path / "both", prometheus.url, whole_days=True),
               NOW, start=START)
    assert sent and not any("vector(1e9)" in q and mine(ps.TOTAL_SEL, 1) in q for q in sent)
    got = res.measurements[("victim", "availability")]
    monkeypatch.setattr(prom_client.PrometheusClient, "post", post)
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


# --- item 7: a warning marks only the objective whose expression it is about -------------

INTERNAL = "billing_ledger_internal_total"
SAID = f"PromQL info: metric {INTERNAL} might not be a counter"


def test_a_warning_about_one_expression_marks_only_its_objective(stubs, tmp_path) -> None:
    """A server that warns whenever a query reads the internal metric: pooled, the warning
    would have marked both services; asked again per objective, it marks the internal one
    only, and its words are in the run's warnings, not in any published reason."""
    base = series_answer(lambda name, t: 100.0)

    def answer(form: dict[str, str], headers: dict[str, str]) -> tuple[int, dict]:
        code, doc = base(form, headers)
        if INTERNAL in form["query"]:
            doc["warnings"] = [SAID]
        return code, doc

    stub = stubs(answer)
    public = make_agreement(GOOD_TOTAL, id="status")
    internal = replace(make_agreement(
        events(good=f'{INTERNAL}{{ok="1"}}', total=INTERNAL), id="billing"),
        visibility="internal")
    res = pull([public, internal], make_settings(tmp_path, stub.url, retries=0),
               STUB_NOW, STUB_START)
    ok = res.measurements[("status", "availability")]
    assert all(p.has_data for p in ok.points) and not ok.gaps and ok.warnings == ()
    warned = res.measurements[("billing", "availability")]
    assert not any(p.has_data for p in warned.points)
    assert warned.warnings == (SAID,)
    assert {g.reason for g in warned.gaps} == {
        "Prometheus server 'default' warned that its answer to this query may be partial "
        "(the warning is in the run's log)"}
    # the run's log names the objective the warning is about, and only that one
    said = [p.message for p in res.problems if p.code == "pull.warning"]
    assert said == [f"billing/availability: server warning: {SAID}"]
    # what the pages show: the public service is judged, and no reason quotes the server
    results = evaluate([public, internal], res.measurements, STUB_NOW, history_months=1)
    for r in results:
        for period in r.periods:
            assert not any(INTERNAL in reason.text for reason in period.reasons)
    status = next(r for r in results if r.service == "status")
    assert any(p.coverage > 0 for p in status.periods)
    pages = render([public, internal], results, now=STUB_NOW)
    assert pages and not any(INTERNAL in text for text in pages.values())
    inside = render([public, internal], results, now=STUB_NOW, audience="internal")
    assert any("warned that its answer to this query may be partial" in text
               for text in inside.values())
    # one pooled query warned, then each objective was asked alone
    assert [INTERNAL in r.get("query", "") for r in stub.requests] == [True, False, True]


@pytest.fixture
def stubs():
    made: list[Stub] = []

    def make(answer) -> Stub:
        made.append(Stub(answer))
        return made[-1]

    yield make
    for s in made:
        s.close()


@pytest.mark.parametrize(("odd", "why"), [
    ("twice", "answered two series for one expression of the query"),
    ("labelled", "answered a series that no expression of the query produces"),
    ("unasked", "answered a series that no expression of the query produces"),
])
def test_an_answer_that_does_not_add_up_per_expression_is_never_a_figure(
    stubs, tmp_path, odd: str, why: str
) -> None:
    """A server whose answer holds a part twice, a part with labels its ``sum`` cannot
    have, or a part nobody asked for: no series of it is added to any figure, and the
    objective says why. (The first series is a ``total``: twice, it used to be summed
    into a 50% figure.)"""
    base = series_answer(lambda name, t: 100.0)

    def answer(form: dict[str, str], headers: dict[str, str]) -> tuple[int, dict]:
        code, doc = base(form, headers)
        first = dict(doc["data"]["result"][0])
        if odd == "twice":
            doc["data"]["result"].append(first)
        elif odd == "labelled":
            first["metric"] = {**first["metric"], "instance": "a"}
            doc["data"]["result"][0] = first
        else:
            first["metric"] = {PART: "0.good"}
            doc["data"]["result"].append(first)
        return code, doc

    stub = stubs(answer)
    agreements = [make_agreement(GOOD_TOTAL, id="status"),
                  make_agreement(events(good='ok_total{job="y"}', total='all_total{job="y"}'),
                                 id="shop")]
    res = pull(agreements, make_settings(tmp_path, stub.url, retries=0), STUB_NOW, STUB_START)
    for agr in agreements:
        m = res.measurements[(agr.id, "availability")]
        assert not any(p.has_data for p in m.points)
        assert {g.reason for g in m.gaps} == {f"Prometheus server 'default' {why}: not counted"}
        assert all(g.fault for g in m.gaps)
    # asked pooled, then once per objective
    assert len(stub.requests) == 3
