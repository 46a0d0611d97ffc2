"""The semantic diff in words, over agreements built by hand: what changed and whether
it weakens a promise for customers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from slacode.durations import Duration
from slacode.history.semdiff import Change, diff_agreements, weakening_first
from slacode.model import (
    Agreement,
    Calendar,
    Continuity,
    Credits,
    CreditTier,
    MaintenancePolicy,
    Objective,
    Priority,
    Source,
    Support,
    Window,
)

D = Duration.parse


def objective(id: str = "availability", **kw: object) -> Objective:
    base = dict(id=id, kind="availability", target=99.9, window=Window("month"),
                source=Source("file", path="data/x.csv"))
    base.update(kw)
    return Objective(**base)  # type: ignore[arg-type]


BASE = Agreement(
    id="payments-api", name="Payments API", version=1, effective=date(2026, 1, 1),
    path="slas/payments-api.yaml",
    scope=("REST API", "Webhooks"), exclusions=("Sandbox",),
    support=Support(hours="office"),
    calendars=(Calendar("office", "Asia/Shanghai", start=time(9), end=time(18)),),
    objectives=(
        objective(),
        objective("latency", kind="latency", target=99.0, threshold=D("300ms")),
        objective("p1-response", kind="response-time", target=100, window=Window("quarter"),
                  priority="P1", within=D("15m")),
        objective("satisfaction", kind="satisfaction", method="mean", target=4.2,
                  min_responses=20),
    ),
    priorities=(Priority("P1", response=D("15m"), resolution=D("4h")),),
    maintenance_policy=MaintenancePolicy(notice=D("7d")),
    credits=Credits("availability", (CreditTier(99.9, 10), CreditTier(99.0, 25),
                                     CreditTier(95.0, 100)), cap=100, claim_within=D("30d")),
    continuity=Continuity(rto=D("4h")),
)


def with_objective(a: Agreement, oid: str, **kw: object) -> Agreement:
    return replace(a, objectives=tuple(replace(o, **kw) if o.id == oid else o
                                       for o in a.objectives))


def one(old: Agreement, new: Agreement) -> Change:
    changes = [c for c in diff_agreements(old, new) if c.promise]
    assert len(changes) == 1, changes
    return changes[0]


@pytest.mark.parametrize(("new", "what", "weakens"), [
    (with_objective(BASE, "availability", target=99.95),
     "monthly availability target 99.9% → 99.95%", False),
    (with_objective(BASE, "availability", target=99.5),
     "monthly availability target 99.9% → 99.5%", True),
    (with_objective(BASE, "latency", threshold=D("500ms")),
     "monthly latency threshold 300 milliseconds → 500 milliseconds", True),
    (with_objective(BASE, "p1-response", within=D("30m")),
     "quarterly P1 response within 15 minutes → 30 minutes", True),
    (with_objective(BASE, "p1-response", clock="office"),
     "quarterly P1 response clock 24x7 → office", True),
    (with_objective(BASE, "satisfaction", target=4.0),
     "monthly satisfaction target 4.2 → 4", True),
    (with_objective(BASE, "satisfaction", min_responses=50),
     "monthly satisfaction minimum responses 20 → 50", True),
    (replace(BASE, credits=replace(BASE.credits, tiers=(
        CreditTier(99.9, 10), CreditTier(99.0, 30), CreditTier(95.0, 100)))),
     "credit for below 99.0% raised 25% → 30%", False),
    (replace(BASE, credits=replace(BASE.credits, tiers=(
        CreditTier(99.9, 5), CreditTier(99.0, 25), CreditTier(95.0, 100)))),
     "credit for below 99.9% lowered 10% → 5%", True),
    (replace(BASE, credits=replace(BASE.credits, tiers=(
        CreditTier(99.5, 10), CreditTier(99.0, 25), CreditTier(95.0, 100)))),
     "credit of 10% now below 99.5% (was below 99.9%)", True),
    (replace(BASE, credits=replace(BASE.credits, tiers=(
        CreditTier(99.9, 10), CreditTier(95.0, 100)))),
     "credit tier removed: 25% below 99.0%", True),
    (replace(BASE, credits=replace(BASE.credits, cap=50)), "credit cap 100% → 50%", True),
    (replace(BASE, credits=replace(BASE.credits, claim_within=D("60d"))),
     "credit claim window 30 days → 60 days", False),
    (replace(BASE, credits=replace(BASE.credits, claim_within=D("14d"))),
     "credit claim window 30 days → 14 days", True),
    (replace(BASE, credits=None), "service credits removed", True),
    (replace(BASE, scope=("REST API",)), "scope removed: Webhooks", True),
    (replace(BASE, scope=("REST API", "Webhooks", "gRPC")), "scope added: gRPC", False),
    (replace(BASE, exclusions=("Sandbox", "Beta regions")), "exclusion added: Beta regions", True),
    (replace(BASE, exclusions=()), "exclusion removed: Sandbox", False),
    (replace(BASE, calendars=(Calendar("office", "Asia/Shanghai", start=time(8), end=time(20)),)),
     "support hours now 08:00–20:00 (were 09:00–18:00)", False),
    (replace(BASE, calendars=(Calendar("office", "Asia/Shanghai", start=time(10), end=time(18)),)),
     "support hours now 10:00–18:00 (were 09:00–18:00)", True),
    (replace(BASE, calendars=(Calendar("office", "Asia/Shanghai", weekdays=(0, 1, 2, 3),
                                       start=time(9), end=time(18)),)),
     "support days now Mon–Thu (were Mon–Fri)", True),
    (replace(BASE, support=Support(hours="24x7")),
     "support hours now 24x7 (was Mon–Fri 09:00–18:00)", False),
    (replace(BASE, objectives=BASE.objectives[:3]),
     "objective satisfaction removed (monthly satisfaction target 4.2)", True),
    (replace(BASE, priorities=(Priority("P1", response=D("30m"), resolution=D("4h")),)),
     "P1 response 15 minutes → 30 minutes", True),
    (replace(BASE, priorities=(Priority("P1", response=D("10m"), resolution=D("4h")),)),
     "P1 response 15 minutes → 10 minutes", False),
    (replace(BASE, maintenance_policy=MaintenancePolicy(notice=D("3d"))),
     "maintenance notice 7 days → 3 days", True),
    (replace(BASE, maintenance_policy=MaintenancePolicy(notice=D("2w"))),
     "maintenance notice 7 days → 2 weeks", False),
    (replace(BASE, continuity=Continuity(rto=D("1d"))),
     "recovery time objective 4 hours → 1 day", True),
    (replace(BASE, continuity=Continuity(rto=D("4h"), priorities=("P1",))),
     "disaster priority added: P1", False),
])
def test_change_in_words_and_whether_it_weakens(new: Agreement, what: str, weakens: bool) -> None:
    c = one(BASE, new)
    assert (c.what, c.weakens) == (what, weakens)


def test_no_longer_judging_a_priority_against_the_rto_is_a_weaker_promise() -> None:
    before = replace(BASE, continuity=Continuity(rto=D("4h"), priorities=("P1",)))
    c = one(before, BASE)
    assert (c.what, c.weakens, c.pointer) == ("disaster priority removed: P1", True,
                                              "/continuity/priorities")


@pytest.mark.parametrize(("before", "after", "weakens"), [
    ("public", "internal", True),  # the public promise is withdrawn
    ("public", "customer:acme", True),
    ("customer:acme", "internal", True),
    ("internal", "public", False),
    ("customer:acme", "public", False),
])
def test_a_narrower_audience_is_a_weaker_promise(before: str, after: str, weakens: bool) -> None:
    (c,) = diff_agreements(replace(BASE, visibility=before), replace(BASE, visibility=after))
    assert c.what == f"visibility {before} → {after}"
    assert (c.weakens, c.promise) == (weakens, weakens)


def test_same_agreement_has_no_changes() -> None:
    assert diff_agreements(BASE, replace(BASE)) == ()


def test_bookkeeping_is_not_a_promise() -> None:
    new = replace(BASE, version=2, effective=date(2027, 1, 1), owners=("team-x",),
                  name="Payments", internal_notes="INTERNAL-MARKER-7f3a")
    changes = diff_agreements(BASE, new)
    assert [c.what for c in changes] == [
        "version 1 → 2", "effective 2026-01-01 → 2027-01-01", "name 'Payments API' → 'Payments'",
        "owners now team-x"]
    assert not any(c.promise or c.weakens for c in changes)


def test_internal_notes_never_reach_the_diff() -> None:
    new = replace(with_objective(BASE, "availability", internal_notes="INTERNAL-MARKER-7f3a"),
                  internal_notes="INTERNAL-MARKER-7f3a")
    assert all("INTERNAL-MARKER" not in c.what for c in diff_agreements(BASE, new))


def test_added_and_removed_agreements() -> None:
    (added,) = diff_agreements(None, BASE)
    assert added.what == "agreement payments-api added (version 1, effective 2026-01-01)"
    (removed,) = diff_agreements(BASE, None)
    assert removed.weakens


def test_pointer_locates_the_change_in_the_new_file() -> None:
    c = one(BASE, with_objective(BASE, "latency", target=98.0))
    assert c.pointer == "/objectives/1/target"


def test_weakening_changes_come_first() -> None:
    new = replace(with_objective(BASE, "availability", target=99.95), version=2,
                  scope=("REST API",))
    order = [c.what for c in weakening_first(diff_agreements(BASE, new))]
    assert order[0] == "scope removed: Webhooks"
    assert order[-1] == "version 1 → 2"


def test_dependencies_are_counted_not_named() -> None:
    """A dependency may be an internal agreement: a public change log must not name it."""
    changes = diff_agreements(BASE, replace(BASE, depends_on=("auth-internal",)))
    assert [c.what for c in changes] == ["dependencies on other services changed (0 → 1)"]
    assert not changes[0].promise


def test_a_calendar_named_hours_keeps_its_name_when_its_days_change() -> None:
    office = Calendar("office-hours", "Asia/Shanghai", start=time(9), end=time(18))
    old = replace(BASE, calendars=(*BASE.calendars, office))
    new = replace(BASE, calendars=(*BASE.calendars, replace(office, weekdays=(0, 1))))
    assert [c.what for c in diff_agreements(old, new)] == [
        "business days of calendar office-hours now Mon, Tue (were Mon–Fri)"]


def test_a_longer_review_cadence_and_a_removed_complaint_channel_are_weaker_promises() -> None:
    """The policy promises both (complaint handling, contract review): neither is "not a
    promise", and the customer reads them among the weaker promises."""
    from slacode.model import Review

    old = replace(BASE, complaints="complaints@example.com",
                  review=Review(every=D("3mo"), last=date(2026, 1, 1)))
    stretched = replace(old, complaints="", review=Review(every=D("12mo"),
                                                          last=date(2026, 1, 1)))
    changes = {c.what: c for c in diff_agreements(old, stretched)}
    review = changes["review every 3 months → 12 months"]
    gone = changes["complaints channel removed: complaints@example.com"]
    assert review.weakens and review.promise and gone.weakens and gone.promise
    # the other way round is stronger; a new date of the last review is bookkeeping
    back = {c.what: c for c in diff_agreements(stretched, replace(
        old, review=Review(every=D("3mo"), last=date(2026, 6, 1))))}
    assert not back["review every 12 months → 3 months"].weakens
    assert back["review every 12 months → 3 months"].promise
    assert not back["complaints channel added: complaints@example.com"].weakens
    assert not back["last review 2026-06-01"].promise
    moved = diff_agreements(old, replace(old, complaints="https://example.com/complain"))
    assert [(c.what, c.weakens, c.promise) for c in moved] == [
        ("complaints channel now https://example.com/complain", False, False)]


