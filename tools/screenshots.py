"""Screenshots of the demo site for review: `make screenshots` (PNGs, never committed).

Builds the demo once in English (``mkdocs.yml``) and once in Chinese (``mkdocs.zh.yml``,
which inherits it with its own title, language and pages, as the Chinese site tests
do), each in a copy of the project, serves each
build on 127.0.0.1 and photographs, in headless Chromium, the pages a customer reads
(the overview, a 24x7 API's page, a business-hours desk's page, a period report, the
reports index and the change history: a service page's section, a version page, and the
site-wide ``changes/`` page when the build has one) at 1280 px and 390 px, light and
dark. A reviewer looks at them as a customer would: a figure cut off or a table that
scrolls sideways is easier to see in a picture than in a test failure.

Usage: ``python tools/screenshots.py [OUT]`` (default ``screenshots/``).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]

#: (file name, path under the site root, heading to scroll to or "" for the whole page)
PAGES = (
    ("overview", "", ""),
    ("service-api", "services/payments-api/", ""),
    ("service-desk", "services/support-desk/", ""),
    ("report", "reports/2026-03/", ""),
    ("reports", "reports/", ""),
    ("history", "services/payments-api/", "svc.history"),
    ("version", "services/payments-api/v3/", ""),
    ("changes", "changes/", ""),
)
#: pages a build may not have (the site-wide change history): shot when it has them
OPTIONAL = frozenset({"changes"})
WIDTHS = (1280, 390)
SCHEMES = ("light", "dark")
LANGUAGES = ("en", "zh")


def build(language: str, work: Path) -> Path:
    """The demo built in ``language`` into ``work``; returns the site folder."""
    project = work / f"project-{language}"
    project.mkdir(parents=True)
    for name in ("slas", "data", "ledger", "schemas"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, project / name)
    for docs in (ROOT / "site").glob("docs*"):
        shutil.copytree(docs, project / "site" / docs.name)
    for cfg in ROOT.glob("mkdocs*.yml"):
        shutil.copy(cfg, project / cfg.name)
    config = "mkdocs.yml" if language == "en" else f"mkdocs.{language}.yml"
    # the agreements' past versions come from git: the copy gets this repository's commits
    # (its files stay as they are here, committed or not)
    for args in (["init", "-q"], ["fetch", "-q", str(ROOT), "HEAD"],
                 ["update-ref", "HEAD", "FETCH_HEAD"], ["reset", "-q"]):
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)
    out = work / f"site-{language}"
    subprocess.run([str(BIN / "slacode"), "build", "-f", config, "--site-dir", str(out)],
                   cwd=project, check=True, capture_output=True, text=True)
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """``folder`` on a local port, for as long as the block runs."""
    handler = functools.partial(_Quiet, directory=str(folder))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/"
    finally:
        srv.shutdown()
        srv.server_close()


def shoot(out: Path, languages: tuple[str, ...] = LANGUAGES) -> list[Path]:
    """Every page × width × scheme × language as a PNG under ``out``."""
    from playwright.sync_api import sync_playwright

    from slacode.render.strings import t

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="slacode-shots-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for language in languages:
            site = build(language, Path(tmp))
            with served(site) as base:
                for width in WIDTHS:
                    for scheme in SCHEMES:
                        ctx = browser.new_context(viewport={"width": width, "height": 900},
                                                  color_scheme=scheme)
                        page = ctx.new_page()
                        for name, path, heading in PAGES:
                            if name in OPTIONAL and not (site / path / "index.html").is_file():
                                continue
                            page.goto(base + path)
                            page.wait_for_load_state("networkidle")
                            target = out / f"{language}-{name}-{width}-{scheme}.png"
                            if heading:
                                page.locator("article h2", has_text=t(heading, language)) \
                                    .first.scroll_into_view_if_needed()
                                page.evaluate("window.scrollBy(0, -60)")
                                page.screenshot(path=str(target))
                            else:
                                page.screenshot(path=str(target), full_page=True)
                            written.append(target)
                        ctx.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "screenshots"))
    parser.add_argument("--language", action="append", choices=LANGUAGES)
    args = parser.parse_args()
    for path in shoot(Path(args.out), tuple(args.language or LANGUAGES)):
        print(path)


if __name__ == "__main__":
    main()
