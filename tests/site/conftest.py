"""Builds of the demo site shared by the site tests, and a local server for the browser."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
ARTIFACTS = ROOT / "test-artifacts"


def env(**extra: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    e.update(NO_MKDOCS_2_WARNING="1", **extra)
    return e


def run(*args: str | Path, cwd: Path = ROOT, check: bool = True) -> subprocess.CompletedProcess[str]:
    r = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env(),
                       timeout=300)
    if check and r.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def copy_project(dest: Path) -> Path:
    """A copy of the demo project (agreements, data, ledger, site sources) to build in."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("slas", "data", "ledger", "schemas"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name)
    shutil.copytree(ROOT / "site" / "docs", dest / "site" / "docs")
    shutil.copy(ROOT / "site" / "zensical.yml", dest / "site" / "zensical.yml")
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`mkdocs build --strict` of the demo as checked in (public audience)."""
    out = tmp_path_factory.mktemp("demo") / "public"
    r = run(BIN / "mkdocs", "build", "--strict", "-f", ROOT / "mkdocs.yml", "-d", out, check=False)
    return out, r


@pytest.fixture(scope="session")
def demo_site(demo_build: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    out, r = demo_build
    if r.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{r.stderr[-4000:]}")
    return out


@pytest.fixture(scope="session")
def evaluation() -> dict:
    """`slacode evaluate --format json` of the demo: the figures the site must show."""
    r = run(BIN / "slacode", "evaluate", "--format", "json")
    return json.loads(r.stdout)


@pytest.fixture(scope="session")
def public_agreements() -> list:
    from slacode.load import load_agreements

    loaded = load_agreements([ROOT / "slas"], root=ROOT)
    return [a for a in loaded.agreements if a.visibility == "public"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(_Quiet, directory=str(folder))
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_address[1]}/"

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install the Debian chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Visit:
    """A page whose console errors and requests to other hosts are recorded (and blocked)."""

    def __init__(self, browser, color_scheme: str = "light") -> None:  # noqa: ANN001
        self.context = browser.new_context(viewport={"width": 1280, "height": 900},
                                           color_scheme=color_scheme)
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _route(self, route) -> None:  # noqa: ANN001
        url = route.request.url
        if url.startswith("http://127.0.0.1:") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _dialog(self, dialog) -> None:  # noqa: ANN001
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def goto(self, url: str):  # noqa: ANN201
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser) -> Iterator:  # noqa: ANN001
    opened: list[Visit] = []

    def open_(color_scheme: str = "light") -> Visit:
        v = Visit(browser, color_scheme)
        opened.append(v)
        return v

    yield open_
    for v in opened:
        v.close()
