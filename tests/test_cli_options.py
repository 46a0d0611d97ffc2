"""The project options: ``--root``, ``-f/--config-file`` and ``--now`` on every command that
reads a project, meaning the same everywhere (issue 18: the README promised that "a
command's own --now still wins", while most commands had no --now at all)."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from slacode.cli import cli
from slacode.problems import SlacodeError

#: commands that read no project, and why
PROJECT_FREE = {"init": "it writes a new project"}

SLA = """\
id: {id}
name: {name}
version: 1
effective: 2026-01-01
visibility: customer:acme
timezone: UTC
owners: [team-{id}]
parties:
  provider: {{name: Example Cloud, contact: sre@example.com}}
  customer: {{name: Acme}}
service:
  description: A service.
objectives:
  - id: availability
    name: Monthly availability
    kind: availability
    target: 99.5
    window: calendar-month
    source:
      file: {{path: data/requests.csv}}
review:
  every: 12mo
  last: {reviewed}
"""

MKDOCS = """\
site_name: Options
docs_dir: docs
plugins:
  - slacode:
      now: "2026-11-26T00:00:00Z"
      cache: cache
"""

#: another configuration of the same folder: other agreements, another pinned time
OTHER = """\
site_name: Other
docs_dir: docs
plugins:
  - slacode:
      slas: other-slas
      now: "2026-10-15T00:00:00Z"
      cache: cache
      codeowners_org: acme
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("options") / "project"
    for d in ("docs", "slas", "other-slas", "data"):
        (root / d).mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "slas" / "web.yaml").write_text(
        SLA.format(id="web", name="Web", reviewed="2026-01-15"), encoding="utf-8")
    # reviewed 2025-09-01, every 12 months: overdue at 2026-11-26, not at 2026-08-01
    (root / "other-slas" / "shop.yaml").write_text(
        SLA.format(id="shop", name="Shop", reviewed="2025-09-01"), encoding="utf-8")
    rows = "".join(f"2026-{m:02d}-01T00:00:00Z,999,1000\n" for m in range(1, 12))
    (root / "data" / "requests.csv").write_text("start,good,total\n" + rows, encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (root / "other.yml").write_text(OTHER, encoding="utf-8")
    return root


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)


def _ok(*args: str | Path) -> Result:
    r = _run(*args)
    assert r.exit_code == 0, (args, r.output, r.exception)
    return r


def test_every_command_that_reads_a_project_lists_the_three_project_options() -> None:
    ctx = click.Context(cli)
    names = cli.list_commands(ctx)
    assert set(PROJECT_FREE) <= set(names)
    for name in names:
        if name in PROJECT_FREE:
            continue
        out = _ok(name, "--help").output
        for option in ("--root DIR", "-f, --config-file FILE", "--now ISO"):
            assert option in out, f"`slacode {name} --help` lacks {option}"


def test_a_more_specific_now_says_what_it_means_in_the_help() -> None:
    diff = " ".join(_ok("diff", "--help").output.split())
    assert "the check's time with --pr" in diff
    validate = " ".join(_ok("validate", "--help").output.split())
    assert "reviews and contract ends are checked at" in validate
    evaluate = " ".join(_ok("evaluate", "--help").output.split())
    assert "wins over SLACODE_NOW and the settings' pinned `now`" in evaluate


def test_evaluate_takes_the_project_its_settings_and_the_time_from_the_options(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # not the project: only the options name it

    def evaluated(*args: str | Path) -> tuple[str, list[str]]:
        doc = json.loads(_ok("evaluate", "--format", "json", *args).stdout)
        return doc["evaluated_at"], sorted({r["service"] for r in doc["results"]})

    assert evaluated("--root", project) == ("2026-11-26T00:00:00+00:00", ["web"])
    assert evaluated("--root", project, "--now", "2026-11-20T00:00:00Z") == (
        "2026-11-20T00:00:00+00:00", ["web"])
    assert evaluated("-f", project / "other.yml") == ("2026-10-15T00:00:00+00:00", ["shop"])
    # a command's own --now wins over SLACODE_NOW, which wins over the settings' pin
    monkeypatch.setenv("SLACODE_NOW", "2026-11-10T00:00:00Z")
    assert evaluated("--root", project)[0] == "2026-11-10T00:00:00+00:00"
    assert evaluated("--root", project, "--now", "2026-11-20T00:00:00Z")[0] == (
        "2026-11-20T00:00:00+00:00")


def test_pull_takes_the_project_options(project: Path) -> None:
    doc = json.loads(_ok("pull", "--format", "json", "-f", project / "other.yml",
                         "--now", "2026-09-01T00:00:00Z").stdout)
    assert doc["now"] == "2026-09-01T00:00:00Z"
    assert [o["service"] for o in doc["objectives"]] == ["shop"]


def test_validate_takes_the_project_options(project: Path) -> None:
    overdue = "review overdue: last reviewed 2025-09-01"
    r = _ok("validate", "-f", project / "other.yml", "--now", "2026-11-26T00:00:00Z")
    assert "other-slas/shop.yaml" in r.output and overdue in r.output
    assert overdue not in _ok("validate", "-f", project / "other.yml",
                              "--now", "2026-08-01T00:00:00Z").output
    r = _ok("validate", "--root", project)
    assert "1 agreement file checked: 0 errors" in r.output and "shop" not in r.output


def test_codeowners_and_alerts_take_the_project_options(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "CODEOWNERS"
    _ok("codeowners", "--root", project, "--output", out)
    assert "/slas/web.yaml @team-web" in out.read_text(encoding="utf-8")
    # the other settings: other agreements, and codeowners_org makes the owner a team
    _ok("codeowners", "-f", project / "other.yml", "--output", out)
    assert "/other-slas/shop.yaml @acme/team-shop" in out.read_text(encoding="utf-8")
    alerts = _ok("alerts", "-f", project / "other.yml", "--output", "-").stdout
    assert "#   shop/availability:" in alerts and "web/" not in alerts
    assert "#   web/availability:" in _ok("alerts", "--root", project, "--output", "-").stdout


def test_report_takes_the_project_options(project: Path, tmp_path: Path) -> None:
    r = _run("report", "--root", project, "--customer", "acme", "--period", "2026-10",
             "--no-pdf", "--out", tmp_path, "--now", "2026-10-20T00:00:00Z")
    # October is still open at the time given: no report, and it says when one can be made
    assert isinstance(r.exception, SlacodeError), r.output
    assert "2026-10" in str(r.exception) and "web" in str(r.exception)
    assert not list(tmp_path.iterdir())


def test_a_bad_now_is_refused_by_every_command_alike(project: Path) -> None:
    for command in ("evaluate", "pull", "validate", "codeowners", "alerts", "rules"):
        r = _run(command, "--root", project, "--now", "2300-01-01T00:00:00Z")
        assert isinstance(r.exception, SlacodeError), (command, r.output)
        assert str(r.exception).startswith("--now: invalid evaluation time '2300-01-01"), command


def test_a_missing_config_file_is_named(project: Path) -> None:
    r = _run("evaluate", "-f", project / "nowhere.yml")
    assert isinstance(r.exception, SlacodeError)
    assert str(r.exception) == f"{project / 'nowhere.yml'}: no such file"
