"""Bad settings and failed builds: one clean message, and the previous site stays published."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from site_support import BIN, copy_project, run, tree

from slacode.config import load_settings, settings_from_mapping
from slacode.problems import SlacodeError

NOW = 'now: "2026-11-26T00:00:00Z"'

BAD_OPTIONS = [
    ({"history_months": 100000}, "'history_months' must be a whole number from 0 to 120"),
    ({"history_months": 121}, "'history_months' must be a whole number from 0 to 120, got 121"),
    ({"history_months": -5}, "'history_months' must be a whole number from 0 to 120, got -5"),
    ({"history_months": True}, "option 'history_months' must be a whole number, got True"),
    ({"now": "9999-12-31T23:00:00Z"}, "'9999-12-31T23:00:00Z': must be between 1970 and 2200"),
    ({"now": "0001-01-01T00:00:00Z"}, "'0001-01-01T00:00:00Z': must be between 1970 and 2200"),
    ({"now": "2026-11-26T00:00:00"}, "give a UTC offset (Z or +08:00)"),
    ({"now": 2026}, "option 'now' must be text (quote a time), got 2026"),
    ({"now": "yesterday"}, "invalid evaluation time 'yesterday': expected ISO 8601"),
    ({"prometheus": {"default": [1, 2]}},
     "prometheus server 'default' must map option names to values"),
    ({"prometheus": {"default": {"connect_timeout": "x"}}},
     "option 'connect_timeout' must be a number of seconds above 0, got 'x'"),
    ({"prometheus": {"default": {"read_timeout": 0}}},
     "option 'read_timeout' must be a number of seconds above 0, got 0"),
    ({"prometheus": {"default": {"concurrency": 65}}},
     "option 'concurrency' must be a whole number from 1 to 64, got 65"),
    ({"prometheus": {"default": {"concurrency": True}}},
     "option 'concurrency' must be a whole number from 1 to 64, got True"),
    ({"prometheus": {"default": {"url": "ftp://metrics"}}},
     "option 'url' must be an http:// or https:// URL"),
    ({"prometheus": {"default": {"verify_tls": "no"}}},
     "option 'verify_tls' must be true or false"),
    ({"prometheus": {"default": {"timeout": 3}}}, "unknown option 'timeout'"),
    ({"prometheus": {"default": {"url": "http://[bad"}}},
     "option 'url' must be an http:// or https:// URL"),
    ({"prometheus": []}, "slacode option 'prometheus' must map server names to settings"),
    ({"language": "fr"}, "slacode option 'language' must be en or zh, got 'fr'"),
]


@pytest.mark.parametrize(("options", "message"), BAD_OPTIONS)
def test_each_bad_option_is_one_message_naming_it(tmp_path: Path, options, message) -> None:
    with pytest.raises(SlacodeError) as err:
        settings_from_mapping(options, tmp_path)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_good_options_are_taken_as_written(tmp_path: Path) -> None:
    s = settings_from_mapping({
        "history_months": 120, "now": "2026-11-26T08:00:00+08:00",
        "prometheus": {"thanos": {"url": "https://thanos.example", "connect_timeout": 1.5,
                                  "read_timeout": 60, "concurrency": 64, "retries": 0}},
    }, tmp_path)
    assert s.history_months == 120 and s.now_epoch() == 1795651200
    assert settings_from_mapping({"history_months": 0}, tmp_path).history_months == 0
    # the MkDocs plugin's own switches are not settings, and no error for the CLI either
    assert settings_from_mapping({"generate": True, "enabled": True}, tmp_path).slas
    server = s.server("thanos")
    assert (server.connect_timeout, server.read_timeout, server.concurrency) == (1.5, 60, 64)


def test_a_bad_now_given_on_the_command_line_is_refused_too(tmp_path: Path) -> None:
    with pytest.raises(SlacodeError, match="must be between 1970 and 2200"):
        load_settings(tmp_path, now="2300-01-01T00:00:00Z")


def test_a_password_in_a_server_url_warns_and_points_at_the_env_options(
    tmp_path: Path, caplog
) -> None:
    with caplog.at_level(logging.WARNING, logger="slacode"):
        s = settings_from_mapping(
            {"prometheus": {"default": {"url": "https://bot:hunter2@prom.example"}}}, tmp_path)
    assert s.server("default").url == "https://bot:hunter2@prom.example"  # a warning only
    assert "its url holds a password" in caplog.text
    assert "url_env" in caplog.text and "password_env" in caplog.text
    assert "hunter2" not in caplog.text


def _set_option(root: Path, line: str) -> None:
    """Add ``line`` to the plugin block (a ``now:`` replaces the pinned one)."""
    cfg = root / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    assert NOW in text
    new = line if line.startswith("now:") else f"{NOW}\n      {line}"
    cfg.write_text(text.replace(NOW, new), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo with a site already published in site/public."""
    root = copy_project(tmp_path_factory.mktemp("plugin-failures") / "demo")
    run(BIN / "mkdocs", "build", "--strict", "-d", root / "site" / "public", cwd=root)
    assert (root / "site" / "public" / "index.html").is_file()
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """This test's own copy of the built project, to break."""
    root = tmp_path / "demo"
    shutil.copytree(built, root, symlinks=True)
    return root


