"""What a build publishes passes the audience check of the version in force on the days it
describes: the 90-day strip, incidents and frozen ledger records of the time an agreement
was internal never reach a public build, even when a public agreement later takes the id.
Real git repositories and data files; the public pages and JSON are what is checked."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from gitrepo import Repo

from slacode.config import load_settings
from slacode.pipeline import run

NOW = "2026-11-26T00:00:00Z"
#: daily counts while internal: a figure no public file may hold
SECRET_GOOD, SECRET_TOTAL = 777777, 777800
PUBLIC_GOOD = 500000


def agreement(*, name: str, visibility: str, version: int = 1, effective: str = "2026-01-01",
              target: float = 99.5, id: str = "token-api") -> str:
    return f"""\
id: {id}
name: {name}
version: {version}
effective: {effective}
visibility: {visibility}
timezone: UTC
owners: [team-auth]
parties:
  provider: {{name: Example Cloud, contact: sla@example.com}}
  customer: {{name: Everyone}}
service:
  description: Token minting.
  scope: [Tokens]
support:
  hours: 24x7
objectives:
  - id: availability
    kind: availability
    target: {target}
    window: calendar-month
    source: {{file: {{path: data/requests.csv}}}}
  - id: p1-response
    kind: response-time
    priority: P1
    within: 15m
    clock: 24x7
    target: 100
    window: calendar-month
    source: {{incidents: {{path: data/incidents.csv}}}}
priorities:
  P1: {{response: 15m, resolution: 4h}}
