"""A fingerprint over frozen ledger records: what a customer report carries so that both
sides can tell, years later, which frozen figures it showed.

The fingerprint is the SHA-256 of the records' canonical JSON (each record as
:func:`slacode.ledger.read_record` reads it, keyed by its path under the ledger, sorted
keys, no insignificant whitespace, UTF-8). Reformatting a record file does not change
it; any change of a figure, a verdict, a credit or a restatement does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from slacode.ledger import read_record, record_path
from slacode.problems import SlacodeError

PREFIX = "sha256:"


def records(ledger_dir: Path | str, keys: Sequence[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    """``{"SERVICE/PERIOD.json": record}`` for each ``(service, period)``; a key without a
    frozen record is an error (a report shows frozen figures only)."""
    out: dict[str, dict[str, Any]] = {}
    for service, period in sorted(set(keys)):
        rec = read_record(ledger_dir, service, period)
        if rec is None:
            raise SlacodeError(f"{record_path(ledger_dir, service, period)}: no frozen record "
                               f"of {service} for {period}")
        out[f"{service}/{period}.json"] = rec
    return out


def fingerprint(found: dict[str, dict[str, Any]]) -> str:
    """``sha256:<hex>`` over ``found`` (as :func:`records` returns it)."""
    canonical = json.dumps(found, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                           allow_nan=False)
    return PREFIX + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
