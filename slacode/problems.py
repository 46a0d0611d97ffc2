"""One way to report a problem with a position, shared by every stage.

Every user-facing error is a :class:`Problem` rendered as ``path:line:col:
severity: message``; stages collect them instead of raising so that one run
reports everything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum, StrEnum
from typing import Literal

Severity = Literal["error", "warning"]

#: characters that would end or change the line a problem is printed on (C0 and C1
#: controls, DEL, the Unicode line and paragraph separators)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` on one line: each control character written as an escape (``\\n``,
    ``\\t``, ``\\x1b``). A file name or message holding a line break would otherwise start
    a line of its own in a log, where CI reads ``::error ...`` as a workflow command."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _annotation_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub documents it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _annotation_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``): also ``:`` and ``,``,
    which would end the property list or start another property."""
    return _annotation_data(text).replace(":", "%3A").replace(",", "%2C")


class Code(StrEnum):
    """Every kind of problem, one code each: a short stable identifier in the JSON output
    (``slacode validate --format json``, ``slacode pull --format json``) and the one
    thing code decides on (:func:`strict_failures`). A ``StrEnum``, so a code is its
    string everywhere it is printed or compared, and a misspelt code fails at import,
    not by never matching."""

    NONE = ""  # a problem made outside slacode (a test's); slacode's own always name one
    # reading agreement files (slacode.load)
    IO_MISSING = "io.missing"
    IO_UNREADABLE = "io.unreadable"
    IO_OUTSIDE_LINK = "io.outside-link"
    IO_FOLDER_LINK = "io.folder-link"
    IO_FILE_NAME = "io.file-name"
    # YAML, before any meaning (slacode.load.yamlsafe)
    YAML_TOO_LARGE = "yaml.too-large"
    YAML_BINARY = "yaml.binary"
    YAML_ENCODING = "yaml.encoding"
    YAML_CHARACTER = "yaml.character"
    YAML_SYNTAX = "yaml.syntax"
    YAML_DEPTH = "yaml.depth"
    YAML_EMPTY = "yaml.empty"
    YAML_DUPLICATE_KEY = "yaml.duplicate-key"
    YAML_DIRECTIVE = "yaml.directive"
    YAML_MULTIPLE_DOCUMENTS = "yaml.multiple-documents"
    YAML_ALIAS = "yaml.alias"
    YAML_ANCHOR = "yaml.anchor"
    YAML_TAG = "yaml.tag"
    YAML_TOO_MANY_NODES = "yaml.too-many-nodes"
    YAML_ROOT = "yaml.root"
    YAML_KEY = "yaml.key"
    YAML_SPECIAL_FLOAT = "yaml.special-float"
    YAML_NUMBER = "yaml.number"
    # the schema: its keyword that failed, and the checks around it (slacode.load.schema)
    SCHEMA_UNKNOWN_FIELD = "schema.unknown-field"
    SCHEMA_VERSION_NEWER = "schema.version-newer"
    SCHEMA_VERSION_UPGRADE = "schema.version-upgrade"
    SCHEMA_OTHER = "schema.other"
    SCHEMA_TYPE = "schema.type"
    SCHEMA_ENUM = "schema.enum"
    SCHEMA_CONST = "schema.const"
    SCHEMA_MULTIPLE_OF = "schema.multipleOf"
    SCHEMA_MAXIMUM = "schema.maximum"
    SCHEMA_EXCLUSIVE_MAXIMUM = "schema.exclusiveMaximum"
    SCHEMA_MINIMUM = "schema.minimum"
    SCHEMA_EXCLUSIVE_MINIMUM = "schema.exclusiveMinimum"
    SCHEMA_MAX_LENGTH = "schema.maxLength"
    SCHEMA_MIN_LENGTH = "schema.minLength"
    SCHEMA_PATTERN = "schema.pattern"
    SCHEMA_FORMAT = "schema.format"
    SCHEMA_MAX_ITEMS = "schema.maxItems"
    SCHEMA_MIN_ITEMS = "schema.minItems"
    SCHEMA_UNIQUE_ITEMS = "schema.uniqueItems"
    SCHEMA_MAX_CONTAINS = "schema.maxContains"
    SCHEMA_MIN_CONTAINS = "schema.minContains"
    SCHEMA_CONTAINS = "schema.contains"
    SCHEMA_ITEMS = "schema.items"
    SCHEMA_PREFIX_ITEMS = "schema.prefixItems"
    SCHEMA_UNEVALUATED_ITEMS = "schema.unevaluatedItems"
    SCHEMA_MAX_PROPERTIES = "schema.maxProperties"
    SCHEMA_MIN_PROPERTIES = "schema.minProperties"
    SCHEMA_REQUIRED = "schema.required"
    SCHEMA_DEPENDENT_REQUIRED = "schema.dependentRequired"
    SCHEMA_DEPENDENT_SCHEMAS = "schema.dependentSchemas"
    SCHEMA_ADDITIONAL_PROPERTIES = "schema.additionalProperties"
    SCHEMA_UNEVALUATED_PROPERTIES = "schema.unevaluatedProperties"
    SCHEMA_PROPERTY_NAMES = "schema.propertyNames"
    SCHEMA_ALL_OF = "schema.allOf"
    SCHEMA_ANY_OF = "schema.anyOf"
    SCHEMA_ONE_OF = "schema.oneOf"
    SCHEMA_NOT = "schema.not"
    # a value the schema let through that cannot be read (slacode.load.build)
    BUILD = "build"
    # meaning (slacode.load.lint, and a data file that is not there)
    LINT_ACTION_DUPLICATE = "lint.action-duplicate"
    LINT_ACTION_LINK = "lint.action-link"
    LINT_ACTION_OBJECTIVE = "lint.action-objective"
    LINT_ACTION_PERIOD = "lint.action-period"
    LINT_ACTION_SERVICE = "lint.action-service"
    LINT_BONUS = "lint.bonus"
    LINT_CALENDAR_CONFLICT = "lint.calendar-conflict"
    LINT_CALENDAR_DURATION = "lint.calendar-duration"
    LINT_CALENDAR_HOURS = "lint.calendar-hours"
    LINT_COMPOSITE = "lint.composite"
    LINT_CLAIM_WINDOW = "lint.claim-window"
    LINT_CONTRACT = "lint.contract"
    LINT_CREDIT_CAP = "lint.credit-cap"
    LINT_CREDIT_OBJECTIVE = "lint.credit-objective"
    LINT_CREDIT_TIERS = "lint.credit-tiers"
    LINT_CYCLE = "lint.cycle"
    LINT_DUPLICATE_ID = "lint.duplicate-id"
    LINT_DUPLICATE_OBJECTIVE = "lint.duplicate-objective"
    LINT_ESCALATION = "lint.escalation"
    LINT_ESCALATION_UNTIMED = "lint.escalation-untimed"
    LINT_FIELD_KIND = "lint.field-kind"
    LINT_HOLIDAY_COUNTRY = "lint.holiday-country"
    LINT_HOLIDAY_SUBDIVISION = "lint.holiday-subdivision"
    LINT_MAINTENANCE = "lint.maintenance"
    LINT_MAINTENANCE_LATE = "lint.maintenance-late"
    LINT_MAINTENANCE_OVER_CAP = "lint.maintenance-over-cap"
    LINT_METHOD_KIND = "lint.method-kind"
    LINT_PRIORITY_MISMATCH = "lint.priority-mismatch"
    LINT_PRIORITY_ORDER = "lint.priority-order"
    LINT_PRIVATE_CONTACT = "lint.private-contact"
    LINT_RECOVERY_PRIORITIES = "lint.recovery-priorities"
    LINT_RECOVERY_TARGET = "lint.recovery-target"
    LINT_REVIEW = "lint.review"
    LINT_REVIEW_OVERDUE = "lint.review-overdue"
    LINT_SATISFACTION_SHARE = "lint.satisfaction-share"
    LINT_SCALE = "lint.scale"
    LINT_SELECTOR = "lint.selector"
    LINT_SELF_REFERENCE = "lint.self-reference"
    LINT_SOURCE_MISSING = "lint.source-missing"
    LINT_SOURCE_PATH = "lint.source-path"
    LINT_TARGET_RANGE = "lint.target-range"
    LINT_TIMEZONE = "lint.timezone"
    LINT_UNDERPINS = "lint.underpins"
    LINT_UNKNOWN_AGREEMENT = "lint.unknown-agreement"
    LINT_UNKNOWN_CALENDAR = "lint.unknown-calendar"
    LINT_UNKNOWN_OBJECTIVE = "lint.unknown-objective"
    LINT_UNKNOWN_PRIORITY = "lint.unknown-priority"
    LINT_UNMEASURABLE = "lint.unmeasurable"
    LINT_UNMEASURED_PROMISE = "lint.unmeasured-promise"
    # derived files out of date (slacode validate)
    GENERATED_STALE = "generated.stale"
    # git history (slacode.history)
    HISTORY_ERROR = "history.error"
    HISTORY_UNREADABLE = "history.unreadable"
    HISTORY_FILE_MISSING = "history.file-missing"
    HISTORY_NOT_LOADED = "history.not-loaded"
    HISTORY_COMMIT_VERSION_BUMP = "history.commit-version-bump"
    HISTORY_EFFECTIVE_DATE = "history.effective-date"
    HISTORY_REMOVED_WITH_LEDGER = "history.removed-with-ledger"
    HISTORY_RETROACTIVE = "history.retroactive"
    HISTORY_RETROACTIVE_MAINTENANCE = "history.retroactive-maintenance"
    HISTORY_RETROACTIVE_WEAKER = "history.retroactive-weaker"
    HISTORY_UNACCEPTED = "history.unaccepted"
    HISTORY_VERSION_BUMP = "history.version-bump"
    # measurements (slacode.pull)
    PULL_RESOLUTION = "pull.resolution"
    PULL_SOURCE_KIND = "pull.source-kind"
    PULL_BAD_ROW = "pull.bad-row"
    PULL_GAP = "pull.gap"
    PULL_FAULT = "pull.fault"
    PULL_WARNING = "pull.warning"
    # improvement actions (slacode.load.actions): open past due, and past the grace too
    ACTIONS_IO = "actions.io"
    ACTIONS_OVERDUE = "actions.overdue"
    ACTIONS_OVERDUE_GRACE = "actions.overdue-grace"
    # credit claims (slacode.pull.claims reads them, slacode.evaluate.claims judges them)
    CLAIMS_BAD_FILE = "claims.bad-file"
    CLAIMS_BAD_ROW = "claims.bad-row"
    CLAIMS_UNKNOWN = "claims.unknown"
    CLAIMS_UNWARRANTED = "claims.unwarranted"
    CLAIMS_LATE = "claims.late"
    CLAIMS_AMOUNT = "claims.amount"
    CLAIMS_UNPAID = "claims.unpaid"
    CLAIMS_DISPUTED = "claims.disputed"
    CLAIMS_CUSTOMER = "claims.customer"
    # the ledger and the build (slacode.pipeline)
    LEDGER_CANDIDATE = "ledger.candidate"
    LEDGER_ORPHAN = "ledger.orphan"
    CONFIG_AUDIENCE = "config.audience"

    @property
    def strict(self) -> Strict:
        """What a strict run does with a warning of this code (:func:`strict_failures`)."""
        return strictness(self)


