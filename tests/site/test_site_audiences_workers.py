"""`slacode build --audience all` builds the audiences after the public one in worker
processes while the public site renders. What a user must still get: the same sites as
one build after another, the other sites published only together and only after the
public one, a failure as one line (never a traceback, never a hang), and no leftovers.

A project of two agreements (one public, one for customer:acme): its audiences are
public, internal and customer:acme. A hook makes one audience's build fail (by the name
of the folder it writes, ``.NAME.tmp-*``), or kills a worker process."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from site_support import BIN, WEB_SLA, env, tree, web_project

MKDOCS = """\
site_name: Workers
docs_dir: docs
site_dir: site/public
hooks:
  - hooks.py
plugins:
  - slacode:
      now: "2026-11-26T00:00:00Z"
      cache: cache
"""

#: FAIL=NAME fails the build of the folder NAME, whichever process builds it; DIE=1 kills
#: a worker process when it has built its first site; BY=FILE gets "NAME PID" per site
HOOKS = """\
import multiprocessing, os
from pathlib import Path
from mkdocs.exceptions import PluginError

def on_post_build(config):
    name = Path(config.site_dir).name
    if os.environ.get("BY"):
        with open(os.environ["BY"], "a") as fh:
            fh.write(name.split(".tmp-")[0].lstrip(".") + " " + str(os.getpid()) + "\\n")
    if name.startswith("." + os.environ.get("FAIL", "-") + ".tmp-"):
        raise PluginError("the hook fails this site")
    if os.environ.get("DIE") and multiprocessing.parent_process() is not None:
        os._exit(9)
"""

FOLDERS = ("public", "internal", "customers/acme")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = web_project(tmp_path / "p", MKDOCS)
    (root / "hooks.py").write_text(HOOKS, encoding="utf-8")
    acme = WEB_SLA.replace("id: web", "id: acme-web").replace(
        "visibility: public", "visibility: customer:acme")
    (root / "slas" / "acme-web.yaml").write_text(acme, encoding="utf-8")
    return root


def _build(root: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "slacode"), "build", "--audience", "all"], cwd=root,
                          capture_output=True, text=True, env=env(**extra), timeout=300)


def _sites(root: Path) -> dict[str, dict[str, bytes]]:
    return {folder: tree(root / "site" / folder) for folder in FOLDERS}


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for d in (root / "site", root / "site" / "customers")
                  for p in d.iterdir() if p.name.startswith("."))


def _next_day_of_data(root: Path) -> None:
    """New data: every site of the next build differs from the one published."""
    with (root / "data" / "requests.csv").open("a", encoding="utf-8") as fh:
        fh.write("2026-11-02T00:00:00Z,50,100\n")


def _built_by(record: Path) -> dict[str, int]:
    return dict((name, int(pid)) for name, pid in (
        line.split() for line in record.read_text(encoding="utf-8").splitlines()))


def test_every_audience_is_published_and_a_failure_elsewhere_keeps_the_others(
        project: Path, tmp_path: Path) -> None:
    first = _build(project, BY=str(tmp_path / "by"))
    assert first.returncode == 0, first.stderr
    by = _built_by(tmp_path / "by")
    assert by.keys() == {"public", "internal", "acme"}
    if len(os.sched_getaffinity(0)) > 1:  # a worker process built at least one of them
        assert len(set(by.values())) > 1, by
    for audience, folder in zip(("public", "internal", "customer:acme"), FOLDERS,
                                strict=True):
        assert f"{audience} site written to {project / 'site' / folder}" in first.stdout
    before = _sites(project)
    assert "services/acme-web/index.html" in before["customers/acme"]
    assert "services/acme-web/index.html" not in before["public"]
    _next_day_of_data(project)
    r = _build(project, FAIL="acme")
    assert r.returncode == 1
    assert "build failed, previous site kept: the hook fails this site" in r.stderr
    assert "Traceback" not in r.stderr
    after = _sites(project)
    # the public site was published first; internal was built, but the other sites are
    # published together or not at all
    assert after["public"] != before["public"]
    assert after["internal"] == before["internal"]
    assert after["customers/acme"] == before["customers/acme"]
    assert _leftovers(project) == []
    again = _build(project)  # and the next good build publishes every site
    assert again.returncode == 0, again.stderr
    assert all(v != before[k] for k, v in _sites(project).items())


def test_a_public_build_that_fails_after_its_evaluation_publishes_nothing(
        project: Path) -> None:
    assert _build(project).returncode == 0
    before = _sites(project)
    _next_day_of_data(project)
    r = _build(project, FAIL="public")  # the others have been started by then
    assert r.returncode == 1
    assert "build failed, previous site kept: the hook fails this site" in r.stderr
    assert "Traceback" not in r.stderr
    assert _sites(project) == before
    assert _leftovers(project) == []


def test_a_killed_worker_is_a_one_line_error_and_its_leftovers_go_next_time(
        project: Path) -> None:
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: the other audiences are built in the build's own process")
    assert _build(project).returncode == 0
    before = _sites(project)
    _next_day_of_data(project)
    r = _build(project, DIE="1")
    assert r.returncode == 1
    assert ("build failed, previous site kept: a worker building the other audiences' "
            "sites ended without a word (exit status 9)") in r.stderr
    assert "Traceback" not in r.stderr
    after = _sites(project)
    assert after["public"] != before["public"]
    assert after["internal"] == before["internal"]
    assert after["customers/acme"] == before["customers/acme"]
    assert [n for n in _leftovers(project) if ".tmp-" in n]  # the killed worker's folder
    assert _build(project).returncode == 0
    assert _leftovers(project) == []


def test_on_one_core_the_build_itself_builds_the_same_sites(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        logging_restored: None) -> None:
    from slacode.cli.build import build_all

    assert _build(project).returncode == 0
    by_workers = _sites(project)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0})
    monkeypatch.setenv("BY", str(tmp_path / "by"))
    out = build_all(project / "mkdocs.yml", site_dir=tmp_path / "one" / "public")
    assert list(out) == ["public", "internal", "customer:acme"]
    assert set(_built_by(tmp_path / "by").values()) == {os.getpid()}
    assert {f: tree(tmp_path / "one" / f) for f in FOLDERS} == by_workers
