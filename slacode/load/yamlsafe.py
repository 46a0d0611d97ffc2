"""A bounded YAML 1.2 reader for agreements: plain data plus the position of every node.

Agreements come from pull requests, so the reader treats them as untrusted: it
works on ruamel.yaml's event stream and builds plain Python values itself, which
lets it refuse aliases, anchors, tags, directives, extra documents and deep
nesting *before* any tree exists (an alias bomb never expands), and keeps dates
as strings (YAML 1.2 core schema has no timestamps; the model parses them once).
Every refusal is a :class:`Problem` with ``line:col``; nothing here raises for bad input.

Speed: ruamel.yaml's pure-Python parser costs ~10 ms for a 2 KB agreement, most of a
fleet's load time. When ``ruamel.yaml.clib`` (libyaml) is installed, a file is first read
through its C parser, which yields the same event classes with the same marks, ~10x
faster; the walk over them is the same code with the same limits. That result is kept
only when it is a clean document. Anything else (a refusal, a syntax error, a text where
libyaml, a YAML 1.1 reader, may differ from the pure YAML 1.2 parser) is read again by
the pure parser, so every problem, message and position comes from one reader.
``tests/load/test_load_fast.py`` checks both readers agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from slacode.model import Position
from slacode.problems import Code, Problem

try:  # libyaml through ruamel.yaml.clib: optional, only ever a fast path
    from ruamel.yaml.cyaml import CParser
except ImportError:  # pragma: no cover - depends on the installed wheels
    CParser = None

MAX_BYTES = 1024 * 1024  # an agreement is a few kilobytes; 1 MiB leaves ample room
MAX_DEPTH = 64  # nested mappings/lists
MAX_NODES = 100_000
#: the largest number an agreement may hold: 2**53, up to which every whole number is
#: exact as a float (and in any JSON reader). Beyond it a number is no fee, target or
#: count anyone means, and it would overflow where the model turns it into a float
#: (a fee of 400 digits) or where figures are multiplied (a fee of 1.7e308 times a
#: credit percentage is infinity, which JSON cannot hold).
MAX_NUMBER = 2**53

_STR_TAGS = {"tag:yaml.org,2002:str", "!"}
_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = re.compile(r"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")
# where libyaml (YAML 1.1) and the pure YAML 1.2 parser may disagree: tabs, the 1.1-only
# line breaks (NEL, LS, PS), CR line ends, directives: a text with one goes to the pure parser
_PURE_ONLY = re.compile("[\t\r\x85\u2028\u2029]|^%", re.MULTILINE)
# C0 controls but tab/LF/CR, DEL, C1 controls but NEL, surrogates, non-characters:
# YAML forbids them.
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Document:
    """A parsed agreement: plain values and where each node starts.

    ``positions`` maps an RFC 6901 JSON pointer ("" for the root, "/objectives/0/target")
    to the start of the node's value; ``key_positions`` maps the pointer of a mapping
    entry to the start of its key (messages about a field name point there).
    """

    data: dict[str, Any]
    positions: dict[str, Position] = field(default_factory=dict)
    key_positions: dict[str, Position] = field(default_factory=dict)


class _Stop(Exception):
    """Ends the walk at the first problem that makes the rest of the file meaningless."""


def pointer_join(base: str, token: str | int) -> str:
    """Append one RFC 6901 reference token to a JSON pointer."""
    return f"{base}/{str(token).replace('~', '~0').replace('/', '~1')}"


def where(parts: Iterable[str | int]) -> str:
    """``objectives[0].target`` for the path ``objectives/0/target``: how people read YAML."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _pos_at(text: str, index: int) -> Position:
    line = text.count("\n", 0, index) + 1
    return Position(line, index - (text.rfind("\n", 0, index) + 1) + 1)


def too_large(path: str, size: int) -> Problem:
    """The whole-file problem (line 0) of a file over :data:`MAX_BYTES`."""
    return Problem(path, 0, 0, "error", f"file is {size / 1048576:.1f} MiB, larger than the "
                   f"limit of {MAX_BYTES // 1048576} MiB for an agreement", Code.YAML_TOO_LARGE)


