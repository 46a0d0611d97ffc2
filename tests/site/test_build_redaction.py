"""``slacode build`` prints what MkDocs, its plugins and hooks log through the same
credential filter as the CLI's own logging (``slacode.redact``): a record that carries a
URL with its userinfo or an ``Authorization`` header shows neither secret, whether it is
a warning printed as it happens or the error a failed build ends with."""

from __future__ import annotations

from pathlib import Path

from site_support import BIN, run, web_project

MKDOCS = """\
site_name: Redaction
docs_dir: docs
site_dir: public
hooks:
  - hooks.py
plugins:
  - slacode:
      now: "2026-11-26T00:00:00Z"
      cache: cache
"""

#: a hook that logs like a careless plugin; FAIL=1 makes it abort the build as well
HOOKS = """\
import logging, os
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.plugins.careless")

def on_config(config):
    log.warning("fetched https://robot:s3cret-pass@metrics.example.com/api "
                "with Authorization: Bearer tok-9f8e7d")
    if os.environ.get("FAIL"):
        raise PluginError("cannot reach https://robot:s3cret-pass@metrics.example.com/api "
                          "(Authorization: Bearer tok-9f8e7d)")
    return config
"""


def _project(root: Path) -> Path:
    web_project(root, MKDOCS)
    (root / "hooks.py").write_text(HOOKS, encoding="utf-8")
    return root


def test_a_plugins_log_record_is_printed_without_its_credentials(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    built = run(BIN / "slacode", "build", cwd=root)
    assert (root / "public" / "index.html").is_file()
    # the warning is still said, with the host, but neither secret
    assert "fetched https://***@metrics.example.com/api" in built.stderr
    assert "Authorization: ***" in built.stderr
    assert "s3cret-pass" not in built.stdout + built.stderr
    assert "tok-9f8e7d" not in built.stdout + built.stderr


def test_the_error_a_failed_build_ends_with_shows_no_credentials(tmp_path: Path) -> None:
    import subprocess

    from site_support import env

    root = _project(tmp_path / "p")
    failed = subprocess.run([str(BIN / "slacode"), "build"], cwd=root, capture_output=True,
                            text=True, env=env(FAIL="1"), timeout=300, check=False)
    assert failed.returncode == 1
    assert "build failed, previous site kept" in failed.stderr
    assert "metrics.example.com" in failed.stderr
    assert "s3cret-pass" not in failed.stdout + failed.stderr
    assert "tok-9f8e7d" not in failed.stdout + failed.stderr
    assert "Traceback" not in failed.stderr
