"""``slacode init DIR`` (issue 26): a new repository of agreements that builds out of the
box, from the installed wheel, with workflows that lint clean and call the action by tag."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pkgkit import ROOT, Installed
from ruamel.yaml import YAML

from slacode import __version__
from slacode.init import REPOSITORY

SLACODE = Path(sys.executable).parent / "slacode"
PINNED_LINE = re.compile(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40}\s+# v\d+\.\d+\.\d+$")
EXPECTED = {
    ".github/CODEOWNERS", ".github/workflows/nightly.yml", ".github/workflows/pr.yml",
    ".gitignore", ".pre-commit-config.yaml", "README.md", "data/example-api/requests.csv",
    "docs/about.md", "mkdocs.yml", "slas/example-api.yaml",
}


def _slacode(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SLACODE), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)


def _yaml(path: Path) -> dict:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _tool(name: str) -> str:
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("init") / "sla"
    r = _slacode("init", str(where), cwd=where.parent)
    assert r.returncode == 0, r.stderr
    return where


def test_init_writes_a_whole_repository(project: Path) -> None:
    written = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}
    assert written == EXPECTED


def test_the_example_agreement_tells_editors_its_schema(project: Path) -> None:
    first = (project / "slas" / "example-api.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == (f"# yaml-language-server: $schema=https://raw.githubusercontent.com/"
                     f"{REPOSITORY}/v{__version__}/schemas/sla.schema.json")


def test_the_site_config_is_privacy_safe_and_uses_the_plugin(project: Path) -> None:
    cfg = _yaml(project / "mkdocs.yml")
    assert cfg["theme"]["font"] is False  # no request to Google Fonts
    schemes = {p["scheme"] for p in cfg["theme"]["palette"]}
    assert schemes == {"default", "slate"}  # light and dark, slacode's colours for both
    plugins = {next(iter(p)) if isinstance(p, dict) else p for p in cfg["plugins"]}
    assert "slacode" in plugins


def test_pre_commit_uses_this_repositorys_hook_at_this_version(project: Path) -> None:
    (repo,) = _yaml(project / ".pre-commit-config.yaml")["repos"]
    hooks = YAML(typ="safe", pure=True).load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert repo["repo"] == f"https://github.com/{REPOSITORY}"
    assert repo["rev"] == f"v{__version__}"
    ids = [h["id"] for h in repo["hooks"]]
    assert ids == ["slacode-validate", "slacode-codeowners"]
    assert set(ids) <= {h["id"] for h in hooks}  # hooks this repository really offers


def test_the_workflows_call_the_action_by_tag_and_pin_the_rest(project: Path) -> None:
    for name in ("pr.yml", "nightly.yml"):
        text = (project / ".github" / "workflows" / name).read_text(encoding="utf-8")
        ours = [ln.strip() for ln in text.splitlines() if f"uses: {REPOSITORY}@" in ln]
        assert ours == [f"uses: {REPOSITORY}@v{__version__}"], name
        others = [ln.strip() for ln in text.splitlines()
                  if "uses:" in ln and f"{REPOSITORY}@" not in ln]
        assert others and all(PINNED_LINE.search(ln) for ln in others), others


def test_the_generated_workflows_pass_actionlint_and_the_schema(project: Path) -> None:
    workflows = sorted(str(p) for p in (project / ".github" / "workflows").glob("*.yml"))
    r = subprocess.run([_tool("actionlint"), "-no-color", *workflows], capture_output=True,
                       text=True, cwd=project, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run([_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                        *workflows], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr


def test_codeowners_is_up_to_date_with_the_example(project: Path, tmp_path: Path) -> None:
    copy = tmp_path / "sla"
    shutil.copytree(project, copy)
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    r = _slacode("codeowners", "--check", cwd=copy)
    assert r.returncode == 0, r.stderr
    assert "/slas/example-api.yaml @team-example" in (copy / ".github" / "CODEOWNERS").read_text()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    r = _slacode("init", str(tmp_path), cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.startswith(f"slacode: error: {tmp_path} is not empty (it holds notes.txt)")
    assert "--force" in r.stderr and "Traceback" not in r.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]  # nothing written

    r = _slacode("init", "--force", str(tmp_path), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"  # kept
    assert (tmp_path / "slas" / "example-api.yaml").is_file()


def test_init_accepts_a_folder_holding_only_git(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    r = _slacode("init", cwd=tmp_path)  # DIR defaults to the current folder
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "mkdocs.yml").is_file()


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("", encoding="utf-8")
    r = _slacode("init", str(tmp_path / "x"), cwd=tmp_path)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert str(tmp_path / "x") in r.stderr


def test_from_the_wheel_init_then_validate_and_build_shows_the_example(
        installed: Installed, tmp_path: Path) -> None:
    """The acceptance of issue 26, as a new user runs it in a fresh venv."""
    installed.run("init", str(tmp_path / "x"), cwd=tmp_path, check=True)
    project = tmp_path / "x"
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    r = installed.run("validate", cwd=project, check=True)
    assert "1 agreement file checked: 0 errors, 0 warnings" in r.stdout + r.stderr
    installed.run("build", cwd=project, check=True)
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "Example API" in home
    page = (project / "site" / "services" / "example-api" / "index.html").read_text("utf-8")
    assert "Monthly availability" in page and "99.9" in page
    assert (project / "site" / "stylesheets" / "slacode.css").is_file()
