"""From git to evaluation: a target raised mid-quarter with an effective date judges the
earlier months by the old target and the later by the new one."""

from __future__ import annotations

from datetime import datetime

from gitrepo import Repo, sla

from slacode.evaluate import evaluate
from slacode.history import versions
from slacode.load import load_text
from slacode.pull.base import Counts, CountSeries

PATH = "slas/payments-api.yaml"


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def first_quarter(repo: Repo) -> tuple:
    """The agreement as it is now, evaluated over Q1 2026 (99.92 % every hour) with its
    versions from git."""
    today, _ = load_text((repo.path / PATH).read_text(), PATH)
    assert today is not None
    start, now = ts("2026-01-01T00:00:00+00:00"), ts("2026-04-01T00:00:00+00:00")
    hourly = tuple(Counts(t, t + 3600, 9992.0, 10000.0) for t in range(start, now, 3600))
    data = {("payments-api", "availability"): CountSeries("payments-api", "availability", 3600,
                                                          hourly, as_of=now)}
    return evaluate([today], data, now, history_months=3, versions=versions(repo.path))


def test_target_changed_mid_quarter_applies_from_its_effective_date(repo: Repo) -> None:
    repo.commit("Add", {PATH: sla(target=99.9)}, date="2025-12-20T10:00:00+00:00")
    # merged in January, effective from February: the middle of the first quarter
    repo.commit("Raise target", {PATH: sla(version=2, effective="2026-02-01", target=99.95)},
                date="2026-01-20T10:00:00+00:00")
    (out,) = first_quarter(repo)
    got = {p.period: (p.agreement_version, p.target, p.verdict) for p in out.periods
           if p.objective == "availability" and p.period.startswith("2026-0")}
    assert got["2026-01"] == (1, 99.9, "met")  # 99.92% against the old 99.9%
    assert got["2026-02"] == (2, 99.95, "breached")  # the same 99.92% against the new 99.95%
    assert got["2026-03"] == (2, 99.95, "breached")


def test_periods_judged_by_a_version_the_audience_cannot_see_are_left_out(repo: Repo) -> None:
    from slacode.pipeline import judged_in_view

    # internal while being tried out (99.99 %), published from February (99.9 %)
    internal = sla(target=99.99).replace("visibility: public", "visibility: internal")
    assert "visibility: internal" in internal
    repo.commit("Try out", {PATH: internal}, date="2025-12-20T10:00:00+00:00")
    repo.commit("Publish", {PATH: sla(version=2, effective="2026-02-01", target=99.9)},
                date="2026-01-20T10:00:00+00:00")
    results = first_quarter(repo)
    vs = versions(repo.path)

    def months(res: tuple) -> dict[str, float]:
        return {p.period: p.target for p in res[0].periods
                if p.objective == "availability" and p.period.startswith("2026-0")}

    assert months(results)["2026-01"] == 99.99
    public = months(judged_in_view(results, vs, "public"))
    assert "2026-01" not in public and public["2026-02"] == 99.9
    assert months(judged_in_view(results, vs, "internal"))["2026-01"] == 99.99
