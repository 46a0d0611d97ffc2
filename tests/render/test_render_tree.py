"""The rendered tree: what each audience gets, in which words, and that data files agree."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
import render_sample as sample

from slacode.render import render
from slacode.render.strings import LANGUAGES, STRINGS

ATOM = "{http://www.w3.org/2005/Atom}"


def _render(audience: str = "public", **kw: object) -> dict[str, str]:
    kw.setdefault("incidents", sample.incidents())
    return render(
        sample.agreements(kw.pop("hostile", False)),
        sample.results(),
        now=sample.NOW,
        audience=audience,
        **kw,
    )


def test_public_build_has_only_public_services_and_no_internal_text() -> None:
    files = _render("public")
    assert "services/payments-api.md" in files and "services/support-desk.md" in files
    assert not any("acme" in p or "auth-internal" in p for p in files)
    for path, content in files.items():
        assert sample.MARKER not in content, path
        assert "auth-internal" not in content, path  # not even the id of an internal dependency


def test_customer_build_adds_that_customer_only() -> None:
    files = _render("customer:acme")
    assert "services/acme-analytics.md" in files
    assert not any("auth-internal" in p for p in files)
    assert all(sample.MARKER not in c for c in files.values())
    assert "services/acme-analytics.md" not in _render("customer:other")


def test_internal_build_shows_internal_services_and_notes() -> None:
    files = _render("internal")
    assert "services/auth-internal.md" in files
    page = files["services/payments-api.md"]
    assert "pager rota" in page and "objective note" in page
    assert "secret" in page  # incidents not visible to customers are shown internally only


def test_incidents_hidden_from_customers_stay_hidden() -> None:
    page = _render()["services/payments-api.md"]
    assert "INC-1" in page and "INC-2" not in page


def test_service_page_sections_and_figures() -> None:
    page = _render()["services/payments-api.md"]
    for heading in (
        "## This period",
        "## Last 90 days",
        "## Past periods",
        "## Incidents",
        "## Maintenance",
        "### Objectives",
        "### Incident priorities",
        "### Service credits",
        "### Escalation",
        "### Risk and continuity",
        "### Contract and review",
        "## Change history",
    ):
        assert heading in page
    assert "99.995%" in page  # a closed period's figure
    assert "30% (1,500.00 USD)" in page  # the credit of the breached month
    assert 'data-period="2025-10"' in page  # 13 closed periods + the open one are listed
    assert "The review is overdue." in page
    assert page.count("<title>") >= 91  # strip title + one per day
    assert "No data" in page


def test_no_data_is_never_shown_as_met() -> None:
    page = _render()["services/payments-api.md"]
    row = next(line for line in page.splitlines() if 'data-period="2026-05"' in line)
    assert "slc-chip-no-data" in row and "slc-chip-met" not in row


def test_unsafe_links_are_text() -> None:
    # the escalation addresses are private: the internal build shows them
    page = _render("internal")["services/payments-api.md"]
    assert 'href="javascript' not in page.lower()
    assert "javascript&#58;alert&#40;5&#41;" in page
    assert 'href="mailto&#58;oncall&#64;example.com"' in page


def test_hostile_description_is_escaped_in_every_file() -> None:
    files = _render(hostile=True)
    page = files["services/payments-api.md"]
    assert "<script>" not in page and "<img src=x" not in page
    assert "&#60;script&#62;" in page
    assert "<img src=x" not in page and "](javascript" not in page
    data = json.loads(files["api/payments-api.json"])
    assert data["agreement"]["description"] == sample.HOSTILE  # JSON stays JSON: exact text
    assert data["agreement"]["name"] == sample.HOSTILE_NAME
    title = page.split("\n")[1]
    assert title.startswith("title: ") and "<" not in title and ">" not in title


def test_json_matches_results_and_csv_matches_json() -> None:
    files = _render()
    data = json.loads(files["api/payments-api.json"])
    res = next(r for r in sample.results() if r.service == "payments-api")
    assert data["periods"] == [json.loads(json.dumps(p.as_dict())) for p in res.periods]
    rows = list(csv.DictReader(io.StringIO(files["api/payments-api.csv"])))
    assert len(rows) == len(res.periods)
    aug = next(r for r in rows if r["objective"] == "availability" and r["period"] == "2026-08")
    assert aug["verdict"] == "breached" and float(aug["credit_percent"]) == 30.0
    listing = json.loads(files["api/services.json"])
    assert [s["id"] for s in listing["services"]] == ["payments-api", "support-desk"]


def test_feed_is_valid_atom_with_breaches_and_maintenance() -> None:
    root = ET.fromstring(_render(hostile=True)["feed.xml"])
    titles = [e.find(ATOM + "title").text for e in root.iter(ATOM + "entry")]
    assert any("breached in August 2026" in t for t in titles)
    assert any(t.startswith(sample.HOSTILE_NAME + ":") for t in titles)  # literal, not markup
    assert any("maintenance" in t for t in titles)


def test_badges_are_svg() -> None:
    files = _render()
    for path in ("badges/payments-api.svg", "badges/payments-api/availability.svg"):
        root = ET.fromstring(files[path])
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "At risk" in files["badges/payments-api.svg"]


def test_same_inputs_same_files() -> None:
    assert _render() == _render()


def test_chinese_words_come_from_the_string_table() -> None:
    page = _render(language="zh")["services/payments-api.md"]
    assert "## 本周期" in page and "## 历史周期" in page
    assert "## This period" not in page
    # what the error budget counts is said in Chinese too; the JSON keeps evaluation's word
    assert "本月允许的慢请求：500 · 已用 120，消耗速率 0.3" in page
    assert " events" not in page


def test_string_table_is_complete() -> None:
    for key, entry in STRINGS.items():
        for lang in LANGUAGES:
            assert entry.get(lang), f"{key} has no {lang}"
        fields = {lang: sorted(_fields(entry[lang])) for lang in LANGUAGES}
        assert len({tuple(v) for v in fields.values()}) == 1, key


def _fields(words: str) -> set[str]:
    import string

    return {f for _, f, _, _ in string.Formatter().parse(words) if f}


@pytest.mark.parametrize("bad_id", ["../escape", "a/b"])
def test_ids_that_would_escape_the_tree_fail_cleanly(bad_id: str) -> None:
    from dataclasses import replace

    from slacode.problems import SlacodeError

    ag = replace(sample.agreements()[0], id=bad_id)
    with pytest.raises(SlacodeError, match="unsafe id"):
        render([ag], (), now=sample.NOW)


def test_change_history_and_restatements_are_shown_and_fed() -> None:
    from dataclasses import replace
    from datetime import UTC, date, datetime

    from slacode.evaluate.results import Restatement
    from slacode.history import Change, ChangeEntry
    from slacode.ledger import Restated

    entry = ChangeEntry(
        service="payments-api",
        path="slas/payments-api.yaml",
        commit="abc123",
        author="someone",
        date=datetime(2026, 6, 1, tzinfo=UTC),
        subject="raise target",
        pr=12,
        version=3,
        effective=date(2026, 7, 1),
        changes=(Change("monthly availability target 99.9% → 99.95%"),),
    )
    res = list(sample.results())
    pay = res[0]
    periods = tuple(
        replace(p, restatements=(Restatement("2026-11-02T00:00:00+00:00", "late data"),))
        if (p.objective, p.period) == ("availability", "2026-09")
        else p
        for p in pay.periods
    )
    res[0] = replace(pay, periods=periods)
    restated = (
        Restated(
            "payments-api", "availability", "2026-09", "late data", "2026-11-02T00:00:00+00:00"
        ),
    )
    files = render(
        sample.agreements(),
        res,
        now=sample.NOW,
        history={"payments-api": (entry,)},
        restatements=restated,
    )
    page = files["services/payments-api.md"]
    assert "monthly availability target 99.9% → 99.95%" in page.replace("&#58;", ":")
    # the change's reason (its commit subject here) is shown, who committed it is not
    assert "Why: raise target · pull request #12" in page and "someone" not in page
    row = next(line for line in page.splitlines() if 'data-period="2026-09"' in line)
    assert "Restated" in row
    assert "late data" in page
    titles = [
        e.find(ATOM + "title").text for e in ET.fromstring(files["feed.xml"]).iter(ATOM + "entry")
    ]
    assert any("agreement changed (version 3, effective 1 Jul 2026)" in t for t in titles)
    assert any("restated" in t for t in titles)


def test_a_chinese_site_shows_the_change_history_in_chinese() -> None:
    from datetime import UTC, date, datetime

    from slacode.history import Change, ChangeEntry

    entry = ChangeEntry(
        service="payments-api", path="slas/payments-api.yaml", commit="abc123",
        author="someone", date=datetime(2026, 6, 1, tzinfo=UTC), subject="s", pr=None,
        version=3, effective=date(2026, 7, 1),
        changes=(Change("monthly availability target 99.9% → 99.95%", code="objective-target",
                        params={"objective": "availability", "window": "month", "days": 0,
                                "kind": "availability", "priority": "", "ambiguous": False,
                                "old": 99.9, "new": 99.95, "unit": "%", "old_unit": "%"}),
                 Change("scope added: <script>alert(1)</script> REST", promise=True,
                        code="item-added",
                        params={"list": "scope", "item": "<script>alert(1)</script> REST"}),
                 # stored before changes carried codes: shown as it came
                 Change("a line this version does not know")),
    )
    files = render(sample.agreements(), sample.results(), now=sample.NOW, language="zh",
                   history={"payments-api": (entry,)})
    page = files["services/payments-api.md"]
    history = page[page.index("## 变更历史"):]
    assert "月度可用性目标 99.9% → 99.95%" in history
    assert "monthly availability" not in history
    # the agreement's own text is kept, as text; an unknown line comes as it is
    assert "服务范围新增：<script>alert(1)</script> REST" in html.unescape(history)
    assert "<script>" not in page
    assert "a line this version does not know" in history
    feed = ET.fromstring(files["feed.xml"])
    summaries = [e.text or "" for e in feed.iter() if e.tag in (ATOM + "summary", ATOM + "content")]
    assert any("月度可用性目标 99.9% → 99.95%" in s for s in summaries), summaries
    # English data stays English: the English site and the entry itself are unchanged
    en = render(sample.agreements(), sample.results(), now=sample.NOW,
                history={"payments-api": (entry,)})["services/payments-api.md"]
    assert "monthly availability target 99.9% → 99.95%" in en
    assert entry.changes[0].what == "monthly availability target 99.9% → 99.95%"


@pytest.mark.parametrize("bad", ["../escaped", "a/../../b"])
def test_an_id_that_would_leave_the_output_folder_is_refused(bad: str, tmp_path) -> None:
    """The loader rejects such ids; render refuses them too, should one get this far."""
    from dataclasses import replace

    from slacode.problems import SlacodeError
    from slacode.render.output import write_tree

    agreements = list(sample.agreements())
    agreements[0] = replace(agreements[0], id=bad)
    with pytest.raises(SlacodeError, match=r"unsafe id for a file name"):
        render(agreements, sample.results(), now=sample.NOW)
    with pytest.raises(ValueError, match="refusing to write outside"):
        write_tree({f"../{bad}.md": "x"}, tmp_path / "out")
    assert list(tmp_path.rglob("*.md")) == []


def _with_chain_figure(service: str, value: float) -> list:
    """The sample results with ``value`` as the chain figure of every availability period
    of ``service``."""
    def chained(ps: tuple) -> tuple:
        return tuple(replace(p, composite=value) if p.objective == "availability" else p
                     for p in ps)

    return [replace(r, periods=chained(r.periods), current=chained(r.current))
            if r.service == service else r for r in sample.results()]


def test_dependency_chain_figure_only_where_every_dependency_is_shown() -> None:
    # payments-api depends on auth-internal: the product of the dependencies' figures would
    # be auth-internal's own figure, so only the internal build may show it
    res = _with_chain_figure("payments-api", 99.123)
    public = render(sample.agreements(), res, now=sample.NOW, audience="public")
    internal = render(sample.agreements(), res, now=sample.NOW, audience="internal")
    assert "99.123" not in public["services/payments-api.md"]
    assert "99.123" not in public["api/payments-api.json"]
    page = internal["services/payments-api.md"]
    # below the 99.95 % target, and said so
    assert "its dependencies together 99.123%, below this target" in page
    assert '"composite":99.123' in internal["api/payments-api.json"]


def test_chart_labels_are_escaped_once() -> None:
    # an objective name with "(", "&" and ":" reads the same in the charts' accessible names
    # as in the text: the words were escaped once, not a second time by the chart
    ags = [replace(a, objectives=tuple(replace(o, name="Availability (EU & US): 5xx-free")
                                       if o.id == "availability" else o
                                       for o in a.objectives))
           for a in sample.agreements()]
    page = render(ags, sample.results(), now=sample.NOW)["services/payments-api.md"]
    titles = re.findall(r"<title>([^<]*)</title>", page)
    assert titles and any("EU" in t for t in titles)
    assert not any("&#38;#" in t or "&amp;#" in t for t in titles)
    assert all(html.unescape(t).count("&") <= t.count("&") for t in titles)
    assert any(html.unescape(t).startswith("Availability (EU & US): 5xx-free") for t in titles)


def test_period_reports_list_every_shown_service_with_change_and_credits() -> None:
    files = _render("public")
    index = files["reports/index.md"]
    months = re.findall(r'data-period="(\d{4}-\d{2})"', index)
    assert months and months == sorted(months, reverse=True)  # newest first
    assert "(open)" in index.split(f'data-period="{months[0]}"')[1].split("</tr>")[0]
    for m in months:
        assert f"reports/{m}.md" in files
    # a month payments-api missed: its row says by how much it moved and what is owed
    res = {r.service: r for r in sample.results()}
    missed = [p for p in res["payments-api"].periods if p.objective == "availability"
              and p.credit is not None and p.credit.percent]
    assert missed
    p = missed[-1]
    page = files[f"reports/{p.period}.md"]
    row = page.split('data-service="payments-api" data-objective="availability"')[1]
    row = row.split("</tr>")[0]
    assert "Breached" in row and f"{p.credit.amount:,.2f} USD" in row
    assert "▼" in row or "▲" in row or "—" in row
    assert "Credits owed" in page
    # only the audience's services: nothing of the internal one, in any report
    assert not any("auth-internal" in c for k, c in files.items() if k.startswith("reports/"))
    assert "reports/" in files["index.md"]  # linked from the overview


def test_a_service_outside_its_term_says_so_instead_of_only_no_data() -> None:
    from datetime import date

    ags = [replace(a, effective=date(2027, 1, 1)) if a.id == "payments-api" else a
           for a in sample.agreements()]
    res = [replace(r, periods=(), current=()) if r.service == "payments-api" else r
           for r in sample.results()]
    page = render(ags, res, now=sample.NOW)["services/payments-api.md"]
    assert "This agreement takes effect on 1 Jan 2027; nothing is judged before." in page
    ended = [replace(a, contract=replace(a.contract, end=date(2026, 6, 30)))
             if a.id == "payments-api" else a for a in sample.agreements()]
    page = render(ended, res, now=sample.NOW, language="zh")["services/payments-api.md"]
    assert "合同已于 2026年6月30日 结束" in page
    # with periods to show, no such line; but an ended contract is said whatever is shown
    assert "slc-term" not in render(sample.agreements(), sample.results(),
                                    now=sample.NOW)["services/payments-api.md"]
    page = render(ended, sample.results(), now=sample.NOW)["services/payments-api.md"]
    assert "The contract ended on 30 Jun 2026; nothing is judged after." in page
    # in force since a few days: the month and the window started before it
    recent = [replace(a, effective=date(2026, 11, 10)) if a.id == "payments-api" else a
              for a in sample.agreements()]
    closed = [replace(r, current=()) if r.service == "payments-api" else r
              for r in sample.results()]
    page = render(recent, closed, now=sample.NOW)["services/payments-api.md"]
    assert "This agreement took effect on 10 Nov 2026: a period is judged from the first" in page


def test_a_miss_by_an_incident_kept_from_customers_does_not_name_it() -> None:
    from slacode.evaluate.results import Miss

    def missed(ps: tuple) -> tuple:
        return tuple(replace(p, verdict="breached", misses=(
            Miss("P2 incident INC-2 first response after 3 hours (target 1 hour)", "", "",
                 "INC-2"),)) if p.objective == "availability" else p for p in ps)

    res = [replace(r, periods=missed(r.periods), current=missed(r.current))
           if r.service == "payments-api" else r for r in sample.results()]
    public = render(sample.agreements(), res, now=sample.NOW, incidents=sample.incidents())
    for path, content in public.items():
        assert "INC-2" not in content, path
    page = html.unescape(public["services/payments-api.md"])
    assert "P2 incident (not public) first response after 3 hours" in page
    internal = render(sample.agreements(), res, now=sample.NOW, audience="internal",
                      incidents=sample.incidents())
    assert "P2 incident INC-2 first response" in internal["services/payments-api.md"]


def test_a_report_compares_with_the_period_just_before_and_counts_fee_less_credits() -> None:
    from slacode.evaluate.results import Credit

    res = {r.service: r for r in sample.results()}
    pay = res["payments-api"]
    months = [p.period for p in pay.periods if p.objective == "availability"]
    gone, after = months[-4], months[-3]  # a month left out of this audience's view
    credited = months[-5]

    def edit(p):
        if p.objective == "availability" and p.period == credited:
            return replace(p, credit=Credit(25.0, None, "", 99.0, ""))
        return p

    pay = replace(pay, periods=tuple(edit(p) for p in pay.periods
                                     if not (p.objective == "availability" and p.period == gone)))
    files = render(sample.agreements(), [pay, *(r for r in res.values() if r is not pay
                                                 and r.service != "payments-api")],
                   now=sample.NOW)
    row = sample.unlabelled(files[f"reports/{after}.md"]).split(
        'data-service="payments-api" data-objective="availability"')[1].split("</tr>")[0]
    assert '<td class="slc-num">—</td>' in row  # no change against an older month
    page = files[f"reports/{credited}.md"]
    assert "Credits owed" in page and "25% (Payments API)" in html.unescape(page)


def test_no_chain_figure_from_dependencies_the_agreement_no_longer_names() -> None:
    # frozen or older periods may carry a chain figure of dependencies the agreement
    # has since dropped (or that an older version named): outside the internal build
    # only the current version's periods, with their dependencies known, may show one
    res = _with_chain_figure("acme-analytics", 99.321)
    ags = sample.agreements()
    acme = next(a for a in ags if a.id == "acme-analytics")
    assert not acme.depends_on
    files = render(ags, res, now=sample.NOW, audience="customer:acme")
    assert "99.321" not in files["services/acme-analytics.md"]
    assert "99.321" not in files["api/acme-analytics.json"]
    older = [replace(r, periods=tuple(replace(p, agreement_version=1) for p in r.periods),
                     current=tuple(replace(p, agreement_version=1) for p in r.current))
             for r in res]
    deps = [replace(a, depends_on=("payments-api",), version=3) if a.id == "acme-analytics"
            else a for a in ags]  # the results' periods were judged by version 3
    assert "99.321" in render(deps, res, now=sample.NOW,
                              audience="customer:acme")["api/acme-analytics.json"]
    assert "99.321" not in render(deps, older, now=sample.NOW,
                                  audience="customer:acme")["api/acme-analytics.json"]


def test_a_missed_day_names_its_incidents_but_not_the_hidden_ones() -> None:
    from slacode.evaluate.results import Miss

    def missed(ps: tuple) -> tuple:
        return tuple(replace(p, verdict="breached", misses=(
            Miss("2026-11-08: 98.953% (target 99.95%)", "", "", "INC-1, INC-2"),))
            if p.objective == "availability" else p for p in ps)

    res = [replace(r, periods=missed(r.periods), current=missed(r.current))
           if r.service == "payments-api" else r for r in sample.results()]
    public = render(sample.agreements(), res, now=sample.NOW, incidents=sample.incidents())
    page = html.unescape(public["services/payments-api.md"])
    # a miss frozen without a code is shown as its text, as it came
    assert "2026-11-08: 98.953% (target 99.95%) (incidents that day: INC-1)" in page
    assert all("INC-2" not in c for c in public.values())
    internal = render(sample.agreements(), res, now=sample.NOW, audience="internal",
                      incidents=sample.incidents())
    assert "(incidents that day: INC-1, INC-2)" in html.unescape(
        internal["services/payments-api.md"])


def test_a_chinese_history_names_an_added_objective_as_the_latest_file_translates_it() -> None:
    # version 2 (from git) has the plain English name; the file as it stands translates it
    from datetime import UTC, date, datetime

    from slacode.history import ChangeEntry, diff_agreements

    ags = sample.agreements()
    latest = next(a for a in ags if a.id == "payments-api")
    latest = replace(latest, translations=(("zh", "objective:latency:name", "快速响应"),))
    v2 = replace(latest, version=2, effective=date(2025, 6, 1), translations=(),
                 objectives=tuple(o for o in latest.objectives if o.id != "latency"))
    added = next(c for c in diff_agreements(v2, latest) if c.code == "objective-added")
    entry = ChangeEntry(
        service="payments-api", path="slas/payments-api.yaml", commit="abc1234",
        author="someone", date=datetime(2025, 12, 1, tzinfo=UTC), subject="add latency",
        pr=None, version=3, effective=date(2026, 1, 1),
        changes=(added,))
    files = render([latest if a.id == "payments-api" else a for a in ags], sample.results(),
                   now=sample.NOW, language="zh", history={"payments-api": (entry,)},
                   versions={"payments-api": (v2, latest)})
    page = files["services/payments-api.md"]
    history = page[page.index('data-table="history"'):]
    assert "<li>新增指标“快速响应”：目标 99%</li>" in html.unescape(
        history[:history.index("</table>")])
