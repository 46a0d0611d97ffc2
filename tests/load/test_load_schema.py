"""The schema itself: valid Draft 2020-12, documented for editors, usable by outside clients."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from load_helpers import MINIMAL, ROOT

from slacode.durations import PATTERN
from slacode.load import load_text
from slacode.load.schema import bundle, definition_files, schema_dir

SCHEMAS = sorted(schema_dir().rglob("*.json"))


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_schema_files_pass_the_draft_2020_12_metaschema(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("https://")


def _properties(node: Any, where: str = ""):
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{where}/{name}", sub
        for key, sub in node.items():
            if key != "if":  # conditions name properties, they do not declare them
                yield from _properties(sub, f"{where}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from _properties(sub, f"{where}/{i}")


def _resolve(sub: dict[str, Any], defs: dict[str, dict[str, Any]], here: str) -> dict[str, Any]:
    ref = sub.get("$ref")
    if not ref:
        return sub
    file, _, pointer = ref.partition("#")
    doc = defs[Path(file).name.removesuffix(".schema.json")] if file else defs[here]
    for token in pointer.strip("/").split("/"):
        doc = doc[token]
    return {**doc, **sub}


def test_every_property_has_a_title_and_a_description_for_editor_hover_help() -> None:
    defs = definition_files()
    docs = {"root": json.loads((schema_dir() / "sla.schema.json").read_text()), **defs}
    docs["root"].pop("$defs")  # the embedded copies are checked as their own files
    checked = 0
    for name, doc in docs.items():
        for where, sub in _properties(doc):
            resolved = _resolve(sub, defs, name)
            assert resolved.get("title") and resolved.get("description"), f"{name}{where}"
            checked += 1
    assert checked > 100


def test_root_schema_embeds_current_copies_of_the_definition_files() -> None:
    on_disk = json.loads((schema_dir() / "sla.schema.json").read_text(encoding="utf-8"))
    assert on_disk == bundle(), "run: python -m slacode.load.schema"


def test_duration_pattern_in_the_schema_is_the_one_the_model_parses() -> None:
    common = definition_files()["common"]
    assert common["$defs"]["duration"]["pattern"] == PATTERN


@pytest.mark.parametrize(("field", "value", "message"), [
    ("effective", "2026-13-01", "is not a valid date"),
    ("effective", "2026-02-29", "is not a valid date"),
    ("effective", "26-01-01", "is not a valid date"),
])
def test_formats_are_really_checked(field: str, value: str, message: str) -> None:
    text = MINIMAL.replace("effective: 2026-01-01", f"{field}: {value}")
    agreement, problems = load_text(text, "x.yaml")
    assert agreement is None
    assert message in problems[0].message


def test_date_time_format_is_really_checked() -> None:
    text = MINIMAL + ("maintenance:\n  windows:\n"
                      "    - {start: 2026-01-01T25:00:00Z, end: 2026-01-01T03:00:00Z}\n")
    _, problems = load_text(text, "x.yaml")
    assert [p.message for p in problems] == [
        "maintenance.windows[0].start: '2026-01-01T25:00:00Z' is not a valid date and time "
        "(e.g. 2026-11-14T02:00:00+08:00, with a UTC offset)"]


def test_check_jsonschema_accepts_every_sample_offline() -> None:
    exe = Path(sys.executable).parent / "check-jsonschema"
    if not exe.exists():
        pytest.skip("check-jsonschema is not installed")
    samples = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "slas").glob("*.yaml"))
    assert len(samples) >= 4
    proc = subprocess.run([str(exe), "--schemafile", "schemas/sla.schema.json", *samples],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_samples_begin_with_the_editor_schema_line() -> None:
    for path in (ROOT / "slas").glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schemas/sla.schema.json", path.name


def test_a_bad_incident_time_is_explained_as_a_fixed_length_on_its_clock() -> None:
    """Where months and years are not allowed, the message does not offer them, and says
    what a day means on a business-hours clock."""
    text = MINIMAL + (
        "priorities:\n  P1: {response: 2days, resolution: 4h}\n")
    _, problems = load_text(text, "x.yaml")
    msg = next(str(p) for p in problems if "response" in str(p))
    assert "'2days' is not a valid duration" in msg
    assert "(ms, s, m, h, d, w)" in msg and "mo" not in msg.split("expected", 1)[1]
    assert "1d is one working day and 24h is 24 working hours" in msg
    # elsewhere a calendar duration is fine, and the hint offers it
    _, problems = load_text(MINIMAL + "review: {every: 6 months, last: 2026-01-01}\n", "x.yaml")
    assert any("(ms, s, m, h, d, w, mo, y)" in str(p) for p in problems)


def test_the_schema_tells_editors_what_a_day_is_on_a_business_clock() -> None:
    """Hover help on `within` and on the priority matrix's response and resolution."""
    defs = definition_files()
    text = json.dumps(defs["objective"]) + json.dumps(defs["operations"])
    assert text.count("1d is one working day") == 3
