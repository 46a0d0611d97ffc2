"""``slacode validate`` as CI and pre-commit run it: the real console script."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from load_helpers import MINIMAL, ROOT, run_cli


def test_the_samples_validate_with_exit_0() -> None:
    proc = run_cli("validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "error" not in proc.stdout
    assert "6 agreement files checked: 0 errors" in proc.stderr


def _bomb() -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
        prev = name
    return "\n".join(lines) + "\n"


HOSTILE = {
    "alias-bomb": (_bomb().encode(), "bomb.yaml:1:4: error: anchor &a is not allowed"),
    "python-tag": (b"id: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
                   "bomb.yaml:1:5: error: tag !!python/object/apply:os.system is not allowed"),
    "invalid-utf8": (b"id: caf\xe9\n", "bomb.yaml:1:8: error: invalid UTF-8 (byte 0xe9)"),
    "binary-garbage": (random.Random(7).randbytes(4096), "bomb.yaml:1:"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_gives_one_clear_line_and_exit_1(case: str, tmp_path: Path) -> None:
    data, expected = HOSTILE[case]
    (tmp_path / "bomb.yaml").write_bytes(data)
    proc = run_cli("validate", "bomb.yaml", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), proc.stdout
    assert "Traceback" not in proc.stderr


def test_a_20_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.write(b"id: big\nname: '")
        f.write(b"x" * (20 * 1024 * 1024))
        f.write(b"'\n")
    proc = run_cli("validate", "big.yaml", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "big.yaml:0:0: error: file is 20.0 MiB, larger than the limit of 1 MiB for an agreement"]


def test_every_problem_of_every_file_in_one_run_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MINIMAL.replace("99.9", "101"))
    (tmp_path / "b.yaml").write_text(MINIMAL.replace("id: minimal", "id: b")
                                     .replace("target: 99.9", "tagret: 99.9"))
    proc = run_cli("validate", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "a.yaml:13:13: error: objectives[0].target: 101 is greater than the maximum of 100",
        "b.yaml:11:5: error: objectives[0]: missing required field 'target'",
        "b.yaml:13:5: error: objectives[0]: unknown field 'tagret' (did you mean 'target'?)",
    ]
    assert "2 agreement files checked: 3 errors, 0 warnings" in proc.stderr


def test_json_and_github_formats(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MINIMAL.replace("99.9", "101"))
    proc = run_cli("validate", "--format", "json", "a.yaml", cwd=tmp_path)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert (doc["ok"], doc["files"], doc["errors"], doc["warnings"]) == (False, 1, 1, 0)
    assert doc["problems"][0] | {"message": ""} == {
        "path": "a.yaml", "line": 13, "col": 13, "severity": "error", "message": "",
        "code": "schema.maximum"}
    proc = run_cli("validate", "--format", "github", "a.yaml", cwd=tmp_path)
    assert proc.stdout.splitlines() == [
        "::error file=a.yaml,line=13,col=13::objectives[0].target: 101 is greater than the "
        "maximum of 100"]


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MINIMAL + "review: {every: 1mo, last: 2020-01-01}\n")
    proc = run_cli("validate", "a.yaml", cwd=tmp_path)
    assert proc.returncode == 0
    assert ": warning: review.last: review overdue" in proc.stdout


def test_reviews_are_due_at_the_project_time_not_the_day_the_check_runs(tmp_path: Path) -> None:
    """A project that pins ``now`` (the demo) is judged at that time on any day; --now and
    SLACODE_NOW move it, so the same file is overdue later and not before."""
    pin = "plugins:\n  - slacode:\n      now: '2026-03-01T00:00:00Z'\n"
    (tmp_path / "mkdocs.yml").write_text(pin)
    (tmp_path / "slas").mkdir()
    review = "review: {every: 6mo, last: 2026-01-31}\n"
    (tmp_path / "slas" / "a.yaml").write_text(MINIMAL + review)
    pinned = run_cli("validate", cwd=tmp_path)
    assert pinned.returncode == 0 and "review" not in pinned.stdout, pinned.stdout
    for later in (run_cli("validate", "--now", "2026-09-01T00:00:00Z", cwd=tmp_path),
                  run_cli("validate", "slas/a.yaml", cwd=tmp_path,
                          env={"SLACODE_NOW": "2026-09-01T00:00:00Z"})):
        assert ("review overdue: last reviewed 2026-01-31, due every 6 months, so by "
                "2026-07-31") in later.stdout, later.stdout


@pytest.mark.parametrize("args", [("does-not-exist.yaml",), ("--format", "xml"), ("empty",)])
def test_usage_errors_exit_2(args: tuple[str, ...], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    proc = run_cli("validate", *args, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_pre_commit_hook_runs_validate() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "entry: slacode validate" in text


def test_a_symlink_out_of_the_repository_is_refused_without_reading_it(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    secret = outside / "secret.yaml"
    secret.write_text("HOST-SECRET-5e1: 1\n", encoding="utf-8")  # read, it would be named
    repo = tmp_path / "repo"
    (repo / "slas").mkdir(parents=True)
    (repo / "slas" / "minimal.yaml").write_text(MINIMAL, encoding="utf-8")
    (repo / "slas" / "evil.yaml").symlink_to(secret)
    (repo / "slas" / "alias.yaml").symlink_to("minimal.yaml")  # inside: the same file once
    proc = run_cli("validate", cwd=repo)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "slas/evil.yaml:0:0: error: symbolic link to a file outside the repository: not read"]
    assert "HOST-SECRET" not in proc.stdout + proc.stderr and "Traceback" not in proc.stderr
    assert "2 agreement files checked" in proc.stderr


def test_a_linked_folder_is_named_not_skipped_silently(tmp_path: Path) -> None:
    more = tmp_path / "elsewhere" / "more"
    more.mkdir(parents=True)
    (more / "other.yaml").write_text(MINIMAL, encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / "slas").mkdir(parents=True)
    (repo / "slas" / "minimal.yaml").write_text(MINIMAL, encoding="utf-8")
    (repo / "slas" / "team-b").symlink_to(more, target_is_directory=True)
    proc = run_cli("validate", cwd=repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # a warning, not an error
    assert proc.stdout.splitlines() == [
        "slas/team-b:0:0: warning: symbolic link to a folder: its agreements are not read "
        "(link each file instead, or move the folder here)"]
    assert "1 agreement file checked" in proc.stderr


def test_a_missing_data_file_is_named_from_wherever_validate_runs(tmp_path: Path) -> None:
    # data file paths are relative to the project (the folder with mkdocs.yml), so the
    # answer is the same from the project, from its slas/ and from elsewhere
    project = tmp_path / "project"
    (project / "slas").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (project / "slas" / "minimal.yaml").write_text(MINIMAL, encoding="utf-8")
    for cwd, args in ((project, ()), (project / "slas", (".",)),
                      (tmp_path, ("project/slas",))):
        proc = run_cli("validate", *args, cwd=cwd)
        assert proc.returncode == 0, proc.stderr
        assert "data file data/minimal.csv not found" in proc.stdout, cwd
    (project / "data").mkdir()
    (project / "data" / "minimal.csv").write_text("start,good,total\n", encoding="utf-8")
    for cwd, args in ((project, ()), (tmp_path, ("project/slas",))):
        assert "0 warnings" in run_cli("validate", *args, cwd=cwd).stderr
