"""Builds of the demo site shared by the site tests, and a local server for the browser."""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from site_support import BIN, CHROMIUM, CHROMIUM_ARGS, ROOT, copy_project, run


@pytest.fixture(scope="session")
def demo_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
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

    def __init__(self, browser, color_scheme: str = "light", width: int = 1280) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme=color_scheme
        )
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith("http://127.0.0.1:") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def goto(self, url: str):
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser) -> Iterator:
    opened: list[Visit] = []

    def open_(color_scheme: str = "light", width: int = 1280) -> Visit:
        v = Visit(browser, color_scheme, width)
        opened.append(v)
        return v

    yield open_
    for v in opened:
        v.close()


@pytest.fixture(scope="session")
def chinese_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's Chinese site (``mkdocs.zh.yml``: its own hand-written pages, title and
    theme language, the rest inherited from ``mkdocs.yml``): the Chinese twin of
    ``demo_site``, for the browser checks."""
    root = copy_project(tmp_path_factory.mktemp("zh-demo") / "project")
    out = root / "site" / "public-zh"
    run(BIN / "mkdocs", "build", "--strict", "-f", root / "mkdocs.zh.yml", "-d", out, cwd=root)
    return out