@pytest.mark.parametrize(("line", "option", "message"), [
    ("history_months: 100000", "history_months", "must be a whole number from 0 to 120"),
    ('now: "9999-12-31T23:00:00Z"', "now", "must be between 1970 and 2200"),
    ("prometheus: {default: [1, 2]}", "prometheus",
     "prometheus server 'default' must map option names"),
    ('prometheus: {default: {connect_timeout: "x"}}', "prometheus",
     "'connect_timeout' must be a number"),
])
def test_bad_settings_stop_mkdocs_and_the_cli_with_one_message(
    project: Path, line: str, option: str, message: str
) -> None:
    _set_option(project, line)
    site = project / "site" / "public"
    before = tree(site)
    mk = run(BIN / "mkdocs", "build", "-d", site, cwd=project, check=False)
    assert mk.returncode == 1
    # MkDocs validates the block with the plugin's schema and names the option itself
    assert f"Plugin 'slacode' option '{option}': " in mk.stderr
    assert message in mk.stderr and "Traceback" not in mk.stderr
    cli = run(BIN / "slacode", "evaluate", cwd=project, check=False)
    assert cli.returncode == 1
    # the same schema, the same words, at the line and column of the value
    written = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    at = next(i for i, text in enumerate(written, 1) if text.strip() == line.strip())
    assert cli.stderr.startswith(f"slacode: error: mkdocs.yml:{at}:"), cli.stderr
    assert message in cli.stderr
    assert "Traceback" not in cli.stderr
    assert tree(site) == before


def test_failed_mkdocs_build_keeps_the_previous_site(project: Path) -> None:
    site = project / "site" / "public"
    before = tree(site)
    sla = project / "slas" / "status-web.yaml"
    sla.write_text(sla.read_text(encoding="utf-8").replace("version: 1", "version: [oops"),
                   encoding="utf-8")
    r = run(BIN / "mkdocs", "build", "-d", site, cwd=project, check=False)
    assert r.returncode == 1
    assert "slas/status-web.yaml:" in r.stderr and "Traceback" not in r.stderr
    assert (site / "index.html").is_file()
    assert tree(site) == before  # MkDocs did not even clean it


def test_build_of_an_empty_slas_folder_is_refused_like_validate(project: Path) -> None:
    site = project / "site" / "public"
    before = tree(site)
    for f in (project / "slas").iterdir():
        f.unlink()
    validate = run(BIN / "slacode", "validate", cwd=project, check=False)
    assert validate.returncode == 2
    reason = f"no *.yaml or *.yml files under {project / 'slas'}"
    assert reason in validate.stderr
    build = run(BIN / "slacode", "build", "--strict", cwd=project, check=False)
    assert build.returncode == 1
    assert reason in build.stderr and "Traceback" not in build.stderr
    assert tree(site) == before
    assert not (site / "api" / "services.json").read_text(encoding="utf-8").startswith(
        '{"services":[]')


def test_changed_figures_of_a_frozen_period_are_published_under_review_and_fail_apart(
        project: Path) -> None:
    # October of status-web was frozen; its record now disagrees with the data
    record = project / "ledger" / "status-web" / "2026-10.json"
    doc = json.loads(record.read_text(encoding="utf-8"))
    doc["results"]["availability"]["value"] = 42.0
    record.write_text(json.dumps(doc), encoding="utf-8")
    site = project / "site" / "public"
    before = tree(site)
    loose = run(BIN / "mkdocs", "build", "-d", project / "loose", cwd=project)
    assert "WARNING" in loose.stderr
    assert "status-web 2026-10 availability: a fresh evaluation disagrees" in loose.stderr
    assert "value frozen 42.0, now" in loose.stderr and "--restate 2026-10" in loose.stderr
    strict = run(BIN / "slacode", "build", "--strict", cwd=project, check=False)
    # one dispute does not withhold the rest: the site is published, and the build fails
    # with its own exit status and message, unlike a failed source (exit 1, site kept)
    assert strict.returncode == 3, strict.stderr
    # the last line (after the pipeline's notes, which name the dispute too)
    assert strict.stderr.splitlines()[-1].startswith("slacode: error: disputed: ")
    assert "slacode evaluate --restate PERIOD --service ID --reason TEXT" in strict.stderr
    assert "status-web 2026-10 availability" in strict.stderr
    assert tree(site) != before
    page = (site / "services" / "status-web" / "index.html").read_text(encoding="utf-8")
    row = page.split('data-period="2026-10"', 1)[1].split("</tr>", 1)[0]
    assert "42.00%" in row and "Under review" in row  # the frozen figure customers were told
    assert "a new evaluation of this period disagrees with these figures" in page
    assert (site / "services" / "payments-api" / "index.html").is_file()
    # a plain `mkdocs build --strict` writes the site too, and fails with the same reason
    mk = run(BIN / "mkdocs", "build", "--strict", "-d", project / "mk", cwd=project,
             check=False)
    assert mk.returncode == 1 and "slacode: disputed: " in mk.stderr
    assert "Under review" in (project / "mk" / "services" / "status-web" / "index.html"
                              ).read_text(encoding="utf-8")


def test_a_pinned_now_pins_the_sitemap_dates_of_a_plain_mkdocs_build(project: Path) -> None:
    run(BIN / "mkdocs", "build", "-d", project / "plain", cwd=project)
    sitemap = (project / "plain" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2026-11-26</lastmod>" in sitemap
