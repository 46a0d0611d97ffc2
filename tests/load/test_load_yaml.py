"""The bounded reader: YAML 1.2 values, positions, and refusals before any tree is built."""

from __future__ import annotations

from load_helpers import MINIMAL

from slacode.load import load_text
from slacode.load.yamlsafe import MAX_BYTES, parse
from slacode.model import Position


def test_positions_are_json_pointers_to_where_each_value_starts() -> None:
    doc, problems = parse(MINIMAL, "x.yaml")
    assert not problems and doc is not None
    assert doc.positions[""] == Position(1, 1)
    assert doc.positions["/objectives/0/target"] == Position(13, 13)
    assert doc.positions["/parties/provider/name"] == Position(7, 20)
    assert doc.key_positions["/objectives/0/target"] == Position(13, 5)


def test_pointer_tokens_are_escaped_as_rfc_6901_says() -> None:
    doc, _ = parse("a/b: {c~d: 1}\n", "x.yaml")
    assert doc is not None
    assert doc.positions["/a~1b/c~0d"] == Position(1, 12)


def test_yaml_1_2_core_schema_dates_stay_text_and_yes_is_not_true() -> None:
    doc, _ = parse("d: 2026-01-01\nt: 2026-01-01T02:00:00Z\ny: yes\no: 0o17\nh: 09:00-18:00\n",
                   "x.yaml")
    assert doc is not None
    assert doc.data == {"d": "2026-01-01", "t": "2026-01-01T02:00:00Z", "y": "yes", "o": 15,
                        "h": "09:00-18:00"}


def test_a_byte_order_mark_is_accepted() -> None:
    agreement, problems = load_text(b"\xef\xbb\xbf" + MINIMAL.encode(), "x.yaml")
    assert agreement is not None and not problems


def test_text_over_the_size_bound_is_refused_without_parsing() -> None:
    text = "a: " + "x" * MAX_BYTES
    doc, problems = parse(text, "big.yaml")
    assert doc is None
    assert [str(p) for p in problems] == [
        "big.yaml:0:0: error: file is 1.0 MiB, larger than the limit of 1 MiB for an agreement"]


def test_every_duplicate_key_is_reported_in_one_run() -> None:
    _, problems = parse("a: 1\nb: 2\na: 3\nc: {x: 1, x: 2}\n", "x.yaml")
    assert [f"{p.line}:{p.col}" for p in problems] == ["3:1", "4:11"]


def test_an_alias_is_refused_before_it_expands() -> None:
    bomb = "a: [x]\n" + "".join(
        f"l{i}: [{', '.join([f'*l{i - 1}' if i > 1 else '*a'] * 9)}]\n" for i in range(1, 30))
    bomb = bomb.replace("a: [x]", "a: &a [x]")
    for i in range(1, 30):
        bomb = bomb.replace(f"l{i}: [", f"l{i}: &l{i} [", 1)
    _, problems = parse(bomb, "bomb.yaml")
    assert len(problems) == 1
    assert "anchor &a is not allowed" in problems[0].message


def test_a_character_no_page_can_hold_is_refused_even_as_an_escape() -> None:
    # a lone surrogate passed validation and crashed the build writing the page; a C1
    # control reached a title's front matter
    for escape, code in (("\\ud800", "D800"), ("\\x9b", "009B")):
        text = MINIMAL.replace("name: Minimal", f'name: "S{escape} x"')
        agreement, problems = load_text(text, "a.yaml")
        assert agreement is None
        assert [str(p) for p in problems] == [
            f"a.yaml:2:7: error: character U+{code} is not allowed in YAML text, not even as "
            "an escape"]
