"""Shape checks: JSON Schema (Draft 2020-12) errors as messages at the offending node.

The schema lives in ``schemas/``: ``sla.schema.json`` plus shared definitions in
``schemas/defs/*.schema.json`` joined by relative ``$ref``. They are resolved here
with a ``referencing`` registry built from the files (no network). Because outside
clients (``check-jsonschema``, editors) resolve relative references against the
``$id`` URL and would go to the network, ``sla.schema.json`` also embeds identical
copies of the definition files under ``$defs`` (a compound schema document);
``python -m slacode.load.schema`` rewrites those copies after a definition file changes,
and a test fails when they drift.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

# jsonschema ships no type information (its stubs are a separate package, not installed)
from jsonschema import Draft202012Validator, ValidationError  # type: ignore[import-untyped]
from jsonschema.protocols import Validator  # type: ignore[import-untyped]
from jsonschema.validators import extend  # type: ignore[import-untyped]
from referencing import Registry, Resource

from slacode.durations import PATTERN as DURATION_PATTERN
from slacode.durations import Duration
from slacode.load.yamlsafe import Document, pointer_join, where
from slacode.model import FIRST_YEAR, LAST_YEAR, Position
from slacode.problems import Code, InstallError, Problem

SCHEMA_FILE = "sla.schema.json"
MAX_SCHEMA_PROBLEMS = 100  # per file; a list of 100 000 wrong items must not print 100 000 lines

#: value types whose validity against a subschema node is remembered
_PLAIN = frozenset({str, int, float, bool, type(None)})
_MAX_REMEMBERED = 20_000  # with the next, bounds the memory of a long-running process
_MAX_REMEMBERED_TEXT = 200

_TYPE_WORDS = {
    "string": "text", "integer": "a whole number", "number": "a number", "object": "a mapping",
    "array": "a list", "boolean": "true or false", "null": "nothing",
}
#: an owner, as CODEOWNERS takes it (one token: a line break or space would add an owner)
OWNER_PATTERN = (r"^(@?[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9])?"
                 r"(?:/[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9])?)?"
                 r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})$")
#: the schema's pattern of dates and times: the years of :data:`slacode.model.FIRST_YEAR`
#: to :data:`slacode.model.LAST_YEAR` (a test keeps the two in step)
DATE_YEARS = r"^(19[7-9][0-9]|2[0-9]{3})-"
#: pattern in the schema -> (what the value should be, hint)
_PATTERNS = {
    DURATION_PATTERN: ("duration", "a whole number and a unit (ms, s, m, h, d, w, mo, y), "
                                   "e.g. 300ms, 15m, 8h, 3d, 6mo"),
    r"^[a-z0-9][a-z0-9-]{0,62}$": ("id", "lower-case letters, digits and hyphens, at most 63 "
                                         "characters, e.g. payments-api"),
    r"^(calendar-(month|quarter|year)|rolling-[1-9][0-9]{0,2}d)$": (
        "window",
        "calendar-month, calendar-quarter, calendar-year or rolling-Nd, e.g. rolling-28d"),
    r"^(public|internal|customer:[a-z0-9][a-z0-9-]{0,62})$": (
        "visibility", "public, internal or customer:<name>, e.g. customer:acme"),
    r"^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$": (
        "working hours", "HH:MM-HH:MM, e.g. 09:00-18:00 (24:00 ends the day)"),
    OWNER_PATTERN: ("owner", "a GitHub team or user (team-sre, @org/team-sre, @user) or an "
                             "e-mail address, without spaces or line breaks"),
    DATE_YEARS: ("date or time", f"a year from {FIRST_YEAR} to {LAST_YEAR}, e.g. 2026-11-14"),
    r"^[A-Z]{3}$": ("currency", "a three-letter ISO 4217 code, e.g. USD"),
    r"^[A-Z]{2,3}$": ("country code", "an upper-case ISO country code, e.g. CN"),
}
_FORMATS = {
    "date": "date (YYYY-MM-DD, a day that exists)",
    "date-time": "date and time (e.g. 2026-11-14T02:00:00+08:00, with a UTC offset)",
}


def schema_dir() -> Path:
    """The folder of ``sla.schema.json``: the copy a wheel carries (``slacode/schemas``,
    put there by ``setup.py``), else the checkout's ``schemas/`` (an editable install)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "schemas", here.parent / "schemas"):
        if (candidate / SCHEMA_FILE).is_file():
            return candidate
    raise InstallError(f"{here / 'schemas' / SCHEMA_FILE} missing")


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def definition_files(folder: Path | None = None) -> dict[str, dict[str, Any]]:
    """Shared definition documents by file stem (``common``, ``objective``, ...)."""
    folder = folder or schema_dir()
    files = sorted((folder / "defs").glob("*.schema.json"))
    return {p.name.removesuffix(".schema.json"): _read(p) for p in files}


