"""Improvement actions: ``actions/<service id>.yaml`` beside ``slas/``.

The policy asks for continuous improvement and for adjusting from evaluation results,
so a period (usually a breached one) can be linked to the actions taken about it. They
live in their own folder, not in ``slas/``: an action changes every week, an agreement
only through a new version, and the loader, CODEOWNERS and the change history read every
YAML file under ``slas/`` as an agreement. Each file is checked like an agreement: the
schema (``schemas/defs/actions.schema.json``), then meaning, every problem at
``path:line:col``.

An open action past its due date is a warning naming it (``actions.overdue``), judged at
the project's "now" (``--now``, ``SLACODE_NOW``, the pinned ``now``), never the wall
clock; past the project's ``actions_grace`` it is an ``actions.overdue-grace`` warning,
which a strict build fails on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from slacode.durations import Duration
from slacode.model import Action, Agreement, Position
from slacode.problems import Code, Problem

#: the folder of the actions files, relative to the project root
FOLDER = "actions"
#: an open action overdue by more than this fails a strict build, unless the project sets
#: ``actions_grace``
DEFAULT_GRACE = "14d"
#: problem codes: an open action past its due date, and one past the grace as well
OVERDUE = Code.ACTIONS_OVERDUE
OVERDUE_GRACE = Code.ACTIONS_OVERDUE_GRACE
SCHEMA_REF = "actions.schema.json#/$defs/file"
_PERIOD = {
    "month": re.compile(r"\d{4}-(0[1-9]|1[0-2])"),
    "quarter": re.compile(r"\d{4}-Q[1-4]"),
    "year": re.compile(r"\d{4}"),
    "rolling": re.compile(r"\d{4}-(0[1-9]|1[0-2])"),  # the month the window ended in
}
_PERIOD_EXAMPLE = {"month": "2026-03", "quarter": "2026-Q1", "year": "2026",
                   "rolling": "2026-03"}


@dataclass(frozen=True)
class ActionsResult:
    """Every action of the project's actions files that passed its checks, and every
    problem of every file."""

    actions: tuple[Action, ...]
    problems: tuple[Problem, ...]

    def of(self, service: str) -> tuple[Action, ...]:
        """The actions of one agreement, in file order."""
        return tuple(x for x in self.actions if x.service == service)


def period_start(period: str) -> date | None:
    """The first day of a period named as results name it (2026-03, 2026-Q1, 2026)."""
    try:
        if "-Q" in period:
            year, q = period.split("-Q")
            return date(int(year), 3 * int(q) - 2, 1)
        if "-" in period:
            year, month = period.split("-")
            return date(int(year), int(month), 1)
        return date(int(period), 1, 1)
    except ValueError:
        return None


def load_actions(root: Path, agreements: Sequence[Agreement], today: date,
                 grace: Duration | None = None) -> ActionsResult:
    """Read and check every ``actions/*.yaml`` of the project at ``root``; none is fine.

    ``agreements`` are the loaded ones (an action names one of their objectives);
    ``today`` is the project's "now" as a date, ``grace`` how long an open action may be
    overdue before a strict build fails (default :data:`DEFAULT_GRACE`)."""
    folder = root / FOLDER
    if not folder.is_dir():
        return ActionsResult((), ())
    grace = grace or Duration.parse(DEFAULT_GRACE)
    by_id = {a.id: a for a in agreements}
    actions: list[Action] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}  # action id -> where it was first given
    for f in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        shown = f"{FOLDER}/{f.name}"
        found, bad = _file(f, shown, by_id, today)
        problems += bad
        for x in found:
            at = f"{shown}:{x.pos.line}:{x.pos.col}" if x.pos else shown
            if x.id in seen:
                pos = x.pos or Position(1, 1)
                problems.append(Problem(shown, pos.line, pos.col, "error",
                                        f"action {x.id}: the id is given twice (first at "
                                        f"{seen[x.id]})", Code.LINT_ACTION_DUPLICATE))
                continue
            seen[x.id] = at
            actions.append(x)
            problems += _overdue(x, today, grace)
    return ActionsResult(tuple(actions), tuple(sorted(set(problems))))


def _overdue(x: Action, today: date, grace: Duration) -> list[Problem]:
    """A warning for an open action past its due date; its own code past the grace."""
    if x.status != "open" or x.due >= today:
        return []
    days = (today - x.due).days
    beyond = grace.add_to(x.due) < today
    pos = x.pos or Position(1, 1)
    text = (f"action {x.id} ({x.service} {x.objective} {x.period}) is open and was due on "
            f"{x.due.isoformat()}, {days} day{'s' if days != 1 else ''} ago")
    if beyond:
        text += f", more than the {grace} of grace (actions_grace): a strict build fails"
    return [Problem(x.path, pos.line, pos.col, "warning", text,
                    OVERDUE_GRACE if beyond else OVERDUE)]


def _file(f: Path, shown: str, by_id: dict[str, Agreement], today: date
          ) -> tuple[list[Action], list[Problem]]:
    from slacode.load import schema, yamlsafe

    try:
        data = f.read_bytes()
    except OSError as exc:
        return [], [Problem(shown, 0, 0, "error", f"cannot read: {exc.strerror or exc}",
                            Code.ACTIONS_IO)]
    doc, problems = yamlsafe.parse(data, shown)
    if doc is None:
        return [], problems
    problems = schema.validate_part(doc, shown, SCHEMA_REF)
    if problems:
        return [], problems
    service = f.name.rsplit(".", 1)[0]
    a = by_id.get(service)
    if a is None:
        return [], [Problem(shown, 1, 1, "error",
                            f"no agreement has the id '{service}': an actions file is named "
                            "after the agreement its actions belong to", Code.LINT_ACTION_SERVICE)]

    def pos(pointer: str) -> Position:
        while pointer and pointer not in doc.positions:
            pointer = pointer.rsplit("/", 1)[0]
        return doc.positions.get(pointer, Position(1, 1))

    def error(pointer: str, message: str, code: Code) -> None:
        at = pos(pointer)
        problems.append(Problem(shown, at.line, at.col, "error", message, code))

    out = []
    for i, raw in enumerate(doc.data.get("actions", [])):
        base = f"/actions/{i}"
        before = len(problems)
        o = a.objective(raw["objective"])
        if o is None:
            ids = ", ".join(x.id for x in a.objectives)
            error(f"{base}/objective", f"actions[{i}].objective: {a.id} has no objective "
                  f"'{raw['objective']}' (its objectives: {ids})", Code.LINT_ACTION_OBJECTIVE)
        else:
            kind = o.window.kind
            if not _PERIOD[kind].fullmatch(raw["period"]):
                error(f"{base}/period", f"actions[{i}].period: '{raw['period']}' is not a "
                      f"period of {o.id}, whose window is {o.window} (e.g. "
                      f"{_PERIOD_EXAMPLE[kind]})", Code.LINT_ACTION_PERIOD)
            else:
                first = period_start(raw["period"])
                if first is None or first > today:
                    error(f"{base}/period", f"actions[{i}].period: '{raw['period']}' has not "
                          f"started at {today.isoformat()}: an action answers a period "
                          "evaluation has judged", Code.LINT_ACTION_PERIOD)
        link = raw.get("link", "")
        if link and not re.match(r"https?://[^\s/]+", link, re.IGNORECASE):
            error(f"{base}/link", f"actions[{i}].link: '{link}' is not an http:// or https:// "
                  "URL", Code.LINT_ACTION_LINK)
        if len(problems) > before:
            continue
        out.append(Action(
            service=a.id, id=raw["id"], title=raw["title"], objective=raw["objective"],
            period=raw["period"], due=date.fromisoformat(raw["due"]), status=raw["status"],
            owner=raw.get("owner", ""), link=link, path=shown, pos=pos(base)))
    return out, problems
