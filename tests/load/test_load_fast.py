"""The loader's shortcuts change no result: libyaml's reader against the pure parser, and
the schema validator's remembered lookups against plain jsonschema.

Both shortcuts exist for speed (a fleet of 200 agreements loads ~4x faster); a user
would notice a difference as a problem at another ``line:col``, another message, a value
read differently or a problem missed, so every comparison covers data, positions and
problems exactly.
"""

from __future__ import annotations

import json
import random
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from load_helpers import MINIMAL, ROOT

from slacode.load import load_agreements, yamlsafe
from slacode.load import schema as schema_mod

CORPUS = Path(__file__).parent / "corpus"
needs_c = pytest.mark.skipif(yamlsafe.CParser is None, reason="ruamel.yaml.clib not installed")


def _exact(value: Any) -> Any:
    """A value with its types spelled out: True is not 1, 1 is not 1.0."""
    if isinstance(value, dict):
        return ("map", [(k, _exact(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_exact(v) for v in value])
    return (type(value).__name__, value)


def _reading(text: str) -> Any:
    doc, problems = yamlsafe.parse(text, "f.yaml")
    if doc is None:
        return None, problems
    return (_exact(doc.data), doc.positions, doc.key_positions), problems


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    fast = _reading(text)
    with monkeypatch.context() as m:
        m.setattr(yamlsafe, "CParser", None)
        pure = _reading(text)
    return fast, pure


# --- the YAML reader -----------------------------------------------------------------------

WORDS = ["a", "b c", "x-y", "P1", "99.95", "1e3", "0x1F", "0o17", "true", "False", "null", "~",
         "", "é", "中文", "😀", "a#b", "a #b", "http://x.y/z", "x: y", "- z", "[q]", "'s'",
         '"t"', "\\", "2026-11-26", "12:30", "-1", "+1", ".5", "1.", "@x", "%z", "!w", "&v",
         "*u", "?t", "|s", ">r", " lead", "trail ", "multi\nline", "end\n", "a\u00a0b", "a,b"]


def _scalar(rng: random.Random, ind: int, flow: bool) -> str:
    word = rng.choice(WORDS)
    style = rng.choice(["plain", "plain", "single", "double"] + ([] if flow else ["|", ">"]))
    if style == "single":
        return "'" + word.replace("'", "''") + "'"
    if style == "double":
        text = word.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return '"' + text + rng.choice(["", "\\u00e9", "\\x41", "\\/", "\\_", "\\t"]) + '"'
    if style in "|>":
        header = style + rng.choice(["", "-", "+"]) + rng.choice(["", "", "2"])
        body = word.split("\n") + rng.choice([[], [""], ["  more"], ["", "  more"]])
        if rng.random() < 0.2:
            body.insert(0, "")
        pad = " " * (ind + 2)
        return header + "\n" + "".join(pad + line + "\n" for line in body).rstrip("\n")
    return word.split("\n")[0]


def _node(rng: random.Random, depth: int, ind: int, flow: bool) -> str:
    r = rng.random()
    if depth > 3 or r < 0.5:
        return _scalar(rng, ind, flow)
    if flow or r < 0.62:
        if rng.random() < 0.5:
            items = [_node(rng, depth + 1, ind, True) for _ in range(rng.randint(0, 3))]
            return "[" + rng.choice([", ", ",", ",\n" + " " * (ind + 1)]).join(items) + "]"
        pairs = [f"{_scalar(rng, ind, True)}{rng.choice([': ', ':', ''])}"
                 f"{_node(rng, depth + 1, ind, True)}" for _ in range(rng.randint(0, 3))]
        return "{" + ", ".join(pairs) + "}"
    out = ""
    for _ in range(rng.randint(1, 3)):
        pad = " " * (ind + 2)
        if r < 0.8:
            out += "\n" + pad + "- " + _node(rng, depth + 1, ind + 2, False)
        else:
            key = rng.choice([*WORDS[:12], "k1", "k2"])
            out += "\n" + pad + key + rng.choice([": ", ":", ": # c\n" + pad + "  "])
            out += _node(rng, depth + 1, ind + 2, False)
    return out


def _document(rng: random.Random) -> str:
    out = rng.choice(["", "---\n", "# head\n", "%YAML 1.2\n---\n"])
    for i in range(rng.randint(1, 5)):
        out += f"f{i}: " + _node(rng, 0, 0, False) + rng.choice(["", " # tail"]) + "\n"
    return out + rng.choice(["", "...\n", "---\nx: 1\n"])


@needs_c
def test_every_sample_and_corpus_file_reads_the_same_with_either_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = [*sorted((ROOT / "slas").glob("*.yaml")), *sorted(CORPUS.glob("*.yaml"))]
    for f in files:
        text = f.read_bytes().decode("utf-8", "replace")
        fast, pure = _both(text, monkeypatch)
        assert fast == pure, f.name


@needs_c
def test_generated_documents_read_the_same_with_either_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Flow and block styles, quoting, escapes, block scalars, comments, markers."""
    rng = random.Random(20261126)
    clean = 0
    for _ in range(250):
        text = _document(rng)
        fast, pure = _both(text, monkeypatch)
        assert fast == pure, text
        clean += fast[0] is not None
    assert clean > 25  # enough documents got through to compare values and positions


@needs_c
@pytest.mark.parametrize("text", [
    # libyaml places an empty value after the colon, the pure parser at the next token
    "id: x\ncalendars:\npriorities: {}\n",
    "? k\n",
    # YAML 1.2 forbids a more indented line after leading blank lines; libyaml does not
    "id: x\nnotes: >\n  \n    more\n",
    "id: x\nnotes: |2\n   indented\n",
    # libyaml refuses a colon inside a flow plain scalar (a URL); YAML 1.2 allows it
    "id: x\nparties: {provider: {name: A, contact: https://status.example.com}}\n",
    # refusals keep the pure parser's position and wording
    "id: &a x\nname: *a\n", "id: !!int 1\n", "id: x\n---\nid: y\n", "id: x\nid: y\n",
    "id: x\n\tname: y\n", "id: x\r\nname: y\r\n", "%YAML 1.1\n---\nid: x\n",
])
def test_what_libyaml_reads_differently_is_left_to_the_pure_parser(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, pure = _both(text, monkeypatch)
    assert fast == pure


@needs_c
def test_the_fast_reader_keeps_the_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    deep = "a: " + "[" * (yamlsafe.MAX_DEPTH + 5) + "]" * (yamlsafe.MAX_DEPTH + 5) + "\n"
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    for text, code in ((deep, "yaml.depth"), (bomb, "yaml.anchor")):
        fast, pure = _both(text, monkeypatch)
        assert fast == pure
        assert [p.code for p in fast[1]] == [code]


def test_the_c_reader_is_installed() -> None:
    """Without ruamel.yaml.clib every file takes the pure parser: correct, ~4x slower."""
    assert yamlsafe.CParser is not None, "pip install ruamel.yaml.clib (a declared dependency)"


# --- the schema validator ------------------------------------------------------------------

def _problems_with(validator: Any, text: str) -> list[Any]:
    doc, _ = yamlsafe.parse(text, "f.yaml")
    assert doc is not None
    found = []
    for error in islice(validator.iter_errors(doc.data), schema_mod.MAX_SCHEMA_PROBLEMS):
        found.extend(schema_mod.problems_of(error, doc, "f.yaml"))
    return sorted(set(found))


@pytest.fixture(scope="module")
def plain_validator() -> Any:
    """The same schema, registry and format checks, in jsonschema's own class."""
    original = schema_mod.validator_class
    schema_mod.validator_class = lambda: schema_mod.Draft202012Validator
    try:
        return schema_mod.validator.__wrapped__()
    finally:
        schema_mod.validator_class = original


VALUES: list[Any] = [None, True, 0, 1, 1.0, 99.95, 100.5, "", "x", "5m", "300ms", "6mo",
                     "rolling-28d", "2026-02-30", "2026-11-14T02:00:00+08:00", "customer:acme",
                     [], {"a": 1}]
SAMPLES = [MINIMAL, (ROOT / "slas" / "status-web.yaml").read_text(encoding="utf-8")]


def _variants() -> list[str]:
    """Two samples with each scalar field set, one at a time, to each of VALUES."""
    out = list(SAMPLES)
    for base in SAMPLES:
        lines = base.splitlines(keepends=True)
        for i, line in enumerate(lines):
            head, sep, rest = line.partition(": ")
            if not sep or not rest.strip() or rest.strip()[0] in "[{|>#" or head.strip() == "id":
                continue
            for value in VALUES:
                out.append("".join(lines[:i]) + f"{head}: {json.dumps(value)}\n"
                           + "".join(lines[i + 1:]))
    return [text for text in out if yamlsafe.parse(text, "f.yaml")[0] is not None]


def test_the_validator_reports_exactly_what_plain_jsonschema_reports(
    plain_validator: Any,
) -> None:
    """Run twice: the second pass meets every value the first one remembered as valid."""
    fast = schema_mod.validator()
    variants = _variants()
    assert len(variants) > 300
    for _ in range(2):
        for text in variants:
            assert _problems_with(fast, text) == _problems_with(plain_validator, text), text


def test_the_first_hundred_problems_are_the_same_ones(plain_validator: Any) -> None:
    """Past MAX_SCHEMA_PROBLEMS the order decides which problems are shown."""
    owners = ", ".join(["1", "x", "BAD ID", "ok", "2.5"] * 40)
    text = MINIMAL + f"owners: [{owners}]\n"
    fast = _problems_with(schema_mod.validator(), text)
    assert fast == _problems_with(plain_validator, text)
    assert len(fast) < 120  # 120 owners are wrong: the list was cut


def test_a_folder_loads_the_same_twice(tmp_path: Path) -> None:
    """What the validator remembers from one run never hides a problem in the next."""
    slas = tmp_path / "slas"
    slas.mkdir()
    (slas / "good.yaml").write_text(MINIMAL.replace("target: 99.9", "target: 99.5"))
    first = load_agreements([slas], root=tmp_path)
    (slas / "good.yaml").write_text(MINIMAL.replace("target: 99.9", "target: 199.5"))
    second = load_agreements([slas], root=tmp_path)
    assert first.ok and len(first.agreements) == 1
    assert [str(p) for p in second.problems] == [
        "slas/good.yaml:13:13: error: objectives[0].target: 199.5 is greater than the "
        "maximum of 100"]