def bundle(folder: Path | None = None) -> dict[str, Any]:
    """The root schema with current copies of every definition file embedded under ``$defs``."""
    folder = folder or schema_dir()
    root = _read(folder / SCHEMA_FILE)
    root["$defs"] = definition_files(folder)
    return root


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    """jsonschema's ``pattern``, plus the bound a duration's pattern cannot say: six digits
    of years is text the pattern accepts but no date can hold (see ``MAX_YEARS``)."""
    errors = list(_PATTERN_EACH(validator, pattern, instance, schema))
    yield from errors
    if not errors and pattern == DURATION_PATTERN and isinstance(instance, str):
        try:
            Duration.parse(instance)
        except ValueError as exc:
            yield ValidationError(str(exc), validator="duration")


_PATTERN_EACH = Draft202012Validator.VALIDATORS["pattern"]
#: Draft 2020-12 with the duration bound: every validator of this module starts from it.
_Base: Any = extend(Draft202012Validator, {"pattern": _pattern})


def validator_class() -> Any:
    """Draft 2020-12 as jsonschema checks it, minus work whose outcome is already known.

    Profiling a fleet showed jsonschema spending most of an agreement's ~5 ms on two
    things that repeat: resolving each ``$ref`` afresh on every visit (URL join, registry
    lookup, JSON-pointer walk), and descending into the same subschema with the same plain
    value (a fleet repeats its windows, targets, durations, kinds). Both are pure here:
    which subschema a ``$ref`` names depends only on where it is written (the schema uses
    no ``$dynamicRef``), and a value's validity against a subschema depends only on the
    two. So each ``$ref`` is looked up once, and a plain value (text up to
    :data:`_MAX_REMEMBERED_TEXT` characters, a number, true/false, null) once found valid
    against a subschema node is not checked against it again. Every error, its wording
    and order still come from jsonschema: only descents known to yield none are skipped,
    and lists and mappings are always descended and streamed.
    """
    found: dict[int, tuple[Any, Any]] = {}  # id(node with the $ref) -> (node, resolved)
    ref_each_time = Draft202012Validator.VALIDATORS["$ref"]

    def ref(validator: Any, ref: str, instance: Any, schema: Any) -> Any:
        hit = found.get(id(schema))
        if hit is None or hit[0] is not schema:
            try:
                resolved = validator._resolver.lookup(ref)  # what jsonschema's own $ref does
            except Exception:  # unresolvable, or another jsonschema: let it say so itself
                yield from ref_each_time(validator, ref, instance, schema)
                return
            hit = found[id(schema)] = (schema, resolved)
        resolved = hit[1]
        yield from validator.descend(instance, resolved.contents, resolver=resolved.resolver)

    cls: Any = extend(_Base, {"$ref": ref})  # a class of our own
    descend_each_time = cls.descend
    valid: set[tuple[int, type, Any]] = set()  # (id(node), type, value) known to pass
    nodes: dict[int, Any] = {}  # keeps each remembered node alive, so its id stays its own

    def descend(self: Any, instance: Any, schema: Any, *args: Any, **kwargs: Any) -> Any:
        kind = type(instance)  # exact type: True is not 1, 1 is not 1.0
        if (kind not in _PLAIN or type(schema) is not dict
                or (kind is str and len(instance) > _MAX_REMEMBERED_TEXT)):
            return descend_each_time(self, instance, schema, *args, **kwargs)
        key = (id(schema), kind, instance)
        if key in valid:
            return iter(())
        errors = list(descend_each_time(self, instance, schema, *args, **kwargs))
        if not errors and len(valid) < _MAX_REMEMBERED:
            nodes.setdefault(id(schema), schema)
            valid.add(key)
        return iter(errors)

    cls.descend = descend
    return cls