class Strict(Enum):
    """What a strict run (``mkdocs build --strict``, ``slacode build --strict``, the
    nightly job) does with a warning, by its code. Errors always fail, strict or not."""

    PASSES = "passes"  # shown (as "no data" on the pages, or in the log), never fails
    #: fails only when every interval without data must (``strict: true`` in the settings,
    #: ``slacode pull --strict``): data that is simply absent is published as "no data"
    GAPS = "gaps"
    #: fails a strict build before anything is published: publishing would replace good
    #: pages with worse ones (a failed source's "no data", a vanished service, the wrong
    #: promise for want of git history, the public site under a customer's name)
    STOPS = "stops"
    #: a strict build publishes (the period marked "under review", the frozen figures
    #: customers were told) and then fails, so that someone restates it or finds the cause
    AFTER_PUBLISHING = "after-publishing"


#: the warnings a strict run does not let pass; every other code passes (in this order:
#: the first kind found names why a strict build stopped)
_STRICT: dict[str, Strict] = {
    Code.PULL_FAULT: Strict.STOPS,
    Code.LEDGER_ORPHAN: Strict.STOPS,
    Code.CONFIG_AUDIENCE: Strict.STOPS,
    Code.HISTORY_ERROR: Strict.STOPS,
    Code.ACTIONS_OVERDUE_GRACE: Strict.STOPS,
    Code.LEDGER_CANDIDATE: Strict.AFTER_PUBLISHING,
    Code.PULL_GAP: Strict.GAPS,
}
#: the codes a strict build stops on before publishing, in the order its message names them
STOPS: tuple[Code, ...] = tuple(Code(c) for c, s in _STRICT.items() if s is Strict.STOPS)
#: codes of intervals without data: the source failed, or the data is absent
GAP_CODES = frozenset({Code.PULL_GAP, Code.PULL_FAULT})


