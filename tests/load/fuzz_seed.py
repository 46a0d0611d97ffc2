"""Write the fuzz seed database (``tests/load/hypothesis-db``), kept in the repository.

Run ``.venv/bin/python tests/load/fuzz_seed.py`` after changing
``test_the_seed_database_replays_without_an_exception`` in ``test_load_fuzz.py`` (its
database key follows its source) or the hostile corpus. The database then holds every
file of ``corpus/`` (alias bombs, deep nesting, ``%YAML 1.1``, tags, .nan, invalid
UTF-8, ...) as raw bytes, and a fixed set of drawn documents. Deterministic: the same
inputs write the same files.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from random import Random
from typing import Any

HERE = Path(__file__).resolve().parent
SEEDS_PER_TEST = 40  # drawn documents besides the corpus


def database_key(test: Callable[..., Any]) -> bytes:
    """The key Hypothesis files a ``@given`` test's examples under (a digest of its source)."""
    from hypothesis.internal.reflection import function_digest

    return function_digest(test.hypothesis.inner_test)  # type: ignore[attr-defined]


def _drawn(strategy: Any, n: int, salt: int) -> list[tuple[Any, ...]]:
    from hypothesis.control import BuildContext
    from hypothesis.errors import StopTest
    from hypothesis.internal.conjecture.data import ConjectureData

    out = []
    for i in range(n):
        data = ConjectureData(random=Random(salt * 1000 + i))
        try:
            with BuildContext(data, wrapped_test=_drawn):
                data.draw(strategy)
        except StopTest:
            continue
        out.append(tuple(data.choices))
    return out


def write(db_path: Path = HERE / "hypothesis-db") -> int:
    from hypothesis.database import DirectoryBasedExampleDatabase, choices_to_bytes

    sys.path.insert(0, str(HERE))
    import test_load_fuzz as fuzz

    if db_path.exists():
        for child in db_path.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
    db = DirectoryBasedExampleDatabase(db_path)
    n = 0
    key = database_key(fuzz.test_the_seed_database_replays_without_an_exception)
    for f in sorted((HERE / "corpus").glob("*.yaml")):
        db.save(key, choices_to_bytes((2, f.read_bytes()[:4096])))  # one_of branch 2: bytes
        n += 1
    for choices in _drawn(fuzz.RANDOM_INPUT, SEEDS_PER_TEST, 1):
        db.save(key, choices_to_bytes(choices))
        n += 1
    return n


if __name__ == "__main__":
    print(f"{write()} examples written to {HERE / 'hypothesis-db'}")
