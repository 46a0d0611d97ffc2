"""What crosses a stage is public, and the tests use only what is public.

A private name (``_x``) may change with its module; one imported by another stage or by
a test ties both to it, and the stage can no longer be changed on its own."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: known reach-ins, each waiting for the rework that removes it
ALLOWED = {
    # render's wording of times and changes, replaced by render's message catalogue
    ("slacode/render/fmt.py", "slacode.evaluate.objectives", "_words"),
}


def _stage(module: str) -> str:
    """``slacode.pull.client`` -> ``slacode.pull``; a top-level module is its own stage."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _private_imports(folder: str) -> list[tuple[str, str, str]]:
    found = []
    for path in sorted((REPO / folder).rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        here = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("slacode")):
                continue
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private and (folder == "tests" or _stage(node.module) != _stage(here)):
                    found.append((rel, node.module, alias.name))
    return found


def test_no_stage_imports_a_private_name_of_another() -> None:
    assert set(_private_imports("slacode")) <= ALLOWED, _private_imports("slacode")


def test_no_test_imports_a_private_name() -> None:
    assert set(_private_imports("tests")) <= ALLOWED, _private_imports("tests")
