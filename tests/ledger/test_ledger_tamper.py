"""Tampered ledger records: every edit that makes a record something else than a record
is an error naming the file and the field, never a traceback (``history: 5`` raised a
TypeError, a list where an object belongs an AttributeError, deeply nested JSON a
RecursionError). The whole record's shape is checked when it is read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_ledger import NOW, run

from slacode import ledger
from slacode.problems import SlacodeError


def _tamper(tmp_path: Path, edit) -> Path:
    ledger.freeze(run(0), tmp_path, NOW)
    path = tmp_path / "pay" / "2026-10.json"
    rec = json.loads(path.read_text())
    text = edit(rec)
    path.write_text(text if isinstance(text, str) else json.dumps(rec))
    return path


def _set(key: str, value: object):
    def edit(rec: dict) -> None:
        target = rec
        *parents, last = key.split(".")
        for k in parents:
            target = target[int(k)] if isinstance(target, list) else target[k]
        target[int(last) if isinstance(target, list) else last] = value
    return edit


DEEP = "[" * 100_000 + "]" * 100_000
NESTED: object = 1
for _ in range(40):
    NESTED = [NESTED]


@pytest.mark.parametrize(("edit", "said"), [
    (_set("history", 5), "history: 5 is not a list"),
    (_set("restated", 5), "restated: 5 is not a list"),
    (_set("restated", [7]), "restated[0]: 7 is not text"),
    (_set("visibility", 5), "visibility: 5 is not text"),
    (_set("history", {"frozen_at": "x"}), 'history: {"frozen_at": "x"} is not a list'),
    (_set("history", [["not", "an", "object"]]), 'history[0]: ["not", "an", "object"] is not '
     "an object"),
    (_set("history", [{"reason": "r"}]), "history[0]: 'results' is missing"),
    (_set("history", [{"reason": 5, "results": {}}]),
     "history[0].reason: 5 is not text or null"),
    (_set("history", [{"results": []}]), "history[0].results: [] is not an object"),
    (_set("results.availability", [1, 2]), "results.availability: [1, 2] is not an object"),
    (_set("reason", ["a list"]), 'reason: ["a list"] is not text'),
    (_set("frozen_at", {"an": "object"}), 'frozen_at: {"an": "object"} is not text'),
    (_set("format", 2), "format: 2 is not 1, the ledger format this slacode reads"),
    (_set("results.availability.misses", [{"what": NESTED}]),
     "results.availability.misses[0].what" + "[0]" * 27 + ": nested more than 32 levels deep"),
    (_set("history", json.loads("[" * 200 + "]" * 200)), "nested more than 32 levels deep"),
    (lambda rec: json.dumps({**rec, "history": "REPLACE"}).replace('"REPLACE"', DEEP),
     "not a ledger record: nested more than 32 levels deep"),
    (lambda rec: json.dumps(rec).replace('"coverage": 1.0', '"coverage": NaN'),
     "cannot read ledger record: NaN is not a JSON number"),
])
def test_a_tampered_record_is_an_error_naming_the_file_and_field(tmp_path: Path, edit,
                                                                   said: str) -> None:
    path = _tamper(tmp_path, edit)
    for read in (lambda: ledger.apply(run(0), tmp_path),
                 lambda: ledger.restate("pay", "2026-10", "fix", run(5), tmp_path, NOW)):
        with pytest.raises(SlacodeError) as err:
            read()
        assert str(err.value) == f"{path}: {said}" or (
            str(err.value).startswith(f"{path}: ") and said in str(err.value)), str(err.value)


def test_evaluate_says_so_without_a_traceback(tmp_path: Path) -> None:
    """What a user sees: the CLI prints the file and field, exit 1, no traceback."""
    root = Path(__file__).resolve().parents[2]
    project = tmp_path / "p"
    (project / "slas").mkdir(parents=True)
    for name in ("status-web.yaml",):
        (project / "slas" / name).write_text((root / "slas" / name).read_text())
    (project / "data").symlink_to(root / "data")
    (project / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text())
    record = sorted((root / "ledger" / "status-web").glob("*.json"))[0]
    (project / "ledger" / "status-web").mkdir(parents=True)
    rec = json.loads(record.read_text())
    rec["history"] = 5
    (project / "ledger" / "status-web" / record.name).write_text(json.dumps(rec))
    r = subprocess.run([str(Path(sys.executable).parent / "slacode"), "evaluate"],
                       cwd=project, capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert f"ledger/status-web/{record.name}: history: 5 is not a list" in r.stderr
