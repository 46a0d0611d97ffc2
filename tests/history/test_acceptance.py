"""Customer acceptance of a version: ``diff --pr`` warns, naming the customer, on a new
version of a customer agreement that the customer has not accepted yet."""

from __future__ import annotations

import pytest
from gitrepo import Repo, sla

PATH = "slas/payments-api.yaml"
ACCEPTED = "acceptance: {by: 'Maria Keller, ACME IT', date: 2026-12-10}\n"


def for_acme(text: str) -> str:
    return text.replace("visibility: public", "visibility: customer:acme").replace(
        "customer: {name: All customers}", "customer: {name: ACME Corp}")


@pytest.fixture
def branched(repo: Repo) -> Repo:
    repo.commit("Add", {PATH: for_acme(sla()) + "acceptance: {by: ACME, date: 2025-12-01}\n"},
                date="2026-01-05T10:00:00+00:00")
    repo.git("checkout", "-q", "-b", "change")
    return repo


def test_a_new_customer_version_without_acceptance_is_a_warning_naming_the_customer(
        slacode, branched: Repo) -> None:
    text = for_acme(sla(version=2, effective="2027-01-01", target=99.95))
    branched.commit("Raise target", {PATH: text}, date="2026-12-01T10:00:00+00:00")
    r = slacode(branched, "diff", "main", "HEAD", "--pr")
    assert r.returncode == 0, r.stderr  # a warning: the customer may accept after merging
    assert (f"{PATH}:3:10: warning: payments-api: version 2 is for customer acme (ACME Corp), "
            "and it records no acceptance: record who at the customer accepted it and when "
            "(acceptance: {by, date}) once they have") in r.stderr
    assert "customer acme (ACME Corp)" in r.stdout  # in the pull request's comment too


def test_an_acceptance_carried_over_from_the_version_before_is_not_this_versions(
        slacode, branched: Repo) -> None:
    text = (for_acme(sla(version=2, effective="2027-01-01", target=99.95))
            + "acceptance: {by: ACME, date: 2025-12-01}\n")
    branched.commit("Raise target", {PATH: text}, date="2026-12-01T10:00:00+00:00")
    r = slacode(branched, "diff", "main", "HEAD", "--pr")
    assert "its acceptance is the one of version 1" in r.stderr


def test_an_accepted_customer_version_and_a_public_one_pass_without_it(
        slacode, repo: Repo) -> None:
    repo.commit("Add", {PATH: for_acme(sla()) + ACCEPTED,
                        "slas/web.yaml": sla(id="web")}, date="2026-01-05T10:00:00+00:00")
    repo.git("checkout", "-q", "-b", "change")
    repo.commit("Raise", {PATH: for_acme(sla(version=2, effective="2027-01-01",
                                             target=99.95)) + ACCEPTED.replace("12-10", "12-11"),
                          "slas/web.yaml": sla(id="web", version=2, effective="2027-01-01",
                                               target=99.95)},
                date="2026-12-01T10:00:00+00:00")
    r = slacode(repo, "diff", "main", "HEAD", "--pr")
    assert r.returncode == 0, r.stderr
    assert "acceptance" not in r.stderr
