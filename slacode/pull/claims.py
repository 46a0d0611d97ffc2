"""The claims record: credit claims customers made and what was paid (a CSV file).

Data, like the incident file: kept under ``data/`` and named by an agreement's
``credits.claims.path``. Columns: ``id, service, customer, period, objective, claimed,
status, paid, amount`` (``paid`` and ``amount`` may be left out or empty until a claim
is paid). ``claimed`` and ``paid`` are dates (YYYY-MM-DD). ``status`` is one of
:data:`STATUSES`. A bad row is a warning at the field's ``line:col`` and is left out:
the claims record never stops a build, it is checked against the figures
(``slacode.evaluate.claims``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from slacode.problems import Code, Problem

FIELDS = ("id", "service", "customer", "period", "objective", "claimed", "status", "paid",
          "amount")
REQUIRED = ("id", "service", "customer", "period", "objective", "claimed", "status")
STATUSES = ("open", "approved", "rejected", "paid")


@dataclass(frozen=True)
class Claim:
    """One row of the claims record."""

    id: str
    service: str
    customer: str
    period: str
    objective: str
    claimed: date
    status: str  # one of STATUSES
    paid: date | None = None
    amount: float | None = None
    path: str = ""  # the file, relative to the project root
    line: int = 0
    #: column name -> (line, col) where its value starts, for problems about that field
    at: tuple[tuple[str, int, int], ...] = ()

    def where(self, field: str) -> tuple[int, int]:
        """``(line, col)`` of ``field``'s value (the row's start when not known)."""
        return next(((ln, col) for name, ln, col in self.at if name == field), (self.line, 1))


def read_claims(root: Path, paths: Iterable[str]) -> tuple[tuple[Claim, ...], tuple[Problem, ...]]:
    """Every good row of each claims file named in ``paths`` (relative to ``root``; each
    file read once), and a warning per bad row, duplicate id or unusable file."""
    from slacode.pull.files import FileFault, read_rows

    claims: list[Claim] = []
    problems: list[Problem] = []
    for rel in sorted(set(paths)):
        seen: dict[str, int] = {}
        try:
            for line, row in read_rows(root / rel, rel, "csv", FIELDS, REQUIRED):
                claim, problem = _claim(rel, line, row)
                if problem is not None:
                    problems.append(problem)
                    continue
                assert claim is not None
                if claim.id in seen:
                    ln, col = claim.where("id")
                    problems.append(Problem(rel, ln, col, "warning",
                                            f"claim {claim.id}: the id is given twice (first on "
                                            f"line {seen[claim.id]}); this row is left out",
                                            Code.CLAIMS_BAD_ROW))
                    continue
                seen[claim.id] = claim.line
                claims.append(claim)
        except FileFault as exc:
            problems.append(Problem(rel, 0, 0, "warning", f"claims record not read: {exc}",
                                    Code.CLAIMS_BAD_FILE))
    return tuple(claims), tuple(problems)


def _claim(rel: str, line: int, row: dict[str, object]) -> tuple[Claim | None, Problem | None]:
    position = getattr(row, "position", None)

    def at(field: str) -> tuple[int, int]:
        found = position(field) if position is not None else None
        return found or (line, 1)

    def bad(field: str, message: str) -> tuple[None, Problem]:
        ln, col = at(field)
        return None, Problem(rel, ln, col, "warning", f"claim row left out: {message}",
                             Code.CLAIMS_BAD_ROW)

    if "__error__" in row:
        return bad("id", str(row["__error__"]))
    text = {k: str(row.get(k) or "").strip() for k in FIELDS}
    for field in REQUIRED:
        if not text[field]:
            return bad(field, f"{field} is empty")
    if text["status"] not in STATUSES:
        return bad("status", f"status {text['status']!r} is not one of {', '.join(STATUSES)}")
    days: dict[str, date | None] = {}
    for field in ("claimed", "paid"):
        try:
            days[field] = date.fromisoformat(text[field]) if text[field] else None
        except ValueError:
            return bad(field, f"{field}: {text[field]!r} is not a date (YYYY-MM-DD)")
    amount = None
    if text["amount"]:
        try:
            amount = float(text["amount"].replace(",", ""))
        except ValueError:
            return bad("amount", f"amount: {text['amount']!r} is not a number")
        if not 0 <= amount < 1e15:
            return bad("amount", f"amount: {text['amount']!r} is not an amount of money")
    claimed = days["claimed"]
    assert claimed is not None
    return Claim(
        id=text["id"], service=text["service"], customer=text["customer"],
        period=text["period"], objective=text["objective"], claimed=claimed,
        status=text["status"], paid=days["paid"], amount=amount, path=rel, line=line,
        at=tuple((f, *at(f)) for f in FIELDS),
    ), None
