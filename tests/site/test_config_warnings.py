"""A warning about the settings counts as a warning of the build: ``mkdocs build --strict``
and ``slacode build --strict`` stop on it, and it never prints the secret it is about."""

from __future__ import annotations

from pathlib import Path

from site_support import BIN, run, web_project

from slacode.config import settings_from_mapping

MKDOCS = """\
site_name: Warnings
docs_dir: docs
site_dir: public
plugins:
  - slacode:
      now: "2026-11-26T00:00:00Z"
      cache: cache
      prometheus:
        default:
          url: {url}
"""

SECRET_URL = "https://bot:hunter2@127.0.0.1:9/prom"


def _project(root: Path, url: str) -> Path:
    return web_project(root, MKDOCS.format(url=url))


def test_the_password_warning_names_the_url_without_the_password(tmp_path: Path) -> None:
    said: list[str] = []
    s = settings_from_mapping({"prometheus": {"default": {"url": SECRET_URL}}}, tmp_path,
                              on_warning=said.append)
    assert s.server("default").url == SECRET_URL  # a warning only
    assert len(said) == 1 and "hunter2" not in said[0]
    assert "https://bot:***@127.0.0.1:9/prom" in said[0]
    assert "url_env" in said[0] and "password_env" in said[0]


def test_a_password_in_a_server_url_fails_strict_builds_and_is_not_printed(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path / "p", SECRET_URL)
    loose = run(BIN / "mkdocs", "build", cwd=root)
    assert "WARNING" in loose.stderr and "its url holds a password" in loose.stderr
    assert (root / "public" / "index.html").is_file()
    mk = run(BIN / "mkdocs", "build", "--strict", "-d", root / "strict", cwd=root, check=False)
    assert mk.returncode == 1 and "in strict mode" in mk.stdout + mk.stderr
    cli = run(BIN / "slacode", "build", "--strict", cwd=root, check=False)
    assert cli.returncode == 1 and "1 warnings in strict mode" in cli.stderr
    for r in (loose, mk, cli):
        assert "https://bot:***@127.0.0.1:9/prom" in r.stderr
        assert "hunter2" not in r.stdout + r.stderr


def test_a_url_without_password_builds_strict(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", "https://bot@127.0.0.1:9/prom")
    mk = run(BIN / "mkdocs", "build", "--strict", cwd=root)
    assert "holds a password" not in mk.stderr
    assert (root / "public" / "index.html").is_file()
