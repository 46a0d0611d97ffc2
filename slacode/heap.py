"""Python's cyclic garbage collector and a build's long-lived data.

A build keeps what it has made (agreements, measurements, results) to its end. Each full
collection scans every such object again, so the collector's share grows with the fleet:
evaluating 1,000 services cost 3.4 ms a service of collection against 1.7 ms for 200.
Frozen objects are skipped by the collector (``gc.freeze``); everything is handed back
when the stage ends, so a long-running ``mkdocs serve`` still frees old builds.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[Callable[[], None]]:
    """Within: what exists now, and whatever is made before each call of the function
    given, is kept to the end and not scanned again. Nested uses end at the outermost."""
    outermost = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        if outermost:
            gc.unfreeze()
