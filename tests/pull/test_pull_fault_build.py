"""The fault run: the real Prometheus is killed in the middle of a nightly build.

The nightly job runs ``slacode build --strict``. A strict build fails when a measurement
source fails during the run, so the site published the night before stays byte for
byte as it was, and the job exits 1 with a one-line reason instead of publishing
"no data" everywhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pull_synthetic as ps
import pytest
from pull_support import DelayProxy

pytestmark = pytest.mark.prometheus

SLACODE = Path(sys.executable).parent / "slacode"

MKDOCS = """\
site_name: Fault run
docs_dir: docs
site_dir: public
plugins:
  - slacode:
      now: "2026-10-26T12:00:00Z"  # two queries: the days, then today
      history_months: 0
      cache: .cache
      prometheus:
        default: {retries: 0, connect_timeout: 2.0, read_timeout: 20.0, concurrency: 1}
"""

AGREEMENT = f"""\
id: api
name: API
version: 1
effective: 2026-01-01
visibility: public
parties:
  provider: {{name: Example Cloud}}
service:
  description: An API measured by Prometheus.
objectives:
  - id: availability
    kind: availability
    target: 99.9
    window: calendar-month
    source:
      prometheus:
        good: '{ps.GOOD_SEL}'
        total: '{ps.TOTAL_SEL}'
"""


def _project(root: Path) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "slas").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (root / "slas" / "api.yaml").write_text(AGREEMENT, encoding="utf-8")
    return root


TOKEN = "nightly-T0KEN-4b8e"
PASSWORD = "url-pw-71d2"


def _env(url: str) -> dict[str, str]:
    """The job's environment: the URL (with credentials in it) and a token are secrets."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACODE_")}
    url = url.replace("http://", f"http://nightly:{PASSWORD}@")
    env.update(SLACODE_PROMETHEUS_URL=url, SLACODE_PROMETHEUS_TOKEN=TOKEN,
               NO_MKDOCS_2_WARNING="1")
    return env


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_prometheus_killed_mid_build_keeps_the_previous_site_and_exits_1(
    disposable_prometheus, tmp_path
) -> None:
    root = _project(tmp_path / "project")
    build = [str(SLACODE), "build", "--strict"]
    first = subprocess.run(build, cwd=root, env=_env(disposable_prometheus.url),
                           capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    site = root / "public"
    page = (site / "services" / "api" / "index.html").read_text(encoding="utf-8")
    assert "slc-chip-" in page
    before = _tree(site)
    (root / ".cache").rename(root / ".cache-first")  # the next night asks the server again

    proxy = DelayProxy(disposable_prometheus.port, delay=1.0)
    try:
        proc = subprocess.Popen(build, cwd=root, env=_env(proxy.url), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not proxy.sent and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proxy.sent, "the build sent no query"
        disposable_prometheus.stop()  # killed while the first answer is on its way
        out, err = proc.communicate(timeout=120)
    finally:
        proxy.close()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, err
    last = err.strip().splitlines()[-1]
    assert last.startswith(
        "slacode: error: build failed, previous site kept: slacode: a measurement source "
        "failed, nothing published in strict mode: slas/api.yaml:"
    ), err
    assert "api/availability:" in last and "Prometheus server 'default'" in last
    assert "Traceback" not in err
    assert _tree(site) == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".public")] == []
    # secrets from the environment: in no log line, message, page or file the runs wrote
    for text in (first.stdout, first.stderr, out, err):
        assert TOKEN not in text and PASSWORD not in text
    for data in _tree(root).values():
        assert TOKEN.encode() not in data and PASSWORD.encode() not in data


def test_without_strict_a_dead_server_is_published_as_no_data_with_the_reason(
    tmp_path,
) -> None:
    from prometheus_server import free_port

    root = _project(tmp_path / "project")
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    strict = subprocess.run([str(SLACODE), "build", "--strict"], cwd=root, env=_env(url),
                            capture_output=True, text=True, timeout=120)
    assert strict.returncode == 1
    assert "unreachable: connection refused" in strict.stderr.strip().splitlines()[-1]
    assert not (root / "public").exists()  # nothing published, not even a first site
    r = subprocess.run([str(SLACODE), "build"], cwd=root, env=_env(url),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "WARNING" in r.stderr and "unreachable: connection refused" in r.stderr
    page = (root / "public" / "services" / "api" / "index.html").read_text(encoding="utf-8")
    assert "slc-chip-no-data" in page and "slc-chip-met" not in page
    assert "unreachable: connection refused" in page.replace("&#58;", ":")