def test_a_change_carries_its_code_and_raw_params_beside_its_words() -> None:
    c = one(BASE, with_objective(BASE, "availability", target=99.95))
    assert c.what == "monthly availability target 99.9% → 99.95%"
    assert c.code == "objective-target"
    assert (c.params["objective"], c.params["old"], c.params["new"]) == ("availability", 99.9,
                                                                         99.95)


def test_a_change_survives_json_and_pickle_and_an_old_record_still_loads() -> None:
    import dataclasses
    import json
    import pickle

    changes = diff_agreements(BASE, replace(
        with_objective(BASE, "availability", target=99.95, within=D("1h")),
        scope=("API", "Webhooks"), version=2, effective=date(2026, 2, 1)))
    assert len(changes) >= 3
    for c in changes:
        # what the history store keeps (JSON or pickle) gives the same change back
        assert Change(**json.loads(json.dumps(dataclasses.asdict(c)))) == c
        assert pickle.loads(pickle.dumps(c)) == c
    # a change stored before codes existed loads without them: pages show its words
    old = Change.__new__(Change)
    old.__setstate__({"what": "scope added: X", "weakens": False, "promise": True,
                      "pointer": "/service/scope"})
    assert (old.what, old.code, dict(old.params)) == ("scope added: X", "", {})
