"""Output paths that cannot be written: one line naming the path, exit 1, no traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLACODE = Path(sys.executable).parent / "slacode"
UNWRITABLE = Path("/proc/slacode-nowhere")  # no process may create anything in /proc

pytestmark = pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")


def _slacode(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SLACODE), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)


def test_rules_to_an_unwritable_file_names_the_file(tmp_path: Path) -> None:
    target = Path("/proc/slacode-rules.yml")
    r = _slacode("rules", "--output", str(target), cwd=ROOT)
    assert r.returncode == 1
    assert f"slacode: error: cannot write {target}: No such file or directory" in r.stderr
    assert "Traceback" not in r.stderr


def test_freezing_into_an_unwritable_ledger_names_the_ledger(tmp_path: Path) -> None:
    for name in ("slas", "data"):
        shutil.copytree(ROOT / name, tmp_path / name)
    cfg = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pinned = 'now: "2026-11-26T00:00:00Z"'
    assert pinned in cfg
    (tmp_path / "mkdocs.yml").write_text(
        cfg.replace(pinned, f"{pinned}\n      ledger: {UNWRITABLE}"), encoding="utf-8")
    r = _slacode("evaluate", "--freeze", cwd=tmp_path)
    assert r.returncode == 1
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith(f"slacode: error: cannot write {UNWRITABLE}")
    assert "Traceback" not in r.stderr
    assert not UNWRITABLE.exists()
