"""Session fixtures of the packaging tests: the wheel and sdist built once (``python -m
build`` of this checkout), and the wheel installed into one fresh venv (see
:mod:`pkgkit`)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pkgkit import ROOT, Built, Installed, install


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """``python -m build`` of this checkout: the sdist, and the wheel built from it."""
    out = tmp_path_factory.mktemp("dist")
    r = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                       capture_output=True, text=True, timeout=600, check=False)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    (wheel,) = out.glob("slacode-*.whl")
    (sdist,) = out.glob("slacode-*.tar.gz")
    return Built(wheel, sdist)


@pytest.fixture(scope="session")
def installed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    return install(built.wheel, tmp_path_factory.mktemp("venv") / "venv")