"""

#: (id, opened, first response, resolved, title), all P1 and UTC
_INCIDENTS = (
    ("INC-INTERNAL-ERA", "2026-09-10T10:00", "2026-09-10T10:05", "2026-09-10T12:00",
     "Signing key leaked"),
    ("INC-SPANNING", "2026-09-30T22:00", "2026-09-30T22:05", "2026-10-01T02:00",
     "Overnight outage"),
    ("INC-PUBLIC-ERA", "2026-10-10T10:00", "2026-10-10T10:05", "2026-10-10T12:00",
     "Slow minting"),
)
INCIDENTS = "id,service,priority,opened,first_response,resolved,title,customer_visible\n" + "".join(
    f"{i},token-api,P1,{o}:00Z,{r}:00Z,{done}:00Z,{title},true\n"
    for i, o, r, done, title in _INCIDENTS)


def requests_csv(secret_until: str) -> str:
    """Daily counts for 2026: the secret figure before ``secret_until``, then all good."""
    rows, day = ["start,good,total"], date(2026, 1, 1)
    while day < date(2026, 11, 27):
        good, total = ((SECRET_GOOD, SECRET_TOTAL) if day.isoformat() < secret_until
                       else (PUBLIC_GOOD, PUBLIC_GOOD))
        rows.append(f"{day.isoformat()}T00:00:00Z,{good},{total}")
        day += timedelta(days=1)
    return "\n".join(rows) + "\n"


def built(repo: Repo, audience: str) -> dict[str, str]:
    result = run(load_settings(repo.path, now=NOW), audience=audience)
    assert result.ok, result.errors()
    return result.files


def secret_in(files: dict[str, str]) -> list[str]:
    return [name for name, text in files.items()
            if any(s in text for s in ("777777", "777,777", "777800", "777,800"))]


def published(repo: Repo, publish_on: str = "2026-10-01") -> None:
    """Internal from January, published (version 2) from ``publish_on``."""
    repo.commit("Try the token API out internally", {
        "slas/token-api.yaml": agreement(name="Token API", visibility="internal"),
        "data/requests.csv": requests_csv(publish_on),
        "data/incidents.csv": INCIDENTS,
    }, date="2025-12-20T10:00:00+00:00")
    repo.commit("Publish the token API", {"slas/token-api.yaml": agreement(
        name="Token API", visibility="public", version=2, effective=publish_on)},
        date="2026-09-20T10:00:00+00:00")


def test_the_strip_of_the_internal_days_stays_out_of_the_public_page_and_json(
        repo: Repo) -> None:
    published(repo)
    public = built(repo, "public")
    api = json.loads(public["api/token-api.json"])
    days = [d["date"] for d in api["daily"]["availability"]]
    assert days and min(days) == "2026-10-01" and max(days) == "2026-11-25"
    assert secret_in(public) == []
    assert "services/token-api.md" in public
    # an internal build shows the whole strip, the internal days included
    internal = built(repo, "internal")
    days = [d["date"] for d in json.loads(internal["api/token-api.json"])["daily"]["availability"]]
    assert min(days) == "2026-08-28" and len(days) == 90
    assert "api/token-api.json" in secret_in(internal)


def test_incidents_of_the_internal_time_stay_out_of_the_public_page(repo: Repo) -> None:
    published(repo)
    page = built(repo, "public")["services/token-api.md"]
    assert "INC-PUBLIC-ERA" in page and "Slow minting" in page
    for secret in ("INC-INTERNAL-ERA", "Signing key leaked", "INC-SPANNING"):
        assert secret not in page
    assert "Signing key leaked" in built(repo, "internal")["services/token-api.md"]


def test_a_strip_day_under_a_customer_version_stays_out_of_the_public_build(
        repo: Repo) -> None:
    """Public, then for one customer for a while, then public again (version 3)."""
    repo.commit("Add", {"slas/token-api.yaml": agreement(name="Token API", visibility="public"),
                        "data/requests.csv": requests_csv("2026-09-15"),
                        "data/incidents.csv": INCIDENTS},
                date="2025-12-20T10:00:00+00:00")
    repo.commit("Only for Acme", {"slas/token-api.yaml": agreement(
        name="Token API", visibility="customer:acme", version=2, effective="2026-09-01")},
        date="2026-08-20T10:00:00+00:00")
    repo.commit("Public again", {"slas/token-api.yaml": agreement(
        name="Token API", visibility="public", version=3, effective="2026-10-01")},
        date="2026-09-20T10:00:00+00:00")
    days = [d["date"] for d in json.loads(
        built(repo, "public")["api/token-api.json"])["daily"]["availability"]]
    assert "2026-08-31" in days and "2026-10-01" in days
    assert [d for d in days if d.startswith("2026-09")] == []
    acme = json.loads(built(repo, "customer:acme")["api/token-api.json"])
    assert "2026-09-15" in [d["date"] for d in acme["daily"]["availability"]]


def freeze(slacode, repo: Repo) -> list[Path]:
    r = slacode(repo, "evaluate", "--freeze", "--now", NOW)
    assert r.returncode in (0, None), r.stderr
    return sorted((repo.path / "ledger" / "token-api").glob("*.json"))


def frozen_periods(files: dict[str, str]) -> dict[str, float]:
    api = json.loads(files["api/token-api.json"])
    return {p["period"]: p["target"] for p in api["periods"]
            if p["frozen_at"] and p["objective"] == "availability"}


def test_a_public_agreement_reusing_an_internal_id_never_shows_its_frozen_figures(
        repo: Repo, slacode) -> None:
    repo.commit("Internal token minting", {
        "slas/auth.yaml": agreement(name="Auth tokens (internal)", visibility="internal",
                                    target=99.91),
        "data/requests.csv": requests_csv("2026-12-01"),
        "data/incidents.csv": INCIDENTS,
    }, date="2025-12-20T10:00:00+00:00")
    records = freeze(slacode, repo)
    assert [p.stem for p in records][:2] == ["2026-01", "2026-02"] and len(records) == 10
    assert {json.loads(p.read_text())["visibility"] for p in records} == {"internal"}
    repo.commit("Freeze", date="2026-11-26T02:00:00+00:00")
    # the internal file goes; a public agreement takes its id (its history is its own)
    repo.git("rm", "-q", "slas/auth.yaml")
    # with one objective more, which the internal records do not hold
    extra = "  - id: availability-2\n    kind: availability\n    target: 99\n" \
        "    window: calendar-month\n    source: {file: {path: data/requests.csv}}\n"
    public_text = agreement(name="Token API", visibility="public", target=99.5).replace(
        "  - id: p1-response", extra + "  - id: p1-response")
    repo.commit("Publish a token API under the same id", {"slas/token-api.yaml": public_text},
                date="2026-11-26T03:00:00+00:00")

    public = run(load_settings(repo.path, now=NOW), audience="public")  # the PR preview
    assert public.ok
    assert frozen_periods(public.files) == {}
    api = json.loads(public.files["api/token-api.json"])
    assert {p["period"] for p in api["periods"]} == {"2026-11"}  # the open month only
    assert {p["objective"] for p in api["periods"]} == {"availability", "availability-2",
                                                         "p1-response"}
    assert [n for n, t in public.files.items() if "99.91" in t] == []
    # the disagreement is still said (a strict build stops on it)
    assert any(p.code == "ledger.candidate" for p in public.problems)
    # an internal build shows the frozen figures
    internal = frozen_periods(built(repo, "internal"))
    assert len(internal) == 10 and set(internal.values()) == {99.91}


def test_records_without_visibility_are_judged_by_the_version_in_force(
        repo: Repo, slacode) -> None:
    """Records frozen before the field existed: those of the internal months stay out of
    the public build, those of the public months are shown as before."""
    published(repo)
    records = freeze(slacode, repo)
    assert len(records) == 10
    for p in records:  # as an older slacode wrote them
        rec = json.loads(p.read_text())
        assert rec.pop("visibility") == ("public" if p.stem == "2026-10" else "internal")
        p.write_text(json.dumps(rec, sort_keys=True, indent=2) + "\n")
    assert frozen_periods(built(repo, "public")) == {"2026-10": 99.5}
    assert len(frozen_periods(built(repo, "internal"))) == 10


def test_a_tampered_visibility_is_an_error_naming_the_record(repo: Repo, slacode) -> None:
    published(repo)
    (path, *_rest) = freeze(slacode, repo)
    rec = json.loads(path.read_text())
    rec["visibility"] = ["public"]
    path.write_text(json.dumps(rec))
    from slacode.problems import SlacodeError

    with pytest.raises(SlacodeError, match=r"2026-01\.json: visibility: \[\"public\"\] is not"):
        run(load_settings(repo.path, now=NOW), audience="public")