def decode(data: str | bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes -> text, refusing what is not UTF-8 YAML text; size is checked first."""

    def fail(pos: Position, msg: str, code: Code) -> tuple[None, list[Problem]]:
        return None, [Problem(path, pos.line, pos.col, "error", msg, code)]

    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > MAX_BYTES:
        return None, [too_large(path, size)]
    if isinstance(data, bytes):
        nul = data.find(b"\x00")
        if nul >= 0:
            head = data[:nul].decode("utf-8", "replace")
            return fail(_pos_at(head, len(head)), "binary data (a NUL byte): an agreement must be "
                        "UTF-8 text", Code.YAML_BINARY)
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            head = data[: exc.start].decode("utf-8", "replace")
            return fail(_pos_at(head, len(head)), f"invalid UTF-8 (byte 0x{data[exc.start]:02x}): "
                        "save the file as UTF-8", Code.YAML_ENCODING)
    else:
        text = data.removeprefix("\ufeff")
    bad = _BAD_CHAR.search(text)
    if bad:
        return fail(_pos_at(text, bad.start()), f"character U+{ord(bad.group()):04X} is not "
                    "allowed in YAML text", Code.YAML_CHARACTER)
    return text, []


#: what the parser's wording usually means in a hand-edited agreement
_HINTS = (
    ("mapping values are not allowed", "check this line's indentation against the keys "
     "above it, or quote a value that holds ': '"),
    ("expected <block end>", "check the indentation: this line is indented differently "
     "from the keys it belongs with"),
    ("could not find expected ':'", "a key needs ': ' after it, or this line is indented "
     "too far"),
    ("expected <block mapping start>", "check the indentation of this line"),
)


def _hint(problem: str) -> str:
    return next((f"; {hint}" for words, hint in _HINTS if words in problem), "")


def parse(data: str | bytes, path: str) -> tuple[Document | None, list[Problem]]:
    """Parse one agreement file; ``(None, problems)`` when it cannot be used at all."""
    text, problems = decode(data, path)
    if text is None:
        return None, problems
    if CParser is not None and not _PURE_ONLY.search(text):
        fast = _Walker(path)
        try:
            fast.walk(_c_events(text))
        except Exception:  # whatever went wrong, the pure parser says it
            pass
        else:
            if not fast.problems and isinstance(fast.root, dict):
                return Document(fast.root, fast.positions, fast.key_positions), []
    walker = _Walker(path)
    try:
        walker.walk(YAML(typ="safe", pure=True).parse(text))
    except _Stop:
        pass
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        if exc.context:
            started = f" started at line {exc.context_mark.line + 1}" if exc.context_mark else ""
            what += f" ({exc.context}{started})"
        walker.problems.append(Problem(path, line, col, "error",
                                       f"YAML syntax error: {what}{_hint(exc.problem or '')}",
                                       Code.YAML_SYNTAX))
    except YAMLError as exc:
        walker.problems.append(Problem(path, 1, 1, "error", f"YAML error: {exc}", Code.YAML_SYNTAX))
    except RecursionError:
        walker.problems.append(Problem(path, 1, 1, "error", "YAML nested too deeply",
                                       Code.YAML_DEPTH))
    if walker.problems:
        return None, sorted(walker.problems)
    if not isinstance(walker.root, dict):
        return None, [Problem(path, 1, 1, "error", "the file is empty: expected a mapping of "
                              "fields (key: value)", Code.YAML_EMPTY)]
    return Document(walker.root, walker.positions, walker.key_positions), []


class _PureOnly(Exception):
    """The fast reader met something the pure parser places differently."""


def _c_events(text: str) -> Iterable[Any]:
    """libyaml's event stream: the same event classes and marks as the pure parser's.

    Two things libyaml reads differently are left to the pure parser: an empty value
    (``key:`` with nothing after it; libyaml places it elsewhere) and a block scalar
    (``|``, ``>``) with an indentation digit or starting with a blank line (YAML 1.2
    rules on its indentation that libyaml does not apply).
    """
    lines: list[str] | None = None
    parser = CParser(text)
    try:
        while parser.check_event():
            ev = parser.get_event()
            if isinstance(ev, ScalarEvent):
                if not ev.value:
                    raise _PureOnly
                if ev.style in ("|", ">"):
                    lines = lines if lines is not None else text.split("\n")
                    at = ev.start_mark
                    header = lines[at.line][at.column:].split("#", 1)[0]
                    after = lines[at.line + 1] if at.line + 1 < len(lines) else "x"
                    if any(c.isdigit() for c in header) or not after.strip(" "):
                        raise _PureOnly
            yield ev
    finally:
        parser.dispose()


_ENDS = (MappingEndEvent, SequenceEndEvent)
_NODES = (ScalarEvent, MappingStartEvent, SequenceStartEvent)


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    pointer: str | None  # None inside a value that is dropped (duplicate key)
    key: str | None = None
    key_pos: Position | None = None
    drop: bool = False  # the pending key is a duplicate
    seen: dict[str, Position] = field(default_factory=dict)


class _Walker:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.positions: dict[str, Position] = {}
        self.key_positions: dict[str, Position] = {}
        self.root: Any = None
        self.stack: list[_Frame] = []
        self.nodes = 0

    def fail(self, pos: Position, message: str, code: Code) -> None:
        self.problems.append(Problem(self.path, pos.line, pos.col, "error", message, code))

    def stop(self, pos: Position, message: str, code: Code) -> _Stop:
        self.fail(pos, message, code)
        return _Stop()

    def walk(self, events: Iterable[Any]) -> None:
        documents = 0
        for ev in events:
            if isinstance(ev, _ENDS):  # most events: no position needed
                self.stack.pop()
                continue
            mark = ev.start_mark
            pos = Position(mark.line + 1, mark.column + 1)
            if isinstance(ev, _NODES):
                self.node(ev, pos)
            elif isinstance(ev, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.stop(pos, "a second YAML document: an agreement file holds "
                                    "exactly one document", Code.YAML_MULTIPLE_DOCUMENTS)
                if ev.version:
                    raise self.stop(pos, "%YAML directives are not allowed (agreements are "
                                    "always YAML 1.2)", Code.YAML_DIRECTIVE)
                if ev.tags:
                    raise self.stop(pos, "%TAG directives are not allowed", Code.YAML_DIRECTIVE)
            elif isinstance(ev, AliasEvent):
                raise self.stop(pos, f"alias *{ev.anchor} is not allowed: write the value out "
                                "in full", Code.YAML_ALIAS)

    def node(self, ev: Any, pos: Position) -> None:
        if ev.anchor:
            raise self.stop(pos, f"anchor &{ev.anchor} is not allowed: agreements do not use "
                            "anchors or aliases", Code.YAML_ANCHOR)
        if ev.tag and ev.tag not in _STR_TAGS:
            tag = ev.tag.replace("tag:yaml.org,2002:", "!!")
            raise self.stop(pos, f"tag {tag} is not allowed: agreements hold plain data only",
                            Code.YAML_TAG)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.stop(pos, f"more than {MAX_NODES} values in one file",
                            Code.YAML_TOO_MANY_NODES)
        if not self.stack and self.root is None and not isinstance(ev, MappingStartEvent):
            found = "a list" if isinstance(ev, SequenceStartEvent) else "a single value"
            if isinstance(ev, ScalarEvent) and ev.implicit[0] and _NULL.match(ev.value):
                raise self.stop(pos, "the file is empty: expected a mapping of fields "
                                "(key: value)", Code.YAML_EMPTY)
            raise self.stop(pos, f"the top level must be a mapping of fields (key: value), "
                            f"found {found}", Code.YAML_ROOT)
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.container, dict) and top.key is None:
            self.key(top, ev, pos)
            return
        if isinstance(ev, ScalarEvent):
            self.attach(self.scalar(ev, pos), pos)
            return
        container: dict[str, Any] | list[Any] = {} if isinstance(ev, MappingStartEvent) else []
        pointer = self.attach(container, pos)
        if len(self.stack) >= MAX_DEPTH:
            raise self.stop(pos, f"nested more than {MAX_DEPTH} levels deep", Code.YAML_DEPTH)
        self.stack.append(_Frame(container, pointer))

    def key(self, top: _Frame, ev: Any, pos: Position) -> None:
        if not isinstance(ev, ScalarEvent):
            raise self.stop(pos, "a key must be plain text, not a list or mapping", Code.YAML_KEY)
        if ev.implicit[0] and _NULL.match(ev.value):
            raise self.stop(pos, "empty key: every field needs a name", Code.YAML_KEY)
        key = ev.value
        first = top.seen.get(key)
        if first is not None:
            self.fail(pos, f"duplicate key '{key}' (first defined at line {first.line})",
                      Code.YAML_DUPLICATE_KEY)
        else:
            top.seen[key] = pos
        top.key, top.key_pos, top.drop = key, pos, first is not None

    def attach(self, value: Any, pos: Position) -> str | None:
        top = self.stack[-1] if self.stack else None
        if top is None:
            self.root = value
            self.positions[""] = pos
            return ""
        pointer: str | None = None
        if isinstance(top.container, dict):
            key, key_pos, drop = top.key, top.key_pos, top.drop
            top.key, top.key_pos, top.drop = None, None, False
            if drop or top.pointer is None or key is None:
                return None
            top.container[key] = value
            pointer = pointer_join(top.pointer, key)
            if key_pos is not None:
                self.key_positions[pointer] = key_pos
        else:
            top.container.append(value)
            if top.pointer is None:
                return None
            pointer = pointer_join(top.pointer, len(top.container) - 1)
        self.positions[pointer] = pos
        return pointer

    def scalar(self, ev: Any, pos: Position) -> Any:
        """YAML 1.2 core schema for plain scalars; everything else is a string (dates too)."""
        value: str = ev.value
        bad = _BAD_CHAR.search(value)
        if bad:  # written as an escape ("\ud800"): no page, feed or file can hold it
            raise self.stop(pos, f"character U+{ord(bad.group()):04X} is not allowed in YAML "
                            "text, not even as an escape", Code.YAML_CHARACTER)
        if not ev.implicit[0]:
            return value
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _SPECIAL_FLOAT.match(value):
            raise self.stop(pos, f"{value} is not allowed: use a finite number",
                            Code.YAML_SPECIAL_FLOAT)
        number: int | float
        try:
            if _INT.match(value):
                number = int(value)
            elif _INT_OCT.match(value):
                number = int(value[2:], 8)
            elif _INT_HEX.match(value):
                number = int(value[2:], 16)
            elif _FLOAT.match(value):
                number = float(value)
            else:
                return value
            if abs(number) > MAX_NUMBER:  # infinity too (1e400 reads as inf)
                raise ValueError(value)
        except ValueError:  # also Python's own limit on the digits of a whole number
            shown = value if len(value) <= 40 else value[:37] + "..."
            raise self.stop(pos, f"number {shown} is too large (the limit is 2**53 = "
                            f"{MAX_NUMBER})", Code.YAML_NUMBER) from None
        return number
