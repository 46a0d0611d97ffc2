"""Helpers of the packaging tests: the package as a user gets it, the wheel installed
(not editable) into a fresh venv outside this repository.

The fresh venv borrows the dependencies of the running interpreter through a ``.pth``
file and installs only the wheel, with ``--no-deps --no-index``: no network, a few
seconds, and still nothing of this checkout on its path (the tests check that the
``slacode`` it imports is the wheel's).
"""

from __future__ import annotations

import subprocess
import sysconfig
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Built:
    wheel: Path
    sdist: Path


@dataclass(frozen=True)
class Installed:
    root: Path

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    @property
    def slacode(self) -> Path:
        return self.root / "bin" / "slacode"

    def run(self, *args: str, cwd: Path, env: dict[str, str] | None = None,
            check: bool = False) -> subprocess.CompletedProcess[str]:
        r = subprocess.run([str(self.slacode), *args], cwd=cwd, capture_output=True, text=True,
                           timeout=300, check=False, env=env)
        if check and r.returncode != 0:
            pytest.fail(f"slacode {' '.join(args)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
        return r


def install(wheel: Path, where: Path) -> Installed:
    """A fresh venv at ``where`` with ``wheel`` installed and the running interpreter's
    packages (slacode's dependencies) visible behind it."""
    venv.create(where, with_pip=True, symlinks=True)
    env = Installed(where)
    deps = sysconfig.get_paths()["purelib"]
    site = subprocess.run([str(env.python), "-c", "import sysconfig; "
                           "print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # appended after the venv's own site-packages: the wheel's slacode comes first
    (Path(site) / "_slacode_test_deps.pth").write_text(deps + "\n", encoding="utf-8")
    subprocess.run([str(env.python), "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], capture_output=True, text=True, check=True)
    return env
