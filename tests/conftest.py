"""Suite-wide test settings.

With SLACODE_REQUIRE_INTEGRATION=1 (set by `make test`, hence CI), an integration
test that would skip because Prometheus or Chromium is missing fails instead, so a
green run always means the real parts were exercised.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest

INTEGRATION_MARKERS = ("prometheus", "browser")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> None:  # type: ignore[type-arg]
    outcome = yield
    report = outcome.get_result()
    if (
        os.environ.get("SLACODE_REQUIRE_INTEGRATION") == "1"
        and report.skipped
        and any(item.get_closest_marker(m) for m in INTEGRATION_MARKERS)
    ):
        report.outcome = "failed"
        report.longrepr = (
            f"integration test skipped but SLACODE_REQUIRE_INTEGRATION=1: {report.longrepr}"
        )


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """The commands set up logging for a process of their own (the root logger's level,
    a handler on MkDocs' logger bound to this test's stderr): put it back afterwards."""
    root, mk = logging.getLogger(), logging.getLogger("mkdocs")
    saved = root.level, list(root.handlers), mk.propagate, list(mk.handlers)
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    mk.propagate = saved[2]
    mk.handlers[:] = saved[3]
