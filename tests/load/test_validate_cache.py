"""``slacode validate`` remembers the files that passed the schema by the hash of their
bytes (``slacode.load.memo``): an edited file is checked again, whatever the cache says."""

from __future__ import annotations

import json
from pathlib import Path

from load_helpers import MINIMAL

from slacode.load import load_agreements
from slacode.load import memo as memo_module


def _project(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "project"
    (root / "slas").mkdir(parents=True)
    (root / "slas" / "minimal.yaml").write_text(MINIMAL, encoding="utf-8")
    return root, root / ".slacode" / "cache"


def test_an_edited_agreement_is_validated_again(tmp_path: Path) -> None:
    root, cache = _project(tmp_path)
    first = load_agreements([root / "slas"], root=root, cache=cache)
    assert first.ok and (cache / memo_module.FILE).is_file()
    again = load_agreements([root / "slas"], root=root, cache=cache)
    assert again.ok and again.agreements == first.agreements
    path = root / "slas" / "minimal.yaml"
    path.write_text(MINIMAL.replace("target: 99.9", "target: high"), encoding="utf-8")
    edited = load_agreements([root / "slas"], root=root, cache=cache)
    assert not edited.ok
    errors = [p for p in edited.problems if p.severity == "error"]
    assert [(p.path, p.line) for p in errors] == [("slas/minimal.yaml", 13)]
    assert "number" in errors[0].message


def test_meaning_checks_still_run_on_a_remembered_file(tmp_path: Path) -> None:
    """The cache skips only the parse and the schema: the date-dependent checks and the
    cross-file ones run each time (two files with one id are refused on the second run)."""
    root, cache = _project(tmp_path)
    assert load_agreements([root / "slas"], root=root, cache=cache).ok
    (root / "slas" / "copy.yaml").write_text(MINIMAL, encoding="utf-8")
    twice = load_agreements([root / "slas"], root=root, cache=cache)
    assert not twice.ok
    assert any("minimal" in p.message and p.severity == "error" for p in twice.problems)


def test_a_cache_of_another_slacode_or_schema_is_ignored(tmp_path: Path) -> None:
    """Entries made by another version, schema or checker are never used: a text the
    current schema refuses is refused, whatever an old cache says of it."""
    root, cache = _project(tmp_path)
    bad = MINIMAL.replace("target: 99.9", "target: high")
    (root / "slas" / "minimal.yaml").write_text(bad, encoding="utf-8")
    good_doc = {"data": json.loads(json.dumps({"id": "minimal"})), "positions": {"": [1, 1]}}
    cache.mkdir(parents=True)
    (cache / memo_module.FILE).write_text(json.dumps(
        {"stamp": "another version", "files": {memo_module.digest(bad.encode()): good_doc}}))
    assert not load_agreements([root / "slas"], root=root, cache=cache).ok


def test_validate_on_the_command_line_uses_and_keeps_the_cache(tmp_path: Path) -> None:
    from load_helpers import run_cli

    root, cache = _project(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - slacode\n", encoding="utf-8")
    (root / "data").mkdir()
    (root / "data" / "minimal.csv").write_text("", encoding="utf-8")
    assert run_cli("validate", cwd=root).returncode == 0
    assert (cache / memo_module.FILE).is_file()
    path = root / "slas" / "minimal.yaml"
    path.write_text(MINIMAL.replace("version: 1", "version: one"), encoding="utf-8")
    out = run_cli("validate", cwd=root)
    assert out.returncode == 1
    assert "slas/minimal.yaml:3:" in out.stdout
    assert "Traceback" not in out.stderr