def strictness(code: str) -> Strict:
    """What a strict run does with a warning of ``code``; looked up by its string, so a
    code made elsewhere as a plain string counts the same."""
    return _STRICT.get(code, Strict.PASSES)


def strict_failures(problems: Iterable[Problem], *, gaps: bool = False) -> tuple[Problem, ...]:
    """The problems a strict run fails on, in their order: every error, and each warning
    whose code does not pass (:class:`Strict`). ``gaps``: every interval without data
    fails too (``strict: true``, ``slacode pull --strict``).

    The one rule: the MkDocs plugin, ``slacode pull`` and the pull stage all ask here,
    so a new code is strict in every command at once or in none."""
    failing = {Strict.STOPS, Strict.AFTER_PUBLISHING} | ({Strict.GAPS} if gaps else set())
    return tuple(p for p in problems if p.severity == "error" or strictness(p.code) in failing)


def as_errors(problems: Iterable[Problem], *, gaps: bool = False) -> tuple[Problem, ...]:
    """``problems`` with each one a strict run fails on (:func:`strict_failures`) made an
    error: what ``strict: true`` and ``slacode pull --strict`` report."""
    problems = tuple(problems)
    failing = set(strict_failures(problems, gaps=gaps))
    return tuple(replace(p, severity="error") if p in failing else p for p in problems)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    col: int  # 1-based; 0 when unknown
    severity: Severity
    message: str
    code: Code = Code.NONE  # e.g. Code.YAML_DUPLICATE_KEY ("yaml.duplicate-key")

    def __str__(self) -> str:
        """One line, whatever the path or message holds (see :func:`printable`)."""
        return (f"{printable(self.path)}:{self.line}:{self.col}: {self.severity}: "
                f"{printable(self.message)}")

    def as_github(self) -> str:
        """A GitHub Actions workflow command, so CI annotates the pull request diff.

        Escaped as GitHub documents it, properties and message apart: a file name is
        untrusted text, and an unescaped ``\\n`` or ``,`` in it would start a workflow
        command of its own or add properties."""
        level = "error" if self.severity == "error" else "warning"
        return (f"::{level} file={_annotation_property(self.path)},line={self.line},"
                f"col={self.col}::{_annotation_data(self.message)}")

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
            "code": str(self.code),
        }


class SlacodeError(Exception):
    """An expected failure with a message for the user; the CLI prints it, no traceback."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class InstallError(SlacodeError):
    """A file of slacode itself (the schema, a template, a stylesheet) is missing or
    unreadable: the installation is at fault, not the user's input, so the message says
    which file and how to repair it instead of blaming an agreement or an output path."""

    def __init__(self, what: str) -> None:
        super().__init__(f"slacode is not installed correctly: {what}; reinstall it "
                         "(pip install --force-reinstall slacode)")
