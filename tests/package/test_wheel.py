"""A package that works where it is installed (issue 26): the wheel and sdist carry the
schema, templates and assets; the installed CLI validates, evaluates and builds a
project outside this repository; and a broken installation says so."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from pkgkit import ROOT, Built, Installed, install

SCHEMAS = ROOT / "schemas"


def _demo_project(where: Path) -> Path:
    """This repository's agreements, data and site config, copied outside it."""
    for name in ("slas", "data", "site/docs"):
        shutil.copytree(ROOT / name, where / name)
    shutil.copy(ROOT / "mkdocs.yml", where / "mkdocs.yml")
    subprocess.run(["git", "init", "-q"], cwd=where, check=True)
    return where


def test_the_wheel_carries_schema_templates_and_assets(built: Built) -> None:
    names = set(zipfile.ZipFile(built.wheel).namelist())
    for needed in ("slacode/schemas/sla.schema.json",
                   "slacode/schemas/defs/objective.schema.json",
                   "slacode/render/templates/service.md.j2",
                   "slacode/render/assets/slacode.css",
                   "slacode/render/assets/slacode.js"):
        assert needed in names


def test_the_packaged_schema_is_the_published_one(built: Built) -> None:
    """schemas/ stays the one published copy: the wheel's is byte for byte the same,
    and so is the sdist's, from which a wheel can be built again."""
    published = {p.relative_to(SCHEMAS).as_posix(): p.read_bytes()
                 for p in SCHEMAS.rglob("*.json")}
    assert "sla.schema.json" in published
    with zipfile.ZipFile(built.wheel) as whl:
        packaged = {n.removeprefix("slacode/schemas/"): whl.read(n) for n in whl.namelist()
                    if n.startswith("slacode/schemas/")}
    assert packaged == published
    with tarfile.open(built.sdist) as sdist:
        top = sdist.getnames()[0].split("/")[0]
        in_sdist = {rel: sdist.extractfile(f"{top}/schemas/{rel}").read() for rel in published}
    assert in_sdist == published


def test_twine_check_passes(built: Built) -> None:
    r = subprocess.run([sys.executable, "-m", "twine", "check", "--strict",
                        str(built.wheel), str(built.sdist)],
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("PASSED") == 2


def test_the_installed_wheel_validates_evaluates_and_builds_outside_the_repository(
        installed: Installed, tmp_path: Path) -> None:
    where = subprocess.run([str(installed.python), "-c", "import slacode; print(slacode.__file__)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert Path(where.strip()).is_relative_to(installed.root), where  # not this checkout
    project = _demo_project(tmp_path / "project")

    r = installed.run("validate", cwd=project, check=True)
    assert "0 errors" in r.stderr + r.stdout

    r = installed.run("evaluate", "--format", "json", cwd=project, check=True)
    services = {s["service"] for s in json.loads(r.stdout)["results"]}
    assert "status-web" in services

    installed.run("build", cwd=project, check=True)
    site = project / "site" / "public"
    page = (site / "services" / "status-web" / "index.html").read_text(encoding="utf-8")
    assert "Status website" in page
    # the packaged stylesheet colours the charts, linked from every page
    assert (site / "stylesheets" / "slacode.css").read_bytes() == \
        (ROOT / "slacode" / "render" / "assets" / "slacode.css").read_bytes()
    assert 'href="../../stylesheets/slacode.css"' in page


def test_a_wheel_installed_without_its_schema_says_so(built: Built, tmp_path: Path) -> None:
    broken = install(built.wheel, tmp_path / "venv")
    site = subprocess.run([str(broken.python), "-c", "import slacode, pathlib; "
                           "print(pathlib.Path(slacode.__file__).parent)"],
                          capture_output=True, text=True, check=True, cwd=tmp_path).stdout.strip()
    schema = Path(site) / "schemas" / "sla.schema.json"
    schema.unlink()
    project = _demo_project(tmp_path / "project")
    r = broken.run("validate", cwd=project)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1] == (
        f"slacode: error: slacode is not installed correctly: {schema} missing; reinstall it "
        "(pip install --force-reinstall slacode)")
    assert "Traceback" not in r.stderr


def test_a_missing_dependency_is_named_not_a_traceback(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['jsonschema'] = None; "
            "sys.argv = ['slacode', 'validate']; from slacode.cli import main; main()")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       timeout=120, check=False)
    assert r.returncode == 1
    assert r.stderr.strip() == ("slacode: error: slacode is not installed correctly: module "
                                "jsonschema missing; reinstall it (pip install "
                                "--force-reinstall slacode)")


@pytest.mark.parametrize(("exc", "said"), [
    (OSError(28, "No space left on device"), "No space left on device"),
    (PermissionError(13, "Permission denied", "/srv/site"), "cannot write /srv/site: "
     "Permission denied"),
])
def test_an_os_error_is_not_always_a_failed_write(exc: OSError, said: str) -> None:
    from slacode.cli import os_error

    assert os_error(exc) == said


def test_an_unreadable_file_of_the_package_is_an_installation_fault() -> None:
    from slacode.cli import os_error

    own = ROOT / "slacode" / "render" / "templates" / "service.md.j2"
    said = os_error(PermissionError(13, "Permission denied", str(own)))
    assert said.startswith(f"slacode is not installed correctly: cannot read {own}: "
                           "Permission denied")