@lru_cache(maxsize=1)
def validator() -> Validator:
    """A validator with formats checked and every ``$ref`` resolved from local files.

    Built once per process: the schema files are read once, and what the validator
    learns (see :func:`validator_class`) serves every later file of the run.
    """
    folder = schema_dir()
    root = _read(folder / SCHEMA_FILE)
    definitions = definition_files(folder)
    resources = [(d["$id"], Resource.from_contents(d)) for d in definitions.values()]
    registry: Registry = Registry().with_resources(resources)
    cls: Any = _Base
    if "$dynamicRef" not in json.dumps([root, definitions]):  # dynamic scope: no shortcuts
        cls = validator_class()
    return cls(root, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


#: the key of the root schema that says which version of the format it describes
VERSION_KEY = "x-slacode-schema-version"
#: schema version N -> what to change in an agreement written for N to read it with N + 1;
#: a version without entries changed nothing an existing agreement uses (CHANGELOG.md)
UPGRADES: dict[int, tuple[str, ...]] = {}
NEWER = Code.SCHEMA_VERSION_NEWER


@lru_cache(maxsize=1)
def schema_version() -> int:
    """The version of the agreement format this slacode reads (the schema says it)."""
    return int(_read(schema_dir() / SCHEMA_FILE)[VERSION_KEY])


def version_problems(doc: Document, path: str) -> list[Problem]:
    """What an agreement's ``schema_version`` asks of this slacode.

    Written for a newer schema: one error saying to upgrade slacode (the fields it does
    not know would only be noise). Written for an older one: accepted, or one error per
    change to make, in order, from :data:`UPGRADES`. Without the field: nothing."""
    wrote = doc.data.get("schema_version") if isinstance(doc.data, dict) else None
    if type(wrote) is not int or wrote < 1:  # absent, or the schema's to report
        return []
    current = schema_version()
    at = _position(doc, "/schema_version")

    def error(message: str, code: Code) -> Problem:
        return Problem(path, at.line, at.col, "error", f"schema_version: {message}", code)

    if wrote > current:
        from slacode import __version__

        return [error(f"written for schema version {wrote}, but slacode {__version__} reads "
                      f"versions up to {current}: upgrade slacode (pip install --upgrade "
                      "slacode)", NEWER)]
    return [error(f"written for version {n}, read as version {n + 1} after this change: "
                  f"{step}; then set schema_version: {current}", Code.SCHEMA_VERSION_UPGRADE)
            for n in range(wrote, current) for step in UPGRADES.get(n, ())]


def validate(doc: Document, path: str) -> list[Problem]:
    """Every shape problem of one document, each at the node it concerns."""
    problems: list[Problem] = version_problems(doc, path)
    if any(p.code == NEWER for p in problems):
        return problems  # its unknown fields would only be noise
    for error in islice(validator().iter_errors(doc.data), MAX_SCHEMA_PROBLEMS):
        problems.extend(problems_of(error, doc, path))
    return sorted(set(problems))


@lru_cache(maxsize=4)
def _part_validator(ref: str) -> Validator:
    """A validator of one definition (e.g. ``actions.schema.json#/$defs/file``) with the
    same local registry as :func:`validator`: files beside the agreements that are not
    agreements (improvement actions) are checked by the same rules and messages."""
    definitions = definition_files(schema_dir())
    resources = [(d["$id"], Resource.from_contents(d)) for d in definitions.values()]
    registry: Registry = Registry().with_resources(resources)
    base = definitions["common"]["$id"].rsplit("/", 1)[0]
    return Draft202012Validator({"$ref": f"{base}/{ref}"}, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate_part(doc: Document, path: str, ref: str) -> list[Problem]:
    """Every shape problem of ``doc`` against the definition ``ref`` (a definition file's
    name and a pointer, e.g. ``actions.schema.json#/$defs/file``), each at its node."""
    problems: list[Problem] = []
    for error in islice(_part_validator(ref).iter_errors(doc.data), MAX_SCHEMA_PROBLEMS):
        problems.extend(problems_of(error, doc, path))
    return sorted(set(problems))


def show(value: Any) -> str:
    """A value as it would be written in YAML, shortened."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return "'" + text.replace("\n", "\\n") + "'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _pointer(parts: Any) -> str:
    pointer = ""
    for part in parts:
        pointer = pointer_join(pointer, part)
    return pointer


def keyword_code(keyword: str | None) -> Code:
    """The code of a problem found by a schema keyword (``schema.minLength``): one per
    keyword, so that tools can tell a missing field from a wrong type. ``schema.other``
    for a keyword a later JSON Schema draft may add."""
    try:
        return Code(f"schema.{keyword}")
    except ValueError:
        return Code.SCHEMA_OTHER


def problems_of(error: ValidationError, doc: Document, path: str) -> list[Problem]:
    """One schema error as problems at the nodes it concerns, in the words an author
    reads (an unknown field with the nearest known one, a missing field by name)."""
    parts = list(error.absolute_path)
    pointer = _pointer(parts)
    pos = _position(doc, pointer)
    name = where(parts)
    prefix = f"{name}: " if name else ""
    kw, value, inst = error.validator, error.validator_value, error.instance

    def one(message: str, at: Position = pos) -> list[Problem]:
        return [Problem(path, at.line, at.col, "error", message, keyword_code(kw))]

    if "propertyNames" in error.schema_path:
        key_pos = doc.key_positions.get(pointer_join(pointer, str(inst)), pos)
        return one(f"{prefix}{show(inst)} is not a valid {_hint(error)}", key_pos)
    if kw == "additionalProperties" and value is False and isinstance(inst, dict):
        known = list(error.schema.get("properties", {}))
        extra = [k for k in inst if k not in known]
        return [
            Problem(path, p.line, p.col, "error",
                    f"{prefix}unknown field '{k}'{_did_you_mean(k, known)}",
                    Code.SCHEMA_UNKNOWN_FIELD)
            for k in extra
            for p in [doc.key_positions.get(pointer_join(pointer, k), pos)]
        ]
    if kw == "required":
        match = re.match(r"^'(.*)' is a required property$", error.message)
        missing = match.group(1) if match else error.message
        return one(f"{prefix}missing required field '{missing}'")
    if kw == "type":
        expected = value if isinstance(value, list) else [value]
        words = " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in expected)
        return one(f"{prefix}expected {words}, got {show(inst)}")
    if kw == "not" and isinstance(value, dict) and "enum" in value:  # reserved values
        return one(f"{prefix}{show(inst)} is reserved: it names a page or file slacode "
                   f"generates for the whole fleet (reserved: "
                   f"{', '.join(map(str, value['enum']))}); choose another id")
    if kw == "enum":
        return one(f"{prefix}{show(inst)} is not one of: {', '.join(map(str, value))}"
                   f"{_did_you_mean(inst, value)}")
    if kw == "duration":
        return one(f"{prefix}{error.message}")
    if kw == "pattern":
        return one(f"{prefix}{show(inst)} is not a valid {_hint(error)}")
    if kw == "format":
        return one(f"{prefix}{show(inst)} is not a valid {_FORMATS.get(value, value)}")
    if kw in ("minimum", "exclusiveMinimum"):
        return one(f"{prefix}{show(inst)} is less than the minimum of {value}")
    if kw in ("maximum", "exclusiveMaximum"):
        return one(f"{prefix}{show(inst)} is greater than the maximum of {value}")
    if kw == "minItems":
        return one(f"{prefix}needs at least {value} item{'s' if value != 1 else ''}")
    if kw == "maxItems":
        return one(f"{prefix}has {len(inst)} items, more than the limit of {value}")
    if kw == "minLength":
        return one(f"{prefix}must not be empty" if value == 1 else
                   f"{prefix}is shorter than {value} characters")
    if kw == "maxLength":
        return one(f"{prefix}is longer than the limit of {value} characters")
    if kw == "uniqueItems":
        seen: list[Any] = []  # a list: items may be mappings, which do not hash
        dup = None
        for item in inst:
            if item in seen:
                dup = item
                break
            seen.append(item)
        return one(f"{prefix}{show(dup)} appears more than once")
    if kw in ("minProperties", "maxProperties"):
        props = list(error.schema.get("properties", {}))
        if error.schema.get("maxProperties") == 1 and props:
            return one(f"{prefix}give exactly one of: {', '.join(props)}")
        if kw == "minProperties":
            return one(f"{prefix}must not be empty")
        return one(f"{prefix}has more than {value} entries")
    return one(f"{prefix}{error.message}")


#: durations that need a fixed length (times on a clock, slice and step lengths): no
#: calendar months or years
FIXED_LENGTH = frozenset({"within", "slice", "threshold", "resolution", "response"})
_FIXED_HINT = ("a whole number and a unit of fixed length (ms, s, m, h, d, w), e.g. 300ms, "
               "15m, 8h, 3d; on a business-hours clock 1d is one working day and 24h is 24 "
               "working hours")


def _hint(error: ValidationError) -> str:
    pattern = error.schema.get("pattern", "")
    thing, hint = _PATTERNS.get(pattern, ("value", f"expected text matching {pattern}"))
    field = next((p for p in reversed(error.absolute_path) if isinstance(p, str)), "")
    if pattern == DURATION_PATTERN and field in FIXED_LENGTH:
        hint = _FIXED_HINT
    return f"{thing}: expected {hint}"


def _position(doc: Document, pointer: str) -> Position:
    while pointer:
        if pointer in doc.positions:
            return doc.positions[pointer]
        pointer = pointer.rsplit("/", 1)[0]
    return doc.positions.get("", Position(1, 1))


def main() -> None:
    """Rewrite the embedded definition copies in ``sla.schema.json`` from ``schemas/defs/``."""
    target = schema_dir() / SCHEMA_FILE
    target.write_text(json.dumps(bundle(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
