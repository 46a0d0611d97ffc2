"""Agreement file names that git, CODEOWNERS or CI annotations cannot carry are refused
where they are found, naming the file; and every annotation property is escaped as
GitHub documents it. A file named ``payments-api.yaml\\t@someone`` added a line of owners
to CODEOWNERS, and ``validate --format github`` turned a name with a line break into
workflow commands of the attacker's choosing."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from load_helpers import MINIMAL, run_cli

from slacode.cli.codeowners import render as codeowners
from slacode.load import load_agreements, load_text
from slacode.problems import Problem, SlacodeError

HOSTILE = [
    "pay\nments.yaml", "pay\rments.yaml", "payments-api.yaml\t@someone.yaml",
    "a\n::error file=x::owned.yaml", "pay ments.yaml", "#payments.yaml", "!payments.yaml",
    "pay*.yaml", "pay?.yaml", "pay[1].yaml", "pay\\ments.yaml", "pay,ments.yaml",
    "pay:ments.yaml", "pay%0Aments.yaml", "-payments.yaml", "pay\x1bments.yaml",
    "pay\u2028ments.yaml", "päy.yaml", "pay'ments.yaml", 'pay"ments.yaml',
]


@pytest.mark.parametrize("name", HOSTILE)
def test_an_unsafe_file_name_is_refused_naming_the_file(tmp_path: Path, name: str) -> None:
    slas = tmp_path / "slas"
    slas.mkdir()
    (slas / "good.yaml").write_text(MINIMAL, encoding="utf-8")
    (slas / name).write_text(MINIMAL.replace("id: minimal", "id: other"), encoding="utf-8")
    result = load_agreements([slas], root=tmp_path)
    assert [a.id for a in result.agreements] == ["minimal"]  # the good neighbour loads
    (p,) = result.problems
    assert (p.path, p.line, p.col, p.severity, p.code) == (
        f"slas/{name}", 0, 0, "error", "io.file-name")
    assert p.message.startswith(f"file name refused: the name {name!r} has ")
    assert "\n" not in str(p) and "\r" not in str(p) and "\u2028" not in str(p)


def test_an_unsafe_folder_name_is_refused_too(tmp_path: Path) -> None:
    (tmp_path / "slas" / "team a").mkdir(parents=True)
    (tmp_path / "slas" / "team a" / "x.yaml").write_text(MINIMAL, encoding="utf-8")
    (p,) = load_agreements([tmp_path / "slas"], root=tmp_path).problems
    assert p.path == "slas/team a/x.yaml" and "the name 'team a' has ' '" in p.message


def test_safe_names_still_load(tmp_path: Path) -> None:
    (tmp_path / "slas" / "Team_2.x").mkdir(parents=True)
    (tmp_path / "slas" / "Team_2.x" / "payments-api.v2.yml").write_text(MINIMAL, "utf-8")
    assert load_agreements([tmp_path / "slas"], root=tmp_path).problems == ()


@pytest.mark.parametrize("name", ["a\n::warning file=x::injected.yaml",
                                  "pay,title=owned:ments%.yaml"])
def test_validate_github_emits_one_annotation_per_problem(tmp_path: Path, name: str) -> None:
    (tmp_path / "slas").mkdir()
    (tmp_path / "slas" / name).write_text(MINIMAL, encoding="utf-8")
    r = run_cli("validate", "--format", "github", "slas", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    (line,) = r.stdout.splitlines()
    assert line.startswith("::error file=slas/")
    props = line.split("::")[1]
    assert props.count(",") == 2 and props.count(":") == 0  # file, line, col: no more
    assert ",title=" not in props
    text = run_cli("validate", "slas", cwd=tmp_path)
    assert len(text.stdout.splitlines()) == 1  # text: one line per problem too
    doc = json.loads(run_cli("validate", "--format", "json", "slas", cwd=tmp_path).stdout)
    assert doc["problems"][0]["path"] == f"slas/{name}"  # JSON carries the name exactly


def test_annotations_escape_properties_and_message_as_github_documents() -> None:
    p = Problem("a%b\r\nc:d,e.yaml", 3, 4, "warning", "50% done\r\n::error::x")
    assert p.as_github() == ("::warning file=a%25b%0D%0Ac%3Ad%2Ce.yaml,line=3,col=4::"
                             "50%25 done%0D%0A::error::x")


def test_codeowners_never_writes_a_line_built_from_an_unsafe_name() -> None:
    agreement, _ = load_text(MINIMAL.replace("id: minimal", "id: payments-api")
                             + "owners: [team-payments]\n", "slas/payments-api.yaml")
    assert agreement is not None
    assert "/slas/payments-api.yaml @team-payments" in codeowners([agreement])
    for path in ("slas/payments-api.yaml\t@someone.yaml", "slas/a\n/** @attacker.yaml",
                 "slas/#x.yaml"):
        with pytest.raises(SlacodeError, match="not written to CODEOWNERS"):
            codeowners([replace(agreement, path=path)])
    with pytest.raises(SlacodeError, match="a control character in the project folder"):
        codeowners([agreement], prefix="sub\n/** @attacker ")
