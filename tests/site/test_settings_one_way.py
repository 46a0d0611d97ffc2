"""``slacode`` commands and ``mkdocs build`` read the same settings (issue 24): the command
line loads ``mkdocs.yml`` with MkDocs' loader, so ``!ENV`` and ``INHERIT`` resolve for both,
and validates the plugin block with the plugin's own schema. Before, the command line read
the file with a YAML parser of its own: an ``!ENV`` value was empty and an ``INHERIT``ed
block did not exist, so ``slacode evaluate`` judged at another time than the site."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from mkdocs.config import load_config
from site_support import BIN, env, web_project

from slacode.config import load_settings
from slacode.problems import SlacodeError

#: the settings live in a base file; the time and the server's URL come from the environment
BASE = """\
docs_dir: docs
site_dir: public
site_url: https://sla.example.com
plugins:
  - search
  - slacode:
      now: !ENV [ONE_WAY_NOW, "2026-11-26T00:00:00Z"]
      cache: cache
      history_months: 2
      prometheus:
        default:
          url: !ENV ONE_WAY_PROMETHEUS
"""

MKDOCS = """\
INHERIT: base.yml
site_name: One way
"""

NOW = "2026-10-15T00:00:00Z"
PROMETHEUS = "http://127.0.0.1:9/prometheus"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("one-way") / "project"
    rows = "".join(f"2026-{m:02d}-01T00:00:00Z,999,1000\n" for m in range(1, 12))
    web_project(root, MKDOCS, rows)
    (root / "base.yml").write_text(BASE, encoding="utf-8")
    return root


def test_the_cli_and_the_plugin_map_the_same_file_to_equal_settings(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONE_WAY_NOW", NOW)
    monkeypatch.setenv("ONE_WAY_PROMETHEUS", PROMETHEUS)
    monkeypatch.delenv("SLACODE_NOW", raising=False)
    cli = load_settings(project)
    cfg = load_config(config_file=str(project / "mkdocs.yml"))
    plugin = cfg.plugins["slacode"]
    plugin.on_config(cfg)
    assert plugin.settings == cli
    # !ENV reads the variable as YAML: a time, taken as written
    assert cli.now == "2026-10-15T00:00:00+00:00"
    assert (cli.history_months, cli.server("default").url) == (2, PROMETHEUS)
    assert cli.site_url == "https://sla.example.com/"  # as MkDocs makes it
    # without the variable, the default that !ENV names
    monkeypatch.delenv("ONE_WAY_NOW")
    assert load_settings(project).now == "2026-11-26T00:00:00Z"


def test_evaluate_and_mkdocs_build_judge_at_the_time_the_environment_gives(
    project: Path,
) -> None:
    e = env(ONE_WAY_NOW=NOW, ONE_WAY_PROMETHEUS=PROMETHEUS)
    e.pop("SLACODE_NOW", None)
    ev = subprocess.run([str(BIN / "slacode"), "evaluate", "--format", "json"], cwd=project,
                        env=e, capture_output=True, text=True, timeout=300, check=True)
    evaluated = json.loads(ev.stdout)
    subprocess.run([str(BIN / "mkdocs"), "build"], cwd=project, env=e, capture_output=True,
                   text=True, timeout=300, check=True)
    site = json.loads((project / "public" / "api" / "web.json").read_text(encoding="utf-8"))
    assert evaluated["evaluated_at"] == "2026-10-15T00:00:00+00:00"
    services = json.loads((project / "public" / "api" / "services.json").read_text("utf-8"))
    assert services["evaluated_at"] == evaluated["evaluated_at"]
    # history_months from the inherited block: the same periods on both sides
    periods = sorted({r["period"] for r in evaluated["results"]})
    assert periods == ["2026-08", "2026-09", "2026-10"]
    assert periods == sorted({p["period"] for p in site["periods"]}), site.keys()


def test_a_bad_value_from_the_environment_is_named_at_its_line(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONE_WAY_NOW", NOW)
    monkeypatch.setenv("ONE_WAY_PROMETHEUS", "ftp://metrics")
    monkeypatch.chdir(project)
    (project / "local.yml").write_text(BASE.replace("docs_dir: docs\n", "site_name: Local\n"
                                                    "docs_dir: docs\n"), encoding="utf-8")
    with pytest.raises(SlacodeError) as err:
        load_settings(config_file=project / "local.yml")
    assert str(err.value) == ("local.yml:13:16: prometheus server 'default': option 'url' must "
                              "be an http:// or https:// URL, got 'ftp://metrics'")
    # from the inherited file, the option is named without a position in mkdocs.yml
    with pytest.raises(SlacodeError) as err:
        load_settings(project)
    assert str(err.value).startswith("mkdocs.yml: prometheus server 'default': option 'url'")
