"""Parse and schema-check many agreement texts on two cores: the history's cold walk.

A cold walk of a long history loads every distinct text its main line held (about 2,000
on a repository of 5,000 commits); parsing with positions and the schema are most of that
and independent per text. On a machine with more than one core a forked worker takes half
of the texts while this process does the other half, and what passed goes into the memo
(:class:`slacode.load.memo.Validated`), so that the loads which follow find it there and
only build and lint the models. Nothing changes in what is loaded or said: a text that
does not parse or pass is left to the normal load, which words its problems.

Not for a few texts (a fork costs more), never while other threads run (a fork copies
their locks), and a worker that cannot start or fails leaves its half to this process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from slacode.load.memo import Validated, digest

log = logging.getLogger(__name__)

#: below this many unknown texts the walk loads them one by one
MIN_TEXTS = 200

_Checked = tuple[dict[str, Any], dict[str, list[int]]] | None


def _check(items: Sequence[tuple[str | bytes, str]]) -> list[_Checked]:
    """Each text's (data, positions) when it parses and passes the schema, else None."""
    from slacode.load import schema, yamlsafe

    out: list[_Checked] = []
    for text, path in items:
        doc, _ = yamlsafe.parse(text, path)
        if doc is None or schema.validate(doc, path):
            out.append(None)
            continue
        out.append((doc.data, {k: [p.line, p.col] for k, p in doc.positions.items()}))
    return out


def _parallel() -> bool:
    return ((os.cpu_count() or 1) > 1 and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods())


def prefetch(items: Sequence[tuple[str | bytes, str]], memo: Validated) -> int:
    """Check the texts of ``items`` (text, path as shown) that ``memo`` does not know, on
    two cores when there are many, and remember those that pass; how many were checked."""
    todo: dict[str, tuple[str | bytes, str]] = {}
    for text, path in items:
        key = digest(text)
        if key not in todo and memo.get(key) is None:
            todo[key] = (text, path)
    if len(todo) < MIN_TEXTS or not _parallel():
        return 0
    keys = list(todo)
    half = len(keys) * 9 // 20  # the worker also sends its answers back: a little less
    theirs = [todo[k] for k in keys[:half]]
    got: list[_Checked] | None = None
    try:
        with ProcessPoolExecutor(max_workers=1,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            future = pool.submit(_check, theirs)
            mine = _check([todo[k] for k in keys[half:]])
            try:
                got = future.result()
            except Exception as exc:  # the worker died: this process does its half
                log.debug("history texts' worker failed (%s): checking here", exc)
    except (OSError, RuntimeError, ValueError) as exc:  # no fork here: do it all here
        log.debug("cannot fork a worker for the history texts (%s)", exc)
        mine = _check([todo[k] for k in keys[half:]])
    if got is None:
        got = _check(theirs)
    for key, checked in zip(keys, [*got, *mine], strict=True):
        if checked is not None:
            memo.put_plain(key, *checked)
    return len(keys)
