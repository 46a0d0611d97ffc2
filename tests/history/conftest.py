"""Fixtures of the history tests: a fresh git repository per test, and the CLI run
in-process against it."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from gitrepo import Repo

from slacode.cli import main


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "project")


@pytest.fixture
def slacode(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run the real entry point in-process: exit code, stdout, stderr."""

    def run(where: Repo | Path, *args: str) -> SimpleNamespace:
        root = where.path if isinstance(where, Repo) else where
        monkeypatch.setattr(sys, "argv", ["slacode", *args, "--root", str(root)])
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main()
        out, err = capsys.readouterr()
        return SimpleNamespace(returncode=exc.value.code, stdout=out, stderr=err)

    return run
