"""Agreements may name the schema version they were written for (issue 26): this slacode
reads its own version and older ones (or says exactly what to change), and refuses a
newer one with one line saying to upgrade, instead of a list of unknown fields."""

from __future__ import annotations

import json

import pytest
from load_helpers import MINIMAL, ROOT, run_cli

from slacode.load import load_text, schema


def test_the_published_schema_says_which_version_it_is() -> None:
    root = json.loads((ROOT / "schemas" / "sla.schema.json").read_text(encoding="utf-8"))
    assert root[schema.VERSION_KEY] == schema.schema_version() == 1
    assert "schema_version" in root["properties"]


def test_an_agreement_written_for_this_version_loads() -> None:
    agreement, problems = load_text("schema_version: 1\n" + MINIMAL, "x.yaml")
    assert agreement is not None and not [p for p in problems if p.severity == "error"]


def test_an_agreement_for_a_newer_schema_says_to_upgrade_and_only_that() -> None:
    text = "schema_version: 2\n" + MINIMAL + "budget_alerts: {burn: 14.4}\n"
    agreement, problems = load_text(text, "x.yaml")
    assert agreement is None
    assert [str(p) for p in problems] == [
        "x.yaml:1:17: error: schema_version: written for schema version 2, but slacode "
        f"{__import__('slacode').__version__} reads versions up to 1: upgrade slacode "
        "(pip install --upgrade slacode)"]


def test_an_older_agreement_is_told_each_change_to_make(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the format changes, UPGRADES says how; here a version 3 is pretended."""
    monkeypatch.setattr(schema, "schema_version", lambda: 3)
    monkeypatch.setattr(schema, "UPGRADES", {2: ("rename `tags` to `labels`",)})
    _, problems = load_text("schema_version: 1\n" + MINIMAL, "x.yaml")
    assert [p.message for p in problems if p.code == "schema.version-upgrade"] == [
        "schema_version: written for version 2, read as version 3 after this change: "
        "rename `tags` to `labels`; then set schema_version: 3"]
    _, problems = load_text("schema_version: 3\n" + MINIMAL, "x.yaml")
    assert not [p for p in problems if p.code.startswith("schema.version")]


def test_a_schema_version_that_is_not_a_version_is_a_schema_error() -> None:
    _, problems = load_text("schema_version: 0\n" + MINIMAL, "x.yaml")
    assert [p.message for p in problems] == ["schema_version: 0 is less than the minimum of 1"]


def test_validate_prints_the_upgrade_line(tmp_path) -> None:
    (tmp_path / "slas").mkdir()
    (tmp_path / "slas" / "minimal.yaml").write_text("schema_version: 7\n" + MINIMAL,
                                                    encoding="utf-8")
    r = run_cli("validate", cwd=tmp_path)
    assert r.returncode == 1
    assert "slas/minimal.yaml:1:17: error: schema_version: written for schema version 7" \
        in r.stdout + r.stderr
    assert "unknown field" not in r.stdout + r.stderr


def test_the_changelog_records_this_release_and_its_schema_version() -> None:
    from slacode import __version__

    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    release = text.split(f"\n## {__version__}", 1)
    assert len(release) == 2, f"CHANGELOG.md has no section for {__version__}"
    section = release[1].split("\n## ", 1)[0]
    assert f"schema version {schema.schema_version()}" in section
