"""The change log a build shows stays within its audience: no copied history, no
version that was outside the audience (its names and values), even as the old side of
a diff. Real git repositories; the public render output is what is checked."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime

from gitrepo import Repo, sla

from slacode.history import Change, ChangeEntry, for_audience, history, versions
from slacode.load import load_text
from slacode.render import render

NOW = "2026-11-26T00:00:00Z"


def agreement_yaml(
    *, id: str, name: str, visibility: str = "public", version: int = 1, target: float = 99.9,
    scope: tuple[str, ...] = ("REST API", "Webhooks"),
) -> str:
    text = sla(id=id, version=version, target=target, scope=scope)
    return (text.replace("name: Payments API", f"name: {name}")
            .replace("visibility: public", f"visibility: {visibility}"))


INTERNAL = agreement_yaml(id="auth-internal", name="Authentication service (internal)",
                          visibility="internal", target=99.99, scope=("Token minting",))
STATUS = agreement_yaml(id="status-web", name="Status website", target=99.5,
                        scope=("Status page",))


def built(repo: Repo, audience: str = "public") -> dict[str, str]:
    """The docs tree a build of HEAD for ``audience`` writes, ":" unescaped."""
    ags = []
    for f in sorted((repo.path / "slas").glob("*.yaml")):
        ag, problems = load_text(f.read_text(encoding="utf-8"), f"slas/{f.name}")
        assert ag is not None, problems
        ags.append(ag)
    files = render(ags, (), now=NOW, audience=audience, history=history(repo.path))
    return {k: html.unescape(v) for k, v in files.items()}


def whats(entries: tuple[ChangeEntry, ...]) -> list[list[str]]:
    return [[c.what for c in e.changes] for e in entries]


def test_an_internal_agreement_copied_to_a_public_one_starts_a_new_history(repo: Repo) -> None:
    repo.commit("Add the internal auth agreement", {"slas/auth-internal.yaml": INTERNAL})
    v2 = INTERNAL.replace("version: 1", "version: 2")
    repo.commit("Internal change", {"slas/auth-internal.yaml": v2})
    public = (v2.replace("id: auth-internal", "id: token-api")
              .replace("name: Authentication service (internal)", "name: Token API")
              .replace("visibility: internal", "visibility: public"))
    repo.commit("Publish a token API", {"slas/token-api.yaml": public})
    log = history(repo.path)
    assert [e.subject for e in log["token-api"]] == ["Publish a token API"]
    assert whats(log["token-api"]) == [
        ["agreement token-api added (version 2, effective 2026-01-01)"]]
    assert len(log["auth-internal"]) == 2  # the original keeps its own history
    assert [v.visibility for v in versions(repo.path)["token-api"]] == ["public"]

    files = built(repo)
    assert "services/auth-internal.md" not in files
    assert "Version 2 (effective 1 Jan 2026) is the first version" in files[
        "services/token-api.md"]
    assert "agreement token-api added" in files["feed.xml"]
    for name in ("services/token-api.md", "feed.xml"):
        text = files[name]
        for secret in ("auth-internal", "Authentication service", "internal →",
                       "Internal change"):
            assert secret not in text, (name, secret)


def test_a_public_agreement_copied_keeps_no_history_of_the_original(repo: Repo) -> None:
    repo.commit("Add status web", {"slas/status-web.yaml": STATUS})
    repo.commit("Raise status web", {"slas/status-web.yaml": STATUS.replace(
        "target: 99.5", "target: 99.6")})
    repo.commit("Add a docs site", {"slas/docs-web.yaml": STATUS.replace(
        "id: status-web", "id: docs-web").replace("Status website", "Docs website")})
    log = history(repo.path)
    assert whats(log["docs-web"]) == [
        ["agreement docs-web added (version 1, effective 2026-01-01)"]]
    assert len(log["status-web"]) == 2
    page = built(repo)["services/docs-web.md"]
    assert "status-web" not in page and "Status website" not in page
    assert "99.5% → 99.6%" not in page


def test_a_deleted_file_gives_no_history_to_a_new_one_of_the_same_name(repo: Repo) -> None:
    repo.commit("Add internal", {"slas/token-api.yaml": INTERNAL})
    repo.git("rm", "-q", "slas/token-api.yaml")
    repo.git("commit", "-q", "-m", "Drop it")
    repo.commit("Add token API", {"slas/token-api.yaml": agreement_yaml(
        id="token-api", name="Token API")})
    assert [e.subject for e in history(repo.path)["token-api"]] == ["Add token API"]
    page = built(repo)["services/token-api.md"]
    assert "auth-internal" not in page and "Authentication service" not in page


def test_versions_while_internal_never_reach_the_public_change_log(repo: Repo) -> None:
    path = "slas/payments-api.yaml"
    repo.commit("Add", {path: agreement_yaml(id="payments-api", name="Payments API")},
                date="2026-01-05T10:00:00+00:00")
    repo.commit("Hide", {path: agreement_yaml(
        id="payments-api", name="SECRET-NAME-X", visibility="internal", target=99.99,
        scope=("SECRET-SCOPE-Y",))}, date="2026-02-05T10:00:00+00:00")
    repo.commit("Internal tweak", {path: agreement_yaml(
        id="payments-api", name="SECRET-NAME-X", visibility="internal", target=99.98,
        scope=("SECRET-SCOPE-Y",))}, date="2026-03-05T10:00:00+00:00")
    repo.commit("Publish again", {path: agreement_yaml(
        id="payments-api", name="Payments Platform", version=2)},
        date="2026-04-05T10:00:00+00:00")
    repo.commit("Raise", {path: agreement_yaml(
        id="payments-api", name="Payments Platform", version=2, target=99.95)},
        date="2026-05-05T10:00:00+00:00")

    files = built(repo)
    page, feed = files["services/payments-api.md"], files["feed.xml"]
    for text in (page, feed):
        for secret in ("SECRET-NAME-X", "SECRET-SCOPE-Y", "99.99", "99.98", "internal"):
            assert secret not in text, secret
        assert "monthly availability target 99.9% → 99.95%" in text  # public to public
    assert "agreement payments-api published (version 2, effective 1 Jan 2026)" in feed
    assert "agreement payments-api added (version 1, effective 1 Jan 2026)" in feed
    assert "Version 2 published (effective 1 Jan 2026)" in page  # the page says it in words
    assert "Version 1, the agreement's first, effective 1 Jan 2026" in page
    assert "2026-02-05" not in page and "2026-03-05" not in page  # the hidden commits

    internal = built(repo, "internal")["services/payments-api.md"]
    assert "SECRET-NAME-X" in internal and "Internal tweak" in internal


def test_a_renamed_file_keeps_its_history(repo: Repo) -> None:
    repo.commit("Add", {"slas/payments-api.yaml": agreement_yaml(
        id="payments-api", name="Payments API")})
    repo.commit("Raise", {"slas/payments-api.yaml": agreement_yaml(
        id="payments-api", name="Payments API", target=99.95)})
    repo.git("mv", "slas/payments-api.yaml", "slas/payments.yaml")
    repo.git("commit", "-q", "-m", "Rename")
    log = history(repo.path)["payments-api"]
    assert [e.subject for e in log] == ["Rename", "Raise", "Add"]
    page = built(repo)["services/payments-api.md"]
    assert "file renamed from slas/payments-api.yaml" in page
    assert "monthly availability target 99.9% → 99.95%" in page
    assert "Version 1, the agreement's first, effective 1 Jan 2026" in page


def test_an_internal_file_renamed_and_made_public_is_only_published(repo: Repo) -> None:
    repo.commit("Add internal", {"slas/auth-internal.yaml": INTERNAL})
    repo.git("mv", "slas/auth-internal.yaml", "slas/token-api.yaml")
    repo.commit("Publish", {"slas/token-api.yaml": INTERNAL.replace(
        "id: auth-internal", "id: token-api").replace(
        "name: Authentication service (internal)", "name: Token API").replace(
        "visibility: internal", "visibility: public")})
    assert len(history(repo.path)["token-api"]) == 2  # a real rename: history follows
    files = built(repo)
    assert "agreement token-api published (version 1, effective 1 Jan 2026)" in files["feed.xml"]
    assert "Version 1 published (effective 1 Jan 2026)" in files["services/token-api.md"]
    for text in (files["services/token-api.md"], files["feed.xml"]):
        # nor the publishing commit's subject: it may name the internal agreement
        assert "Why:" not in text.split("Change history")[-1]
        for secret in ("auth-internal", "Authentication service", "internal"):
            assert secret not in text, secret


def entry(visibility: str, previous: str) -> ChangeEntry:
    return ChangeEntry(
        service="acme-analytics", path="slas/acme-analytics.yaml", commit="c" * 40,
        date=datetime(2026, 6, 1, tzinfo=UTC), author="a", subject="s", pr=None, version=3,
        effective=date(2026, 7, 1), changes=(Change("name 'Old' → 'New'"),),
        visibility=visibility, previous_visibility=previous,
    )


def test_customer_builds_see_only_their_own_versions() -> None:
    log = (entry("customer:acme", "internal"), entry("customer:acme", "customer:acme"),
           entry("internal", "customer:acme"), entry("", "customer:acme"))
    acme = for_audience(log, "customer:acme")
    assert whats(acme) == [
        ["agreement acme-analytics published (version 3, effective 2026-07-01)"],
        ["name 'Old' → 'New'"]]
    assert for_audience(log, "customer:other") == ()
    assert for_audience(log, "public") == ()
    assert for_audience(log, "internal") == log  # unreadable versions too
