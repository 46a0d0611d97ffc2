"""A described history (``history_from``): replayed into git with fixed dates and
identities, the same manifest gives the same commits on every run, the normal history
stage reads it, and a manifest that cannot be replayed is refused at path:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitrepo import sla

from slacode import pipeline
from slacode.config import Settings
from slacode.history import gitlog, replay
from slacode.problems import SlacodeError

MANIFEST = """\
commits:
  - date: 2025-02-01T10:00:00Z
    author: Ann Author <ann@example.com>
    pr: 4
    title: Add the payments agreement
    file: slas/payments-api.yaml
    text: payments/v1.yaml
  - date: 2026-05-02T10:00:00+02:00
    author: Bo Berg <bo@example.com>
    pr: 9
    title: Raise availability to 99.95% from July
    file: slas/payments-api.yaml
    current: true
"""


def _project(root: Path, manifest: str = MANIFEST) -> Path:
    (root / "slas").mkdir(parents=True)
    (root / "slas" / "payments-api.yaml").write_text(
        sla(version=2, effective="2026-07-01", target=99.95), encoding="utf-8")
    (root / "data" / "history" / "payments").mkdir(parents=True)
    (root / "data" / "history" / "payments" / "v1.yaml").write_text(
        sla(version=1, effective="2025-03-01"), encoding="utf-8")
    (root / "data" / "history" / "manifest.yaml").write_text(manifest, encoding="utf-8")
    return root


def test_the_same_manifest_gives_the_same_commits(tmp_path: Path) -> None:
    heads = []
    for name in ("a", "b"):
        root = _project(tmp_path / name)
        repo = replay.replay(root / "data" / "history", root, root / ".cache")
        heads.append(gitlog.resolve(repo, "HEAD"))
        # asked again, the repository is reused as it is
        assert replay.replay(root / "data" / "history", root, root / ".cache") == repo
    assert heads[0] == heads[1]


def test_the_history_stage_reads_the_described_history(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    settings = Settings(root=root, now="2026-06-01T00:00:00Z", history_from="data/history")
    log = pipeline.change_log(settings)["payments-api"]
    assert [(e.version, e.pr, e.reason, e.author) for e in log] == [
        (2, 9, "Raise availability to 99.95% from July", "Bo Berg"),
        (1, 4, "Add the payments agreement", "Ann Author")]
    assert log[0].date.isoformat() == "2026-05-02T10:00:00+02:00"
    assert [v.version for v in pipeline.past_versions(settings)["payments-api"]] == [1, 2]
    # a build pinned before the second change does not know it yet
    early = Settings(root=root, now="2026-01-01T00:00:00Z", history_from="data/history")
    assert [e.version for e in pipeline.change_log(early)["payments-api"]] == [1]


@pytest.mark.parametrize(("edit", "where", "what"), [
    (("    pr: 9\n", "    pr: nine\n"), "data/history/manifest.yaml:10:9:", "pull request"),
    (("2026-05-02T10:00:00+02:00", "2024-01-01T00:00:00Z"), "manifest.yaml:8:11:",
     "oldest first"),
    (("    current: true\n", "    text: payments/v1.yaml\n"), "manifest.yaml:1:1:",
     "last commit of slas/payments-api.yaml must be the project's file"),
    (("payments/v1.yaml", "payments/missing.yaml"), "manifest.yaml:7:11:",
     "cannot read data/history/payments/missing.yaml"),
    (("    author: Bo Berg <bo@example.com>\n", "    author: Bo\n"), "manifest.yaml:9:13:",
     "Name <address>"),
])
def test_a_manifest_that_cannot_be_replayed_is_refused_at_its_line(
        tmp_path: Path, edit: tuple[str, str], where: str, what: str) -> None:
    root = _project(tmp_path / "p", MANIFEST.replace(*edit))
    with pytest.raises(SlacodeError) as exc:
        replay.replay(root / "data" / "history", root, root / ".cache")
    assert where in str(exc.value) and what in str(exc.value)


def test_the_demo_history_is_valid_agreements_ending_at_slas() -> None:
    """Every past version the demo describes is an agreement slacode accepts, and each
    file's history ends at the project's own file."""
    from slacode.load import load_text

    root = Path(__file__).resolve().parents[2]
    commits = replay.read_manifest(root / "data" / "history", root)
    assert {c.path for c in commits} == {f"slas/{p.name}" for p in (root / "slas").glob("*.yaml")}
    for c in commits:
        agreement, problems = load_text(c.text.decode(), c.path)
        assert agreement is not None and not [p for p in problems if p.severity == "error"], \
            (c.title, problems)
        assert c.when.isoformat() < "2026-11-26", c.title  # all before the demo's pinned now
        assert c.pr is not None and c.title[0].isupper()


def test_an_agreement_the_project_no_longer_has_leaves_no_history(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", MANIFEST + """\
  - date: 2026-05-03T10:00:00Z
    author: Bo Berg <bo@example.com>
    title: Add the web agreement
    file: slas/web.yaml
    current: true
""")
    commits = replay.read_manifest(root / "data" / "history", root)
    assert [c.path for c in commits] == ["slas/payments-api.yaml"] * 2
