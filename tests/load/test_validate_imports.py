"""The pre-commit loop's ``slacode validate`` loads neither MkDocs nor the renderer's or
the HTTP stack's libraries.

They cost start-up time on every commit. Reading ``mkdocs.yml`` as MkDocs does (its
loader, its option types) imports MkDocs, Jinja2 and Markdown, so ``validate`` serves
the validated block from the project's cache while the file's bytes are the same
(``slacode.load.memo``). These check that the second run of an unchanged project loads
none of them, that it says exactly what the first run said, and that a changed file, or
one whose values come from the environment, is read again in full."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from load_helpers import MINIMAL

#: ``slacode validate`` as the console script runs it; the modules it loaded go to the
#: last line of stderr when it exits
SCRIPT = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
from slacode.cli import main
sys.argv = ["slacode", "validate", *sys.argv[1:]]
main()
"""

HEAVY = {"mkdocs", "jinja2", "markdown", "requests", "urllib3", "babel", "material"}


def _project(tmp_path: Path, mkdocs_yml: str) -> Path:
    root = tmp_path / "project"
    (root / "slas").mkdir(parents=True)
    (root / "slas" / "minimal.yaml").write_text(MINIMAL, encoding="utf-8")
    (root / "data").mkdir()
    (root / "data" / "minimal.csv").write_text("", encoding="utf-8")
    (root / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    return root


def _validate(root: Path, *args: str, env: dict[str, str] | None = None
              ) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    out = subprocess.run([sys.executable, "-c", SCRIPT, *args], cwd=root, capture_output=True,
                         text=True, timeout=60, check=False,
                         env={**os.environ, **(env or {})})
    *said, modules = out.stderr.rstrip("\n").split("\n")
    loaded = {m.partition(".")[0] for m in json.loads(modules)}
    return subprocess.CompletedProcess(out.args, out.returncode, out.stdout,
                                       "\n".join(said)), loaded


def test_an_unchanged_project_validates_without_mkdocs_jinja2_or_requests(
        tmp_path: Path) -> None:
    root = _project(tmp_path, "site_name: x\nplugins:\n  - search\n  - slacode:\n"
                              "      history_months: 3\n")
    first, _ = _validate(root)
    assert first.returncode == 0, first.stdout + first.stderr
    second, loaded = _validate(root)
    assert (second.returncode, second.stdout, second.stderr) == (
        first.returncode, first.stdout, first.stderr)
    assert "1 agreement file checked: 0 errors" in second.stderr
    assert not loaded & HEAVY, sorted(loaded & HEAVY)


def test_a_setting_broken_after_a_clean_run_is_reported_as_before(tmp_path: Path) -> None:
    root = _project(tmp_path, "site_name: x\nplugins:\n  - slacode:\n      strict: true\n")
    assert _validate(root)[0].returncode == 0
    (root / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - slacode:\n      strict: maybe\n", encoding="utf-8")
    out, _ = _validate(root)
    assert out.returncode == 1
    assert "mkdocs.yml:4:15: slacode option 'strict' must be true or false" in out.stderr
    assert "Traceback" not in out.stderr


def test_settings_from_the_environment_are_read_every_time(tmp_path: Path) -> None:
    """``!ENV`` makes a setting depend on more than the file: such a file is never
    remembered, so a changed variable takes effect (here: a history too long)."""
    root = _project(tmp_path, "site_name: x\nplugins:\n  - slacode:\n"
                              "      history_months: !ENV [MONTHS, 3]\n")
    assert _validate(root, env={"MONTHS": "3"})[0].returncode == 0
    out, _ = _validate(root, env={"MONTHS": "999"})
    assert out.returncode == 1
    assert "slacode option 'history_months' must be a whole number from" in out.stderr
