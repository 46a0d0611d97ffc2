"""A project whose agreements read only files never loads the HTTP stack.

``requests`` and ``urllib3`` cost start-up time on every run and widen what a build
without any server depends on. The Prometheus source loads them on first use; nothing a
file-only run touches (the file sources, gaps, redaction, query planning) may pull
them in, so a later edit that imports them from a shared module shows up here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: the whole pipeline on the demo project (files only), then the modules it loaded
SCRIPT = """
import json, sys
from pathlib import Path
from slacode.config import load_settings
from slacode.pipeline import run
from slacode.pull.planning import plan_for  # what slacode rules and alerts use
from slacode.redact import install_redaction  # what the CLI's logging set-up uses

result = run(load_settings(Path(sys.argv[1])))
print(json.dumps({"ok": result.ok, "pages": len(result.files),
                  "queries": result.queries, "modules": sorted(sys.modules)}))
"""


def test_a_build_from_file_sources_alone_imports_neither_requests_nor_urllib3() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT)], capture_output=True,
                         text=True, check=True)  # the demo's mkdocs.yml pins its `now`
    got = json.loads(out.stdout)
    assert got["ok"] and got["pages"] > 10 and got["queries"] == 0  # a real, whole run
    loaded = {m.partition(".")[0] for m in got["modules"]}
    assert not loaded & {"requests", "urllib3"}, sorted(loaded & {"requests", "urllib3"})
    assert "slacode.pull.files" in got["modules"]
    assert "slacode.pull.client" not in got["modules"]
